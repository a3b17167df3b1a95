"""Membership spells and applications, and the one rule for "as of"."""

from __future__ import annotations

import datetime
from typing import Self

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from simple_history.models import HistoricalRecords

from ..dates import PARTIAL_DATE_HELP, Precision, is_before, since, window_floor
from .base import (
    Assessed,
    Cited,
    Curated,
    PartialDateAccessor,
    PublishableQuerySet,
    Rank,
    Status,
    partial_date,
)


def spell_as_of_q(on: datetime.date, *, prefix: str = "") -> Q:
    """Spells that may hold on ``on``: the one rule for "as of", shared by every query.

    A spell holds from its start (inclusive) to its end (exclusive), reading each partial date
    over its whole window: a spell that started "2010" may hold on 2010-03-01, and one that ended
    "2015-07" may still hold on 2015-07-05. ``spell_certain_q`` tells which of them certainly do.
    A spell whose start and end are the same day (a one-day participation) holds on that day.
    Deprecated spells never answer "as of" questions.
    """
    p = prefix
    started = Q(**{f"{p}start__lte": on})
    not_ended = (
        Q(**{f"{p}end__isnull": True})
        | Q(**{f"{p}end_precision__in": [Precision.DAY, Precision.BY], f"{p}end__gt": on})
        | Q(
            **{
                f"{p}end_precision": Precision.MONTH,
                f"{p}end__gte": window_floor(on, Precision.MONTH),
            }
        )
        | Q(
            **{
                f"{p}end_precision": Precision.YEAR,
                f"{p}end__gte": window_floor(on, Precision.YEAR),
            }
        )
        | Q(**{f"{p}end": on, f"{p}start": on})
    )
    return started & not_ended & ~Q(**{f"{p}rank": Rank.DEPRECATED})


def spell_certain_q(on: datetime.date, *, prefix: str = "") -> Q:
    """Of the spells ``spell_as_of_q`` finds, those certainly in force on ``on``."""
    p = prefix
    certainly_started = (
        Q(**{f"{p}start_precision__in": [Precision.DAY, Precision.BY], f"{p}start__lte": on})
        | Q(
            **{
                f"{p}start_precision": Precision.MONTH,
                f"{p}start__lt": window_floor(on, Precision.MONTH),
            }
        )
        | Q(
            **{
                f"{p}start_precision": Precision.YEAR,
                f"{p}start__lt": window_floor(on, Precision.YEAR),
            }
        )
    )
    certainly_not_ended = (
        Q(**{f"{p}end__isnull": True})
        | Q(**{f"{p}end__gt": on})
        | Q(
            **{
                f"{p}end_precision__in": [Precision.DAY, Precision.BY],
                f"{p}end": on,
                f"{p}start": on,
            }
        )
    )
    return certainly_started & certainly_not_ended


def spell_bounds(
    start: datetime.date, end: datetime.date | None
) -> tuple[datetime.date, datetime.date | None]:
    """The half-open range [start, stop) a spell covers; a spell ending the day it starts covers that day."""
    if end is not None and end == start:
        return start, end + datetime.timedelta(days=1)
    return start, end


def spells_overlap(
    a_start: datetime.date,
    a_end: datetime.date | None,
    b_start: datetime.date,
    b_end: datetime.date | None,
) -> bool:
    """Whether two spells overlap: the rule ``overlapping_spells`` and the PostgreSQL constraint apply."""
    a_start, a_stop = spell_bounds(a_start, a_end)
    b_start, b_stop = spell_bounds(b_start, b_end)
    return (a_stop is None or b_start < a_stop) and (b_stop is None or a_start < b_stop)


class MembershipQuerySet(PublishableQuerySet):
    def as_of(self, on: datetime.date):
        """Spells that may hold on ``on``, each annotated ``is_certain``."""
        return self.filter(spell_as_of_q(on)).annotate(
            is_certain=Case(When(spell_certain_q(on), then=Value(True)), default=Value(False))
        )

    def current(self):
        return self.as_of(timezone.localdate())

    def of_countries(self):
        return self.filter(member_country__isnull=False)

    def of_organizations(self):
        return self.filter(member_organization__isnull=False)

    def with_related(self) -> Self:
        return self.select_related(
            "organization", "member_country", "member_organization", "continues"
        )


