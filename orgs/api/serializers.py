"""Serializers: explicit fields, partial dates in one form, related records as small linked objects.

Reads give a related record as ``{"slug": "sco", "name": "…", "url": "…/organizations/sco/"}``
and writes take its slug (or a country's ISO code); a partial date reads as
``{"date", "precision", "display", "latest"}`` and is written as ``2024``, ``2024-07``,
``2024-07-04`` or ``≤2025-06-09``. Writes run the model's ``full_clean()``, the admin's
validation, and answer its messages field by field.
"""

from __future__ import annotations

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse
from rest_framework.settings import api_settings

from orgs.dates import PARTIAL_DATE_HELP, PartialDate, PartialDateError, Precision
from orgs.models import (
    Agreement,
    AgreementParty,
    AgreementStage,
    Application,
    Citation,
    Cited,
    Country,
    Event,
    EventParticipant,
    Membership,
    Organization,
    Person,
    Proposal,
    Quote,
    Source,
    Status,
)

# --- fields --------------------------------------------------------------------------------


class PartialDateField(serializers.Field):
    """A partial date: read as an object, written as the text editors type in the admin."""

    default_error_messages = {
        "invalid": "Give a partial date as text: 2024, 2024-07, 2024-07-04 or ≤2025-06-09.",
    }

    def to_representation(self, value: PartialDate):
        return {
            "date": value.earliest.isoformat(),
            "precision": value.precision,
            "display": value.display,
            "latest": value.latest.isoformat(),
        }

    def validate_empty_values(self, data):
        if data == "" and self.allow_null:
            return True, None
        return super().validate_empty_values(data)

    def to_internal_value(self, data):
        # The object this field reads as is accepted back, so a client can PUT what it GET.
        if isinstance(data, dict) and isinstance(data.get("date"), str):
            data = self._text_of(data)
        if not isinstance(data, str):
            self.fail("invalid")
        try:
            return PartialDate.parse(data)
        except PartialDateError as error:
            raise serializers.ValidationError(str(error)) from None

    def _text_of(self, data: dict) -> str:
        date, precision = data["date"], data.get("precision", Precision.DAY)
        if precision == Precision.YEAR:
            return date[:4]
        if precision == Precision.MONTH:
            return date[:7]
        return f"≤{date}" if precision == Precision.BY else date


class PartialDateFieldExtension(OpenApiSerializerFieldExtension):
    target_class = PartialDateField

    def map_serializer_field(self, auto_schema, direction):
        if direction == "request":
            return {
                "type": "string",
                "pattern": r"^(≤|<=)?\d{4}(-\d{1,2}(-\d{1,2})?)?$",
                "example": "2024-07",
                "description": PARTIAL_DATE_HELP,
            }
        return {
            "type": "object",
            "description": "A partial date: its first day, its precision, how pages print it, "
            "and the last day it may stand for.",
            "properties": {
                "date": {"type": "string", "format": "date", "example": "2024-07-01"},
                "precision": {"enum": Precision.values, "type": "string", "example": "month"},
                "display": {"type": "string", "example": "July 2024"},
                "latest": {"type": "string", "format": "date", "example": "2024-07-31"},
            },
            "required": ["date", "precision", "display", "latest"],
        }


@extend_schema_field({"type": "string", "description": "A URL, or empty when unknown."})
class OptionalURLField(serializers.URLField):
    """A URL that may be blank: its schema cannot say ``format: uri``, which "" would break."""

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_blank", True)
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 1000)
        super().__init__(**kwargs)


def country_url(country: Country, request) -> str:
    return reverse("api-country-detail", kwargs={"iso2": country.iso2.lower()}, request=request)


