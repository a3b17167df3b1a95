"""One FilterSet per resource, for the API's lists and the pages that list the same thing.

Dates and statuses are parsed by ``orgs.params``, the parser the pages use, so a bad value is
refused the same way everywhere: 400 with a message under the parameter's name. "As of" goes
through ``MembershipQuerySet.as_of`` and ``spell_as_of_q``, never a copy of the rule; an
agreement's stage as of a day through ``selectors.agreement_list``; a country's code through
``country_code_q``.

The FilterSets are plain django-filter ones: a page uses them as
``EventFilter(request.GET, queryset=..., request=request)``. The request is optional and only
read by ``orgs.params.preview_requested`` (its ``GET`` and ``user``), where a filter looks at
records beyond the queryset it is given (the spells behind ``CountryFilter``, the agreements of
``AgreementFilter.agreements()``): without one, those are the published records.
"""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.forms.utils import ErrorDict
from django.utils import timezone
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from orgs import selectors
from orgs.models import (
    Agreement,
    AgreementParty,
    AgreementStage,
    AgreementStageKind,
    Application,
    Citation,
    Country,
    Event,
    EventParticipant,
    Membership,
    Organization,
    Person,
    Proposal,
    Quote,
    Rank,
    Source,
    Status,
    cited_models,
    country_code_q,
    spell_as_of_q,
)
from orgs.params import ParameterError, parse_date, parse_statuses, preview_requested


class DayField(forms.Field):
    def to_python(self, value):
        try:
            return parse_date(value)
        except ParameterError as error:
            raise forms.ValidationError(error.message, code="invalid") from None


class StatusesField(forms.Field):
    def to_python(self, value):
        try:
            return parse_statuses(value)
        except ParameterError as error:
            raise forms.ValidationError(error.message, code="invalid") from None


@extend_schema_field(OpenApiTypes.DATE)
class DayFilter(filters.Filter):
    """A day written YYYY-MM-DD, nothing else."""

    field_class = DayField


@extend_schema_field(
    {
        "type": "string",
        "pattern": r"^[a-z_ -]+(,[a-z_ -]+)*$",
        "example": "member,observer",
        "description": "One or more of " + ", ".join(Status.values) + ", comma-separated.",
    }
)
class StatusesFilter(filters.Filter):
    field_class = StatusesField

    def filter(self, queryset, value):
        return queryset.filter(**{f"{self.field_name}__in": value}) if value else queryset


class WordsFilter(filters.CharFilter):
    """Records with the text given in any of ``fields``, in any case: the ``q`` of a list."""

    def __init__(self, *, fields: list[str], **kwargs):
        self.search_fields = fields
        super().__init__(**kwargs)

    def filter(self, queryset, value):
        if not value:
            return queryset
        condition = Q()
        for field in self.search_fields:
            condition |= Q(**{f"{field}__icontains": value})
        return queryset.filter(condition)


@extend_schema_field(OpenApiTypes.INT64)
class IdFilter(filters.NumberFilter):
    field_class = forms.IntegerField


def member_q(code: str, *, country: str, organization: str) -> Q:
    """A member given as an ISO alpha-2 or alpha-3 code (any case) or an organization slug."""
    code = code.strip()
    condition = Q(**{f"{organization}__slug": code.lower()})
    if len(code) in (2, 3):
        condition |= country_code_q(code, f"{country}__")
    return condition


def preview(filterset: filters.FilterSet) -> bool:
    """Whether the request behind the FilterSet, if any, is staff asking for drafts."""
    return filterset.request is not None and preview_requested(filterset.request)


class AliasedFilterSet(filters.FilterSet):
    """A FilterSet that also takes older names of its parameters.

    ``aliases`` maps an older name to the parameter it stands for (``{"from": "start_after"}``),
    so links written with it keep working; the parameter's own name wins when both are given.
    Errors name the parameter as the request wrote it.
    """

    aliases: dict[str, str] = {}

    def __init__(self, data=None, *args, **kwargs):
        self.given_names: dict[str, str] = {}
        if data is not None:
            data = data.copy()
            for alias, name in self.aliases.items():
                if alias in data and name not in data:
                    data[name] = data[alias]
                    self.given_names[name] = alias
        super().__init__(data, *args, **kwargs)

    def parameter(self, name: str) -> str:
        """The name the request gave parameter ``name`` under: its own or an alias."""
        return self.given_names.get(name, name)

    @property
    def errors(self):
        return ErrorDict(
            (self.parameter(name), errors) for name, errors in self.form.errors.items()
        )


