"""Membership spells, applications, and the overlap of organizations on a day."""

from __future__ import annotations

from rest_framework import serializers

from orgs.models import Application, Membership, Status

from .base import (
    CURATED_FIELDS,
    CURATED_READ_ONLY,
    REVIEW_NOTICE_HELP,
    CitationInlineSerializer,
    CleanModelSerializer,
    MemberSerializer,
    PartialDateField,
    asked_day,
    country_field,
    organization_field,
    shows,
)


class SpellField(serializers.PrimaryKeyRelatedField):
    """Another spell, by id; null for the public when that spell is a draft."""

    def __init__(self, **kwargs):
        super().__init__(queryset=Membership.objects.all(), **kwargs)

    def use_pk_only_optimization(self):
        return False  # the spell is loaded with select_related, to see whether it is public

    def to_representation(self, value):
        return value.pk if shows(value, self.context) else None


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
    continues = SpellField(
        required=False,
        allow_null=True,
        help_text="The spell this one continues after the organization renamed or merged its "
        "statuses (a reclassification, not an exit and an accession).",
    )
    later_changes_may_be_missing = serializers.SerializerMethodField(help_text=REVIEW_NOTICE_HELP)
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
            "continues",
            "rank",
            "rank_reason",
            "confidence",
            "unsourced",
            "note",
            "later_changes_may_be_missing",
            "citations",
            *CURATED_FIELDS,
        ]
        read_only_fields = CURATED_READ_ONLY

    def get_is_certain(self, spell) -> bool | None:
        return getattr(spell, "is_certain", None)

    def get_later_changes_may_be_missing(self, spell) -> bool:
        return spell.organization.may_miss_changes_on(asked_day(self.context))


class ApplicationSerializer(CleanModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api-application-detail")
    organization = organization_field()
    applicant = MemberSerializer(read_only=True)
    applicant_country = country_field(required=False, allow_null=True)
    applicant_organization = organization_field(required=False, allow_null=True)
    filed_on = PartialDateField(source="filed_on_partial", required=False, allow_null=True)
    decided_on = PartialDateField(source="decided_on_partial", required=False, allow_null=True)
    resulting_membership = SpellField(
        required=False,
        allow_null=True,
        help_text="The spell a granted application or accepted invitation led to.",
    )
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
            "resulting_membership",
            "confidence",
            "unsourced",
            "note",
            "citations",
            *CURATED_FIELDS,
        ]
        read_only_fields = CURATED_READ_ONLY


# --- overlap -------------------------------------------------------------------------------


class OverlapOrganizationSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField(
        source="localized_name", help_text="In the language asked for, English where none."
    )
    url = serializers.HyperlinkedIdentityField(
        view_name="api-organization-detail", lookup_field="slug"
    )
    reviewed_through = serializers.DateField(allow_null=True)
    later_changes_may_be_missing = serializers.SerializerMethodField(help_text=REVIEW_NOTICE_HELP)

    def get_later_changes_may_be_missing(self, organization) -> bool:
        return organization.may_miss_changes_on(asked_day(self.context))


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


# --- timeline ------------------------------------------------------------------------------


class TimelineMemberSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="country or organization.")
    code = serializers.CharField(help_text="Alpha-2 code or organization slug.")
    name = serializers.CharField()


class TimelineEntrySerializer(TimelineMemberSerializer):
    status = serializers.ChoiceField(choices=Status.choices)


class TimelineChangeSerializer(TimelineMemberSerializer):
    def get_fields(self):
        fields = super().get_fields()
        # "from" is a Python keyword: the fields are named here rather than declared.
        fields["from"] = serializers.ChoiceField(choices=Status.choices)
        fields["to"] = serializers.ChoiceField(choices=Status.choices)
        return fields


class StatusCountsSerializer(serializers.Serializer):
    def get_fields(self):
        return {status: serializers.IntegerField(min_value=0) for status in Status.values}


class TimelineStepSerializer(serializers.Serializer):
    date = serializers.DateField()
    total = serializers.IntegerField(help_text="Members holding any of the statuses counted.")
    counts = StatusCountsSerializer(help_text="Members by status.")
    uncertain = serializers.IntegerField(
        help_text="Of the members counted, those whose spell may or may not hold that day."
    )
    joined = TimelineEntrySerializer(many=True, help_text="In since the step before.")
    changed = TimelineChangeSerializer(many=True, help_text="Changed status since the step before.")
    left = TimelineEntrySerializer(many=True, help_text="Out since the step before.")


class TimelineOrganizationSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    url = serializers.URLField()


class TimelineSerializer(serializers.Serializer):
    organization = TimelineOrganizationSerializer()
    step = serializers.ChoiceField(choices=["year", "month", "day"])
    statuses = serializers.ListField(
        child=serializers.ChoiceField(choices=Status.choices),
        allow_null=True,
        help_text="The statuses counted; null for every status.",
    )
    steps = TimelineStepSerializer(many=True)
    next = serializers.URLField(
        allow_null=True,
        help_text="Where the period goes on when it holds more steps than one answer gives.",
    )

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = serializers.DateField(help_text="The first day of the period.")
        fields["to"] = serializers.DateField(help_text="The last day of the period.")
        return fields
