"""Countries and people."""

from __future__ import annotations

from rest_framework import serializers
from rest_framework.reverse import reverse

from orgs.dates import PartialDate
from orgs.models import Country, Person, Status
from orgs.regions import un_area

from .base import (
    CURATED_FIELDS,
    CURATED_READ_ONLY,
    CleanModelSerializer,
    CountryIdentityField,
    PartialDateField,
    display_name_field,
    names_field,
)


class CountryMembershipSerializer(serializers.Serializer):
    """The country's spell in the organization of ``member_of`` (``CountryFilter`` annotates it):
    the latest spell that matches ``status`` and ``as_of``."""

    status = serializers.ChoiceField(choices=Status.choices)
    since = PartialDateField(help_text="The start of the spell.")
    is_certain = serializers.BooleanField(
        allow_null=True,
        help_text="With as_of: false when the day falls inside the window of a partial start "
        "or end (the spell may or may not have held). Null without as_of.",
    )
    url = serializers.URLField(help_text="The spell in /memberships/.")

    def to_representation(self, country):
        if getattr(country, "membership_id", None) is None:
            return None
        request = self.context.get("request")
        return {
            "status": country.membership_status,
            "since": PartialDateField().to_representation(
                PartialDate(country.membership_start, country.membership_start_precision)
            ),
            "is_certain": country.membership_is_certain,
            "url": reverse(
                "api-membership-detail", kwargs={"pk": country.membership_id}, request=request
            ),
        }


class CountrySerializer(CleanModelSerializer):
    url = CountryIdentityField(view_name="api-country-detail")
    iso_numeric = serializers.SerializerMethodField(
        help_text="ISO 3166-1 numeric code (the UN M49 code): 112 for Belarus; empty for a "
        "territory ISO does not list."
    )
    un_region = serializers.SerializerMethodField(
        help_text="UN M49 region: Africa, Americas, Asia, Europe or Oceania."
    )
    un_subregion = serializers.SerializerMethodField(
        help_text="UN M49 sub-region: Eastern Europe, Central Asia, Western Asia…"
    )
    membership = CountryMembershipSerializer(
        source="*",
        read_only=True,
        allow_null=True,
        help_text="With member_of: the country's spell in that organization (its status, since "
        "when, and with as_of whether it certainly held); null otherwise.",
    )
    display_name = display_name_field()
    names = names_field()

    class Meta:
        model = Country
        fields = [
            "url",
            "id",
            "iso2",
            "iso3",
            "iso_unlisted",
            "iso_numeric",
            "name",
            "display_name",
            "names",
            "official_name",
            "other_names",
            "un_region",
            "un_subregion",
            "region",
            "wikidata_id",
            "notes",
            "membership",
            *CURATED_FIELDS,
        ]
        read_only_fields = CURATED_READ_ONLY

    def get_iso_numeric(self, country) -> str:
        return un_area(country.iso3).iso_numeric

    def get_un_region(self, country) -> str:
        return un_area(country.iso3).region

    def get_un_subregion(self, country) -> str:
        return un_area(country.iso3).subregion


class PersonSerializer(CleanModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api-person-detail", lookup_field="slug")
    display_name = display_name_field()
    names = names_field()

    class Meta:
        model = Person
        fields = [
            "url",
            "id",
            "slug",
            "name",
            "name_ru",
            "display_name",
            "names",
            "native_name",
            "description",
            "wikidata_id",
            *CURATED_FIELDS,
        ]
        read_only_fields = CURATED_READ_ONLY
