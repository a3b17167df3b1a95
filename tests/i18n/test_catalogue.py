"""The Russian catalogue of the templates and eurasia/ is complete, compiled and up to date:
every entry of locale/ru/LC_MESSAGES/django.po reads in Russian through Django."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation.template import templatize

CATALOGUE = settings.BASE_DIR / "locale" / "ru" / "LC_MESSAGES" / "django.po"
FIELD = re.compile(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d\])?) (".*")$')


# The keywords makemessages gives xgettext for Python (templates are turned into Python first).
XGETTEXT_KEYWORDS = [
    "--keyword=gettext_noop",
    "--keyword=gettext_lazy",
    "--keyword=ngettext_lazy:1,2",
    "--keyword=pgettext:1c,2",
    "--keyword=npgettext:1c,2,3",
    "--keyword=pgettext_lazy:1c,2",
    "--keyword=npgettext_lazy:1c,2,3",
]


def entries(text: str | None = None):
    """(context, msgid, plural, translations) for every entry but the header."""
    if text is None:
        text = CATALOGUE.read_text(encoding="utf-8")
    for block in re.split(r"\n\s*\n", text.strip()):
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


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext missing")
def test_the_catalogue_holds_every_string_the_templates_and_eurasia_mark(tmp_path):
    """What `make catalogue` would add is already there: a newly marked string is translated
    in the same change, or Russian pages would show it in English."""
    sources = []
    for number, path in enumerate(sorted((settings.BASE_DIR / "templates").rglob("*.html"))):
        python = tmp_path / f"template{number}.py"
        python.write_text(templatize(path.read_text(encoding="utf-8")), encoding="utf-8")
        sources.append(python)
    sources += sorted((settings.BASE_DIR / "eurasia").glob("*.py"))
    result = subprocess.run(
        ["xgettext", "--language=Python", "--from-code=UTF-8", "--output=-"]
        + XGETTEXT_KEYWORDS
        + [str(path) for path in sources],
        capture_output=True,
        text=True,
        check=True,
    )
    marked = {(context, msgid) for context, msgid, _plural, _ in entries(result.stdout)}
    catalogued = {(context, msgid) for context, msgid, _plural, _ in entries()}
    assert len(marked) > 300
    assert sorted(marked - catalogued, key=str) == [], "run make catalogue and translate"


def test_russian_dates_use_the_genitive_month():
    with translation.override("ru"):
        assert translation.gettext("j F Y") == "j E Y"
