"""One FilterSet per resource, for the API's lists and the pages that list the same thing.

Dates and statuses are parsed by ``orgs.params``, the parser the pages use, so a bad value is
refused the same way everywhere: 400 with a message under the parameter's name. "As of" goes
through ``MembershipQuerySet.as_of`` and ``spell_as_of_q``, never a copy of the rule; an
agreement's stage as of a day through ``selectors.agreement_list``; a country's code through
``country_code_q``. Slugs and codes are read by ``RecordFilter``: any case, and an unknown one
is refused rather than answered with an empty list (``orgs.api.parameters``).

The FilterSets are django-filter ones: a page uses them as
``EventFilter(request.GET, queryset=..., request=request)`` and stays lenient about parameters
it does not know; the API's backend passes ``strict=True``. The request is optional and only
read by ``orgs.params.preview_requested`` (its ``GET`` and ``user``), where a filter looks at
records beyond the queryset it is given: without one, those are the published records.
"""

from __future__ import annotations

from django.db.models import BooleanField, OuterRef, Q, Subquery, Value
from django.utils import timezone
from django_filters import rest_framework as filters

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
    cited_models,
    country_code_q,
    spell_as_of_q,
)
from orgs.regions import iso3_codes_in

from .parameters import (
    AreaFilter,
    AtlasFilterSet,
    ChoiceFilter,
    DayFilter,
    IdFilter,
    MomentFilter,
    NameSearchFilter,
    RecordFilter,
    StatusesFilter,
    UpdatedSinceFilter,
    WordsFilter,
    YesNoFilter,
    preview,
)


def member_q(code: str, *, country: str, organization: str) -> Q:
    """A member given as an ISO alpha-2 or alpha-3 code (any case) or an organization slug."""
    code = code.strip()
    condition = Q(**{f"{organization}__slug": code.lower()})
    if len(code) in (2, 3):
        condition |= country_code_q(code, f"{country}__")
    return condition


def changed_since(model, moment):
    """Ids of records of ``model`` (one without ``updated_at``) saved at or after ``moment``,
    read from their history."""
    return model.history.filter(history_date__gte=moment).values("id")


ORGANIZATION = ("organization",)
MEMBER = ("country", "organization")
PARTICIPANT = ("country", "organization", "person")


# --- memberships and applications --------------------------------------------------------

MEMBER_KINDS = [("country", "country"), ("organization", "organization")]


class MembershipFilter(AtlasFilterSet):
    organization = RecordFilter(
        kinds=ORGANIZATION,
        field_name="organization__slug",
        help_text="Organization slug, in any case: sco.",
    )
    member = RecordFilter(
        kinds=MEMBER,
        method="filter_member",
        help_text="A member country's ISO alpha-2 or alpha-3 code (any case), or a member "
        "organization's slug: by, BLR, cis.",
    )
    member_kind = ChoiceFilter(choices=MEMBER_KINDS, method="filter_member_kind")
    status = StatusesFilter(field_name="status")
    as_of = DayFilter(
        method="filter_as_of",
        help_text="Spells that may hold on this day (YYYY-MM-DD); each gets is_certain.",
    )
    certain = YesNoFilter(
        method="filter_certain",
        help_text="true keeps the spells that certainly held on as_of (today by default), false "
        "the ones that may or may not have (the day falls inside a partial start or end).",
    )
    current = YesNoFilter(
        method="filter_current", help_text="true: spells that may hold today; false: the others."
    )
    start_after = DayFilter(
        field_name="start", lookup_expr="gte", help_text="Spells starting on or after this day."
    )
    start_before = DayFilter(
        field_name="start", lookup_expr="lte", help_text="Spells starting on or before this day."
    )
    rank = ChoiceFilter(choices=Rank.choices)
    updated_since = UpdatedSinceFilter()

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

    def filter_certain(self, queryset, name, value):
        return queryset  # read with as_of, in filter_queryset

    def filter_current(self, queryset, name, value):
        holding = Q(spell_as_of_q(timezone.localdate()))
        return queryset.filter(holding) if value else queryset.exclude(holding)

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        certain = self.form.cleaned_data.get("certain")
        if certain is None:
            return queryset
        if not self.form.cleaned_data.get("as_of"):
            queryset = queryset.as_of(timezone.localdate())  # certain today
        return queryset.filter(is_certain=certain)


