"""Answers computed over many records: the overlap of organizations on a day, and an
organization's membership over time in one call.

Both take the parameters of the lists (``status`` with ``statuses`` as its other name, ``as_of``,
``drafts``, ``format``, ``lang``) and refuse any other, answer CSV with ``?format=csv`` and carry
the same validators and cache headers as the lists.
"""

from __future__ import annotations

import datetime

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, renderers
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from orgs import selectors
from orgs.models import Organization, Status
from orgs.params import (
    MAX_COMPARED,
    MIN_COMPARED,
    parse_date,
    parse_slugs,
    parse_statuses,
    preview_requested,
)
from orgs.selectors.timeline import MAX_STEPS, STEPS, organization_timeline, timeline_days

from . import rows, serializers
from .http import ConditionalGetMixin, LinkRequest
from .parameters import DAY_SCHEMA, ParameterErrors, check_parameters
from .renderers import CSVRenderer, FastJSONRenderer

DRAFTS = OpenApiParameter(
    "drafts", OpenApiTypes.BOOL, description="Staff only: include unpublished records (drafts=1)."
)
STATUS_SCHEMA = {
    "type": "array",
    "items": {"type": "string", "enum": list(Status.values)},
    "uniqueItems": True,
}


def statuses_of(request) -> list[str] | None:
    """``status`` (comma-separated), or its other name ``statuses``; the first wins."""
    for name in ("status", "statuses"):
        if name in request.query_params:
            return parse_statuses(request.query_params[name], name)
    return None


def status_parameters(what: str) -> list[OpenApiParameter]:
    return [
        OpenApiParameter(
            "status",
            STATUS_SCHEMA,
            style="form",
            explode=False,
            description=f"Statuses to {what}, comma-separated (every status by default).",
        ),
        OpenApiParameter(
            "statuses",
            STATUS_SCHEMA,
            style="form",
            explode=False,
            deprecated=True,
            description="The other name of status.",
        ),
    ]


class ReadView(ConditionalGetMixin, APIView):
    renderer_classes = [FastJSONRenderer, renderers.BrowsableAPIRenderer, CSVRenderer]
    # Reading needs no model permission; the views have no queryset for DjangoModelPermissions.
    permission_classes = [permissions.AllowAny]
    accepted_parameters: tuple[str, ...] = ()

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        check_parameters(request, self.accepted_parameters)

    @property
    def link_context(self) -> dict:
        return {"request": LinkRequest(self.request), "view": self}

    @property
    def csv_name(self) -> str:
        return "-".join(["eurasia-atlas", *self.request.path.strip("/").split("/")[2:]])


# --- overlap -----------------------------------------------------------------------------


