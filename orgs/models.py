"""The atlas: organizations, countries, their membership spells, and what every fact cites."""

from __future__ import annotations

import datetime

import pycountry
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Count, F, Q, Value, When
from django.db.models.functions import Length, Upper
from django.db.models.lookups import Exact
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .dates import PARTIAL_DATE_HELP, PartialDate, Precision, is_before, window_floor

# --- partial dates -------------------------------------------------------------------------


def partial_date(name: str, *, verbose_name: str, required: bool = False, help_text: str = ""):
    """The two columns of a partial date: its earliest day and its precision."""
    return (
        models.DateField(
            verbose_name,
            null=not required,
            blank=not required,
            help_text=help_text or PARTIAL_DATE_HELP,
        ),
        models.CharField(
            f"{verbose_name} precision",
            max_length=5,
            choices=Precision.choices,
            default=Precision.DAY,
        ),
    )


class PartialDateAccessor:
    """``spell.start_partial`` reads and writes ``start`` and ``start_precision`` together."""

    def __init__(self, field_name: str):
        self.field_name = field_name

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        return PartialDate.from_fields(
            getattr(instance, self.field_name), getattr(instance, f"{self.field_name}_precision")
        )

    def __set__(self, instance, value: PartialDate | str | None):
        if isinstance(value, str):
            value = PartialDate.parse(value) if value.strip() else None
        setattr(instance, self.field_name, value.earliest if value else None)
        setattr(
            instance, f"{self.field_name}_precision", value.precision if value else Precision.DAY
        )


# --- shared vocabulary ---------------------------------------------------------------------


class Status(models.TextChoices):
    MEMBER = "member", "member"
    ASSOCIATE_MEMBER = "associate_member", "associate member"
    OBSERVER = "observer", "observer"
    PARTNER = "partner", "partner"
    DIALOGUE_PARTNER = "dialogue_partner", "dialogue partner"
    PARTICIPANT = "participant", "participant"
    SUSPENDED = "suspended", "suspended"


# Order in which statuses are listed on pages and in the API: the closest tie first.
STATUS_ORDER = [choice.value for choice in Status]


class Rank(models.TextChoices):
    """Wikidata-style ranks for competing statements about the same fact."""

    NORMAL = "normal", "normal"
    PREFERRED = "preferred", "preferred"
    DEPRECATED = "deprecated", "deprecated (a competing claim the atlas does not follow)"


class PublishableQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def visible_to(self, user, *, drafts: bool = False):
        """Published records, plus drafts for staff who asked to preview them."""
        if drafts and user is not None and user.is_authenticated and user.is_staff:
            return self
        return self.published()


class Claim(models.Model):
    """Fields every curated record shares: publication state and dispute marking."""

    is_published = models.BooleanField(
        "published",
        default=False,
        help_text="Only published records are shown to the public and anonymous API callers.",
    )
    is_disputed = models.BooleanField(
        "disputed", default=False, help_text="Sources disagree about this record."
    )
    dispute_note = models.TextField(
        blank=True,
        help_text="What the sources disagree about, and why the atlas says what it says.",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text="Raised by one on every save, so that a save based on an older version is refused.",
    )

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        if self.is_disputed and not self.dispute_note.strip():
            raise ValidationError(
                {"dispute_note": "Say what is disputed when marking a record disputed."}
            )


# --- sources and citations -----------------------------------------------------------------


class Source(Claim):
    class Kind(models.TextChoices):
        NEWS_ARTICLE = "news_article", "news article"
        OFFICIAL_DOCUMENT = "official_document", "official document"
        OFFICIAL_WEBSITE = "official_website", "official website"
        STATEMENT = "statement", "statement"
        DATASET = "dataset", "dataset"
        REFERENCE = "reference", "reference work"
        OTHER = "other", "other"

    key = models.CharField(
        max_length=40,
        blank=True,
        help_text="A short stable key (for example TASS-2010381) used by imports; leave empty if unsure.",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.NEWS_ARTICLE)
    title = models.CharField(max_length=500)
    publisher = models.CharField(max_length=200, blank=True)
    author = models.CharField(max_length=200, blank=True)
    url = models.URLField("URL", max_length=1000, blank=True)
    archive_url = models.URLField(
        "archive URL",
        max_length=1000,
        blank=True,
        help_text="A copy in a web archive, in case the page changes.",
    )
    published_on, published_on_precision = partial_date("published_on", verbose_name="published on")
    retrieved_on = models.DateField("retrieved on", null=True, blank=True)
    language = models.CharField(
        max_length=20, blank=True, help_text="ISO 639-1 code, for example ru or en."
    )
    translation_note = models.CharField(
        max_length=300,
        blank=True,
        help_text="For example “machine translation from Russian (Yandex)”.",
    )
    notes = models.TextField(blank=True)

    published_on_partial = PartialDateAccessor("published_on")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-published_on", "title"]
        constraints = [
            models.UniqueConstraint(fields=["key"], condition=~Q(key=""), name="source_key_unique"),
        ]

    def __str__(self):
        return f"{self.publisher}: {self.title}" if self.publisher else self.title


