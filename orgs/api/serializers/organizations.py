"""Organizations."""

from __future__ import annotations

from rest_framework import serializers

from orgs.models import Organization

from .base import (
    CURATED_FIELDS,
    CURATED_READ_ONLY,
    REVIEW_NOTICE_HELP,
    CitationInlineSerializer,
    CleanModelSerializer,
    LinkedField,
    OptionalURLField,
    PartialDateField,
    asked_day,
    country_field,
    display_name_field,
    names_field,
    organization_field,
    person_field,
)


class OrganizationSerializer(CleanModelSerializer):
    url = serializers.HyperlinkedIdentityField(
        view_name="api-organization-detail", lookup_field="slug"
    )
    parent = organization_field(required=False, allow_null=True)
    proposed_by = person_field(required=False, allow_null=True)
    proposed_by_country = country_field(required=False, allow_null=True)
    proposed_on = PartialDateField(source="proposed_on_partial", required=False, allow_null=True)
    founded_on = PartialDateField(source="founded_on_partial", required=False, allow_null=True)
    dissolved_on = PartialDateField(source="dissolved_on_partial", required=False, allow_null=True)
    website = OptionalURLField(max_length=500)
    successor = organization_field(required=False, allow_null=True)
    predecessors = LinkedField(
        "api-organization-detail",
        many=True,
        read_only=True,
        help_text="The organizations this one succeeded (the Shanghai Five for the SCO).",
    )
    later_changes_may_be_missing = serializers.SerializerMethodField(help_text=REVIEW_NOTICE_HELP)
    citations = CitationInlineSerializer(many=True, read_only=True)
    display_name = display_name_field()
    display_acronym = display_name_field("localized_acronym", "acronym")
    names = names_field()
    acronyms = names_field(what="acronym")

    class Meta:
        model = Organization
        fields = [
            "url",
            "id",
            "slug",
            "name",
            "acronym",
            "name_ru",
            "acronym_ru",
            "display_name",
            "display_acronym",
            "names",
            "acronyms",
            "other_names",
            "kind",
            "lifecycle",
            "parent",
            "proposed_by",
            "proposed_by_country",
            "proposed_on",
            "founded_on",
            "dissolved_on",
            "headquarters",
            "website",
            "wikidata_id",
            "description",
            "successor",
            "predecessors",
            "reviewed_through",
            "reviewed_by",
            "later_changes_may_be_missing",
            "citations",
            *CURATED_FIELDS,
        ]
        read_only_fields = CURATED_READ_ONLY

    def get_later_changes_may_be_missing(self, organization) -> bool:
        return organization.may_miss_changes_on(asked_day(self.context))