class OverlapView(ReadView):
    """Who is in which of 2 to 6 organizations on a day: every non-empty exact intersection and
    the pairwise counts, as the compare page shows them."""

    accepted_parameters = ("organizations", "as_of", "status", "statuses")
    # The answer is built as plain data (orgs.api.rows); False: by OverlapSerializer, the
    # reference it is tested against.
    fast_rows = True

    @extend_schema(
        tags=["overlap"],
        description="Who is in which of 2 to 6 organizations on a day: every non-empty exact "
        "intersection of their members (largest combination first) and the pairwise counts, as "
        "the compare page shows them. ?format=csv answers one row per member with its "
        "combination and its status in each organization.",
        parameters=[
            OpenApiParameter(
                "organizations",
                {
                    "type": "array",
                    "items": {"type": "string", "pattern": "^[-A-Za-z0-9_]{1,200}$"},
                    "minItems": MIN_COMPARED,
                    "maxItems": MAX_COMPARED,
                    "uniqueItems": True,
                },
                required=True,
                style="form",
                explode=False,
                description=f"{MIN_COMPARED} to {MAX_COMPARED} organization slugs, "
                "comma-separated: sco,brics.",
            ),
            OpenApiParameter(
                "as_of", DAY_SCHEMA, description="The day (YYYY-MM-DD); today by default."
            ),
            *status_parameters("count"),
            DRAFTS,
        ],
        responses=serializers.OverlapSerializer,
    )
    def get(self, request):
        on = parse_date(request.query_params.get("as_of"))
        statuses = statuses_of(request)
        preview = preview_requested(request)
        slugs = parse_slugs(request.query_params.get("organizations"), minimum=0, maximum=100)
        # Only what countries belong to is compared: an institution's slug is refused.
        visible = Organization.objects.visible(preview).international().filter(slug__in=slugs)
        by_slug = {organization.slug: organization for organization in visible}
        unknown = [slug for slug in slugs if slug not in by_slug]
        if unknown:
            raise ParameterErrors(
                {
                    "organizations": [
                        _("no organization has the slug %(slugs)s.")
                        % {"slugs": ", ".join(unknown)[:120]}
                    ]
                },
                {"unknown_record"},
            )
        slugs = parse_slugs(request.query_params.get("organizations"))
        organizations = [by_slug[slug] for slug in slugs]
        if self.fast_rows:
            result = selectors.organizations_overlap(
                organizations, on, statuses=statuses, preview=preview, cited=False
            )
            return Response(rows.overlap_data(result, self.link_context["request"]))
        result = selectors.organizations_overlap(
            organizations, on, statuses=statuses, preview=preview
        )
        context = self.link_context
        data = {
            "as_of": result.on,
            "statuses": result.statuses,
            "organizations": result.organizations,
            "intersections": [
                {
                    "organizations": intersection.slugs,
                    "count": intersection.count,
                    "members": [
                        _overlap_member(entry, result.organizations, context)
                        for entry in intersection.members
                    ],
                }
                for intersection in result.intersections
            ],
            "pairwise": [
                {"organizations": [first.slug, second.slug], "count": count}
                for first, second, count in result.pairwise
            ],
        }
        return Response(serializers.OverlapSerializer(data, context=context).data)

    def csv_table(self, data):
        organizations = [organization["slug"] for organization in data["organizations"]]
        header = ["as_of", "combination", "combination_size", "member_kind", "member_code"]
        header += ["member_name"]
        for slug in organizations:
            header += [f"{slug}_status", f"{slug}_is_certain"]
        rows = []
        for intersection in data["intersections"]:
            for member in intersection["members"]:
                row = [
                    data["as_of"],
                    "+".join(intersection["organizations"]),
                    len(intersection["organizations"]),
                    member["kind"],
                    member["code"],
                    member["name"],
                ]
                for slug in organizations:
                    spells = [s for s in member["memberships"] if s["organization"] == slug]
                    row.append(";".join(spell["status"] for spell in spells))
                    row.append(all(spell["is_certain"] for spell in spells) if spells else None)
                rows.append(row)
        return header, rows


def _overlap_member(entry, organizations, context) -> dict:
    member = serializers.MemberSerializer(entry.member, context=context).data
    member["memberships"] = [
        spell for organization in organizations for spell in entry.spells_in(organization)
    ]
    return member


# --- timeline ----------------------------------------------------------------------------


def _member(member, **extra) -> dict:
    return {"kind": member.kind, "code": member.code, "name": member.name, **extra}


