"""Summits and forums, who took part, what was said, and what was proposed."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from simple_history.models import HistoricalRecords

from ..dates import PARTIAL_DATE_HELP, is_before
from ..languages import ENGLISH, RUSSIAN, LocalizedName, localized
from .base import Cited, Curated, PartialDateAccessor, partial_date
from .organizations import Organization
from .places import Country, Person


class Event(Curated, Cited):
    class Kind(models.TextChoices):
        SUMMIT = "summit", gettext_lazy("summit")
        MINISTERIAL = "ministerial", gettext_lazy("ministerial meeting")
        FORUM = "forum", gettext_lazy("forum")
        COUNCIL = "council", gettext_lazy("council meeting")
        STATEMENT = "statement", gettext_lazy("statement or announcement")
        OTHER = "other", pgettext_lazy("event kind", "other")

    name = models.CharField(pgettext_lazy("field", "name"), max_length=300)
    name_ru = models.CharField(
        gettext_lazy("name in Russian"),
        max_length=300,
        blank=True,
        help_text=gettext_lazy("Russian pages show the English name where it is empty."),
    )
    slug = models.SlugField(gettext_lazy("slug"), max_length=120, unique=True)
    kind = models.CharField(
        gettext_lazy("kind"), max_length=12, choices=Kind.choices, default=Kind.SUMMIT
    )
    start, start_precision = partial_date(
        "start", verbose_name=pgettext_lazy("event", "start"), required=True
    )
    end, end_precision = partial_date(
        "end",
        verbose_name=pgettext_lazy("event", "end"),
        help_text=format_lazy(
            "{} {}",
            gettext_lazy("The last day; leave empty for a one-day event."),
            PARTIAL_DATE_HELP,
        ),
    )
    place = models.CharField(gettext_lazy("place"), max_length=200, blank=True)
    organizers = models.ManyToManyField(
        Organization,
        blank=True,
        related_name="events",
        verbose_name=gettext_lazy("organizing organizations"),
    )
    description = models.TextField(gettext_lazy("description"), blank=True)
    note = models.TextField(gettext_lazy("note"), blank=True)

    start_partial = PartialDateAccessor("start")
    end_partial = PartialDateAccessor("end")
    history = HistoricalRecords(m2m_fields=[organizers])

    class Meta:
        ordering = ["-start", "name"]
        verbose_name = gettext_lazy("event")
        verbose_name_plural = gettext_lazy("events")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")),
                name="event_end_not_before_start",
                violation_error_message=gettext_lazy("An event cannot end before it starts."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("orgs:event", args=[self.slug])

    @property
    def names(self) -> dict[str, str]:
        """The name in every language ("" where there is none)."""
        return {ENGLISH: self.name, RUSSIAN: self.name_ru}

    @property
    def localized_name(self) -> LocalizedName:
        """The name in the active language, or the English one marked as a fallback."""
        return localized(self.names)

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
                {
                    "end": _("The event cannot end (%(end)s) before it starts (%(start)s).")
                    % {"end": end.display, "start": start.display}
                }
            )


class EventParticipant(Cited):
    """Who took part: a person (optionally for a country or organization), a country, or an organization."""

    event = models.ForeignKey(
        Event,
        on_delete=models.CASCADE,
        related_name="participants",
        verbose_name=gettext_lazy("event"),
    )

    # Public with its event (a participant has no published state of its own).
    public_lookup = "event__is_published"
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="event_participations",
        verbose_name=gettext_lazy("person"),
    )
    country = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="event_participations",
        help_text=gettext_lazy("The country taking part, or the one the person represented."),
        verbose_name=gettext_lazy("country"),
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="event_participations",
        help_text=gettext_lazy(
            "The organization taking part as such, or the one the person represented."
        ),
        verbose_name=gettext_lazy("organization"),
    )
    role = models.CharField(
        gettext_lazy("role"),
        max_length=200,
        blank=True,
        help_text=gettext_lazy("For example “head of delegation”."),
    )
    note = models.TextField(gettext_lazy("note"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["event", "pk"]
        verbose_name = gettext_lazy("event participant")
        verbose_name_plural = gettext_lazy("event participants")
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False)
                | Q(country__isnull=False)
                | Q(organization__isnull=False),
                name="event_participant_someone",
                violation_error_message=gettext_lazy(
                    "Give a person, a country or an organization."
                ),
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
            raise ValidationError({"person": _("Give a person, a country or an organization.")})
        if self.event_id and not getattr(self, "siblings_checked_elsewhere", False):
            duplicate = EventParticipant.objects.filter(
                event_id=self.event_id,
                person_id=self.person_id,
                country_id=self.country_id,
                organization_id=self.organization_id,
            ).exclude(pk=self.pk)
            if duplicate.exists():
                raise ValidationError(
                    {
                        "person": _("%(name)s is already listed as a participant.")
                        % {"name": self.name}
                    }
                )


class Quote(Curated, Cited):
    class Kind(models.TextChoices):
        DIRECT = "direct", gettext_lazy("direct quotation")
        REPORTED = "reported", gettext_lazy("reported speech")

    text = models.TextField(
        gettext_lazy("text"), help_text=gettext_lazy("The exact words as the source gives them.")
    )
    original_text = models.TextField(
        gettext_lazy("original text"),
        blank=True,
        help_text=gettext_lazy("The words in the original language, if known."),
    )
    original_language = models.CharField(
        gettext_lazy("original language"), max_length=20, blank=True
    )
    kind = models.CharField(
        gettext_lazy("kind"), max_length=10, choices=Kind.choices, default=Kind.DIRECT
    )
    speaker = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="quotes",
        help_text=gettext_lazy(
            "Who said it. Leave empty for an institutional statement and give the organization."
        ),
        verbose_name=gettext_lazy("speaker"),
    )
    speaker_role = models.CharField(
        gettext_lazy("speaker role"),
        max_length=300,
        blank=True,
        help_text=gettext_lazy("The role the speaker held when speaking, as the source gives it."),
    )
    speaker_organization = models.ForeignKey(
        Organization,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="quotes_spoken_for",
        help_text=gettext_lazy(
            "The organization the speaker spoke for, or the organization that made the statement."
        ),
        verbose_name=gettext_lazy("speaker organization"),
    )
    said_on, said_on_precision = partial_date("said_on", verbose_name=gettext_lazy("said on"))
    event = models.ForeignKey(
        Event,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="quotes",
        help_text=gettext_lazy("The summit or forum it was said at, if any."),
        verbose_name=gettext_lazy("event"),
    )
    about_organizations = models.ManyToManyField(
        Organization,
        blank=True,
        related_name="quotes_about",
        verbose_name=gettext_lazy("about organizations"),
    )
    about_countries = models.ManyToManyField(
        Country,
        blank=True,
        related_name="quotes_about",
        verbose_name=gettext_lazy("about countries"),
    )
    note = models.TextField(gettext_lazy("note"), blank=True)

    said_on_partial = PartialDateAccessor("said_on")
    citation_required = True
    history = HistoricalRecords(m2m_fields=[about_organizations, about_countries])

    class Meta:
        ordering = ["-said_on", "pk"]
        verbose_name = gettext_lazy("quote")
        verbose_name_plural = gettext_lazy("quotes")
        constraints = [
            models.CheckConstraint(
                condition=Q(speaker__isnull=False) | Q(speaker_organization__isnull=False),
                name="quote_has_speaker",
                violation_error_message=gettext_lazy(
                    "Give the person who spoke or the organization that made the statement."
                ),
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
                    "speaker": _(
                        "Give the person who spoke, or the organization that made the statement."
                    )
                }
            )


class Proposal(Curated, Cited):
    """An idea someone put forward that is not itself an organization: a charter, a merger of markets.

    A proposed organization or format records its proposer on the Organization itself
    (``proposed_by``, ``proposed_by_country``, ``proposed_on``), so it is stated once.
    """

    title = models.CharField(gettext_lazy("title"), max_length=300)
    slug = models.SlugField(gettext_lazy("slug"), max_length=120, unique=True)
    proposed_by_person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=gettext_lazy("proposed by person"),
    )
    proposed_by_countries = models.ManyToManyField(
        Country,
        blank=True,
        related_name="proposals",
        verbose_name=gettext_lazy("proposed by countries"),
    )
    proposed_by_organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposals_made",
        verbose_name=gettext_lazy("proposed by organization"),
    )
    proposed_on, proposed_on_precision = partial_date(
        "proposed_on", verbose_name=gettext_lazy("proposed on")
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
        help_text=gettext_lazy(
            "The organization or format proposed, or the one the proposal concerns."
        ),
        verbose_name=gettext_lazy("organization"),
    )
    stage = models.CharField(
        gettext_lazy("stage"),
        max_length=300,
        blank=True,
        help_text=gettext_lazy("Where the idea stood, as the sources say."),
    )
    outcome = models.TextField(gettext_lazy("outcome"), blank=True)
    note = models.TextField(gettext_lazy("note"), blank=True)

    proposed_on_partial = PartialDateAccessor("proposed_on")
    history = HistoricalRecords(m2m_fields=[proposed_by_countries])

    class Meta:
        ordering = ["proposed_on", "title"]
        verbose_name = gettext_lazy("proposal")
        verbose_name_plural = gettext_lazy("proposals")

    def __str__(self):
        return self.title
