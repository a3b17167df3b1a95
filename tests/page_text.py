"""Helpers for reading public pages in tests."""

from __future__ import annotations

import html as html_lib
import re


def text_of(html: str) -> str:
    """What a reader sees: tags removed, entities decoded, whitespace collapsed."""
    html = re.sub(r"<(script|style|svg)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r"</?(p|li|ul|ol|tr|td|th|dt|dd|h[1-6]|br|div|section|table)\b[^>]*>", " ", html)
    html = re.sub(r"<sup\b.*?</sup>", " ", html, flags=re.S)  # footnote markers
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", "", html)).split())


def section(html: str, heading_id: str) -> str:
    """The markup of the <section> labelled by ``heading_id`` ("" when there is none)."""
    match = re.search(rf'<section[^>]*aria-labelledby="{heading_id}".*?</section>', html, re.S)
    return match.group(0) if match else ""
