"""The invalidation figure of ``make bench``: what one published edit leaves in the cache.

The bench warms a fixed set of URLs, edits one spell of the SCO (Belarus's membership: its
qualifier, through the ORM as a publishing editor's save does, with the same signals), then
asks for every URL once more. It reports:

- the share of the URLs that do not show the spell still answered from the cache (target
  ≥ 90%): the set minus the pages of the SCO and of Belarus and the answers about the SCO;
- whether every URL that shows the spell answered with the edit at once (never stale).

The atlas-wide pages (home, changes) show every edit and count among the URLs that do not
show the spell only when they do not; home shows member counts, so it is expected to miss.
"""

from __future__ import annotations

import urllib.error
import urllib.request

EDITED = "sco", "by"  # the organization and member country of the edited spell
TARGET = 0.9


def fixed_urls(as_of: str) -> list[tuple[str, bool]]:
    """(path, whether it shows the edited spell)."""
    organizations = ["eaeu", "brics", "csto", "cis", "oic", "asean"]
    organizations += [f"org-{n:05d}" for n in range(1, 11)]
    countries = ["kz", "ru", "cn", "in", "am", "tr", "ir", "mn", "ge", "ua", "uz", "kg"]
    urls = [
        ("/", False),
        ("/changes/", False),
        ("/organizations/sco/", True),
        ("/countries/by/", True),
        (f"/api/v1/memberships/?organization=sco&as_of={as_of}", True),
        (f"/api/v1/overlap/?organizations=sco,brics,eaeu&as_of={as_of}", True),
        ("/compare/?organizations=sco,brics,eaeu", True),
    ]
    urls += [(f"/organizations/{slug}/", False) for slug in organizations]
    urls += [(f"/countries/{code}/", False) for code in countries]
    urls += [
        (f"/api/v1/memberships/?organization={slug}&as_of={as_of}", False) for slug in organizations
    ]
    urls.append((f"/api/v1/overlap/?organizations=brics,eaeu,csto&as_of={as_of}", False))
    return urls


def fetch(url: str) -> tuple[int, str, str]:
    """(status, X-Atlas-Cache, body)."""
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            body = response.read().decode("utf-8", "replace")
            return response.status, response.headers.get("X-Atlas-Cache", ""), body
    except urllib.error.HTTPError as error:
        return error.code, "", ""
    except OSError:
        return 0, "", ""


def edit_script(qualifier: str) -> str:
    """Python for ``manage.py shell -c``: set the spell's qualifier, print the one it had."""
    organization, country = EDITED
    return (
        "from orgs.models import Membership\n"
        "spell = Membership.objects.filter("
        f"organization__slug={organization!r}, member_country__iso2={country.upper()!r}, "
        "status='member').order_by('-start').first()\n"
        "print('previous:', repr(spell.qualifier))\n"
        f"spell.qualifier = {qualifier!r}\n"
        "spell.save()\n"
    )


def page_showing(base: str, path: str, parameter: str, row: str, limit: int = 100) -> str | None:
    """The page of ``path``'s list paged by ``parameter`` whose body has ``row``."""
    for number in range(1, limit):
        url = path if number == 1 else f"{path}?{parameter}={number}"
        status, _, body = fetch(base + url)
        if status != 200:
            return None
        if row in body:
            return url
        if f"{parameter}={number + 1}" not in body:
            return None
    return None


def measure(base: str, as_of: str, edit) -> dict:
    """``edit(qualifier)`` runs the edit and returns the qualifier it replaced."""
    urls = [(path, shows) for path, shows in fixed_urls(as_of) if fetch(base + path)[0] == 200]
    # A country in hundreds of organizations pages its list of them: on a large atlas the SCO's
    # row is on a later page, which is the page that shows the edit. Its first page then shows
    # neither the spell nor an unrelated record (its country's version changes): it is left out.
    organization, country = EDITED
    country_page = f"/countries/{country}/"
    row = f'<th scope="row"><a href="/organizations/{organization}/">'
    showing_page = page_showing(base, country_page, "memberships", row)
    if showing_page and showing_page != country_page:
        urls = [(path, shows) for path, shows in urls if path != country_page]
        urls.append((showing_page, True))
    marker = "Edited by the bench"
    previous = edit(marker)
    after = {path: fetch(base + path) for path, _ in urls}
    edit(previous)  # the data stay as generated for the next run
    unrelated = [path for path, shows in urls if not shows]
    hits = [path for path in unrelated if after[path][1] == "hit"]
    showing = [
        path for path, shows in urls if shows and (path.endswith("/") or path == showing_page)
    ]
    fresh = [path for path in showing if after[path][1] != "hit" and marker in after[path][2]]
    return {
        "urls": len(urls),
        "unrelated": len(unrelated),
        "hits": len(hits),
        "share": len(hits) / len(unrelated) if unrelated else 0.0,
        "missed": [path for path in unrelated if path not in hits],
        "showing": showing,
        "fresh": fresh,
    }


def report(result: dict) -> str:
    if not result:
        return ""
    share = result["share"]
    verdict = "met" if share >= TARGET else "MISSED"
    stale = [path for path in result["showing"] if path not in result["fresh"]]
    lines = [
        "**Invalidation** (one spell of the SCO, Belarus's membership, edited and saved after "
        f"{result['urls']} URLs were cached): {result['hits']} of the {result['unrelated']} "
        f"URLs that do not show it were still cache hits, {share:.0%} (target ≥ {TARGET:.0%}: "
        f"{verdict}).",
        f"Missed: {', '.join(f'`{path}`' for path in result['missed']) or 'none'}.",
        "The pages that show it ("
        + ", ".join(f"`{path}`" for path in result["showing"])
        + ") "
        + (
            "all showed the edit on the next request."
            if not stale
            else f"did not all show it at once: {', '.join(stale)} STALE."
        ),
    ]
    return "\n".join(lines) + "\n"
