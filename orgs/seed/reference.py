"""Reading the reference: the facts file, the seed article and the facts' dates and ids."""

from __future__ import annotations

import difflib
import json
import re
from pathlib import Path

# The id the facts give the seed article among their sources.
ARTICLE_ID = "ART"


class SeedError(Exception):
    """The reference facts cannot be turned into a fixture; the message says why."""


def read_facts(path: Path) -> dict:
    if not path.is_file():
        raise SeedError(f"No facts file at {path}.")
    return json.loads(path.read_text(encoding="utf-8"))


def find_article(facts_path: Path, facts: dict) -> Path | None:
    """The article file the facts name, looked up beside the facts file and one folder up."""
    relative = facts.get("meta", {}).get("article", {}).get("file")
    if not relative:
        return None
    for base in (facts_path.parent, facts_path.parent.parent):
        candidate = base / relative
        if candidate.is_file():
            return candidate
    return None


class Article:
    """The seed article's text, to check that excerpts attributed to it are its own words."""

    def __init__(self, text: str):
        self.text = text
        self.sentences = [
            s.strip()
            for line in text.splitlines()
            for s in re.split(r"(?<=[.!?])\s+", line)
            if s.strip()
        ]
        self.replaced: list[tuple[str, str]] = []

    def exact(self, excerpt: str) -> str:
        """``excerpt`` if the article contains it verbatim, else the closest article sentence."""
        if excerpt in self.text:
            return excerpt
        best = max(self.sentences, key=lambda s: difflib.SequenceMatcher(None, excerpt, s).ratio())
        self.replaced.append((excerpt, best))
        return best

    def require(self, excerpt: str, what: str) -> str:
        if excerpt not in self.text:
            raise SeedError(f"{what}: {excerpt!r} is not in the seed article.")
        return excerpt


def partial(value: str | None, precision: str | None = None) -> tuple[str | None, str]:
    """(earliest day, precision) for a facts date; precision ``as_of`` becomes ``by``."""
    if not value:
        return None, "day"
    value = value.strip()
    shape = {4: "year", 7: "month", 10: "day"}.get(len(value))
    if shape is None or not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value):
        raise SeedError(f"Cannot read the date {value!r}.")
    precision = precision or shape
    if precision == "as_of":
        precision = "by"
    if precision == "unknown":
        return None, "day"
    if precision in ("day", "by") and shape != "day":
        raise SeedError(f"The date {value!r} is not a full date but its precision is {precision}.")
    if precision == "month" and shape == "year":
        raise SeedError(f"The date {value!r} has no month but its precision is month.")
    earliest = {"year": f"{value}-01-01", "month": f"{value}-01", "day": value}[shape]
    return earliest, precision


# An update's ids (``t2-m001``) are numbered after the base's (``m001``…``m082``, and the
# competing spells from 101): ``t2-m001`` is 201.
UPDATE_ID_PREFIX = "t2-"
UPDATE_PK_OFFSET = 200


def id_number(record_id: str) -> int:
    """The number in a facts id (``m007`` → 7, ``t2-m007`` → 207): the record's primary key."""
    match = re.fullmatch(r"(t2-)?[a-z]+0*(\d+)", record_id)
    if not match:
        raise SeedError(f"Cannot derive a primary key from the id {record_id!r}.")
    return int(match[2]) + (UPDATE_PK_OFFSET if match[1] else 0)
