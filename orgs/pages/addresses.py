"""Addresses of records for long lists: ``reverse()`` once per page, not once a row.

Reversing an address takes tens of microseconds; a large profile links hundreds of countries,
organizations and sources, in its rows, its map and its timeline.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from urllib.parse import quote

from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

# reverse()'s quoting of an argument, so an address built from a prefix is the one it returns.
_URL_SAFE = "!$&'()*+,;=/~:@"


# Digits: every converter the addresses use (slug, str, int) takes them.
_PLACEHOLDER = "9081726354"
_reversed: dict[tuple, tuple[str, str]] = {}


def url_maker(view_name: str) -> Callable[[object], str]:
    """The address of ``view_name`` for one argument, as ``reverse()`` gives it, from a prefix
    and a suffix reversed once per language and script prefix rather than once a row."""
    key = (view_name, get_language(), get_script_prefix(), get_urlconf())
    if key not in _reversed:
        before, after = reverse(view_name, args=[_PLACEHOLDER]).split(_PLACEHOLDER)
        _reversed[key] = (before, after)
    before, after = _reversed[key]
    return lambda argument: f"{before}{quote(str(argument), safe=_URL_SAFE)}{after}"


class Addresses:
    """Pages of countries, organizations, sources and people, on a date when the page is about one."""

    def __init__(self, as_of: datetime.date | None = None):
        self._country = url_maker("orgs:country")
        self._organization = url_maker("orgs:organization")
        self.source = url_maker("orgs:source")
        self.person = url_maker("orgs:person")
        self.query = f"?as_of={as_of:%Y-%m-%d}" if as_of else ""

    def country(self, country, *, dated: bool = False) -> str:
        url = self._country(country.iso2.lower())
        return url + self.query if dated else url

    def organization(self, organization, *, dated: bool = False) -> str:
        url = self._organization(organization.slug)
        return url + self.query if dated else url

    def member(self, spell, *, dated: bool = False) -> str:
        if spell.member_country_id:
            return self.country(spell.member_country, dated=dated)
        return self.organization(spell.member_organization, dated=dated)
