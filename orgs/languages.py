"""The atlas's languages: English, the language of record, and Russian.

Records keep their English name in ``name`` (``title`` for agreements) and the Russian one in a
language-tagged field beside it (``name_ru``, ``acronym_ru``, ``title_ru``); countries take
their Russian names from pycountry's own translations of ISO 3166-1 (gettext domain
``iso3166-1``). ``localized`` picks the name in the active language and falls back to English,
saying so: a :class:`LocalizedName` knows its language and whether it stands in for a missing
translation, so pages can mark it (``<span lang="en">``) and the API can say which it gave.
"""

from __future__ import annotations

import functools
import gettext
from collections.abc import Iterable, Mapping

import pycountry
from django.conf import settings
from django.utils import translation

ENGLISH = "en"
RUSSIAN = "ru"

# Every language records carry names in, the language of record first.
NAME_LANGUAGES = (ENGLISH, RUSSIAN)

# The languages whose country names pycountry translates for the atlas, besides English.
COUNTRY_NAME_LANGUAGES = (RUSSIAN,)

# Languages that write month names in small letters inside a sentence ("июль 2024"): Django's
# catalogue capitalizes the nominative months, which it also uses as calendar headings.
MONTHS_IN_SMALL_LETTERS = frozenset({RUSSIAN})


def language_of(code: str | None) -> str:
    """One of ``NAME_LANGUAGES`` for a language code: ``ru``, ``ru-RU`` and ``ru_RU`` are
    Russian; ``en-gb`` and anything the atlas has no names in are English."""
    base = (code or "").strip().lower().replace("_", "-").split("-")[0]
    return base if base in NAME_LANGUAGES else ENGLISH


def active_language() -> str:
    """The language the current request (or ``translation.override``) reads, as a name
    language."""
    return language_of(translation.get_language() or settings.LANGUAGE_CODE)


class LocalizedName(str):
    """A name in the language asked for, or the English name standing in for it.

    ``lang`` is the language the text is in; ``is_fallback`` is true when the text is English
    because the record has no name in the language asked for.
    """

    lang: str
    is_fallback: bool

    def __new__(cls, text: str, lang: str = ENGLISH, is_fallback: bool = False) -> LocalizedName:
        name = super().__new__(cls, text)
        name.lang = lang
        name.is_fallback = is_fallback
        return name

    def __reduce__(self):
        return (LocalizedName, (str(self), self.lang, self.is_fallback))


def localized(names: Mapping[str, str], language: str | None = None) -> LocalizedName:
    """The name in ``language`` (the active one by default) from ``names`` (language → text),
    or the English name marked as a fallback when that one is empty."""
    language = language_of(language) if language else active_language()
    text = names.get(language) or ""
    if text.strip():
        return LocalizedName(text, language)
    english = names.get(ENGLISH) or ""
    return LocalizedName(english, ENGLISH, is_fallback=language != ENGLISH)


# --- countries: pycountry's translations ------------------------------------------------------


@functools.cache
def _iso_translations(language: str) -> gettext.NullTranslations:
    """pycountry's catalogue of ISO 3166-1 names for ``language``, read once per process."""
    return gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True
    )


def iso_country_name(english: str, language: str) -> str:
    """ISO's name ``english`` translated into ``language``, or "" when pycountry has none."""
    if not english or language == ENGLISH:
        return ""
    translated = _iso_translations(language).gettext(english)
    return translated if translated != english else ""


@functools.cache
def country_name_in(iso2: str, name: str, language: str) -> str:
    """A country's name in ``language`` from pycountry's translations, or "" when there is none.

    The atlas's own English name is tried first (Belarus → Беларусь), then ISO's short
    ("common") and formal names (Russia is ISO's "Russian Federation" → Российская Федерация).
    Territories ISO does not list have no translation.
    """
    if language == ENGLISH:
        return name
    country = pycountry.countries.get(alpha_2=iso2) if iso2 else None
    candidates = [name]
    if country is not None:
        candidates += [getattr(country, "common_name", ""), country.name]
    for english in candidates:
        translated = iso_country_name(english, language)
        if translated:
            return translated
    return ""


def country_names(iso2: str, name: str) -> dict[str, str]:
    """A country's name in every name language: English as the atlas stores it, the others from
    pycountry ("" where it has none)."""
    return {language: country_name_in(iso2, name, language) for language in NAME_LANGUAGES}


def iso_names_translated(names: Iterable[str]) -> list[str]:
    """ISO's English names of a country in every other language pycountry translates them to:
    what search finds a country by besides its English names ("Росс" finds Russia)."""
    return [
        translated
        for language in COUNTRY_NAME_LANGUAGES
        for name in names
        if (translated := iso_country_name(name, language))
    ]