class TimelineView(ReadView):
    accepted_parameters = ("from", "to", "step", "status", "statuses")

    @extend_schema(
        tags=["organizations"],
        description="An organization's members over time in one call: for each step of the "
        "period (a year, a month or a day apart, counted from `from`), the number of members "
        "by status (spells that may hold that day, by the same rule as as_of), how many of "
        "them are uncertain (the day falls inside a partial start or end), and who joined, "
        "changed status or left since the step before. Computed by the database in one query. "
        f"At most {MAX_STEPS} steps an answer: a longer period continues at next. "
        "?format=csv answers one row per step.",
        parameters=[
            OpenApiParameter(
                "from",
                DAY_SCHEMA,
                description="The first day (YYYY-MM-DD); the organization's founding (or its "
                "first spell) by default.",
            ),
            OpenApiParameter(
                "to",
                DAY_SCHEMA,
                description="The last day (YYYY-MM-DD), included when a step falls on it; "
                "today (or the dissolution) by default.",
            ),
            OpenApiParameter(
                "step",
                str,
                enum=list(STEPS),
                description="How far apart the steps are: year (default), month or day.",
            ),
            *status_parameters("count (the others count 0)"),
            DRAFTS,
        ],
        responses=serializers.TimelineSerializer,
    )
    def get(self, request, slug):
        preview = preview_requested(request)
        try:
            organization = Organization.objects.visible(preview).get(slug=slug.lower())
        except Organization.DoesNotExist:
            raise Http404(_("No organization you may see has this slug.")) from None
        step = (request.query_params.get("step") or "year").strip().lower()
        if step not in STEPS:
            raise ParameterErrors(
                {
                    "step": [
                        _("“%(value)s” is not a step; use year, month or day.")
                        % {"value": step[:20]}
                    ]
                }
            )
        start = parse_date(request.query_params.get("from"), "from") or _first_day(
            organization, preview
        )
        end = parse_date(request.query_params.get("to"), "to") or _last_day(organization)
        days = timeline_days(start, end, step)  # none when the period ends before it starts
        following = None
        if len(days) > MAX_STEPS:
            # The rest of the period is the next page, from its first step on.
            following = days[MAX_STEPS]
            days = days[:MAX_STEPS]
        statuses = statuses_of(request)
        timeline = organization_timeline(organization, days, statuses=statuses, preview=preview)
        context = self.link_context
        data = {
            "organization": {
                "slug": organization.slug,
                "name": str(organization.localized_name),
                "url": reverse(
                    "api-organization-detail",
                    kwargs={"slug": organization.slug},
                    request=context["request"],
                ),
            },
            "from": start,
            "to": end,
            "step": step,
            "statuses": statuses,
            "next": _next_page(request, following),
            "steps": [
                {
                    "date": entry.on,
                    "total": entry.total,
                    "counts": entry.counts,
                    "uncertain": entry.uncertain,
                    "joined": [_member(m, status=status) for m, status in entry.joined],
                    "changed": [
                        _member(m, **{"from": old, "to": new}) for m, old, new in entry.changed
                    ],
                    "left": [_member(m, status=status) for m, status in entry.left],
                }
                for entry in timeline
            ],
        }
        return Response(serializers.TimelineSerializer(data, context=context).data)

    def csv_table(self, data):
        statuses = list(Status.values)
        header = ["date", "total", "uncertain", *statuses, "joined", "changed", "left"]
        rows = []
        for step in data["steps"]:
            rows.append(
                [
                    step["date"],
                    step["total"],
                    step["uncertain"],
                    *(step["counts"].get(status, 0) for status in statuses),
                    ";".join(member["code"] for member in step["joined"]),
                    ";".join(member["code"] for member in step["changed"]),
                    ";".join(member["code"] for member in step["left"]),
                ]
            )
        return header, rows


def _next_page(request, following: datetime.date | None) -> str | None:
    if following is None:
        return None
    query = request.query_params.copy()
    query["from"] = following.isoformat()
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


def _first_day(organization: Organization, preview: bool) -> datetime.date:
    if organization.founded_on:
        return organization.founded_on
    first = (
        selectors.membership_list(preview=preview)
        .filter(organization=organization)
        .order_by("start")
        .values_list("start", flat=True)
        .first()
    )
    return first or timezone.localdate()


def _last_day(organization: Organization) -> datetime.date:
    today = timezone.localdate()
    if organization.dissolved_on and organization.dissolved_on < today:
        return organization.dissolved_on
    return today
