"""The Russian catalogue of the templates and eurasia/ is complete, compiled and up to date:
every entry of locale/ru/LC_MESSAGES/django.po reads in Russian through Django."""

from __future__ import annotations

import ast
import re

from django.conf import settings
from django.utils import translation

CATALOGUE = settings.BASE_DIR / "locale" / "ru" / "LC_MESSAGES" / "django.po"
FIELD = re.compile(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d\])?) (".*")$')


def entries():
    """(context, msgid, plural, translations) for every entry but the header."""
    for block in re.split(r"\n\s*\n", CATALOGUE.read_text(encoding="utf-8").strip()):
        fields: dict[str, str] = {}
        key = None
        for line in block.splitlines():
            match = FIELD.match(line)
            if match:
                key = match.group(1)
                fields[key] = ast.literal_eval(match.group(2))
            elif line.startswith('"') and key:
                fields[key] += ast.literal_eval(line)
        if fields.get("msgid"):
            translations = [value for name, value in fields.items() if name.startswith("msgstr")]
            yield fields.get("msgctxt"), fields["msgid"], fields.get("msgid_plural"), translations


def test_the_catalogue_has_every_entry_translated_and_none_fuzzy():
    found = list(entries())
    assert len(found) > 300
    assert "#, fuzzy" not in CATALOGUE.read_text(encoding="utf-8")
    for _context, msgid, plural, translations in found:
        assert all(translations), msgid
        assert len(translations) == (3 if plural else 1), msgid


def test_every_entry_reads_in_russian_through_django():
    """The compiled catalogue is the one in the repository (make messages compiles it)."""
    stale = []
    with translation.override("ru"):
        for context, msgid, plural, translations in entries():
            if plural:
                got = (
                    translation.npgettext(context, msgid, plural, 5)
                    if context
                    else (translation.ngettext(msgid, plural, 5))
                )
                expected = translations[2]
            else:
                got = (
                    translation.pgettext(context, msgid) if context else translation.gettext(msgid)
                )
                expected = translations[0]
            if got != expected:
                stale.append(msgid)
    assert stale == [], "compile the catalogue: make messages"


def test_russian_dates_use_the_genitive_month():
    with translation.override("ru"):
        assert translation.gettext("j F Y") == "j E Y"
