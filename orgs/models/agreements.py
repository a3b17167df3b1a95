"""Trade agreements, their parties and the stages they went through."""

from __future__ import annotations

import itertools

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy, pgettext_lazy
from simple_history.models import HistoricalRecords

from ..dates import is_before
from ..languages import ENGLISH, RUSSIAN, LocalizedName, localized
from .base import Assessed, Cited, Curated, PartialDateAccessor, partial_date
from .organizations import Organization
from .places import Country


class AgreementStageKind(models.TextChoices):
    """Stages of a trade agreement, in the order they happen (after the WTO RTA database)."""

    PROPOSED = "proposed", pgettext_lazy("agreement stage", "proposed")
    FEASIBILITY_STUDY = "feasibility_study", gettext_lazy("joint study or working group")
    NEGOTIATIONS_LAUNCHED = "negotiations_launched", gettext_lazy("negotiations launched")
    CONCLUDED = "concluded", gettext_lazy("negotiations concluded")
    SIGNED = "signed", pgettext_lazy("agreement stage", "signed")
    RATIFIED = "ratified", pgettext_lazy("agreement stage", "ratified")
    IN_FORCE = "in_force", pgettext_lazy("agreement stage", "in force")
    TERMINATED = "terminated", pgettext_lazy("agreement stage", "terminated")


STAGE_ORDER = [choice.value for choice in AgreementStageKind]


class Agreement(Curated, Assessed, Cited):
    class Kind(models.TextChoices):
        FREE_TRADE = "free_trade", gettext_lazy("free trade agreement")
        INTERIM_TRADE = "interim_trade", gettext_lazy("interim trade agreement")
        ECONOMIC_PARTNERSHIP = (
            "economic_partnership",
            gettext_lazy("economic partnership agreement"),
        )
        MEMORANDUM = "memorandum", gettext_lazy("memorandum")
        OTHER = "other", pgettext_lazy("agreement kind", "other")

    title = models.CharField(gettext_lazy("title"), max_length=300)
    title_ru = models.CharField(
        gettext_lazy("title in Russian"),
        max_length=300,
        blank=True,
        help_text=gettext_lazy("Russian pages show the English title where it is empty."),
    )
    slug = models.SlugField(gettext_lazy("slug"), max_length=120, unique=True)
    kind = models.CharField(
        gettext_lazy("kind"), max_length=24, choices=Kind.choices, default=Kind.FREE_TRADE
    )
    description = models.TextField(gettext_lazy("description"), blank=True)
    note = models.TextField(gettext_lazy("note"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["title"]
        verbose_name = gettext_lazy("agreement")
        verbose_name_plural = gettext_lazy("agreements")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("orgs:agreement", args=[self.slug])

    @property
    def titles(self) -> dict[str, str]:
        """The title in every language ("" where there is none)."""
        return {ENGLISH: self.title, RUSSIAN: self.title_ru}

    @property
    def localized_title(self) -> LocalizedName:
        """The title in the active language, or the English one marked as a fallback."""
        return localized(self.titles)


class AgreementPartyQuerySet(models.QuerySet):
    def visible(self, preview: bool = False):
        """Parties the reader may see: a draft country or organization is not named."""
        if preview:
            return self
        return self.filter(
            Q(country__isnull=True) | Q(country__is_published=True),
            Q(organization__isnull=True) | Q(organization__is_published=True),
        )


class AgreementParty(models.Model):
    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.CASCADE,
        related_name="parties",
        verbose_name=gettext_lazy("agreement"),
    )
    country = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreement_parties",
        verbose_name=gettext_lazy("country"),
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreement_parties",
        verbose_name=gettext_lazy("organization"),
    )

    objects = AgreementPartyQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement", "pk"]
        verbose_name = gettext_lazy("agreement party")
        verbose_name_plural = gettext_lazy("agreement parties")
        constraints = [
            models.CheckConstraint(
                condition=(Q(country__isnull=False) & Q(organization__isnull=True))
                | (Q(country__isnull=True) & Q(organization__isnull=False)),
                name="agreement_party_exactly_one",
                violation_error_message=gettext_lazy(
                    "Give either a country or an organization as the party."
                ),
            ),
            models.UniqueConstraint(
                fields=["agreement", "country"],
                condition=Q(country__isnull=False),
                name="agreement_party_country_once",
                violation_error_message=gettext_lazy(
                    "This country is already a party to the agreement."
                ),
            ),
            models.UniqueConstraint(
                fields=["agreement", "organization"],
                condition=Q(organization__isnull=False),
                name="agreement_party_organization_once",
                violation_error_message=gettext_lazy(
                    "This organization is already a party to the agreement."
                ),
            ),
        ]

    def __str__(self):
        return str(self.party)

    @property
    def party(self):
        return self.country or self.organization

    def clean(self):
        super().clean()
        if bool(self.country_id) == bool(self.organization_id):
            raise ValidationError(
                {"country": gettext("Give either a country or an organization as the party.")}
            )


def stage_order_error(stages) -> str | None:
    """The first stage dated before an earlier stage, as a message; None when they are in order.

    ``stages`` are (kind, PartialDate) pairs. Dates are compared at the coarser precision, so a
    signature "2025-06-27" after a conclusion "2025-06" is in order.
    """
    dated = sorted(
        ((STAGE_ORDER.index(kind), kind, date) for kind, date in stages if date is not None),
        key=lambda item: item[0],
    )
    for (_, earlier_kind, earlier), (_, later_kind, later) in itertools.pairwise(dated):
        if is_before(later, earlier):
            return gettext(
                "“%(later)s” (%(later_date)s) is dated before “%(earlier)s” (%(earlier_date)s)."
            ) % {
                "later": AgreementStageKind(later_kind).label,
                "later_date": later.display,
                "earlier": AgreementStageKind(earlier_kind).label,
                "earlier_date": earlier.display,
            }
    return None


class AgreementStage(Curated, Assessed, Cited):
    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.CASCADE,
        related_name="stages",
        verbose_name=gettext_lazy("agreement"),
    )
    stage = models.CharField(
        gettext_lazy("stage"), max_length=24, choices=AgreementStageKind.choices
    )
    date, date_precision = partial_date("date", verbose_name=gettext_lazy("date"), required=True)
    place = models.CharField(gettext_lazy("place"), max_length=200, blank=True)
    note = models.TextField(gettext_lazy("note"), blank=True)

    date_partial = PartialDateAccessor("date")
    citation_required = True
    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement", "date", "pk"]
        verbose_name = gettext_lazy("agreement stage")
        verbose_name_plural = gettext_lazy("agreement stages")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "stage"],
                name="agreement_stage_once",
                violation_error_message=gettext_lazy("This agreement already has that stage."),
            ),
        ]

    def __str__(self):
        return f"{self.agreement}: {self.get_stage_display()} ({self.date_partial})"

    def clean(self):
        super().clean()
        if not self.agreement_id or self.date is None:
            return
        if getattr(self, "siblings_checked_elsewhere", False):
            return  # an admin formset compares the submitted stages with each other
        siblings = [
            (other.stage, other.date_partial)
            for other in AgreementStage.objects.filter(agreement_id=self.agreement_id).exclude(
                pk=self.pk
            )
        ]
        error = stage_order_error([*siblings, (self.stage, self.date_partial)])
        if error:
            raise ValidationError({"date": error})
