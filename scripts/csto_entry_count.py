"""Enter the CSTO through the admin as an editor would, counting every click and keystroke.

The organization and its spells come from the reference file (``facts-2025h2.json``): each
spell's member, status, qualifier, start, end and founding flag, and its sources. The sources
are already in the atlas (the seed holds them); the spells are cited with today's admin: one
"citation for the new and changed rows of this save" with the source most spells share, and a
row's own source where the spell's sources do not include that one. Search boxes are typed into
letter by letter until the wanted entry is offered first, then taken with Enter; the rest is Tab,
typing and Space, as with the keyboard alone.

Not counted: logging in. Counted as one click: opening the organization's add form from the
admin index. Notes, confidence and disputes are not entered (the count measures the spells and
their citations); the excerpt typed for each citation is the source's first excerpt in the
reference, and is reported apart, since an editor pastes it.

Usage, against a server whose atlas has the seed without the CSTO, and an Editor's login:

    python scripts/csto_entry_count.py --url http://127.0.0.1:8000 --user editor \\
        --password ... --facts ../shared/reference/facts-2025h2.json [--show]
"""

from __future__ import annotations

import argparse
import json
import os
from collections import Counter
from dataclasses import dataclass, field

from playwright.sync_api import Page, expect, sync_playwright


@dataclass
class Tally:
    clicks: int = 0
    keystrokes: int = 0
    pasted_text: int = 0  # keystrokes of excerpts, counted in keystrokes too
    by_kind: Counter[str] = field(default_factory=Counter)  # keystrokes: text, search, keys


class Editor:
    """The page, with every click and keystroke counted."""

    def __init__(self, page: Page, tally: Tally):
        self.page, self.tally = page, tally

    def click(self, selector: str) -> None:
        self.page.click(selector)
        self.tally.clicks += 1

    def type(self, text: str, kind: str = "typed values") -> None:
        self.page.keyboard.type(text)
        self.tally.keystrokes += len(text)
        self.tally.by_kind[kind] += len(text)
        if kind == "excerpt":
            self.tally.pasted_text += len(text)

    def press(self, key: str, times: int = 1) -> None:
        for _ in range(times):
            self.page.keyboard.press(key)
        self.tally.keystrokes += times
        self.tally.by_kind[f"{key} presses"] += times

    def search_and_pick(self, wanted: str) -> None:
        """Type ``wanted`` into the focused search box a letter at a time until the first
        offer is it, then Enter."""
        highlighted = self.page.locator(".select2-results__option--highlighted")
        for letter in wanted:
            self.type(letter, "search letters")
            self.page.wait_for_timeout(350)  # the autocomplete answers
            if highlighted.count() and wanted in highlighted.first.inner_text():
                break
        expect(highlighted.first).to_contain_text(wanted)
        self.press("Enter")


def csto_facts(path: str):
    with open(path, encoding="utf-8") as file:
        facts = json.load(file)
    [organization] = [o for o in facts["organizations"] if o.get("abbreviation") == "CSTO"]
    spells = [m for m in facts["memberships"] if m["organization"] == organization["id"]]
    sources = {s["id"]: s for s in facts["sources"]}
    return organization, spells, sources


def enter_csto(page: Page, base: str, facts_path: str) -> Tally:
    organization, spells, sources = csto_facts(facts_path)
    # The source most spells cite is the citation for all rows; the others cite their first.
    shared, _ = Counter(s for spell in spells for s in spell["source"]).most_common(1)[0]
    tally = Tally()
    editor = Editor(page, tally)

    page.goto(f"{base}/admin/orgs/organization/add/")
    tally.clicks += 1  # "Add" beside Organizations on the admin index

    editor.click("#id_name")
    editor.type(organization["name"])
    editor.press("Tab")  # acronym; the slug follows it
    editor.type(organization["abbreviation"])
    editor.click("#id_founded_on")
    editor.type(organization["founded"])
    editor.click("#id_website")
    editor.type(organization["website"])

    for number, spell in enumerate(spells):
        row = f"#memberships-{number}"
        if number:
            editor.click("#memberships-group .add-row a")
        editor.click(f"{row} .field-member_country .select2-selection")
        editor.search_and_pick(spell["member"])
        editor.press("Tab", 2)  # past the member organization, to the status
        if spell["status"] != "member":  # member is the default
            editor.type(spell["status"][:2])  # a focused list jumps to what is typed
        editor.press("Tab")  # qualifier
        if spell.get("qualifier"):
            editor.type(spell["qualifier"])
        editor.press("Tab")  # start
        editor.type(spell["start"])
        editor.press("Tab")  # end
        if spell.get("end"):
            editor.type(spell["end"])
        editor.press("Tab")  # founding member
        if spell.get("founding"):
            editor.press("Space")
        if shared not in spell["source"]:
            source = sources[spell["source"][0]]
            editor.press("Tab", 2)  # past "Note, rank, confidence" to the row's source
            editor.search_and_pick(source["title"])
            editor.press("Tab", 2)  # past the "+" to the excerpt
            editor.type(source["excerpt"][0], "excerpt")

    source = sources[shared]
    editor.click("#id_cite_source + .select2 .select2-selection")
    editor.search_and_pick(source["title"])
    editor.press("Tab", 2)  # past the "+" to the excerpt
    editor.type(source["excerpt"][0], "excerpt")

    editor.click('input[name="_continue"]')
    expect(page.locator(".messagelist .success")).to_contain_text("was added successfully")
    return tally


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--user", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--facts", default="../shared/reference/facts-2025h2.json")
    parser.add_argument("--show", action="store_true", help="a visible browser window")
    args = parser.parse_args()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=os.environ.get("CHROMIUM_EXECUTABLE", "/usr/bin/chromium"),
            headless=not args.show,
        )
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        page.goto(f"{args.url}/admin/login/")
        page.fill("#id_username", args.user)
        page.fill("#id_password", args.password)
        page.press("#id_password", "Enter")
        tally = enter_csto(page, args.url, args.facts)
        browser.close()
    _, spells, _ = csto_facts(args.facts)
    print(
        f"CSTO with {len(spells)} cited spells: {tally.clicks} clicks, {tally.keystrokes} "
        f"keystrokes ({tally.pasted_text} of them excerpts, which an editor would paste; "
        f"{tally.keystrokes - tally.pasted_text} without)."
    )
    print("Keystrokes by kind: " + ", ".join(f"{kind} {n}" for kind, n in tally.by_kind.items()))


if __name__ == "__main__":
    main()
