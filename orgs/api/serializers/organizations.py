"""Organizations."""

from __future__ import annotations

from rest_framework import serializers

from orgs.models import Organization

from .base import (
    CURATED_FIELDS,
    CURATED_READ_ONLY,
    CitationInlineSerializer,
    CleanModelSerializer,
    OptionalURLField,
    PartialDateField,
    country_field,
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
            "proposed_by_country",
            "proposed_on",
            "founded_on",
            "dissolved_on",
            "headquarters",
            "website",
            "description",
            "citations",
            *CURATED_FIELDS,
        ]
        read_only_fields = CURATED_READ_ONLY