class ApplicationFilter(AtlasFilterSet):
    organization = RecordFilter(
        kinds=ORGANIZATION, field_name="organization__slug", help_text="Organization slug."
    )
    applicant = RecordFilter(
        kinds=MEMBER,
        method="filter_applicant",
        help_text="An applicant country's ISO alpha-2 or alpha-3 code, or an organization slug.",
    )
    requested_status = StatusesFilter(field_name="requested_status")
    filed_after = DayFilter(field_name="filed_on", lookup_expr="gte")
    filed_before = DayFilter(field_name="filed_on", lookup_expr="lte")
    updated_since = UpdatedSinceFilter()

    class Meta:
        model = Application
        fields = ["kind", "outcome"]

    def filter_applicant(self, queryset, name, value):
        return queryset.filter(
            member_q(value, country="applicant_country", organization="applicant_organization")
        )


# --- organizations, countries, people ----------------------------------------------------


class OrganizationFilter(AtlasFilterSet):
    parent = RecordFilter(
        kinds=ORGANIZATION,
        field_name="parent__slug",
        help_text="Slug of the parent organization (formats of BRICS).",
    )
    q = NameSearchFilter(
        search=selectors.organization_search,
        help_text="Part of a name, acronym, slug or other name, in English or Russian "
        "(SCO, Shanghai, ШОС, Шанхайская).",
    )
    as_of = DayFilter(
        method="filter_nothing",
        help_text="The day the answer is about (YYYY-MM-DD, today by default): "
        "later_changes_may_be_missing says whether it is after the organization's last review.",
    )
    updated_since = UpdatedSinceFilter()

    class Meta:
        model = Organization
        fields = ["kind", "lifecycle"]

    def filter_nothing(self, queryset, name, value):
        return queryset  # the day is read by the serializer; it keeps every organization


class CountryFilter(AtlasFilterSet):
    """Countries; with ``member_of``, ``status`` or ``as_of``, those holding such a spell.

    With ``member_of``, each country carries its spell in that organization (the latest that
    matches): ``membership_status``, ``membership_start`` and, with ``as_of``,
    ``membership_is_certain``, read by the serializer's ``membership``.
    """

    member_of = RecordFilter(
        kinds=ORGANIZATION,
        method="filter_by_spells",
        help_text="Slug of an organization the country is in; each country then carries its "
        "spell in it (membership).",
    )
    status = StatusesFilter(method="filter_by_spells")
    as_of = DayFilter(method="filter_by_spells", help_text="In it on this day (YYYY-MM-DD).")
    certain = YesNoFilter(
        method="filter_by_spells",
        help_text="true keeps the countries certainly holding such a spell on as_of (today by "
        "default), false the others.",
    )
    q = NameSearchFilter(
        search=selectors.country_search,
        help_text="Part of a name or code, in English or Russian (Belarus, BY, Беларусь, Росс).",
    )
    region = AreaFilter(
        method="filter_region",
        help_text="A UN M49 region or sub-region (any case): Europe, Central Asia, Western Asia; "
        "or the region an editor gave a territory ISO does not list.",
    )
    updated_since = UpdatedSinceFilter()

    class Meta:
        model = Country
        fields: list[str] = []

    def filter_region(self, queryset, name, value):
        return queryset.filter(Q(iso3__in=iso3_codes_in(value)) | Q(region__iexact=value))

    def filter_by_spells(self, queryset, name, value):
        return queryset  # the parameters combine in filter_queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        member_of, statuses, as_of, certain = (
            self.form.cleaned_data.get(name) for name in ("member_of", "status", "as_of", "certain")
        )
        if certain is not None and not as_of:
            as_of = timezone.localdate()  # certain today
        if not (member_of or statuses or as_of):
            return queryset
        spells = selectors.membership_list(preview=preview(self)).filter(
            member_country__isnull=False
        )
        if member_of:
            spells = spells.filter(organization__slug=member_of)
        if statuses:
            spells = spells.filter(status__in=statuses)
        if as_of:
            spells = spells.as_of(as_of)
        else:
            spells = spells.annotate(is_certain=Value(None, output_field=BooleanField(null=True)))
        if certain is not None:
            spells = spells.filter(is_certain=certain)
        queryset = queryset.filter(pk__in=spells.values("member_country_id"))
        if not member_of:
            return queryset
        spell = spells.filter(member_country=OuterRef("pk")).order_by("-start", "-id")
        return queryset.annotate(
            membership_id=Subquery(spell.values("id")[:1]),
            membership_status=Subquery(spell.values("status")[:1]),
            membership_start=Subquery(spell.values("start")[:1]),
            membership_start_precision=Subquery(spell.values("start_precision")[:1]),
            membership_is_certain=Subquery(spell.values("is_certain")[:1]),
        )


