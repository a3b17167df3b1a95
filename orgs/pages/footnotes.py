"""Footnotes: the citations of the facts a page shows, numbered in the order it shows them."""

from __future__ import annotations

from dataclasses import dataclass

from orgs.models import Citation


@dataclass
class Footnote:
    number: int
    citation: Citation


class Footnotes:
    """Numbers citations in the order a page shows the facts they support.

    The same source with the same excerpt gets one number however many facts it supports.
    Records must come with their citations prefetched (the selectors do this).
    """

    def __init__(self):
        self.notes: list[Footnote] = []
        self._numbers: dict[tuple, int] = {}

    def mark(self, record, claim_field: str | None = None) -> list[int]:
        """Footnote numbers for ``record`` (or one fact of it); an empty list means unsourced.

        For one fact, citations of that fact are used, else those of the whole record.
        """
        citations = list(record.citations.all())
        if claim_field is not None:
            specific = [c for c in citations if c.claim_field == claim_field]
            citations = specific or [c for c in citations if not c.claim_field]
        numbers = []
        for citation in citations:
            key = (citation.source_id, citation.excerpt.strip(), citation.locator)
            if key not in self._numbers:
                self._numbers[key] = len(self.notes) + 1
                self.notes.append(Footnote(self._numbers[key], citation))
            if self._numbers[key] not in numbers:
                numbers.append(self._numbers[key])
        return numbers

    def mark_all(self, records, claim_field: str | None = None):
        """Give each record (``None`` entries are skipped) its ``marks``; returns ``records``."""
        for record in records:
            if record is not None:
                record.marks = self.mark(record, claim_field)
        return records
