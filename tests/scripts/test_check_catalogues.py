"""scripts/check_catalogues.py: CI refuses a catalogue with an untranslated or fuzzy entry."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from scripts import check_catalogues

pytestmark = pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext missing")

HEADER = r"""msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"
"Language: ru\n"
"Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);\n"

"""
TRANSLATED = """msgid "Countries"
msgstr "Страны"

msgid "%(count)s source"
msgid_plural "%(count)s sources"
msgstr[0] "%(count)s источник"
msgstr[1] "%(count)s источника"
msgstr[2] "%(count)s источников"
"""


def catalogue(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "locale" / "ru" / "LC_MESSAGES" / "django.po"
    path.parent.mkdir(parents=True)
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def test_a_complete_catalogue_passes(tmp_path):
    ok, line = check_catalogues.check(catalogue(tmp_path, TRANSLATED))
    assert ok, line
    assert line.endswith("2 translated, 0 fuzzy, 0 untranslated")


def test_an_untranslated_entry_fails(tmp_path):
    path = catalogue(tmp_path, TRANSLATED + '\nmsgid "Sources"\nmsgstr ""\n')
    ok, line = check_catalogues.check(path)
    assert not ok
    assert "1 untranslated" in line


def test_a_fuzzy_entry_fails(tmp_path):
    path = catalogue(tmp_path, TRANSLATED + '\n#, fuzzy\nmsgid "Sources"\nmsgstr "Страны"\n')
    ok, line = check_catalogues.check(path)
    assert not ok
    assert "1 fuzzy" in line


def test_a_translation_that_drops_a_placeholder_fails(tmp_path):
    body = '#, python-format\nmsgid "Since %(day)s"\nmsgstr "С даты"\n'
    ok, line = check_catalogues.check(catalogue(tmp_path, body))
    assert not ok
    assert "msgfmt refused it" in line


def test_the_statistics_line_is_read_whatever_parts_it_has():
    read = check_catalogues.parse_statistics
    assert read("3 translated messages.") == check_catalogues.Statistics(3, 0, 0)
    assert read(
        "1 translated message, 2 fuzzy translations, 1 untranslated message."
    ) == check_catalogues.Statistics(1, 2, 1)


def test_the_projects_catalogues_are_complete():
    """The catalogues in the repository, as CI checks them: every entry translated."""
    found = check_catalogues.find_catalogues(check_catalogues.ROOT)
    assert Path("locale/ru/LC_MESSAGES/django.po") in found
    result = subprocess.run(
        [sys.executable, "scripts/check_catalogues.py"],
        cwd=check_catalogues.ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout
    assert "locale/ru/LC_MESSAGES/django.po:" in result.stdout
