"""Countries and people."""

from __future__ import annotations

from rest_framework import serializers

from orgs.models import Country, Person

from .base import (
    CURATED_FIELDS,
    CURATED_READ_ONLY,
    CleanModelSerializer,
    CountryIdentityField,
)


class CountrySerializer(CleanModelSerializer):
    url = CountryIdentityField(view_name="api-country-detail")

    class Meta:
        model = Country
        fields = [
            "url",
            "id",
            "iso2",
            "iso3",
            "iso_unlisted",
            "name",
            "official_name",
            "other_names",
            "region",
            "notes",
            *CURATED_FIELDS,
        ]
        read_only_fields = CURATED_READ_ONLY


class PersonSerializer(CleanModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api-person-detail", lookup_field="slug")

    class Meta:
        model = Person
        fields = ["url", "id", "slug", "name", "native_name", "description", *CURATED_FIELDS]
        read_only_fields = CURATED_READ_ONLY
