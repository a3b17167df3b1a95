"""``/api/v1/changes/``: what was published, changed, withdrawn or deleted in the atlas, and when,
so that a mirror can stay in sync; and the API's root and the descriptions of its problems.

The real-world events (who joined or left what) keep their own feed, ``/changes.atom``.
"""

from __future__ import annotations

from django import forms
from django.http import Http404
from django.urls import NoReverseMatch
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.routers import APIRootView

from orgs.selectors.feed import atlas_record_changes

from .analysis import ReadView
from .pagination import AtlasPagination
from .parameters import ParameterErrors, parse_moment
from .problems import PROBLEMS, problem_type

# The API address of a record of each type, and the field that names it there.
RECORD_URLS = {
    "organization": ("api-organization-detail", "slug"),
    "country": ("api-country-detail", "iso2"),
    "person": ("api-person-detail", "slug"),
    "source": ("api-source-detail", "pk"),
    "membership": ("api-membership-detail", "pk"),
    "application": ("api-application-detail", "pk"),
    "quote": ("api-quote-detail", "pk"),
    "citation": ("api-citation-detail", "pk"),
    "agreement": ("api-agreement-detail", "slug"),
    "agreementstage": ("api-agreement-stage-detail", "pk"),
    "agreementparty": ("api-agreement-party-detail", "pk"),
    "event": ("api-event-detail", "slug"),
    "eventparticipant": ("api-event-participant-detail", "pk"),
    "proposal": ("api-proposal-detail", "slug"),
}


class RecordChangeSerializer(serializers.Serializer):
    type = serializers.ChoiceField(
        choices=sorted(RECORD_URLS), source="record_type", help_text="The kind of record."
    )
    id = serializers.IntegerField(source="record_id", help_text="The record's id.")
    change = serializers.ChoiceField(
        choices=["published", "changed", "withdrawn", "deleted"],
        source="kind",
        help_text="published: new to the public; changed: edited while published; withdrawn: "
        "turned back into a draft; deleted: removed. The last two are tombstones: drop the "
        "record from a mirror.",
    )
    at = serializers.DateTimeField(help_text="When.")
    url = serializers.SerializerMethodField(
        help_text="The record in the API now; null for tombstones and records no longer public."
    )

    def get_url(self, change) -> str | None:
        if change.is_tombstone:
            return None
        name, field = RECORD_URLS[change.record_type]
        record = self.context["records"].get((change.model, change.record_id))
        if record is None:
            return None
        value = getattr(record, field)
        if field == "iso2":
            value = value.lower()
        try:
            return reverse(name, kwargs={field: value}, request=self.context["request"])
        except NoReverseMatch:
            return None


def _current_records(changes) -> dict:
    """The records the page's changes name that the public sees now, one query per type."""
    wanted: dict = {}
    for change in changes:
        if not change.is_tombstone:
            wanted.setdefault(change.model, set()).add(change.record_id)
    found = {}
    for model, ids in wanted.items():
        visible = model.objects.filter(pk__in=ids)
        if hasattr(visible, "visible"):
            visible = visible.visible(False)
        for record in visible:
            found[model, record.pk] = record
    return found


class RecordChangePageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = RecordChangeSerializer(many=True)


class ChangesView(ReadView):
    accepted_parameters = ("since", "page", "page_size")

    @extend_schema(
        tags=["changes"],
        description="What was published, changed, withdrawn or deleted in the atlas and when, "
        "oldest first: the record's type and id, the kind of change and its time. Withdrawals "
        "and deletions are tombstones (url null). Ask again with since= the last time you saw "
        "to stay in sync; every list also takes updated_since. Real-world events (who joined "
        "or left what) have their own feed, /changes.atom.",
        parameters=[
            OpenApiParameter(
                "since",
                OpenApiTypes.DATETIME,
                description="Changes at or after this moment (ISO 8601: 2025-07-01T00:00:00Z, "
                "or a day).",
            )
        ],
        responses=RecordChangePageSerializer,
    )
    def get(self, request):
        try:
            since = parse_moment(request.query_params.get("since"))
        except forms.ValidationError as error:
            raise ParameterErrors({"since": error.messages}) from None
        changes = atlas_record_changes(since=since)
        paginator = AtlasPagination()
        self.paginator = paginator
        csv = getattr(request, "accepted_renderer", None) is not None and (
            request.accepted_renderer.format == "csv"
        )
        page = changes if csv else paginator.paginate_queryset(changes, request, view=self)
        context = {**self.link_context, "records": _current_records(page)}
        data = RecordChangeSerializer(page, many=True, context=context).data
        if csv:
            return Response(data)
        return paginator.get_paginated_response(data)

    def csv_table(self, data):
        header = ["type", "id", "change", "at", "url"]
        return header, ([row[name] for name in header] for row in data)


# --- the root and the problems -----------------------------------------------------------


class AtlasRootView(APIRootView):
    """The API's root: every resource and every other address, each with its URL."""

    others = {
        "overlap": "api-overlap",
        "changes": "api-changes",
        "problems": "api-problems",
        "schema": "api-schema",
        "docs": "api-docs",
    }

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        for name, url_name in self.others.items():
            response.data[name] = reverse(url_name, request=request)
        response.data["timeline"] = (
            reverse("api-organization-list", request=request) + "{slug}/timeline/"
        )
        response.data["downloads"] = request.build_absolute_uri("/downloads/")
        return response


class ProblemTypeSerializer(serializers.Serializer):
    type = serializers.URLField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    description = serializers.CharField()


class ProblemTypesView(ReadView):
    @extend_schema(
        tags=["problems"],
        description="The kinds of error the API answers, each at the address that is the "
        "type of its problem details (RFC 9457).",
        responses=ProblemTypeSerializer(many=True),
    )
    def get(self, request):
        return Response(
            [
                {
                    "type": problem_type(request, slug),
                    "title": title,
                    "status": status,
                    "description": text,
                }
                for slug, (status, title, text) in PROBLEMS.items()
            ]
        )

    def csv_table(self, data):
        header = ["type", "title", "status", "description"]
        return header, ([row[name] for name in header] for row in data)


class ProblemTypeView(ReadView):
    @extend_schema(
        tags=["problems"],
        description="One kind of error: the address named by the type of its problem details.",
        responses=ProblemTypeSerializer,
    )
    def get(self, request, slug):
        if slug not in PROBLEMS:
            raise Http404(_("No such problem type."))
        status, title, text = PROBLEMS[slug]
        return Response(
            {
                "type": problem_type(request, slug),
                "title": title,
                "status": status,
                "description": text,
            }
        )

    def csv_table(self, data):
        header = ["type", "title", "status", "description"]
        return header, [[data[name] for name in header]]