MEMBER_KINDS = [("country", "country"), ("organization", "organization")]


class MembershipFilter(filters.FilterSet):
    organization = filters.CharFilter(
        field_name="organization__slug", help_text="Organization slug, for example sco."
    )
    member = filters.CharFilter(
        method="filter_member",
        help_text="A member country's ISO alpha-2 or alpha-3 code (any case), or a member "
        "organization's slug: by, BLR, cis.",
    )
    member_kind = filters.ChoiceFilter(choices=MEMBER_KINDS, method="filter_member_kind")
    status = StatusesFilter(field_name="status")
    as_of = DayFilter(
        method="filter_as_of",
        help_text="Spells that may hold on this day (YYYY-MM-DD); each gets is_certain.",
    )
    current = filters.BooleanFilter(
        method="filter_current", help_text="true: spells that may hold today; false: the others."
    )
    start_after = DayFilter(
        field_name="start", lookup_expr="gte", help_text="Spells starting on or after this day."
    )
    start_before = DayFilter(
        field_name="start", lookup_expr="lte", help_text="Spells starting on or before this day."
    )
    rank = filters.ChoiceFilter(choices=Rank.choices)

    class Meta:
        model = Membership
        fields = ["is_founding"]

    def filter_member(self, queryset, name, value):
        return queryset.filter(
            member_q(value, country="member_country", organization="member_organization")
        )

    def filter_member_kind(self, queryset, name, value):
        return queryset.filter(**{f"member_{value}__isnull": False})

    def filter_as_of(self, queryset, name, value):
        return queryset.as_of(value)

    def filter_current(self, queryset, name, value):
        holding = Q(spell_as_of_q(timezone.localdate()))
        return queryset.filter(holding) if value else queryset.exclude(holding)


class ApplicationFilter(filters.FilterSet):
    organization = filters.CharFilter(field_name="organization__slug")
    applicant = filters.CharFilter(
        method="filter_applicant",
        help_text="An applicant country's ISO alpha-2 or alpha-3 code, or an organization slug.",
    )
    requested_status = StatusesFilter(field_name="requested_status")
    filed_after = DayFilter(field_name="filed_on", lookup_expr="gte")
    filed_before = DayFilter(field_name="filed_on", lookup_expr="lte")

    class Meta:
        model = Application
        fields = ["kind", "outcome"]

    def filter_applicant(self, queryset, name, value):
        return queryset.filter(
            member_q(value, country="applicant_country", organization="applicant_organization")
        )


class OrganizationFilter(filters.FilterSet):
    parent = filters.CharFilter(
        field_name="parent__slug", help_text="Slug of the parent organization (formats of BRICS)."
    )
    q = WordsFilter(
        fields=["name", "acronym", "slug", "other_names"],
        help_text="Words in the name, acronym, slug or other names (ШОС).",
    )
    as_of = DayFilter(
        method="filter_nothing",
        help_text="The day the answer is about (YYYY-MM-DD, today by default): "
        "later_changes_may_be_missing says whether it is after the organization's last review.",
    )

    class Meta:
        model = Organization
        fields = ["kind", "lifecycle"]

    def filter_nothing(self, queryset, name, value):
        return queryset  # the day is read by the serializer; it keeps every organization


class CountryFilter(filters.FilterSet):
    """Countries; with ``member_of``, ``status`` or ``as_of``, those holding such a spell."""

    member_of = filters.CharFilter(
        method="filter_by_spells", help_text="Slug of an organization the country is in."
    )
    status = StatusesFilter(method="filter_by_spells")
    as_of = DayFilter(method="filter_by_spells", help_text="In it on this day (YYYY-MM-DD).")
    q = WordsFilter(
        fields=["name", "official_name", "other_names"],
        help_text="Words in the name or other names.",
    )

    class Meta:
        model = Country
        fields = ["region"]

    def filter_by_spells(self, queryset, name, value):
        return queryset  # the three parameters combine in filter_queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        member_of, statuses, as_of = (
            self.form.cleaned_data.get(name) for name in ("member_of", "status", "as_of")
        )
        if not (member_of or statuses or as_of):
            return queryset
        spells = selectors.membership_list(preview=preview(self)).filter(
            member_country__isnull=False
        )
        if member_of:
            spells = spells.filter(organization__slug=member_of.strip().lower())
        if statuses:
            spells = spells.filter(status__in=statuses)
        if as_of:
            spells = spells.as_of(as_of)
        return queryset.filter(pk__in=spells.values("member_country_id"))


