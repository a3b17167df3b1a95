"""Agreements, their stages and their parties."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers
from rest_framework.settings import api_settings

from orgs.models import Agreement, AgreementParty, AgreementStage

from .base import (
    CURATED_FIELDS,
    CURATED_READ_ONLY,
    CitationInlineSerializer,
    CleanModelSerializer,
    MemberSerializer,
    PartialDateField,
    agreement_field,
    country_field,
    display_label,
    display_name_field,
    names_field,
    organization_field,
)


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
        return display_label(row.party)

    def get_url(self, row) -> str:
        return MemberSerializer(context=self.context).get_url(row.party)


class StageInlineSerializer(serializers.ModelSerializer):
    """A stage inside its agreement's timeline."""

    url = serializers.HyperlinkedIdentityField(view_name="api-agreement-stage-detail")
    label = serializers.CharField(source="get_stage_display", read_only=True)  # type: ignore[assignment]
    date = PartialDateField(source="date_partial", read_only=True)
    citations = CitationInlineSerializer(many=True, read_only=True)

    class Meta:
        model = AgreementStage
        fields = [
            "url",
            "id",
            "stage",
            "label",
            "date",
            "place",
            "confidence",
            "unsourced",
            "note",
            "citations",
        ]
        read_only_fields = fields


class CurrentStageSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    stage = serializers.CharField()
    label = serializers.CharField(source="get_stage_display")  # type: ignore[assignment]
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
    display_title = display_name_field("localized_title", "title")
    titles = names_field(what="title")

    class Meta:
        model = Agreement
        fields = [
            "url",
            "id",
            "slug",
            "title",
            "title_ru",
            "display_title",
            "titles",
            "kind",
            "description",
            "confidence",
            "unsourced",
            "note",
            "parties",
            "stages",
            "current_stage",
            "citations",
            *CURATED_FIELDS,
        ]
        read_only_fields = CURATED_READ_ONLY


class AgreementStageSerializer(CleanModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api-agreement-stage-detail")
    agreement = agreement_field()
    label = serializers.CharField(source="get_stage_display", read_only=True)  # type: ignore[assignment]
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
            "confidence",
            "unsourced",
            "note",
            "citations",
            *CURATED_FIELDS,
        ]
        read_only_fields = CURATED_READ_ONLY
        # The model's constraints say it in full_clean(), in the admin's words.
        validators: list[Any] = []


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
        validators: list[Any] = []

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
