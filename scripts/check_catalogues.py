"""Check that every translation catalogue is complete: ``python scripts/check_catalogues.py``.

Each ``locale/<language>/LC_MESSAGES/*.po`` of the project (``locale/`` for the templates and
``eurasia/``, ``orgs/locale/`` for the app) is run through GNU gettext's
``msgfmt --check --statistics``. A catalogue passes when msgfmt accepts it (formats match their
msgids, plural forms are declared) and reports no untranslated and no fuzzy entry. Prints one
line per catalogue; exits 1 naming what is wrong, 2 when msgfmt is not installed.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Where the project keeps its catalogues; virtual environments and installed packages are not
# the project's.
CATALOGUE_GLOBS = ("locale/*/LC_MESSAGES/*.po", "*/locale/*/LC_MESSAGES/*.po")
COUNT = re.compile(r"(\d+) (translated|fuzzy|untranslated) (?:message|translation)s?")


@dataclass(frozen=True)
class Statistics:
    translated: int = 0
    fuzzy: int = 0
    untranslated: int = 0


def find_catalogues(root: Path) -> list[Path]:
    found: set[Path] = set()
    for pattern in CATALOGUE_GLOBS:
        found.update(
            path.relative_to(root)
            for path in root.glob(pattern)
            if not path.relative_to(root).parts[0].startswith(".")
        )
    return sorted(found)


def parse_statistics(output: str) -> Statistics:
    """msgfmt's ``--statistics`` line: ``12 translated messages, 1 fuzzy translation, 2
    untranslated messages.`` (any part may be missing)."""
    counts = {kind: int(number) for number, kind in COUNT.findall(output)}
    return Statistics(**counts)


def check(path: Path, msgfmt: str = "msgfmt") -> tuple[bool, str]:
    """Whether the catalogue at ``path`` is complete, and a line saying so."""
    result = subprocess.run(
        [msgfmt, "--check", "--statistics", "--output-file", os.devnull, str(path)],
        capture_output=True,
        text=True,
        env={**os.environ, "LC_ALL": "C", "LANGUAGE": ""},
        check=False,
    )
    output = (result.stderr + result.stdout).strip()
    if result.returncode != 0:
        return False, f"{path}: msgfmt refused it:\n{output}"
    statistics = parse_statistics(output)
    if statistics.fuzzy or statistics.untranslated or not statistics.translated:
        return False, (
            f"{path}: {statistics.translated} translated, {statistics.fuzzy} fuzzy, "
            f"{statistics.untranslated} untranslated: translate every entry and clear every "
            "fuzzy flag"
        )
    return True, f"{path}: {statistics.translated} translated, 0 fuzzy, 0 untranslated"


def main(argv: list[str] | None = None) -> int:
    os.chdir(ROOT)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("catalogues", nargs="*", type=Path, help="default: every catalogue")
    args = parser.parse_args(argv)
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        print("msgfmt is not installed: install GNU gettext (apt-get install gettext).")
        return 2
    catalogues = args.catalogues or find_catalogues(ROOT)
    if not catalogues:
        print(f"No catalogue found under {ROOT}.")
        return 1
    failed = 0
    for path in catalogues:
        ok, line = check(path, msgfmt)
        print(line)
        failed += not ok
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