class PersonFilter(filters.FilterSet):
    q = WordsFilter(fields=["name", "native_name"], help_text="Words in the name, in any script.")

    class Meta:
        model = Person
        fields: list[str] = []


class SourceFilter(AliasedFilterSet):
    publisher = filters.CharFilter(lookup_expr="icontains")
    q = WordsFilter(
        fields=["title", "publisher", "author"], help_text="Words in the title or publisher."
    )
    published_after = DayFilter(field_name="published_on", lookup_expr="gte")
    published_before = DayFilter(field_name="published_on", lookup_expr="lte")

    class Meta:
        model = Source
        fields = ["kind", "language"]


class QuoteFilter(AliasedFilterSet):
    aliases = {"organization": "about_organization", "country": "about_country"}

    speaker = filters.CharFilter(field_name="speaker__slug", help_text="Slug of the speaker.")
    about_organization = filters.CharFilter(
        field_name="about_organizations__slug", help_text="Slug of an organization it is about."
    )
    about_country = filters.CharFilter(
        method="filter_about_country",
        help_text="ISO alpha-2 or alpha-3 code (any case) of a country it is about.",
    )
    said_after = DayFilter(
        field_name="said_on", lookup_expr="gte", help_text="Said on or after this day."
    )
    said_before = DayFilter(
        field_name="said_on", lookup_expr="lte", help_text="Said on or before this day."
    )
    q = WordsFilter(
        fields=["text", "original_text", "speaker__name", "speaker_role"],
        help_text="Words in the quote or the speaker's name.",
    )

    class Meta:
        model = Quote
        fields = ["kind"]

    def filter_about_country(self, queryset, name, value):
        return queryset.filter(country_code_q(value, "about_countries__"))


class CitationFilter(filters.FilterSet):
    claim_type = filters.ChoiceFilter(
        field_name="content_type__model",
        choices=[(model._meta.model_name, model._meta.model_name) for model in cited_models()],
    )
    claim_id = IdFilter(field_name="object_id", min_value=1, max_value=2**63 - 1)
    source = IdFilter(field_name="source_id", min_value=1, max_value=2**63 - 1)

    class Meta:
        model = Citation
        fields = ["claim_field"]


def party_q(code: str) -> Q:
    """An agreement party or event participant: ISO alpha-2/alpha-3 code or organization slug."""
    return member_q(code, country="country", organization="organization")


class AgreementFilter(AliasedFilterSet):
    """Agreements; ``stage`` and ``as_of`` are derived from the stage timeline, so they are
    applied by ``agreements()`` after ``selectors.agreement_list``, not in SQL."""

    party = filters.CharFilter(
        method="filter_party",
        help_text="A party: a country's ISO alpha-2 or alpha-3 code (any case) or an "
        "organization's slug: eaeu, mn, MNG.",
    )
    stage = filters.ChoiceFilter(
        choices=AgreementStageKind.choices,
        method="filter_derived",
        help_text="The stage the agreement had reached on as_of (today by default).",
    )
    as_of = DayFilter(
        method="filter_derived",
        help_text="The day (YYYY-MM-DD) current_stage is given for; today by default.",
    )
    q = WordsFilter(fields=["title", "slug"], help_text="Words in the title or slug.")

    class Meta:
        model = Agreement
        fields = ["kind"]

    def filter_party(self, queryset, name, value):
        parties = AgreementParty.objects.visible(preview(self)).filter(party_q(value))
        return queryset.filter(pk__in=parties.values("agreement_id"))

    def filter_derived(self, queryset, name, value):
        return queryset  # see agreements()

    def agreements(self) -> list[Agreement]:
        """The filtered agreements as ``agreement_list`` loads them, each with
        ``current_stage`` on ``as_of``, kept when that stage is ``stage``: four queries."""
        stage = self.form.cleaned_data.get("stage")
        loaded = selectors.agreement_list(
            self.form.cleaned_data.get("as_of"), preview=preview(self), within=self.qs
        )
        return [
            agreement
            for agreement in loaded
            if (
                not stage
                or (
                    agreement.current_stage is not None  # type: ignore[attr-defined]
                    and agreement.current_stage.stage == stage  # type: ignore[attr-defined]
                )
            )
        ]


