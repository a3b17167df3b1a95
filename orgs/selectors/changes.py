"""What changed: members joined, changed status or left, applications were filed or decided,
agreements reached a stage. The home page, the changes page and the Atom feed read this."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import F, Prefetch, Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ..dates import PartialDate, truncate
from ..models import (
    AgreementParty,
    AgreementStage,
    Application,
    Country,
    Membership,
    Organization,
    Rank,
)
from .agreements import agreement_stage_list
from .memberships import _visible_memberships, application_list, membership_list

# The spells of one member in one organization: (organization_id, member_country_id,
# member_organization_id).
PairKey = tuple[int, int | None, int | None]


@dataclass
class Change:
    """One dated event: a member joined, changed status or left; an application was filed or decided."""

    on: PartialDate
    kind: str
    organization: Organization | None
    member: Country | Organization | None
    status: str
    previous_status: str = ""
    record: Membership | Application | AgreementStage | None = None

    @property
    def key(self) -> str:
        assert self.record is not None
        return f"{self.record._meta.model_name}-{self.record.pk}-{self.kind.replace(' ', '-')}"

    @property
    def sentence(self) -> str:
        """The change in words: "Belarus became a member of the SCO (was observer)"."""
        organization = self.organization.localized_short_name if self.organization else ""
        member: str
        if isinstance(self.member, Organization):
            member = self.member.localized_short_name
        else:
            member = self.member.localized_name if self.member is not None else ""
        words = {
            "member": member,
            "organization": organization,
            "status": self.status,
            "previous": self.previous_status,
        }
        if self.kind == "joined":
            return _("%(member)s joined the %(organization)s as %(status)s") % words
        if self.kind == "reclassified":
            return (
                _(
                    "%(member)s: %(previous)s became %(status)s when the %(organization)s "
                    "reclassified its statuses"
                )
                % words
            )
        if self.kind == "changed status":
            return (
                _("%(member)s became %(status)s of the %(organization)s (was %(previous)s)") % words
            )
        if self.kind == "left":
            return _("%(member)s left the %(organization)s (was %(status)s)") % words
        if self.kind == "applied":
            return _("%(member)s applied for %(status)s status in the %(organization)s") % words
        if self.kind == "invited":
            return _("%(member)s was invited to become %(status)s of the %(organization)s") % words
        if self.kind == "named as a prospect":
            return (
                _("%(member)s was named as a possible %(status)s of the %(organization)s") % words
            )
        if isinstance(self.record, Application):
            # A decision: "application granted", "invitation declined by the invitee".
            words["outcome"] = self.record.get_outcome_display()
            if self.kind.startswith("invitation "):
                return (
                    _("%(member)s: invitation %(outcome)s (%(status)s of the %(organization)s)")
                    % words
                )
            return (
                _("%(member)s: application %(outcome)s (%(status)s of the %(organization)s)")
                % words
            )
        return _("%(member)s: %(kind)s (%(status)s of the %(organization)s)") % {
            **words,
            "kind": self.kind,
        }


class AgreementChange(Change):
    """An agreement reached a stage: "EAEU–Mongolia interim trade agreement: signed"."""

    record: AgreementStage

    @property
    def key(self) -> str:
        return f"agreementstage-{self.record.pk}"

    @property
    def sentence(self) -> str:
        return _("%(agreement)s: %(stage)s") % {
            "agreement": self.record.agreement.localized_title,
            "stage": self.status,
        }


# --- turning records into changes ------------------------------------------------------------


def _same_moment(first: PartialDate, second: PartialDate) -> bool:
    precision = first.coarser_than_or_equal(second)
    return truncate(first.earliest, precision) == truncate(second.earliest, precision)


def _neighbours(
    spells: list[Membership], visible: QuerySet[Membership]
) -> dict[PairKey, list[Membership]]:
    """The visible spells of the same members in the same organizations as ``spells``: one query."""
    if not spells:
        return {}
    countries = {spell.member_country_id for spell in spells if spell.member_country_id}
    members = {spell.member_organization_id for spell in spells if spell.member_organization_id}
    around = (
        visible.exclude(rank=Rank.DEPRECATED)
        .filter(organization_id__in={spell.organization_id for spell in spells})
        .filter(Q(member_country_id__in=countries) | Q(member_organization_id__in=members))
        .only(
            "pk",
            "organization_id",
            "member_country_id",
            "member_organization_id",
            "status",
            "start",
            "start_precision",
            "end",
            "end_precision",
        )
    )
    neighbours: dict[PairKey, list[Membership]] = {}
    for spell in around:
        neighbours.setdefault(_pair(spell), []).append(spell)
    return neighbours


def _pair(spell: Membership) -> PairKey:
    return (spell.organization_id, spell.member_country_id, spell.member_organization_id)


def _spell_changes(
    started: list[Membership], ended: list[Membership], visible: QuerySet[Membership]
) -> list[Change]:
    """A started spell is a new member or, when another ended at the same moment, a change of
    status; an ended spell not followed by another is an exit."""
    neighbours = _neighbours(started + ended, visible)
    changes = []
    for spell in started:
        before = [
            other
            for other in neighbours.get(_pair(spell), [])
            if other.pk != spell.pk
            and other.end is not None
            and _same_moment(other.end_partial, spell.start_partial)
        ]
        # A spell that continues another under a renamed or merged status is a reclassification
        # by the organization, not a move of the member.
        kind = "changed status" if before else "joined"
        if spell.continues_id and before:
            kind = "reclassified"
        changes.append(
            Change(
                spell.start_partial,
                kind,
                spell.organization,
                spell.member,
                spell.get_status_display(),
                before[0].get_status_display() if before else "",
                spell,
            )
        )
    for spell in ended:
        followed = any(
            other.pk != spell.pk and _same_moment(other.start_partial, spell.end_partial)
            for other in neighbours.get(_pair(spell), [])
        )
        if not followed:
            changes.append(
                Change(
                    spell.end_partial,
                    "left",
                    spell.organization,
                    spell.member,
                    spell.get_status_display(),
                    record=spell,
                )
            )
    return changes


def _application_changes(applications: list[Application]) -> list[Change]:
    changes = []
    for application in applications:
        kind = "invited" if application.kind == Application.Kind.INVITATION else "applied"
        if application.kind == Application.Kind.PROSPECT:
            kind = "named as a prospect"
        if application.filed_on is not None:
            changes.append(
                Change(
                    application.filed_on_partial,
                    kind,
                    application.organization,
                    application.applicant,
                    application.get_requested_status_display(),
                    record=application,
                )
            )
        if application.decided_on is not None:
            # The kind is part of the change's key (the feed's ids): the same in every language.
            with translation.override(None):
                outcome = application.get_outcome_display()
            changes.append(
                Change(
                    application.decided_on_partial,
                    f"application {outcome}" if kind == "applied" else f"invitation {outcome}",
                    application.organization,
                    application.applicant,
                    application.get_requested_status_display(),
                    record=application,
                )
            )
    return changes


def _stages(preview: bool) -> QuerySet[AgreementStage]:
    """Stages the reader may see, with the parties of their agreement loaded."""
    parties = AgreementParty.objects.select_related("country", "organization").order_by(
        F("organization").asc(nulls_last=True), "pk"
    )
    return agreement_stage_list(preview=preview).prefetch_related(
        Prefetch("agreement__parties", queryset=parties)
    )


def _stage_changes(stages: QuerySet[AgreementStage]) -> list[Change]:
    """One change per stage, placed under the first organization among the agreement's parties."""
    changes: list[Change] = []
    for stage in stages:
        parties = [party.party for party in stage.agreement.parties.all()]
        organization = next((p for p in parties if isinstance(p, Organization)), None)
        member = next((p for p in parties if p is not organization), organization)
        changes.append(
            AgreementChange(
                stage.date_partial,
                "agreement stage",
                organization,
                member,
                stage.get_stage_display(),
                record=stage,
            )
        )
    return changes


