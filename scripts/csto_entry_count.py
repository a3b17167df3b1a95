"""Enter the CSTO through the admin as an editor would, counting every click and keystroke.

The organization and its spells come from the reference file (``facts-2025h2.json``): each
spell's member, status, qualifier, start, end and founding flag, and its sources. The sources
are already in the atlas (the seed holds them); the spells are cited with today's admin: one
"citation for the new and changed rows of this save" with the source most spells share, and a
row's own source where the spell's sources do not include that one. Search boxes are typed into
letter by letter until the wanted entry is offered first, then taken with Enter; the rest is Tab,
typing and Space, as with the keyboard alone.

What is typed into a search box is the shortest of what an editor would naturally type that the
search offers first: the start of the name, or a country's ISO code (alpha-2 or alpha-3, "AM"
for Armenia), or the start of a source's title or of any of its words from that word on ("sus"
for "Armenia suspends participation in Russia-led security pact"; numbers are not taken as
words). The script finds it by asking the admin's autocomplete beforehand, uncounted, as an
editor knows what they will type.

A founding member's spell that began on the organization's founding date is left without a
start: the admin fills it in from the organization (its help text says so).

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
import re
from collections import Counter
from dataclasses import dataclass, field

import pycountry
from playwright.sync_api import Page, expect, sync_playwright


@dataclass
class Tally:
    clicks: int = 0
    keystrokes: int = 0
    pasted_text: int = 0  # keystrokes of excerpts, counted in keystrokes too
    by_kind: Counter[str] = field(default_factory=Counter)  # keystrokes: text, search, keys


class Editor:
    """The page, with every click and keystroke counted."""

    def __init__(self, page: Page, tally: Tally, base: str):
        self.page, self.tally, self.base = page, tally, base

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

    def first_offer(self, select: str, term: str) -> str:
        """What the autocomplete of the ``select`` box offers first for ``term`` (uncounted)."""
        box = self.page.locator(select)
        params = {
            "term": term,
            "app_label": box.get_attribute("data-app-label") or "",
            "model_name": box.get_attribute("data-model-name") or "",
            "field_name": box.get_attribute("data-field-name") or "",
        }
        response = self.page.request.get(f"{self.base}/admin/autocomplete/", params=params)
        results = response.json()["results"]
        return results[0]["text"] if results else ""

    def shortest_input(self, select: str, wanted: str, inputs: list[str]) -> str:
        """The shortest of ``inputs`` for which the search offers ``wanted`` first."""
        for text in sorted(dict.fromkeys(inputs), key=len):
            if wanted in self.first_offer(select, text):
                return text
        return wanted

    def search_and_pick(self, select: str, wanted: str, inputs: list[str], kind: str) -> None:
        """Type the shortest of ``inputs`` into the focused search box a letter at a time until
        the first offer is ``wanted``, then Enter."""
        text = self.shortest_input(select, wanted, inputs)
        self.page.mouse.move(0, 0)  # a pointer resting over the offers would highlight one
        highlighted = self.page.locator(".select2-results__option--highlighted")
        for letter in text:
            self.type(letter, f"search letters ({kind})")
            self.page.wait_for_timeout(350)  # the autocomplete answers
            if highlighted.count() and wanted in highlighted.first.inner_text():
                break
        expect(highlighted.first).to_contain_text(wanted)
        self.press("Enter")


def prefixes(text: str) -> list[str]:
    return [text[:end] for end in range(1, len(text) + 1)]


def country_inputs(name: str) -> list[str]:
    """The start of the country's name, or its ISO code."""
    try:
        country = pycountry.countries.lookup(name)
    except LookupError:
        country = pycountry.countries.search_fuzzy(name)[0]
    return [*prefixes(name), country.alpha_2, country.alpha_3]


def title_inputs(title: str) -> list[str]:
    """The start of the title, or of any of its words (from that word on; not numbers)."""
    starts = [0, *(match.start() for match in re.finditer(r"\b[^\W\d_]", title))]
    return [text for start in starts for text in prefixes(title[start:])]


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
    editor = Editor(page, tally, base)

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
        editor.search_and_pick(
            f"#id_memberships-{number}-member_country",
            spell["member"],
            country_inputs(spell["member"]),
            "members",
        )
        editor.press("Tab", 2)  # past the member organization, to the status
        if spell["status"] != "member":  # member is the default
            editor.type(spell["status"][:2])  # a focused list jumps to what is typed
        editor.press("Tab")  # qualifier
        if spell.get("qualifier"):
            editor.type(spell["qualifier"])
        editor.press("Tab")  # start
        founding_day = (organization["founded"], organization.get("founded_precision", "day"))
        if not (
            spell.get("founding")
            and (spell["start"], spell.get("date_precision", "day")) == founding_day
        ):
            editor.type(spell["start"])  # a founding member's start is the founding date
        editor.press("Tab")  # end
        if spell.get("end"):
            editor.type(spell["end"])
        editor.press("Tab")  # founding member
        if spell.get("founding"):
            editor.press("Space")
        if shared not in spell["source"]:
            source = sources[spell["source"][0]]
            editor.press("Tab", 2)  # past "Note, rank, confidence" to the row's source
            editor.search_and_pick(
                f"#id_memberships-{number}-source",
                source["title"],
                title_inputs(source["title"]),
                "sources",
            )
            editor.press("Tab", 2)  # past the "+" to the excerpt
            editor.type(source["excerpt"][0], "excerpt")

    source = sources[shared]
    editor.click("#id_cite_source + .select2 .select2-selection")
    editor.search_and_pick(
        "#id_cite_source", source["title"], title_inputs(source["title"]), "sources"
    )
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