class AgreementStageFilter(filters.FilterSet):
    agreement = filters.CharFilter(field_name="agreement__slug", help_text="Agreement slug.")
    date_after = DayFilter(field_name="date", lookup_expr="gte", help_text="On or after this day.")
    date_before = DayFilter(
        field_name="date", lookup_expr="lte", help_text="On or before this day."
    )

    class Meta:
        model = AgreementStage
        fields = ["stage"]


class AgreementPartyFilter(filters.FilterSet):
    agreement = filters.CharFilter(field_name="agreement__slug", help_text="Agreement slug.")
    party = filters.CharFilter(
        method="filter_party", help_text="ISO alpha-2/alpha-3 code or organization slug."
    )

    class Meta:
        model = AgreementParty
        fields: list[str] = []

    def filter_party(self, queryset, name, value):
        return queryset.filter(party_q(value))


def participant_q(code: str) -> Q:
    """A participant: ISO code of a country, slug of an organization or of a person."""
    return party_q(code) | Q(person__slug=code.strip().lower())


class EventFilter(AliasedFilterSet):
    aliases = {"from": "start_after", "until": "start_before"}

    organization = filters.CharFilter(
        field_name="organizers__slug", help_text="Slug of an organizing organization: brics."
    )
    participant = filters.CharFilter(
        method="filter_participant",
        help_text="Who took part: a country's ISO alpha-2 or alpha-3 code (any case), an "
        "organization's slug or a person's slug: by, BLR, cis, alexander-lukashenko.",
    )
    start_after = DayFilter(
        field_name="start", lookup_expr="gte", help_text="Events starting on or after this day."
    )
    start_before = DayFilter(
        field_name="start", lookup_expr="lte", help_text="Events starting on or before this day."
    )
    q = WordsFilter(fields=["name", "place", "slug"], help_text="Words in the name, place or slug.")

    class Meta:
        model = Event
        fields = ["kind"]

    def filter_participant(self, queryset, name, value):
        participants = EventParticipant.objects.filter(participant_q(value))
        return queryset.filter(pk__in=participants.values("event_id"))


class EventParticipantFilter(filters.FilterSet):
    event = filters.CharFilter(field_name="event__slug", help_text="Event slug.")
    participant = filters.CharFilter(
        method="filter_participant",
        help_text="ISO alpha-2/alpha-3 code, organization slug or person slug.",
    )

    class Meta:
        model = EventParticipant
        fields: list[str] = []

    def filter_participant(self, queryset, name, value):
        return queryset.filter(participant_q(value))


class ProposalFilter(filters.FilterSet):
    proposer = filters.CharFilter(
        method="filter_proposer",
        help_text="Who proposed it: a person's slug, a country's ISO alpha-2 or alpha-3 code "
        "(any case) or an organization's slug: kassym-jomart-tokayev, by, sco.",
    )
    organization = filters.CharFilter(
        field_name="organization__slug",
        help_text="Slug of the organization or format proposed, or that the proposal concerns.",
    )
    q = WordsFilter(fields=["title", "slug"], help_text="Words in the title or slug.")

    class Meta:
        model = Proposal
        fields: list[str] = []

    def filter_proposer(self, queryset, name, value):
        code = value.strip()
        condition = Q(proposed_by_person__slug=code.lower()) | Q(
            proposed_by_organization__slug=code.lower()
        )
        if len(code) in (2, 3):
            # Through the link table, so a proposal of two countries is listed once.
            countries = Proposal.proposed_by_countries.through.objects.filter(
                country_code_q(code, "country__")
            )
            condition |= Q(pk__in=countries.values("proposal_id"))
        return queryset.filter(condition)
