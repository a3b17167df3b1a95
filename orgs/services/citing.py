"""Citing many claims at once: one source, excerpt and locator for every record an editor
selected, the way the admin's "Cite selected" action and a save's citation for all its rows do."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import transaction

from orgs.models import ChangeSet, Citation, Cited, Source
from orgs.models.base import note_change
from orgs.services.review import ChangeCollector

if TYPE_CHECKING:
    from django.contrib.auth.models import User


@dataclass
class CiteResult:
    cited: list[Cited] = field(default_factory=list)
    already: list[Cited] = field(default_factory=list)
    proposed: list[Cited] = field(default_factory=list)
    change_sets: list[ChangeSet] = field(default_factory=list)


@transaction.atomic
def claims_cite(
    *,
    user: User,
    claims: Iterable[Cited],
    source: Source,
    excerpt: str = "",
    locator: str = "",
    reason: str = "",
    collector: ChangeCollector | None = None,
) -> CiteResult:
    """Cite ``source`` for each of ``claims`` (the whole record, not one fact of it).

    A claim that already cites the source is left as it is. Each new citation is checked like
    a form's and has its own history entry. A citation of a published claim by an Editor is
    proposed for review: all of them in one change set, that of ``collector`` when given.
    """
    collector = collector or ChangeCollector(
        user=user, origin=ChangeSet.Origin.BULK, reason=reason or f"cited {source}"[:100]
    )
    result = CiteResult()
    for claim in claims:
        citations = claim.citations.all()
        if any(c.source_id == source.pk and not c.claim_field for c in citations):
            result.already.append(claim)
            continue
        citation = Citation(
            claim=claim,
            source=source,
            excerpt=excerpt,
            locator=locator,
            position=len(citations),
        )
        citation.full_clean()
        if collector.save(citation):
            result.proposed.append(claim)
            continue
        note_change(citation, user=user, reason=reason)
        citation.save()
        result.cited.append(claim)
    result.change_sets = collector.change_sets
    return result
