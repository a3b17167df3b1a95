"""Reclassification: an organization renames or merges its categories of status.

"From day D, the SCO's observers and dialogue partners are SCO partners" is not sixteen
countries leaving and joining. ``statuses_reclassify`` ends every open spell of the old statuses
on D and opens, for each, a spell of the new status from D that ``continues`` it, all cited to
one source, in one transaction. A Reviewer's reclassification is applied at once; an Editor's
touches published spells, so it becomes one pending change set, applied whole when approved.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from orgs.dates import Precision
from orgs.models import ChangeSet, Citation, Membership, Organization, Rank, Source, Status
from orgs.models.base import note_change
from orgs.services import review
from orgs.services.publishing import records_publish

if TYPE_CHECKING:
    from django.contrib.auth.models import User


@dataclass
class Reclassification:
    """What a reclassification did: the spells it ended and opened, or the set proposing it."""

    ended: list[Membership] = field(default_factory=list)
    opened: list[Membership] = field(default_factory=list)
    change_set: ChangeSet | None = None

    @property
    def proposed(self) -> bool:
        return self.change_set is not None


@transaction.atomic
def statuses_reclassify(
    *,
    user: User,
    organization: Organization,
    statuses: list[str],
    new_status: str,
    on: datetime.date,
    source: Source,
    excerpt: str = "",
    reason: str = "",
    origin: str = ChangeSet.Origin.ADMIN,
) -> Reclassification:
    """From ``on``, the open spells of ``statuses`` in ``organization`` continue as
    ``new_status``. Raises ValidationError when there is nothing to reclassify or the source
    could not support a published spell."""
    if new_status not in Status.values or not set(statuses) <= set(Status.values):
        raise ValidationError(_("Give statuses the atlas knows."))
    if new_status in statuses:
        raise ValidationError(_("The new status must differ from the statuses it replaces."))
    spells = list(
        Membership.objects.select_for_update(of=("self",))
        .filter(organization=organization, status__in=statuses, end__isnull=True, start__lt=on)
        .exclude(rank=Rank.DEPRECATED)
        .select_related("member_country", "member_organization")
        .order_by("pk")
    )
    if not spells:
        raise ValidationError(
            _("No spell of %(statuses)s in %(organization)s is open on %(on)s.")
            % {"statuses": ", ".join(statuses), "organization": organization.short_name, "on": on}
        )
    if any(spell.is_published for spell in spells) and not source.is_published:
        raise ValidationError(
            _("Publish the source first: “%(source)s” is a draft.") % {"source": source}
        )
    reason = reason or (
        f"{organization.short_name}: from {on:%-d %B %Y}, "
        f"{' and '.join(str(Status(status).label) for status in statuses)} become "
        f"{Status(new_status).label}"
    )
    collector = review.ChangeCollector(user=user, origin=origin, reason=reason)
    if any(collector.needs_review(spell) for spell in spells):
        return _propose(collector, spells, new_status, on, source, excerpt)
    return _apply_now(user, spells, new_status, on, source, excerpt, reason)


def _successor(spell: Membership, new_status: str, on: datetime.date) -> Membership:
    return Membership(
        organization_id=spell.organization_id,
        member_country_id=spell.member_country_id,
        member_organization_id=spell.member_organization_id,
        status=new_status,
        qualifier=spell.qualifier,
        start=on,
        start_precision=Precision.DAY,
        continues=spell,
        confidence=spell.confidence,
    )


def _citation(claim: Membership, source: Source, excerpt: str, claim_field: str = "") -> Citation:
    return Citation(
        content_type=ContentType.objects.get_for_model(Membership),
        object_id=claim.pk,
        claim_field=claim_field,
        source=source,
        excerpt=excerpt,
    )


def _apply_now(
    user: User,
    spells: list[Membership],
    new_status: str,
    on: datetime.date,
    source: Source,
    excerpt: str,
    reason: str,
) -> Reclassification:
    result = Reclassification()
    for spell in spells:
        spell.end, spell.end_precision = on, Precision.DAY
        spell.version += 1
        spell.full_clean()
        note_change(spell, user=user, reason=reason)
        spell.save()
        _citation(spell, source, excerpt, "end").save()
        result.ended.append(spell)
    for spell in spells:
        following = _successor(spell, new_status, on)
        following.full_clean()
        note_change(following, user=user, reason=reason)
        following.save()
        _citation(following, source, excerpt).save()
        result.opened.append(following)
    published = [new for old, new in zip(spells, result.opened, strict=True) if old.is_published]
    if published:
        refused = records_publish(user=user, records=published, reason=reason).refused
        if refused:
            raise ValidationError(
                _("%(record)s was not published: %(reason)s.")
                % {"record": refused[0].record, "reason": refused[0].reason}
            )
    return result


def _propose(
    collector: review.ChangeCollector,
    spells: list[Membership],
    new_status: str,
    on: datetime.date,
    source: Source,
    excerpt: str,
) -> Reclassification:
    """One change set: every end first, then each new spell and its citation, which the set
    creates together when it is approved (a published spell is published with its citation)."""
    for spell in spells:
        spell.end, spell.end_precision = on, Precision.DAY
        if not collector.save(spell):  # a draft: the public does not see it, no review
            spell.full_clean()
            spell.save()
        citation = _citation(spell, source, excerpt, "end")
        if not collector.save(citation):
            citation.save()
    for spell in spells:
        following = _successor(spell, new_status, on)
        opened = collector.propose_create(following, is_published=spell.is_published)
        cited = collector.propose_create(
            Citation(
                content_type=ContentType.objects.get_for_model(Membership),
                source=source,
                excerpt=excerpt,
            ),
            object_id=review.created(opened),
        )
        cited.label = f"citation of the new spell “{following}” to {source}"[:300]
        cited.save(update_fields=["label"])
    return Reclassification(change_set=collector.change_set)
