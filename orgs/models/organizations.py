"""Organizations, formats and groupings: the bodies countries are members of."""

from __future__ import annotations

import datetime
from typing import Self

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, F, FilteredRelation, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from simple_history.models import HistoricalRecords

from ..dates import is_before
from ..languages import ENGLISH, RUSSIAN, LocalizedName, localized
from .base import (
    STATUS_ORDER,
    Cited,
    Curated,
    PartialDateAccessor,
    PublishableQuerySet,
    partial_date,
    wikidata_id_field,
)
from .memberships import spell_as_of_q
from .places import Country, Person

# Institutions appear in the atlas as speakers' employers, publishers or bodies of an
# organization; the atlas is about the others: organizations, unions, groupings and formats.
INSTITUTION_KINDS = ("body", "think_tank", "university", "media")


class OrganizationQuerySet(PublishableQuerySet):
    def international(self) -> Self:
        """What the atlas is about: international organizations, unions, groupings, formats and
        initiatives, without the institutions (bodies, think tanks, universities, media)."""
        return self.exclude(kind__in=INSTITUTION_KINDS)

    def with_member_counts(self, on: datetime.date | None = None):
        """Annotate ``<status>_count`` for every status: published, non-deprecated spells as of ``on``."""
        on = on or timezone.localdate()
        spell_q = spell_as_of_q(on, prefix="memberships__") & Q(memberships__is_published=True)
        # The "as of" rule goes into the join, once per spell, rather than into each status's
        # FILTER: a third of the time on 600 organizations and 60,000 spells.
        return self.annotate(
            spells_as_of=FilteredRelation("memberships", condition=spell_q)
        ).annotate(
            **{
                f"{status}_count": Count("spells_as_of", filter=Q(spells_as_of__status=status))
                for status in STATUS_ORDER
            }
        )