class Membership(Curated, Assessed, Cited):
    """One spell of one status of one member in one organization.

    A change of status is a new spell, never an overwrite: Belarus in the SCO was a dialogue
    partner, then an observer, then a member.
    """

    organization = models.ForeignKey(
        "Organization",
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=gettext_lazy("organization"),
    )
    member_country = models.ForeignKey(
        "Country",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        help_text=gettext_lazy(
            "The member, when it is a country. Give either a country or an organization."
        ),
        verbose_name=gettext_lazy("member country"),
    )
    member_organization = models.ForeignKey(
        "Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships_as_member",
        help_text=gettext_lazy(
            "The member, when it is an organization taking part as such (the CIS in BRICS+)."
        ),
        verbose_name=gettext_lazy("member organization"),
    )
    status = models.CharField(
        gettext_lazy("status"), max_length=20, choices=Status.choices, default=Status.MEMBER
    )
    qualifier = models.CharField(
        gettext_lazy("qualifier"),
        max_length=120,
        blank=True,
        help_text=gettext_lazy(
            "A word the sources add to the status: “de jure”, “Charter not ratified”."
        ),
    )
    start, start_precision = partial_date(
        "start", verbose_name=pgettext_lazy("spell", "start"), required=True
    )
    end, end_precision = partial_date(
        "end",
        verbose_name=pgettext_lazy("spell", "end"),
        help_text=format_lazy(
            "{} {}",
            gettext_lazy(
                "Leave empty while the spell lasts. The end is the first day it no longer held."
            ),
            PARTIAL_DATE_HELP,
        ),
    )
    is_founding = models.BooleanField(gettext_lazy("founding member"), default=False)
    continues = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="continued_by",
        help_text=gettext_lazy(
            "When the organization renamed or merged its statuses (the SCO's observers and "
            "dialogue partners became partners), the spell this one continues: pages show a "
            "reclassification, not an exit and an accession."
        ),
        verbose_name=gettext_lazy("continues"),
    )
    rank = models.CharField(
        gettext_lazy("rank"),
        max_length=10,
        choices=Rank.choices,
        default=Rank.NORMAL,
        help_text=gettext_lazy(
            "Deprecated spells are competing claims kept for the record; "
            "they may overlap the preferred one."
        ),
    )
    rank_reason = models.CharField(
        gettext_lazy("rank reason"),
        max_length=300,
        blank=True,
        help_text=gettext_lazy("Why this spell is deprecated."),
    )
    note = models.TextField(gettext_lazy("note"), blank=True)

    start_partial = PartialDateAccessor("start")
    end_partial = PartialDateAccessor("end")

    citation_required = True
    objects = MembershipQuerySet.as_manager()  # type: ignore[misc]  # narrows Curated.objects
    history = HistoricalRecords()

    class Meta:
        verbose_name = gettext_lazy("membership")
        verbose_name_plural = gettext_lazy("memberships")
        ordering = ["organization__name", "start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(member_country__isnull=False) & Q(member_organization__isnull=True))
                | (Q(member_country__isnull=True) & Q(member_organization__isnull=False)),
                name="membership_exactly_one_member",
                violation_error_message=gettext_lazy(
                    "Give either a member country or a member organization, not both."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(member_organization=F("organization")),
                name="membership_not_self",
                violation_error_message=gettext_lazy(
                    "An organization cannot be a member of itself."
                ),
            ),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")),
                name="membership_end_not_before_start",
                violation_error_message=gettext_lazy(
                    "The end of a spell cannot be before its start."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(rank=Rank.DEPRECATED) | ~Q(rank_reason=""),
                name="membership_deprecated_has_reason",
                violation_error_message=gettext_lazy("Say why a deprecated spell is deprecated."),
            ),
        ]
        # On PostgreSQL the migration also adds ``membership_no_overlapping_spells``, an exclusion
        # constraint over daterange(start, end) so concurrent saves cannot create an overlap.
        indexes = [
            models.Index(fields=["organization", "start"], name="membership_org_start_idx"),
            models.Index(fields=["member_country", "start"], name="membership_country_start_idx"),
            # The latest accessions and exits (the home page, the feed) read these backwards
            # instead of sorting every spell.
            models.Index(fields=["start", "id"], name="membership_start_idx"),
            models.Index(fields=["end", "id"], name="membership_end_idx"),
        ]

    def __str__(self):
        return f"{self.member} — {self.status_phrase} ({self.period})"

    @property
    def status_phrase(self) -> str:
        """The status with the preposition it takes: "member of SCO", "suspended in CSTO"."""
        phrase = (
            _("%(status)s in %(organization)s")
            if self.status in {Status.SUSPENDED, Status.PARTICIPANT}
            else _("%(status)s of %(organization)s")
        )
        return phrase % {
            "status": self.get_status_display(),
            "organization": self.organization.short_name,
        }

    @property
    def member(self):
        return self.member_country or self.member_organization

    @property
    def member_kind(self) -> str:
        return "country" if self.member_country_id else "organization"

    @property
    def period(self) -> str:
        start, end = self.start_partial, self.end_partial
        if start is None:
            return ""
        if end is None:
            return since(start)
        if end == start:
            return start.display
        return f"{start.display} – {end.display}"

    def overlapping_spells(self, *, ignore_pks=()):
        """Other non-deprecated spells of the same member in the same organization that overlap this one.

        ``ignore_pks`` leaves out spells whose new values are being checked elsewhere (an admin
        formset that saves several spells together compares them with ``spells_overlap``).
        """
        if self.start is None or self.organization_id is None:
            return Membership.objects.none()
        if not (self.member_country_id or self.member_organization_id):
            return Membership.objects.none()
        start, stop = spell_bounds(self.start, self.end)
        others = Membership.objects.filter(
            organization_id=self.organization_id,
            member_country_id=self.member_country_id,
            member_organization_id=self.member_organization_id,
        ).exclude(rank=Rank.DEPRECATED)
        if self.pk:
            others = others.exclude(pk=self.pk)
        if ignore_pks:
            others = others.exclude(pk__in=list(ignore_pks))
        # Half-open ranges [start, stop) overlap when each starts before the other stops.
        others = others.filter(
            Q(end__isnull=True) | Q(end__gt=start) | Q(end=F("start"), end__gte=start)
        )
        if stop is not None:
            others = others.filter(start__lt=stop)
        return others.select_related("organization")

    def clean(self):
        super().clean()
        errors = {}
        if bool(self.member_country_id) == bool(self.member_organization_id):
            errors["member_country"] = _(
                "Give either a member country or a member organization (exactly one)."
            )
        if self.member_organization_id and self.member_organization_id == self.organization_id:
            errors["member_organization"] = _("An organization cannot be a member of itself.")
        start, end = self.start_partial, self.end_partial
        if start and end and (is_before(end, start) or end.earliest < start.earliest):
            errors["end"] = (
                _("The end (%(end)s) is before the start (%(start)s).")
                if is_before(end, start)
                else _(
                    "Give the end at least as precisely as the start: "
                    "%(end)s may be before %(start)s."
                )
            ) % {"end": end.display, "start": start.display}
        if self.rank == Rank.DEPRECATED and not self.rank_reason.strip():
            errors["rank_reason"] = _("Say why this spell is deprecated.")
        if errors:
            raise ValidationError(errors)
        if self.rank != Rank.DEPRECATED:
            clash = self.overlapping_spells(
                ignore_pks=getattr(self, "overlap_checked_with", ())
            ).first()
            if clash is not None:
                raise ValidationError(
                    {
                        "start": _(
                            "This spell overlaps another spell of %(member)s in "
                            "%(organization)s: %(status)s %(period)s. End that spell first "
                            "(a change of status is a new spell), or rank one of them deprecated."
                        )
                        % {
                            "member": clash.member,
                            "organization": clash.organization.short_name,
                            "status": clash.get_status_display(),
                            "period": clash.period,
                        }
                    }
                )