# --- the changes feed ------------------------------------------------------------------------


def changes_between(
    since: datetime.date, until: datetime.date | None = None, *, preview: bool = False
) -> list[Change]:
    """Who joined, changed status or left, what was applied for and which stages agreements
    reached, from ``since`` to ``until`` (both inclusive, today when None), oldest first.
    Events are placed at their earliest day."""
    until = until or timezone.localdate()
    period = (since, until)
    spells = membership_list(preview=preview).exclude(rank=Rank.DEPRECATED)
    started = list(spells.filter(start__range=period))
    ended = list(spells.filter(end__range=period))
    applications = list(
        application_list(preview=preview).filter(
            Q(filed_on__range=period) | Q(decided_on__range=period)
        )
    )
    changes = [
        change
        for change in _spell_changes(started, ended, _visible_memberships(preview))
        + _application_changes(applications)
        if since <= change.on.earliest <= until
    ]
    changes += _stage_changes(_stages(preview).filter(date__range=period))

    def order(change: Change) -> tuple[PartialDate, str, str]:
        organization = change.organization.name if change.organization else ""
        return (change.on, organization, change.kind)

    return sorted(changes, key=order)


def changes_recent(
    limit: int = 12, *, on: datetime.date | None = None, preview: bool = False
) -> list[Change]:
    """The ``limit`` latest changes up to ``on`` (today when None), agreement stages among
    them, latest first."""
    on = on or timezone.localdate()
    spells = membership_list(preview=preview).exclude(rank=Rank.DEPRECATED)
    started = list(spells.filter(start__lte=on).order_by("-start", "-pk")[:limit])
    ended = list(spells.filter(end__lte=on).order_by("-end", "-pk")[:limit])
    applications = list(
        application_list(preview=preview)
        .filter(filed_on__lte=on)
        .order_by(F("decided_on").desc(nulls_last=True), "-filed_on", "-pk")[:limit]
    )
    changes = [
        change
        for change in _spell_changes(started, ended, _visible_memberships(preview))
        + _application_changes(applications)
        if change.on.earliest <= on
    ]
    stages = _stages(preview).filter(date__lte=on).order_by("-date", "-pk")[:limit]
    changes += _stage_changes(stages)

    def order(change: Change) -> tuple[datetime.date, int]:
        assert change.record is not None
        return (change.on.earliest, change.record.pk)

    changes.sort(key=order, reverse=True)
    return changes[:limit]