class Organization(Curated, Cited):
    class Kind(models.TextChoices):
        INTERGOVERNMENTAL = "intergovernmental", gettext_lazy("intergovernmental organization")
        ECONOMIC_UNION = "economic_union", gettext_lazy("economic union")
        GROUPING = "grouping", gettext_lazy("informal grouping or forum")
        FORMAT = "format", gettext_lazy("format of another organization")
        INITIATIVE = "initiative", gettext_lazy("initiative")
        BODY = "body", gettext_lazy("body of another organization")
        THINK_TANK = "think_tank", gettext_lazy("think tank")
        UNIVERSITY = "university", gettext_lazy("university")
        MEDIA = "media", gettext_lazy("news organization")
        OTHER = "other", pgettext_lazy("organization kind", "other")

    class Lifecycle(models.TextChoices):
        PROPOSED = "proposed", pgettext_lazy("organization lifecycle", "proposed")
        IN_DEVELOPMENT = "in_development", pgettext_lazy("organization lifecycle", "in development")
        ACTIVE = "active", pgettext_lazy("organization lifecycle", "active")
        DISSOLVED = "dissolved", pgettext_lazy("organization lifecycle", "dissolved")

    name = models.CharField(pgettext_lazy("field", "name"), max_length=200)
    acronym = models.CharField(gettext_lazy("acronym"), max_length=30, blank=True)
    name_ru = models.CharField(
        gettext_lazy("name in Russian"),
        max_length=200,
        blank=True,
        help_text=gettext_lazy(
            "The organization's own Russian name (Шанхайская организация сотрудничества). "
            "Russian pages show the English name where it is empty."
        ),
    )
    acronym_ru = models.CharField(
        gettext_lazy("acronym in Russian"),
        max_length=30,
        blank=True,
        help_text=gettext_lazy("The Russian abbreviation (ШОС), if the organization has one."),
    )
    slug = models.SlugField(
        gettext_lazy("slug"),
        max_length=80,
        unique=True,
        help_text=gettext_lazy("Used in addresses: sco, brics, cis-plus."),
    )
    other_names = models.TextField(
        gettext_lazy("other names"),
        blank=True,
        help_text=gettext_lazy(
            "Other names, abbreviations and translations, one per line (ШОС, СНГ, ЕАЭС…); "
            "search finds them."
        ),
    )
    kind = models.CharField(
        gettext_lazy("kind"), max_length=20, choices=Kind.choices, default=Kind.INTERGOVERNMENTAL
    )
    lifecycle = models.CharField(
        gettext_lazy("lifecycle"),
        max_length=20,
        choices=Lifecycle.choices,
        default=Lifecycle.ACTIVE,
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="formats",
        help_text=gettext_lazy(
            "For a format or body: the organization it belongs to (BRICS+ → BRICS)."
        ),
        verbose_name=gettext_lazy("parent"),
    )
    proposed_by = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposed_organizations",
        help_text=gettext_lazy("Who first proposed it (CIS Plus: Kassym-Jomart Tokayev)."),
        verbose_name=pgettext_lazy("field", "proposed by"),
    )
    proposed_by_country = models.ForeignKey(
        Country,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposed_organizations",
        help_text=gettext_lazy(
            "The country that proposed it, when a state rather than a person is credited."
        ),
        verbose_name=gettext_lazy("proposed by country"),
    )
    proposed_on, proposed_on_precision = partial_date(
        "proposed_on", verbose_name=gettext_lazy("proposed on")
    )
    founded_on, founded_on_precision = partial_date(
        "founded_on", verbose_name=gettext_lazy("founded on")
    )
    dissolved_on, dissolved_on_precision = partial_date(
        "dissolved_on", verbose_name=gettext_lazy("dissolved on")
    )
    headquarters = models.CharField(gettext_lazy("headquarters"), max_length=200, blank=True)
    website = models.URLField(gettext_lazy("website"), max_length=500, blank=True)
    wikidata_id = wikidata_id_field()
    description = models.TextField(gettext_lazy("description"), blank=True)
    successor = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="predecessors",
        help_text=gettext_lazy(
            "The organization this one became (Shanghai Five → SCO, EurAsEC → EAEU)."
        ),
        verbose_name=gettext_lazy("successor"),
    )
    reviewed_through = models.DateField(
        gettext_lazy("reviewed through"),
        null=True,
        blank=True,
        help_text=gettext_lazy(
            "The day up to which this organization's records were last checked against "
            "sources. Set it when you finish a review; pages asked about a later day say that "
            "later changes may be missing."
        ),
    )
    reviewed_by = models.CharField(
        gettext_lazy("reviewed by"),
        max_length=200,
        blank=True,
        help_text=gettext_lazy("Who did that review, as readers should see it."),
    )

    proposed_on_partial = PartialDateAccessor("proposed_on")
    founded_on_partial = PartialDateAccessor("founded_on")
    dissolved_on_partial = PartialDateAccessor("dissolved_on")

    objects = OrganizationQuerySet.as_manager()  # type: ignore[misc]  # narrows Curated.objects
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = gettext_lazy("organization")
        verbose_name_plural = gettext_lazy("organizations")
        constraints = [
            models.CheckConstraint(
                condition=Q(dissolved_on__isnull=True)
                | Q(founded_on__isnull=True)
                | Q(dissolved_on__gte=F("founded_on")),
                name="organization_dissolved_after_founded",
            ),
        ]

    def __str__(self):
        """The name and acronym in the active language (English: "Shanghai Cooperation
        Organization (SCO)"; Russian: "Шанхайская организация сотрудничества (ШОС)")."""
        name, acronym = self.localized_name, self.localized_acronym
        return f"{name} ({acronym})" if acronym and acronym != name else str(name)

    def get_absolute_url(self):
        return reverse("orgs:organization", args=[self.slug])

    @property
    def short_name(self):
        return self.acronym or self.name

    @property
    def names(self) -> dict[str, str]:
        """The name in every language ("" where there is none)."""
        return {ENGLISH: self.name, RUSSIAN: self.name_ru}

    @property
    def acronyms(self) -> dict[str, str]:
        """The acronym in every language ("" where there is none)."""
        return {ENGLISH: self.acronym, RUSSIAN: self.acronym_ru}

    @property
    def localized_name(self) -> LocalizedName:
        """The name in the active language, or the English one marked as a fallback."""
        return localized(self.names)

    @property
    def localized_acronym(self) -> LocalizedName:
        """The acronym in the active language; a Russian page shows no English acronym beside
        a Russian name."""
        found = localized(self.acronyms)
        if found.is_fallback and not localized(self.names).is_fallback:
            return LocalizedName("", found.lang)
        return found

    @property
    def localized_short_name(self) -> LocalizedName:
        """``short_name`` in the active language: its acronym there, else its name there, else
        the English short name as a fallback (Russian: ШОС; Секретариат ШОС)."""
        return localized({ENGLISH: self.short_name, RUSSIAN: self.acronym_ru or self.name_ru})

    @property
    def is_institution(self) -> bool:
        """A body, think tank, university or news organization rather than what the atlas maps."""
        return self.kind in INSTITUTION_KINDS

    def may_miss_changes_on(self, on: datetime.date) -> bool:
        """Whether an answer about ``on`` may lack changes: ``on`` is after the day its records
        were last reviewed through, or they never were."""
        return self.reviewed_through is None or on > self.reviewed_through

    def clean(self):
        super().clean()
        if self.parent_id and self.pk and self.parent_id == self.pk:
            raise ValidationError({"parent": _("An organization cannot be its own parent.")})
        if self.parent_id and self.pk:
            ancestor, seen = self.parent, {self.pk}
            while ancestor is not None:
                if ancestor.pk in seen:
                    raise ValidationError(
                        {"parent": _("This parent would make a loop of formats.")}
                    )
                seen.add(ancestor.pk)
                ancestor = ancestor.parent
        if self.successor_id and self.pk and self.successor_id == self.pk:
            raise ValidationError({"successor": _("An organization cannot be its own successor.")})
        if (
            self.founded_on_partial
            and self.dissolved_on_partial
            and is_before(self.dissolved_on_partial, self.founded_on_partial)
        ):
            raise ValidationError(
                {"dissolved_on": _("An organization cannot be dissolved before it was founded.")}
            )