# --- applications and invitations ----------------------------------------------------------


class Application(Curated, Assessed, Cited):
    class Kind(models.TextChoices):
        APPLICATION = "application", gettext_lazy("application (the candidate applied)")
        INVITATION = "invitation", gettext_lazy("invitation (the organization invited)")
        PROSPECT = "prospect", gettext_lazy("prospect (named as a possible participant)")

    class Outcome(models.TextChoices):
        PENDING = "pending", pgettext_lazy("application outcome", "pending")
        GRANTED = "granted", pgettext_lazy("application outcome", "granted")
        REJECTED = "rejected", pgettext_lazy("application outcome", "rejected")
        WITHDRAWN = "withdrawn", pgettext_lazy("application outcome", "withdrawn")
        DECLINED = "declined", gettext_lazy("declined by the invitee")
        ACCEPTED = "accepted", gettext_lazy("accepted by the invitee")
        OVERTAKEN = "overtaken", gettext_lazy("overtaken (the status asked for ceased to exist)")
        SUPERSEDED = (
            "superseded",
            gettext_lazy("superseded (the candidate got a higher status instead)"),
        )
        NO_RESPONSE = "no_response", gettext_lazy("no response known")

    organization = models.ForeignKey(
        "Organization",
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=gettext_lazy("organization"),
    )
    applicant_country = models.ForeignKey(
        "Country",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=gettext_lazy("applicant country"),
    )
    applicant_organization = models.ForeignKey(
        "Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications_as_applicant",
        verbose_name=gettext_lazy("applicant organization"),
    )
    kind = models.CharField(
        gettext_lazy("kind"), max_length=12, choices=Kind.choices, default=Kind.APPLICATION
    )
    requested_status = models.CharField(
        gettext_lazy("requested status"),
        max_length=20,
        choices=Status.choices,
        default=Status.MEMBER,
    )
    filed_on, filed_on_precision = partial_date(
        "filed_on",
        verbose_name=gettext_lazy("filed on"),
        help_text=format_lazy(
            "{} {}", gettext_lazy("When the candidate applied or was invited."), PARTIAL_DATE_HELP
        ),
    )
    decided_on, decided_on_precision = partial_date(
        "decided_on", verbose_name=gettext_lazy("decided on")
    )
    outcome = models.CharField(
        gettext_lazy("outcome"), max_length=12, choices=Outcome.choices, default=Outcome.PENDING
    )
    resulting_membership = models.ForeignKey(
        Membership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="from_applications",
        help_text=gettext_lazy(
            "The spell the application or invitation led to, when it was granted or accepted."
        ),
        verbose_name=gettext_lazy("resulting membership"),
    )
    note = models.TextField(gettext_lazy("note"), blank=True)

    filed_on_partial = PartialDateAccessor("filed_on")
    decided_on_partial = PartialDateAccessor("decided_on")
    citation_required = True
    history = HistoricalRecords()

    class Meta:
        verbose_name = gettext_lazy("application")
        verbose_name_plural = gettext_lazy("applications")
        ordering = ["organization__name", "filed_on", "pk"]
        # On PostgreSQL the migration also adds ``application_latest_idx``, the latest decisions
        # and filings (the home page) in the order they are read: SQLite has no NULLS LAST index.
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(applicant_country__isnull=False) & Q(applicant_organization__isnull=True)
                )
                | (Q(applicant_country__isnull=True) & Q(applicant_organization__isnull=False)),
                name="application_exactly_one_applicant",
                violation_error_message=gettext_lazy(
                    "Give either an applicant country or an applicant organization, not both."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(applicant_organization=F("organization")),
                name="application_not_self",
                violation_error_message=gettext_lazy("An organization cannot apply to itself."),
            ),
            models.CheckConstraint(
                condition=Q(decided_on__isnull=True)
                | Q(filed_on__isnull=True)
                | Q(decided_on__gte=F("filed_on")),
                name="application_decided_after_filed",
                violation_error_message=gettext_lazy(
                    "A decision cannot come before the application."
                ),
            ),
        ]

    def __str__(self):
        return _("%(applicant)s → %(status)s of %(organization)s") % {
            "applicant": self.applicant,
            "status": self.get_requested_status_display(),
            "organization": self.organization.short_name,
        }

    @property
    def applicant(self):
        return self.applicant_country or self.applicant_organization

    def clean(self):
        super().clean()
        errors = {}
        if bool(self.applicant_country_id) == bool(self.applicant_organization_id):
            errors["applicant_country"] = _(
                "Give either an applicant country or an applicant organization (exactly one)."
            )
        if (
            self.applicant_organization_id
            and self.applicant_organization_id == self.organization_id
        ):
            errors["applicant_organization"] = _("An organization cannot apply to itself.")
        filed, decided = self.filed_on_partial, self.decided_on_partial
        if filed and decided and is_before(decided, filed):
            errors["decided_on"] = _(
                "The decision (%(decided)s) is before the filing (%(filed)s)."
            ) % {"decided": decided.display, "filed": filed.display}
        if self.outcome == self.Outcome.PENDING and decided:
            errors["outcome"] = _(
                "A pending application has no decision date: choose its outcome or clear the date."
            )
        if self.outcome == self.Outcome.DECLINED and self.kind != self.Kind.INVITATION:
            errors["outcome"] = _("Only an invitation can be declined by the invitee.")
        if self.outcome == self.Outcome.ACCEPTED and self.kind != self.Kind.INVITATION:
            errors["outcome"] = _("Only an invitation is accepted; an application is granted.")
        if errors:
            raise ValidationError(errors)
