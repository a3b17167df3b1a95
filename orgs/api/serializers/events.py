"""Events, who took part, quotes and proposals."""

from __future__ import annotations

from rest_framework import serializers

from orgs.models import Event, EventParticipant, Proposal, Quote

from .base import (
    CURATED_FIELDS,
    CURATED_READ_ONLY,
    CitationInlineSerializer,
    CleanModelSerializer,
    PartialDateField,
    country_field,
    display_name_field,
    event_field,
    names_field,
    organization_field,
    person_field,
    read_only_link,
)


class QuoteSerializer(CleanModelSerializer):
    many_to_many = ("about_organizations", "about_countries")

    url = serializers.HyperlinkedIdentityField(view_name="api-quote-detail")
    speaker = person_field(required=False, allow_null=True)
    speaker_organization = organization_field(required=False, allow_null=True)
    said_on = PartialDateField(source="said_on_partial", required=False, allow_null=True)
    event = event_field(required=False, allow_null=True)
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
            "event",
            "about_organizations",
            "about_countries",
            "note",
            "citations",
            *CURATED_FIELDS,
        ]
        read_only_fields = CURATED_READ_ONLY


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
    display_name = display_name_field()
    names = names_field()

    class Meta:
        model = Event
        fields = [
            "url",
            "id",
            "slug",
            "name",
            "name_ru",
            "display_name",
            "names",
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
            *CURATED_FIELDS,
        ]
        read_only_fields = CURATED_READ_ONLY


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
            *CURATED_FIELDS,
        ]
        read_only_fields = CURATED_READ_ONLY
