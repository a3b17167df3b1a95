"""Sources and the citations that tie them to the records they support."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext as _
from rest_framework import serializers

from orgs.models import Citation, Source, cited_models

from .base import (
    CURATED_FIELDS,
    CURATED_READ_ONLY,
    CleanModelSerializer,
    OptionalURLField,
    PartialDateField,
)


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
            *CURATED_FIELDS,
        ]
        read_only_fields = CURATED_READ_ONLY


# Records a citation may support, by the name the API gives their kind: every cited model.
CITABLE_MODELS = {model._meta.model_name: model for model in cited_models()}


class CitationSerializer(CleanModelSerializer):
    """A citation on its own: which source supports which record (``claim_type`` + ``claim_id``)."""

    url = serializers.HyperlinkedIdentityField(view_name="api-citation-detail")
    claim_type = serializers.ChoiceField(
        source="content_type.model",
        choices=sorted(CITABLE_MODELS),
        help_text="The kind of record the source supports.",
    )
    claim_id = serializers.IntegerField(source="object_id", min_value=1, max_value=2**63 - 1)
    # A field named like a DRF Field attribute (`source`, `label`): the stubs read it as one.
    source = serializers.PrimaryKeyRelatedField(queryset=Source.objects.all())  # type: ignore[assignment]

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
            raise serializers.ValidationError({"claim_type": _("Give the kind of record cited.")})
        if not model.objects.filter(pk=object_id).exists():
            raise serializers.ValidationError(
                {
                    "claim_id": _("There is no %(kind)s with id %(id)s.")
                    % {"kind": claim_type, "id": object_id}
                }
            )
        attrs["content_type"] = ContentType.objects.get_for_model(model)
        return attrs