class Citation(models.Model):
    """One source supporting one claim: any citable record, or one fact of it (``claim_field``)."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    claim = GenericForeignKey("content_type", "object_id")
    claim_field = models.CharField(
        "fact",
        max_length=40,
        blank=True,
        help_text="Leave empty when the source supports the whole record; "
        "otherwise the field it supports, for example founded_on.",
    )
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="citations")
    excerpt = models.TextField(
        blank=True, help_text="The words in the source that support the claim."
    )
    locator = models.CharField(max_length=100, blank=True, help_text="Paragraph, page or section.")
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Order among the record's citations."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["content_type", "object_id", "position", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="citation_claim_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "claim_field", "source"],
                name="citation_unique_source_per_claim",
            ),
        ]

    def __str__(self):
        return f"{self.source} → {self.content_type.model} #{self.object_id}"


class Cited(models.Model):
    citations = GenericRelation(Citation)

    class Meta:
        abstract = True


# --- places and people ---------------------------------------------------------------------


def validate_iso2(value: str):
    if not value or pycountry.countries.get(alpha_2=value.upper()) is None:
        raise ValidationError(f"“{value}” is not an ISO 3166-1 alpha-2 country code.")
    if value != value.upper():
        raise ValidationError(f"Write the code in capitals: {value.upper()}.")


def validate_iso3(value: str):
    if not value or pycountry.countries.get(alpha_3=value.upper()) is None:
        raise ValidationError(f"“{value}” is not an ISO 3166-1 alpha-3 country code.")
    if value != value.upper():
        raise ValidationError(f"Write the code in capitals: {value.upper()}.")


class CountryQuerySet(PublishableQuerySet):
    def get_by_code(self, code: str):
        """Look a country up by alpha-2 or alpha-3 code in any case."""
        code = (code or "").strip().upper()
        field = "iso2" if len(code) == 2 else "iso3"
        return self.get(**{field: code})


class Country(Claim, Cited):
    name = models.CharField(
        max_length=120, help_text="The short name readers know: Russia, Iran, Türkiye."
    )
    official_name = models.CharField(max_length=200, blank=True)
    other_names = models.TextField(
        blank=True,
        help_text="Other names and spellings, one per line (any script); search finds them.",
    )
    iso2 = models.CharField("ISO alpha-2", max_length=2, unique=True, validators=[validate_iso2])
    iso3 = models.CharField("ISO alpha-3", max_length=3, unique=True, validators=[validate_iso3])
    region = models.CharField(max_length=80, blank=True)
    notes = models.TextField(blank=True)

    objects = CountryQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "countries"
        constraints = [
            models.CheckConstraint(
                condition=Q(iso2=Upper("iso2")) & Q(Exact(Length("iso2"), 2)),
                name="country_iso2_upper",
            ),
            models.CheckConstraint(
                condition=Q(iso3=Upper("iso3")) & Q(Exact(Length("iso3"), 3)),
                name="country_iso3_upper",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        for field in ("iso2", "iso3"):
            value = getattr(self, field)
            if value:
                setattr(self, field, value.strip().upper())
        if self.iso2 and self.iso3:
            by_alpha2 = pycountry.countries.get(alpha_2=self.iso2)
            if by_alpha2 is not None and by_alpha2.alpha_3 != self.iso3:
                raise ValidationError(
                    {
                        "iso3": f"{self.iso2} is {by_alpha2.name}, whose alpha-3 code is {by_alpha2.alpha_3}."
                    }
                )


class Person(Claim):
    name = models.CharField(max_length=200)
    native_name = models.CharField(
        max_length=200,
        blank=True,
        help_text="The name in its own script, for example Андрей Сазонов.",
    )
    slug = models.SlugField(max_length=200, unique=True)
    description = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"

    def __str__(self):
        return self.name


# --- organizations -------------------------------------------------------------------------


class OrganizationQuerySet(PublishableQuerySet):
    def with_member_counts(self, on: datetime.date | None = None):
        """Annotate ``<status>_count`` for every status: published, non-deprecated spells as of ``on``."""
        on = on or timezone.localdate()
        spell_q = spell_as_of_q(on, prefix="memberships__") & Q(memberships__is_published=True)
        return self.annotate(
            **{
                f"{status}_count": Count(
                    "memberships", filter=spell_q & Q(memberships__status=status)
                )
                for status in STATUS_ORDER
            }
        )


class Organization(Claim, Cited):
    class Kind(models.TextChoices):
        INTERGOVERNMENTAL = "intergovernmental", "intergovernmental organization"
        ECONOMIC_UNION = "economic_union", "economic union"
        GROUPING = "grouping", "informal grouping or forum"
        FORMAT = "format", "format of another organization"
        INITIATIVE = "initiative", "initiative"
        BODY = "body", "body of another organization"
        THINK_TANK = "think_tank", "think tank"
        UNIVERSITY = "university", "university"
        MEDIA = "media", "news organization"
        OTHER = "other", "other"

    class Lifecycle(models.TextChoices):
        PROPOSED = "proposed", "proposed"
        IN_DEVELOPMENT = "in_development", "in development"
        ACTIVE = "active", "active"
        DISSOLVED = "dissolved", "dissolved"

    name = models.CharField(max_length=200)
    acronym = models.CharField(max_length=30, blank=True)
    slug = models.SlugField(
        max_length=80, unique=True, help_text="Used in addresses: sco, brics, cis-plus."
    )
    other_names = models.TextField(
        blank=True,
        help_text="Other names, abbreviations and translations, one per line (ШОС, СНГ, ЕАЭС…); search finds them.",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.INTERGOVERNMENTAL)
    lifecycle = models.CharField(max_length=20, choices=Lifecycle.choices, default=Lifecycle.ACTIVE)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="formats",
        help_text="For a format or body: the organization it belongs to (BRICS+ → BRICS).",
    )
    proposed_by = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposed_organizations",
        help_text="Who first proposed it (CIS Plus: Kassym-Jomart Tokayev).",
    )
    proposed_by_country = models.ForeignKey(
        Country,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposed_organizations",
        help_text="The country that proposed it, when a state rather than a person is credited.",
    )
    proposed_on, proposed_on_precision = partial_date("proposed_on", verbose_name="proposed on")
    founded_on, founded_on_precision = partial_date("founded_on", verbose_name="founded on")
    dissolved_on, dissolved_on_precision = partial_date("dissolved_on", verbose_name="dissolved on")
    headquarters = models.CharField(max_length=200, blank=True)
    website = models.URLField(max_length=500, blank=True)
    description = models.TextField(blank=True)

    proposed_on_partial = PartialDateAccessor("proposed_on")
    founded_on_partial = PartialDateAccessor("founded_on")
    dissolved_on_partial = PartialDateAccessor("dissolved_on")

    objects = OrganizationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(dissolved_on__isnull=True)
                | Q(founded_on__isnull=True)
                | Q(dissolved_on__gte=F("founded_on")),
                name="organization_dissolved_after_founded",
            ),
        ]

    def __str__(self):
        return (
            f"{self.name} ({self.acronym})"
            if self.acronym and self.acronym != self.name
            else self.name
        )

    @property
    def short_name(self):
        return self.acronym or self.name

    def clean(self):
        super().clean()
        if self.parent_id and self.pk and self.parent_id == self.pk:
            raise ValidationError({"parent": "An organization cannot be its own parent."})
        if self.parent_id and self.pk:
            ancestor, seen = self.parent, {self.pk}
            while ancestor is not None:
                if ancestor.pk in seen:
                    raise ValidationError({"parent": "This parent would make a loop of formats."})
                seen.add(ancestor.pk)
                ancestor = ancestor.parent
        if self.founded_on_partial and self.dissolved_on_partial:
            if is_before(self.dissolved_on_partial, self.founded_on_partial):
                raise ValidationError(
                    {"dissolved_on": "An organization cannot be dissolved before it was founded."}
                )


# --- membership spells ---------------------------------------------------------------------


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

    def with_related(self):
        return self.select_related("organization", "member_country", "member_organization")


class Membership(Claim, Cited):
    """One spell of one status of one member in one organization.

    A change of status is a new spell, never an overwrite: Belarus in the SCO was a dialogue
    partner, then an observer, then a member.
    """

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="memberships"
    )
    member_country = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        help_text="The member, when it is a country. Give either a country or an organization.",
    )
    member_organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships_as_member",
        help_text="The member, when it is an organization taking part as such (the CIS in BRICS+).",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.MEMBER)
    qualifier = models.CharField(
        max_length=120,
        blank=True,
        help_text="A word the sources add to the status: “de jure”, “Charter not ratified”.",
    )
    start, start_precision = partial_date("start", verbose_name="start", required=True)
    end, end_precision = partial_date(
        "end",
        verbose_name="end",
        help_text="Leave empty while the spell lasts. The end is the first day it no longer held. "
        + PARTIAL_DATE_HELP,
    )
    is_founding = models.BooleanField("founding member", default=False)
    rank = models.CharField(
        max_length=10,
        choices=Rank.choices,
        default=Rank.NORMAL,
        help_text="Deprecated spells are competing claims kept for the record; they may overlap the preferred one.",
    )
    rank_reason = models.CharField(
        max_length=300, blank=True, help_text="Why this spell is deprecated."
    )
    note = models.TextField(blank=True)

    start_partial = PartialDateAccessor("start")
    end_partial = PartialDateAccessor("end")

    objects = MembershipQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["organization__name", "start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(member_country__isnull=False) & Q(member_organization__isnull=True))
                | (Q(member_country__isnull=True) & Q(member_organization__isnull=False)),
                name="membership_exactly_one_member",
                violation_error_message="Give either a member country or a member organization, not both.",
            ),
            models.CheckConstraint(
                condition=~Q(member_organization=F("organization")),
                name="membership_not_self",
                violation_error_message="An organization cannot be a member of itself.",
            ),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")),
                name="membership_end_not_before_start",
                violation_error_message="The end of a spell cannot be before its start.",
            ),
            models.CheckConstraint(
                condition=~Q(rank=Rank.DEPRECATED) | ~Q(rank_reason=""),
                name="membership_deprecated_has_reason",
                violation_error_message="Say why a deprecated spell is deprecated.",
            ),
        ]
        # On PostgreSQL the migration also adds ``membership_no_overlapping_spells``, an exclusion
        # constraint over daterange(start, end) so concurrent saves cannot create an overlap.
        indexes = [
            models.Index(fields=["organization", "start"], name="membership_org_start_idx"),
            models.Index(fields=["member_country", "start"], name="membership_country_start_idx"),
        ]

    def __str__(self):
        return f"{self.member} — {self.get_status_display()} of {self.organization.short_name} ({self.period})"

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
            return f"since {start.display}"
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
            errors["member_country"] = (
                "Give either a member country or a member organization (exactly one)."
            )
        if self.member_organization_id and self.member_organization_id == self.organization_id:
            errors["member_organization"] = "An organization cannot be a member of itself."
        start, end = self.start_partial, self.end_partial
        if start and end and (is_before(end, start) or end.earliest < start.earliest):
            errors["end"] = (
                f"The end ({end.display}) is before the start ({start.display})."
                if is_before(end, start)
                else f"Give the end at least as precisely as the start: {end.display} may be before {start.display}."
            )
        if self.rank == Rank.DEPRECATED and not self.rank_reason.strip():
            errors["rank_reason"] = "Say why this spell is deprecated."
        if errors:
            raise ValidationError(errors)
        if self.rank != Rank.DEPRECATED:
            clash = self.overlapping_spells(
                ignore_pks=getattr(self, "overlap_checked_with", ())
            ).first()
            if clash is not None:
                raise ValidationError(
                    {
                        "start": f"This spell overlaps another spell of {clash.member} in "
                        f"{clash.organization.short_name}: {clash.get_status_display()} {clash.period}. "
                        "End that spell first (a change of status is a new spell), or rank one of them deprecated."
                    }
                )


# --- applications and invitations ----------------------------------------------------------


class Application(Claim, Cited):
    class Kind(models.TextChoices):
        APPLICATION = "application", "application (the candidate applied)"
        INVITATION = "invitation", "invitation (the organization invited)"
        PROSPECT = "prospect", "prospect (named as a possible participant)"

    class Outcome(models.TextChoices):
        PENDING = "pending", "pending"
        GRANTED = "granted", "granted"
        REJECTED = "rejected", "rejected"
        WITHDRAWN = "withdrawn", "withdrawn"
        DECLINED = "declined", "declined by the invitee"

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="applications"
    )
    applicant_country = models.ForeignKey(
        Country, on_delete=models.PROTECT, null=True, blank=True, related_name="applications"
    )
    applicant_organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications_as_applicant",
    )
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.APPLICATION)
    requested_status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.MEMBER
    )
    filed_on, filed_on_precision = partial_date(
        "filed_on",
        verbose_name="filed on",
        help_text="When the candidate applied or was invited. " + PARTIAL_DATE_HELP,
    )
    decided_on, decided_on_precision = partial_date("decided_on", verbose_name="decided on")
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.PENDING)
    note = models.TextField(blank=True)

    filed_on_partial = PartialDateAccessor("filed_on")
    decided_on_partial = PartialDateAccessor("decided_on")
    history = HistoricalRecords()

    class Meta:
        ordering = ["organization__name", "filed_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(applicant_country__isnull=False) & Q(applicant_organization__isnull=True)
                )
                | (Q(applicant_country__isnull=True) & Q(applicant_organization__isnull=False)),
                name="application_exactly_one_applicant",
                violation_error_message="Give either an applicant country or an applicant organization, not both.",
            ),
            models.CheckConstraint(
                condition=~Q(applicant_organization=F("organization")),
                name="application_not_self",
                violation_error_message="An organization cannot apply to itself.",
            ),
            models.CheckConstraint(
                condition=Q(decided_on__isnull=True)
                | Q(filed_on__isnull=True)
                | Q(decided_on__gte=F("filed_on")),
                name="application_decided_after_filed",
                violation_error_message="A decision cannot come before the application.",
            ),
        ]

    def __str__(self):
        return f"{self.applicant} → {self.get_requested_status_display()} of {self.organization.short_name}"

    @property
    def applicant(self):
        return self.applicant_country or self.applicant_organization

    def clean(self):
        super().clean()
        errors = {}
        if bool(self.applicant_country_id) == bool(self.applicant_organization_id):
            errors["applicant_country"] = (
                "Give either an applicant country or an applicant organization (exactly one)."
            )
        if (
            self.applicant_organization_id
            and self.applicant_organization_id == self.organization_id
        ):
            errors["applicant_organization"] = "An organization cannot apply to itself."
        filed, decided = self.filed_on_partial, self.decided_on_partial
        if filed and decided and is_before(decided, filed):
            errors["decided_on"] = (
                f"The decision ({decided.display}) is before the filing ({filed.display})."
            )
        if self.outcome == self.Outcome.PENDING and decided:
            errors["outcome"] = (
                "A pending application has no decision date: choose its outcome or clear the date."
            )
        if self.outcome == self.Outcome.DECLINED and self.kind != self.Kind.INVITATION:
            errors["outcome"] = "Only an invitation can be declined by the invitee."
        if errors:
            raise ValidationError(errors)


# --- quotes --------------------------------------------------------------------------------


class Quote(Claim, Cited):
    class Kind(models.TextChoices):
        DIRECT = "direct", "direct quotation"
        REPORTED = "reported", "reported speech"

    text = models.TextField(help_text="The exact words as the source gives them.")
    original_text = models.TextField(
        blank=True, help_text="The words in the original language, if known."
    )
    original_language = models.CharField(max_length=20, blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.DIRECT)
    speaker = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="quotes",
        help_text="Who said it. Leave empty for an institutional statement and give the organization.",
    )
    speaker_role = models.CharField(
        max_length=300,
        blank=True,
        help_text="The role the speaker held when speaking, as the source gives it.",
    )
    speaker_organization = models.ForeignKey(
        Organization,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="quotes_spoken_for",
        help_text="The organization the speaker spoke for, or the organization that made the statement.",
    )
    said_on, said_on_precision = partial_date("said_on", verbose_name="said on")
    event = models.ForeignKey(
        "Event",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="quotes",
        help_text="The summit or forum it was said at, if any.",
    )
    about_organizations = models.ManyToManyField(
        Organization, blank=True, related_name="quotes_about"
    )
    about_countries = models.ManyToManyField(Country, blank=True, related_name="quotes_about")
    note = models.TextField(blank=True)

    said_on_partial = PartialDateAccessor("said_on")
    history = HistoricalRecords(m2m_fields=[about_organizations, about_countries])

    class Meta:
        ordering = ["-said_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(speaker__isnull=False) | Q(speaker_organization__isnull=False),
                name="quote_has_speaker",
                violation_error_message="Give the person who spoke or the organization that made the statement.",
            ),
        ]

    def __str__(self):
        text = self.text if len(self.text) <= 80 else self.text[:77] + "…"
        return f"{self.speaker_name}: “{text}”"

    @property
    def speaker_name(self) -> str:
        if self.speaker_id:
            return str(self.speaker)
        return str(self.speaker_organization) if self.speaker_organization_id else ""

    def clean(self):
        super().clean()
        if not self.speaker_id and not self.speaker_organization_id:
            raise ValidationError(
                {
                    "speaker": "Give the person who spoke, or the organization that made the statement."
                }
            )


# --- agreements ----------------------------------------------------------------------------


class AgreementStageKind(models.TextChoices):
    """Stages of a trade agreement, in the order they happen (after the WTO RTA database)."""

    PROPOSED = "proposed", "proposed"
    FEASIBILITY_STUDY = "feasibility_study", "joint study or working group"
    NEGOTIATIONS_LAUNCHED = "negotiations_launched", "negotiations launched"
    CONCLUDED = "concluded", "negotiations concluded"
    SIGNED = "signed", "signed"
    RATIFIED = "ratified", "ratified"
    IN_FORCE = "in_force", "in force"
    TERMINATED = "terminated", "terminated"


STAGE_ORDER = [choice.value for choice in AgreementStageKind]


class Agreement(Claim, Cited):
    class Kind(models.TextChoices):
        FREE_TRADE = "free_trade", "free trade agreement"
        INTERIM_TRADE = "interim_trade", "interim trade agreement"
        ECONOMIC_PARTNERSHIP = "economic_partnership", "economic partnership agreement"
        MEMORANDUM = "memorandum", "memorandum"
        OTHER = "other", "other"

    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=120, unique=True)
    kind = models.CharField(max_length=24, choices=Kind.choices, default=Kind.FREE_TRADE)
    description = models.TextField(blank=True)
    note = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title


class AgreementParty(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="parties")
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, null=True, blank=True, related_name="agreement_parties"
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreement_parties",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement", "pk"]
        verbose_name_plural = "agreement parties"
        constraints = [
            models.CheckConstraint(
                condition=(Q(country__isnull=False) & Q(organization__isnull=True))
                | (Q(country__isnull=True) & Q(organization__isnull=False)),
                name="agreement_party_exactly_one",
                violation_error_message="Give either a country or an organization as the party.",
            ),
            models.UniqueConstraint(
                fields=["agreement", "country"],
                condition=Q(country__isnull=False),
                name="agreement_party_country_once",
                violation_error_message="This country is already a party to the agreement.",
            ),
            models.UniqueConstraint(
                fields=["agreement", "organization"],
                condition=Q(organization__isnull=False),
                name="agreement_party_organization_once",
                violation_error_message="This organization is already a party to the agreement.",
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
                {"country": "Give either a country or an organization as the party."}
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
    for (_, earlier_kind, earlier), (_, later_kind, later) in zip(dated, dated[1:], strict=False):
        if is_before(later, earlier):
            return (
                f"“{AgreementStageKind(later_kind).label}” ({later.display}) is dated before "
                f"“{AgreementStageKind(earlier_kind).label}” ({earlier.display})."
            )
    return None


class AgreementStage(Claim, Cited):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="stages")
    stage = models.CharField(max_length=24, choices=AgreementStageKind.choices)
    date, date_precision = partial_date("date", verbose_name="date", required=True)
    place = models.CharField(max_length=200, blank=True)
    note = models.TextField(blank=True)

    date_partial = PartialDateAccessor("date")
    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement", "date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "stage"],
                name="agreement_stage_once",
                violation_error_message="This agreement already has that stage.",
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


# --- events --------------------------------------------------------------------------------


class Event(Claim, Cited):
    class Kind(models.TextChoices):
        SUMMIT = "summit", "summit"
        MINISTERIAL = "ministerial", "ministerial meeting"
        FORUM = "forum", "forum"
        COUNCIL = "council", "council meeting"
        STATEMENT = "statement", "statement or announcement"
        OTHER = "other", "other"

    name = models.CharField(max_length=300)
    slug = models.SlugField(max_length=120, unique=True)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.SUMMIT)
    start, start_precision = partial_date("start", verbose_name="start", required=True)
    end, end_precision = partial_date(
        "end",
        verbose_name="end",
        help_text="The last day; leave empty for a one-day event. " + PARTIAL_DATE_HELP,
    )
    place = models.CharField(max_length=200, blank=True)
    organizers = models.ManyToManyField(
        Organization, blank=True, related_name="events", verbose_name="organizing organizations"
    )
    description = models.TextField(blank=True)
    note = models.TextField(blank=True)

    start_partial = PartialDateAccessor("start")
    end_partial = PartialDateAccessor("end")
    history = HistoricalRecords(m2m_fields=[organizers])

    class Meta:
        ordering = ["-start", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")),
                name="event_end_not_before_start",
                violation_error_message="An event cannot end before it starts.",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def period(self) -> str:
        start, end = self.start_partial, self.end_partial
        if start is None:
            return ""
        if end is None or end == start:
            return start.display
        return f"{start.display} – {end.display}"

    def clean(self):
        super().clean()
        start, end = self.start_partial, self.end_partial
        if start and end and (is_before(end, start) or end.earliest < start.earliest):
            raise ValidationError(
                {"end": f"The event cannot end ({end.display}) before it starts ({start.display})."}
            )


class EventParticipant(Cited):
    """Who took part: a person (optionally for a country or organization), a country, or an organization."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="event_participations"
    )
    country = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="event_participations",
        help_text="The country taking part, or the one the person represented.",
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="event_participations",
        help_text="The organization taking part as such, or the one the person represented.",
    )
    role = models.CharField(
        max_length=200, blank=True, help_text="For example “head of delegation”."
    )
    note = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["event", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False)
                | Q(country__isnull=False)
                | Q(organization__isnull=False),
                name="event_participant_someone",
                violation_error_message="Give a person, a country or an organization.",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        represented = self.country or self.organization
        if self.person_id:
            return f"{self.person} ({represented})" if represented else str(self.person)
        return str(represented)

    def clean(self):
        super().clean()
        if not (self.person_id or self.country_id or self.organization_id):
            raise ValidationError({"person": "Give a person, a country or an organization."})
        if self.event_id and not getattr(self, "siblings_checked_elsewhere", False):
            duplicate = EventParticipant.objects.filter(
                event_id=self.event_id,
                person_id=self.person_id,
                country_id=self.country_id,
                organization_id=self.organization_id,
            ).exclude(pk=self.pk)
            if duplicate.exists():
                raise ValidationError(
                    {"person": f"{self.name} is already listed as a participant."}
                )


# --- proposals -----------------------------------------------------------------------------


class Proposal(Claim, Cited):
    """An idea someone put forward that is not itself an organization: a charter, a merger of markets.

    A proposed organization or format records its proposer on the Organization itself
    (``proposed_by``, ``proposed_by_country``, ``proposed_on``), so it is stated once.
    """

    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=120, unique=True)
    proposed_by_person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="proposals"
    )
    proposed_by_countries = models.ManyToManyField(Country, blank=True, related_name="proposals")
    proposed_by_organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="proposals_made"
    )
    proposed_on, proposed_on_precision = partial_date("proposed_on", verbose_name="proposed on")
    organization = models.ForeignKey(
        Organization,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
        help_text="The organization or format proposed, or the one the proposal concerns.",
    )
    stage = models.CharField(
        max_length=300, blank=True, help_text="Where the idea stood, as the sources say."
    )
    outcome = models.TextField(blank=True)
    note = models.TextField(blank=True)

    proposed_on_partial = PartialDateAccessor("proposed_on")
    history = HistoricalRecords(m2m_fields=[proposed_by_countries])

    class Meta:
        ordering = ["proposed_on", "title"]

    def __str__(self):
        return self.title