class LinkedField(serializers.SlugRelatedField):
    """A related record: read as ``{<key>, name, url}``, written as its slug or code."""

    def __init__(self, view_name: str, slug_field: str = "slug", **kwargs):
        self.view_name = view_name
        super().__init__(slug_field=slug_field, **kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        value = data.strip()
        value = value.upper() if self.slug_field in ("iso2", "iso3") else value.lower()
        return super().to_internal_value(value)

    def use_pk_only_optimization(self):
        return False

    def get_choices(self, cutoff=None):
        # The browsable API's forms offer the written form (slug or code), not the read object.
        queryset = self.get_queryset()
        if queryset is None:
            return {}
        if cutoff is not None:
            queryset = queryset[:cutoff]
        return {getattr(item, self.slug_field): self.display_value(item) for item in queryset}

    def to_representation(self, obj):
        request = self.context.get("request")
        if isinstance(obj, Country):
            url = country_url(obj, request)
        else:
            url = reverse(self.view_name, kwargs={"slug": obj.slug}, request=request)
        return {self.slug_field: getattr(obj, self.slug_field), "name": str(obj), "url": url}


class LinkedFieldExtension(OpenApiSerializerFieldExtension):
    target_class = LinkedField

    def map_serializer_field(self, auto_schema, direction):
        key = self.target.slug_field
        if direction == "request":
            return {"type": "string", "description": f"The {key} of the related record."}
        return {
            "type": "object",
            "properties": {
                key: {"type": "string"},
                "name": {"type": "string"},
                "url": {"type": "string", "format": "uri"},
            },
            "required": [key, "name", "url"],
        }


def organization_field(**kwargs):
    return LinkedField("api-organization-detail", queryset=Organization.objects.all(), **kwargs)


def country_field(**kwargs):
    return LinkedField(
        "api-country-detail", slug_field="iso2", queryset=Country.objects.all(), **kwargs
    )


def person_field(**kwargs):
    return LinkedField("api-person-detail", queryset=Person.objects.all(), **kwargs)


class CountryIdentityField(serializers.HyperlinkedIdentityField):
    """Countries live at their lowercase alpha-2 code: /api/v1/countries/by/."""

    def get_url(self, obj, view_name, request, format):
        return country_url(obj, request)


class MemberSerializer(serializers.Serializer):
    """The member of a spell or the applicant of an application, country or organization."""

    kind = serializers.SerializerMethodField()
    code = serializers.SerializerMethodField(help_text="Alpha-2 code or organization slug.")
    name = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    def get_kind(self, record) -> str:
        return "country" if isinstance(record, Country) else "organization"

    def get_code(self, record) -> str:
        return record.iso2 if isinstance(record, Country) else record.slug

    def get_name(self, record) -> str:
        return str(record)

    def get_url(self, record) -> str:
        request = self.context.get("request")
        if isinstance(record, Country):
            return country_url(record, request)
        return reverse("api-organization-detail", kwargs={"slug": record.slug}, request=request)


class CitationInlineSerializer(serializers.ModelSerializer):
    """A citation inside the record it supports: which source says so, and where."""

    csv_url_key = "web_url"

    source_id = serializers.IntegerField(read_only=True)
    source_url = serializers.HyperlinkedRelatedField(
        source="source", view_name="api-source-detail", read_only=True
    )
    title = serializers.CharField(source="source.title", read_only=True)
    publisher = serializers.CharField(source="source.publisher", read_only=True)
    date = PartialDateField(source="source.published_on_partial", read_only=True, allow_null=True)
    web_url = OptionalURLField(source="source.url", read_only=True)

    class Meta:
        model = Citation
        fields = [
            "id",
            "source_id",
            "source_url",
            "title",
            "publisher",
            "date",
            "web_url",
            "excerpt",
            "locator",
            "claim_field",
        ]
        read_only_fields = fields


# --- writes through full_clean -------------------------------------------------------------


def as_field_errors(error: DjangoValidationError) -> dict:
    errors = serializers.as_serializer_error(error)
    if NON_FIELD_ERRORS in errors:
        errors[api_settings.NON_FIELD_ERRORS_KEY] = errors.pop(NON_FIELD_ERRORS)
    return errors


class CleanModelSerializer(serializers.HyperlinkedModelSerializer):
    """Saves through the model's ``full_clean()``: the same validation as the admin.

    The viewset runs ``save()`` inside ``transaction.atomic()``, so a refused write changes
    nothing.
    """

    many_to_many: tuple[str, ...] = ()

    def create(self, validated_data):
        return self._clean_and_save(self.Meta.model(), validated_data)

    def update(self, instance, validated_data):
        return self._clean_and_save(instance, validated_data)

    def _clean_and_save(self, instance, data):
        related = {name: data.pop(name) for name in self.many_to_many if name in data}
        for name, value in data.items():
            setattr(instance, name, value)
        try:
            instance.full_clean()
        except DjangoValidationError as error:
            raise serializers.ValidationError(as_field_errors(error)) from None
        instance.save()
        for name, values in related.items():
            getattr(instance, name).set(values)
        return instance


CLAIM_FIELDS = ["is_published", "is_disputed", "dispute_note", "updated_at", "version"]
# Publishing is a reviewer's act with its own rules (orgs.services.records_publish): the API
# writes drafts and reads the published flag. ``version`` is raised by every write; an update
# may send back the one it read to be refused if it is stale (OptimisticLockingMixin).
CLAIM_READ_ONLY = ["is_published", "updated_at", "version"]


# --- resources -----------------------------------------------------------------------------


class OrganizationSerializer(CleanModelSerializer):
    url = serializers.HyperlinkedIdentityField(
        view_name="api-organization-detail", lookup_field="slug"
    )
    parent = organization_field(required=False, allow_null=True)
    proposed_by = person_field(required=False, allow_null=True)
    proposed_on = PartialDateField(source="proposed_on_partial", required=False, allow_null=True)
    founded_on = PartialDateField(source="founded_on_partial", required=False, allow_null=True)
    dissolved_on = PartialDateField(source="dissolved_on_partial", required=False, allow_null=True)
    website = OptionalURLField(max_length=500)
    citations = CitationInlineSerializer(many=True, read_only=True)

    class Meta:
        model = Organization
        fields = [
            "url",
            "id",
            "slug",
            "name",
            "acronym",
            "other_names",
            "kind",
            "lifecycle",
            "parent",
            "proposed_by",
            "proposed_on",
            "founded_on",
            "dissolved_on",
            "headquarters",
            "website",
            "description",
            "citations",
            *CLAIM_FIELDS,
        ]
        read_only_fields = CLAIM_READ_ONLY


class CountrySerializer(CleanModelSerializer):
    url = CountryIdentityField(view_name="api-country-detail")

    class Meta:
        model = Country
        fields = [
            "url",
            "id",
            "iso2",
            "iso3",
            "name",
            "official_name",
            "other_names",
            "region",
            "notes",
            *CLAIM_FIELDS,
        ]
        read_only_fields = CLAIM_READ_ONLY


class PersonSerializer(CleanModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api-person-detail", lookup_field="slug")

    class Meta:
        model = Person
        fields = ["url", "id", "slug", "name", "native_name", "description", *CLAIM_FIELDS]
        read_only_fields = CLAIM_READ_ONLY


class SourceSerializer(CleanModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api-source-detail")
    web_url = OptionalURLField(source="url", label="URL")
    archive_url = OptionalURLField()
    published_on = PartialDateField(source="published_on_partial", required=False, allow_null=True)

    class Meta:
        model = Source
        fields = [
            "url",
            "id",
            "key",
            "kind",
            "title",
            "publisher",
            "author",
            "web_url",
            "archive_url",
            "published_on",
            "retrieved_on",
            "language",
            "translation_note",
            "notes",
            *CLAIM_FIELDS,
        ]
        read_only_fields = CLAIM_READ_ONLY


class MembershipSerializer(CleanModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api-membership-detail")
    organization = organization_field()
    member = MemberSerializer(read_only=True)
    member_country = country_field(required=False, allow_null=True)
    member_organization = organization_field(required=False, allow_null=True)
    start = PartialDateField(source="start_partial")
    end = PartialDateField(source="end_partial", required=False, allow_null=True)
    is_certain = serializers.SerializerMethodField(
        help_text="With as_of: false when the date falls inside the precision window of the "
        "spell's start or end (it may or may not have held then). Null without as_of."
    )
    citations = CitationInlineSerializer(many=True, read_only=True)

    class Meta:
        model = Membership
        fields = [
            "url",
            "id",
            "organization",
            "member",
            "member_country",
            "member_organization",
            "status",
            "qualifier",
            "start",
            "end",
            "is_certain",
            "is_founding",
            "rank",
            "rank_reason",
            "note",
            "citations",
            *CLAIM_FIELDS,
        ]
        read_only_fields = CLAIM_READ_ONLY

    def get_is_certain(self, spell) -> bool | None:
        return getattr(spell, "is_certain", None)


class ApplicationSerializer(CleanModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api-application-detail")
    organization = organization_field()
    applicant = MemberSerializer(read_only=True)
    applicant_country = country_field(required=False, allow_null=True)
    applicant_organization = organization_field(required=False, allow_null=True)
    filed_on = PartialDateField(source="filed_on_partial", required=False, allow_null=True)
    decided_on = PartialDateField(source="decided_on_partial", required=False, allow_null=True)
    citations = CitationInlineSerializer(many=True, read_only=True)

    class Meta:
        model = Application
        fields = [
            "url",
            "id",
            "organization",
            "applicant",
            "applicant_country",
            "applicant_organization",
            "kind",
            "requested_status",
            "filed_on",
            "decided_on",
            "outcome",
            "note",
            "citations",
            *CLAIM_FIELDS,
        ]
        read_only_fields = CLAIM_READ_ONLY


class QuoteSerializer(CleanModelSerializer):
    many_to_many = ("about_organizations", "about_countries")

    url = serializers.HyperlinkedIdentityField(view_name="api-quote-detail")
    speaker = person_field(required=False, allow_null=True)
    speaker_organization = organization_field(required=False, allow_null=True)
    said_on = PartialDateField(source="said_on_partial", required=False, allow_null=True)
    about_organizations = organization_field(many=True, required=False)
    about_countries = country_field(many=True, required=False)
    citations = CitationInlineSerializer(many=True, read_only=True)

    class Meta:
        model = Quote
        fields = [
            "url",
            "id",
            "text",
            "original_text",
            "original_language",
            "kind",
            "speaker",
            "speaker_role",
            "speaker_organization",
            "said_on",
            "about_organizations",
            "about_countries",
            "note",
            "citations",
            *CLAIM_FIELDS,
        ]
        read_only_fields = CLAIM_READ_ONLY


# --- agreements, events and proposals (issue 6) ---------------------------------------------


def agreement_field(**kwargs):
    return LinkedField("api-agreement-detail", queryset=Agreement.objects.all(), **kwargs)


def event_field(**kwargs):
    return LinkedField("api-event-detail", queryset=Event.objects.all(), **kwargs)


def read_only_link(view_name: str, slug_field: str = "slug", **kwargs):
    return LinkedField(view_name, slug_field=slug_field, read_only=True, **kwargs)


class PartyInlineSerializer(serializers.Serializer):
    """A party inside its agreement: the country or organization, and the party row's id."""

    id = serializers.IntegerField(
        read_only=True, help_text="The party row (DELETE /agreement-parties/<id>/ removes it)."
    )
    kind = serializers.SerializerMethodField()
    code = serializers.SerializerMethodField(help_text="Alpha-2 code or organization slug.")
    name = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    def get_kind(self, row) -> str:
        return "country" if row.country_id else "organization"

    def get_code(self, row) -> str:
        return row.country.iso2 if row.country_id else row.organization.slug

    def get_name(self, row) -> str:
        return str(row.party)

    def get_url(self, row) -> str:
        return MemberSerializer(context=self.context).get_url(row.party)


class StageInlineSerializer(serializers.ModelSerializer):
    """A stage inside its agreement's timeline."""

    url = serializers.HyperlinkedIdentityField(view_name="api-agreement-stage-detail")
    label = serializers.CharField(source="get_stage_display", read_only=True)
    date = PartialDateField(source="date_partial", read_only=True)
    citations = CitationInlineSerializer(many=True, read_only=True)

    class Meta:
        model = AgreementStage
        fields = ["url", "id", "stage", "label", "date", "place", "note", "citations"]
        read_only_fields = fields


class CurrentStageSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    stage = serializers.CharField()
    label = serializers.CharField(source="get_stage_display")
    date = PartialDateField(source="date_partial")
    place = serializers.CharField()
    is_certain = serializers.BooleanField(
        help_text="False while as_of is still inside the window of the stage's partial date."
    )


class AgreementSerializer(CleanModelSerializer):
    url = serializers.HyperlinkedIdentityField(
        view_name="api-agreement-detail", lookup_field="slug"
    )
    parties = PartyInlineSerializer(many=True, read_only=True)
    stages = StageInlineSerializer(source="stage_list", many=True, read_only=True)
    current_stage = CurrentStageSerializer(
        read_only=True,
        allow_null=True,
        help_text="The stage reached on as_of (today by default); null before the first one.",
    )
    citations = CitationInlineSerializer(many=True, read_only=True)

    class Meta:
        model = Agreement
        fields = [
            "url",
            "id",
            "slug",
            "title",
            "kind",
            "description",
            "note",
            "parties",
            "stages",
            "current_stage",
            "citations",
            *CLAIM_FIELDS,
        ]
        read_only_fields = CLAIM_READ_ONLY


class AgreementStageSerializer(CleanModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api-agreement-stage-detail")
    agreement = agreement_field()
    label = serializers.CharField(source="get_stage_display", read_only=True)
    date = PartialDateField(source="date_partial")
    citations = CitationInlineSerializer(many=True, read_only=True)

    class Meta:
        model = AgreementStage
        fields = [
            "url",
            "id",
            "agreement",
            "stage",
            "label",
            "date",
            "place",
            "note",
            "citations",
            *CLAIM_FIELDS,
        ]
        read_only_fields = CLAIM_READ_ONLY
        # The model's constraints say it in full_clean(), in the admin's words.
        validators = []


class AgreementPartySerializer(CleanModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api-agreement-party-detail")
    agreement = agreement_field()
    party = MemberSerializer(read_only=True)
    country = country_field(required=False, allow_null=True)
    organization = organization_field(required=False, allow_null=True)

    class Meta:
        model = AgreementParty
        fields = ["url", "id", "agreement", "party", "country", "organization"]
        # The model's constraints say it in full_clean(), in the admin's words.
        validators = []

    def _clean_and_save(self, instance, data):
        try:
            return super()._clean_and_save(instance, data)
        except serializers.ValidationError as error:
            # "Already a party" comes from a database constraint, not a field: put it under the
            # field the client gave, so a form can show it next to that field.
            errors = error.detail
            general = errors.pop(api_settings.NON_FIELD_ERRORS_KEY, None)
            if general:
                field = "country" if data.get("country") else "organization"
                errors.setdefault(field, []).extend(general)
            raise serializers.ValidationError(errors) from None


class QuoteLinkSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api-quote-detail")

    class Meta:
        model = Quote
        fields = ["id", "url"]


class ParticipantInlineSerializer(serializers.ModelSerializer):
    """Who took part, inside the event: a person (for a country or organization), a country or
    an organization, with a role and citations."""

    url = serializers.HyperlinkedIdentityField(view_name="api-event-participant-detail")
    name = serializers.CharField(read_only=True)
    person = read_only_link("api-person-detail", allow_null=True)
    country = read_only_link("api-country-detail", slug_field="iso2", allow_null=True)
    organization = read_only_link("api-organization-detail", allow_null=True)
    citations = CitationInlineSerializer(many=True, read_only=True)

    class Meta:
        model = EventParticipant
        fields = [
            "url",
            "id",
            "name",
            "person",
            "country",
            "organization",
            "role",
            "note",
            "citations",
        ]
        read_only_fields = fields


class EventSerializer(CleanModelSerializer):
    many_to_many = ("organizers",)

    url = serializers.HyperlinkedIdentityField(view_name="api-event-detail", lookup_field="slug")
    start = PartialDateField(source="start_partial")
    end = PartialDateField(source="end_partial", required=False, allow_null=True)
    organizers = organization_field(many=True, required=False)
    participants = ParticipantInlineSerializer(many=True, read_only=True)
    quotes = QuoteLinkSerializer(many=True, read_only=True, help_text="Quotes said there.")
    citations = CitationInlineSerializer(many=True, read_only=True)

    class Meta:
        model = Event
        fields = [
            "url",
            "id",
            "slug",
            "name",
            "kind",
            "start",
            "end",
            "place",
            "organizers",
            "description",
            "note",
            "participants",
            "quotes",
            "citations",
            *CLAIM_FIELDS,
        ]
        read_only_fields = CLAIM_READ_ONLY


class EventParticipantSerializer(CleanModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api-event-participant-detail")
    event = event_field()
    name = serializers.CharField(read_only=True)
    person = person_field(required=False, allow_null=True)
    country = country_field(required=False, allow_null=True)
    organization = organization_field(required=False, allow_null=True)
    citations = CitationInlineSerializer(many=True, read_only=True)

    class Meta:
        model = EventParticipant
        fields = [
            "url",
            "id",
            "event",
            "name",
            "person",
            "country",
            "organization",
            "role",
            "note",
            "citations",
        ]


class ProposalSerializer(CleanModelSerializer):
    many_to_many = ("proposed_by_countries",)

    url = serializers.HyperlinkedIdentityField(view_name="api-proposal-detail", lookup_field="slug")
    proposed_by_person = person_field(required=False, allow_null=True)
    proposed_by_countries = country_field(many=True, required=False)
    proposed_by_organization = organization_field(required=False, allow_null=True)
    proposed_on = PartialDateField(source="proposed_on_partial", required=False, allow_null=True)
    organization = organization_field(required=False, allow_null=True)
    citations = CitationInlineSerializer(many=True, read_only=True)

    class Meta:
        model = Proposal
        fields = [
            "url",
            "id",
            "slug",
            "title",
            "proposed_by_person",
            "proposed_by_countries",
            "proposed_by_organization",
            "proposed_on",
            "organization",
            "stage",
            "outcome",
            "note",
            "citations",
            *CLAIM_FIELDS,
        ]
        read_only_fields = CLAIM_READ_ONLY


# --- publishing through orgs.services ------------------------------------------------------


class PublishRequestSerializer(serializers.Serializer):
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text="Why, for the record's history (optional).",
    )


class PublishResultSerializer(serializers.Serializer):
    is_published = serializers.BooleanField()
    changed = serializers.BooleanField(help_text="False when the record already was so.")


# Records a citation may support, by the name the API gives their kind: every cited model.
CITABLE_MODELS = {
    model._meta.model_name: model
    for model in apps.get_app_config("orgs").get_models()
    if issubclass(model, Cited)
}


class CitationSerializer(CleanModelSerializer):
    """A citation on its own: which source supports which record (``claim_type`` + ``claim_id``)."""

    url = serializers.HyperlinkedIdentityField(view_name="api-citation-detail")
    claim_type = serializers.ChoiceField(
        source="content_type.model",
        choices=sorted(CITABLE_MODELS),
        help_text="The kind of record the source supports.",
    )
    claim_id = serializers.IntegerField(source="object_id", min_value=1, max_value=2**63 - 1)
    source = serializers.PrimaryKeyRelatedField(queryset=Source.objects.all())

    class Meta:
        model = Citation
        fields = [
            "url",
            "id",
            "claim_type",
            "claim_id",
            "claim_field",
            "source",
            "excerpt",
            "locator",
            "position",
        ]

    def validate(self, attrs):
        claim_type = attrs.pop("content_type", {}).get("model")
        if claim_type is None and self.instance is not None:
            claim_type = self.instance.content_type.model
        object_id = attrs.get("object_id", getattr(self.instance, "object_id", None))
        model = CITABLE_MODELS.get(claim_type)
        if model is None:
            raise serializers.ValidationError({"claim_type": "Give the kind of record cited."})
        if not model.objects.filter(pk=object_id).exists():
            raise serializers.ValidationError(
                {"claim_id": f"There is no {claim_type} with id {object_id}."}
            )
        attrs["content_type"] = ContentType.objects.get_for_model(model)
        return attrs


# --- overlap -------------------------------------------------------------------------------


class OverlapOrganizationSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    url = serializers.HyperlinkedIdentityField(
        view_name="api-organization-detail", lookup_field="slug"
    )


class OverlapSpellSerializer(serializers.Serializer):
    organization = serializers.CharField(source="organization.slug")
    status = serializers.ChoiceField(choices=Status.choices)
    qualifier = serializers.CharField()
    is_certain = serializers.BooleanField(
        help_text="False when as_of falls inside the precision window of the start or end."
    )
    start = PartialDateField(source="start_partial")
    end = PartialDateField(source="end_partial", allow_null=True)
    url = serializers.HyperlinkedIdentityField(view_name="api-membership-detail")


class OverlapMemberSerializer(serializers.Serializer):
    kind = serializers.CharField()
    code = serializers.CharField(help_text="Alpha-2 code or organization slug.")
    name = serializers.CharField()
    url = serializers.CharField()
    memberships = OverlapSpellSerializer(
        many=True, help_text="Its spells, organization by organization."
    )


class IntersectionSerializer(serializers.Serializer):
    organizations = serializers.ListField(child=serializers.CharField())
    count = serializers.IntegerField()
    members = OverlapMemberSerializer(many=True)


class PairSerializer(serializers.Serializer):
    organizations = serializers.ListField(child=serializers.CharField())
    count = serializers.IntegerField()


class OverlapSerializer(serializers.Serializer):
    as_of = serializers.DateField()
    statuses = serializers.ListField(
        child=serializers.ChoiceField(choices=Status.choices), allow_null=True
    )
    organizations = OverlapOrganizationSerializer(many=True)
    intersections = IntersectionSerializer(
        many=True, help_text="Every non-empty exact intersection, largest combination first."
    )
    pairwise = PairSerializer(many=True)