class PersonFilter(AtlasFilterSet):
    q = NameSearchFilter(
        search=selectors.person_search,
        help_text="Part of the name, in English, Russian or the native script.",
    )
    updated_since = UpdatedSinceFilter()

    class Meta:
        model = Person
        fields: list[str] = []


# --- sources, quotes, citations ----------------------------------------------------------


class SourceFilter(AtlasFilterSet):
    publisher = filters.CharFilter(lookup_expr="icontains")
    q = WordsFilter(
        fields=["title", "publisher", "author"], help_text="Words in the title or publisher."
    )
    published_after = DayFilter(field_name="published_on", lookup_expr="gte")
    published_before = DayFilter(field_name="published_on", lookup_expr="lte")
    updated_since = UpdatedSinceFilter()

    class Meta:
        model = Source
        fields = ["kind", "language"]


class QuoteFilter(AtlasFilterSet):
    aliases = {"organization": "about_organization", "country": "about_country"}

    speaker = RecordFilter(
        kinds=("person",),
        field_name="speaker__slug",
        help_text="Slug of the speaker: vladimir-putin.",
    )
    about_organization = RecordFilter(
        kinds=ORGANIZATION,
        field_name="about_organizations__slug",
        help_text="Slug of an organization it is about.",
    )
    about_country = RecordFilter(
        kinds=("country",),
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
    updated_since = UpdatedSinceFilter()

    class Meta:
        model = Quote
        fields = ["kind"]

    def filter_about_country(self, queryset, name, value):
        return queryset.filter(country_code_q(value, "about_countries__"))


class CitationFilter(AtlasFilterSet):
    claim_type = ChoiceFilter(
        field_name="content_type__model",
        choices=[(model._meta.model_name, model._meta.model_name) for model in cited_models()],
    )
    claim_id = IdFilter(field_name="object_id", min_value=1, max_value=2**63 - 1)
    source = IdFilter(field_name="source_id", min_value=1, max_value=2**63 - 1)
    updated_since = MomentFilter(
        method="filter_updated_since",
        help_text="Citations added or changed at or after this moment (ISO 8601).",
    )

    class Meta:
        model = Citation
        fields = ["claim_field"]

    def filter_updated_since(self, queryset, name, value):
        return queryset.filter(pk__in=changed_since(Citation, value))


# --- agreements --------------------------------------------------------------------------


def party_q(code: str) -> Q:
    """An agreement party or event participant: ISO alpha-2/alpha-3 code or organization slug."""
    return member_q(code, country="country", organization="organization")


class AgreementFilter(AtlasFilterSet):
    """Agreements; ``stage`` and ``as_of`` are derived from the stage timeline, so they are
    applied by ``agreements()`` after ``selectors.agreement_list``, not in SQL."""

    party = RecordFilter(
        kinds=MEMBER,
        method="filter_party",
        help_text="A party: a country's ISO alpha-2 or alpha-3 code (any case) or an "
        "organization's slug: eaeu, mn, MNG.",
    )
    stage = ChoiceFilter(
        choices=AgreementStageKind.choices,
        method="filter_derived",
        help_text="The stage the agreement had reached on as_of (today by default).",
    )
    as_of = DayFilter(
        method="filter_derived",
        help_text="The day (YYYY-MM-DD) current_stage is given for; today by default.",
    )
    q = WordsFilter(
        fields=["title", "title_ru", "slug"],
        help_text="Words in the title (English or Russian) or slug.",
    )
    updated_since = UpdatedSinceFilter()

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
        ``current_stage`` on ``as_of``, kept when that stage is ``stage``: five queries."""
        wanted = set(self.qs.values_list("pk", flat=True))
        stage = self.form.cleaned_data.get("stage")
        loaded = selectors.agreement_list(
            self.form.cleaned_data.get("as_of"), preview=preview(self)
        )
        return [
            agreement
            for agreement in loaded
            if agreement.pk in wanted
            and (
                not stage
                or (
                    agreement.current_stage is not None  # type: ignore[attr-defined]
                    and agreement.current_stage.stage == stage  # type: ignore[attr-defined]
                )
            )
        ]


class AgreementStageFilter(AtlasFilterSet):
    agreement = RecordFilter(
        kinds=("agreement",), field_name="agreement__slug", help_text="Agreement slug."
    )
    date_after = DayFilter(field_name="date", lookup_expr="gte", help_text="On or after this day.")
    date_before = DayFilter(
        field_name="date", lookup_expr="lte", help_text="On or before this day."
    )
    updated_since = UpdatedSinceFilter()

    class Meta:
        model = AgreementStage
        fields = ["stage"]


class AgreementPartyFilter(AtlasFilterSet):
    agreement = RecordFilter(
        kinds=("agreement",), field_name="agreement__slug", help_text="Agreement slug."
    )
    party = RecordFilter(
        kinds=MEMBER,
        method="filter_party",
        help_text="ISO alpha-2/alpha-3 code or organization slug.",
    )
    updated_since = MomentFilter(
        method="filter_updated_since",
        help_text="Parties added or changed at or after this moment (ISO 8601).",
    )

    class Meta:
        model = AgreementParty
        fields: list[str] = []

    def filter_party(self, queryset, name, value):
        return queryset.filter(party_q(value))

    def filter_updated_since(self, queryset, name, value):
        return queryset.filter(pk__in=changed_since(AgreementParty, value))


# --- events and proposals ----------------------------------------------------------------


def participant_q(code: str) -> Q:
    """A participant: ISO code of a country, slug of an organization or of a person."""
    return party_q(code) | Q(person__slug=code.strip().lower())


class EventFilter(AtlasFilterSet):
    aliases = {"from": "start_after", "until": "start_before"}

    organization = RecordFilter(
        kinds=ORGANIZATION,
        field_name="organizers__slug",
        help_text="Slug of an organizing organization: brics.",
    )
    participant = RecordFilter(
        kinds=PARTICIPANT,
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
    q = WordsFilter(
        fields=["name", "name_ru", "place", "slug"],
        help_text="Words in the name (English or Russian), place or slug.",
    )
    updated_since = UpdatedSinceFilter()

    class Meta:
        model = Event
        fields = ["kind"]

    def filter_participant(self, queryset, name, value):
        participants = EventParticipant.objects.filter(participant_q(value))
        return queryset.filter(pk__in=participants.values("event_id"))


class EventParticipantFilter(AtlasFilterSet):
    event = RecordFilter(kinds=("event",), field_name="event__slug", help_text="Event slug.")
    participant = RecordFilter(
        kinds=PARTICIPANT,
        method="filter_participant",
        help_text="ISO alpha-2/alpha-3 code, organization slug or person slug.",
    )
    updated_since = MomentFilter(
        method="filter_updated_since",
        help_text="Participants added or changed at or after this moment (ISO 8601).",
    )

    class Meta:
        model = EventParticipant
        fields: list[str] = []

    def filter_participant(self, queryset, name, value):
        return queryset.filter(participant_q(value))

    def filter_updated_since(self, queryset, name, value):
        return queryset.filter(pk__in=changed_since(EventParticipant, value))


class ProposalFilter(AtlasFilterSet):
    proposer = RecordFilter(
        kinds=PARTICIPANT,
        method="filter_proposer",
        help_text="Who proposed it: a person's slug, a country's ISO alpha-2 or alpha-3 code "
        "(any case) or an organization's slug: kassym-jomart-tokayev, by, sco.",
    )
    organization = RecordFilter(
        kinds=ORGANIZATION,
        field_name="organization__slug",
        help_text="Slug of the organization or format proposed, or that the proposal concerns.",
    )
    q = WordsFilter(fields=["title", "slug"], help_text="Words in the title or slug.")
    updated_since = UpdatedSinceFilter()

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
