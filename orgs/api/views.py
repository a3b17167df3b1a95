"""Viewsets for every resource, and the overlap view: thin, reading through ``orgs.selectors``."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.utils.functional import cached_property
from django.utils.http import quote_etag
from django_filters import utils as filter_utils
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, permissions, renderers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from orgs import selectors, services
from orgs.models import (
    Agreement,
    ChangeSet,
    Citation,
    Country,
    Curated,
    Organization,
    Person,
    Source,
    country_code,
)
from orgs.params import (
    ParameterError,
    parse_date,
    parse_slugs,
    parse_statuses,
    preview_requested,
)
from orgs.services import review
from orgs.services.locking import VersionConflict, record_save_checked, record_version_check

from . import filters, reviews, serializers
from .exceptions import Conflict, PreconditionFailed
from .renderers import CSVRenderer

DRAFTS = OpenApiParameter(
    "drafts",
    OpenApiTypes.BOOL,
    description="Staff only: include unpublished records (drafts=1).",
)
AS_OF = OpenApiParameter(
    "as_of",
    OpenApiTypes.DATE,
    description="The day (YYYY-MM-DD) current_stage is given for; today by default.",
)


class ConditionalGetMixin:
    """ETag on every successful read, and 304 Not Modified when the client already has it."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        if not isinstance(response, Response):
            return response
        response.render()
        digest = hashlib.md5(response.content, usedforsecurity=False).hexdigest()
        etag = quote_etag(f"{digest}-{response.get('Content-Type', '')}")
        response["ETag"] = etag
        return get_conditional_response(request._request, etag=etag, response=response)


STALE_MESSAGE = (
    "This record was changed by someone else since you read it (version {current} is current)."
)
DELETED_MESSAGE = "This record was deleted by someone else since you read it."
IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    description='Optimistic locking: the version you read, in quotes ("3"). A stale version '
    "is refused with 412 and nothing is written. A `version` in the body does the same with "
    "409. Without either, the write proceeds (and still raises the version).",
)


class OptimisticLockingMixin:
    """Updates of curated records check the version the client read, once for every viewset.

    The client sends it as ``If-Match: "<version>"`` (stale: 412) or as ``version`` in the body
    (stale: 409). The check is ``orgs.services.locking``'s, the admin's: the check and the
    increment are one conditional UPDATE in the write's transaction, so of two writes of one
    version exactly one gets through. A client sending neither writes last-writer-wins; the
    version still goes up by one.
    """

    request: Any

    def perform_update(self, serializer):
        instance = serializer.instance
        if not isinstance(instance, Curated):
            with transaction.atomic():
                super().perform_update(serializer)
            return
        expected, refusal = self._expected_version()
        try:
            if self.change_collector.needs_review(instance):
                # Only proposed: the live record, its version included, stays as it is.
                record_version_check(instance=instance, expected_version=expected)
                with transaction.atomic():
                    super().perform_update(serializer)
                return
            record_save_checked(
                instance=instance,
                expected_version=expected,
                save=lambda: super(OptimisticLockingMixin, self).perform_update(serializer),
            )
        except VersionConflict as conflict:
            if conflict.deleted:
                raise Conflict(DELETED_MESSAGE) from None
            raise refusal(STALE_MESSAGE.format(current=conflict.current)) from None

    def _expected_version(self) -> tuple[int | None, type[exceptions.APIException]]:
        header = self.request.headers.get("If-Match")
        if header is not None and header.strip() != "*":
            tag = header.strip().removeprefix("W/").strip('"')
            if not tag.isdigit():
                raise exceptions.ParseError(
                    'If-Match takes the version you read, in quotes: If-Match: "3".'
                )
            return int(tag), PreconditionFailed
        data = self.request.data
        given = data.get("version") if isinstance(data, Mapping) else None
        if given is None or given == "":
            return None, Conflict
        if isinstance(given, bool) or not str(given).isdigit():
            raise exceptions.ValidationError({"version": ["The version you read: a whole number."]})
        return int(given), Conflict


class AtlasViewSet(OptimisticLockingMixin, ConditionalGetMixin, viewsets.ModelViewSet):
    """CRUD on one resource: published records for the public, drafts for staff asking for them,
    writes through the model's ``full_clean()`` inside one transaction."""

    renderer_classes = [renderers.JSONRenderer, renderers.BrowsableAPIRenderer, CSVRenderer]
    lookup_value_regex = r"[0-9]{1,18}"
    base_queryset: QuerySet[Any] | None = None

    @property
    def preview(self) -> bool:
        """Whether drafts are shown: to staff asking for them, and to every write (editors
        change drafts too; the permission class has already checked their rights)."""
        if self.request.method not in permissions.SAFE_METHODS:
            return True
        return preview_requested(self.request)

    def get_queryset(self):
        return self.base_queryset.visible(self.preview)

    def get_renderers(self):
        if getattr(self, "swagger_fake_view", False):
            # The schema describes JSON; CSV is the same rows flattened (see the API section of the README).
            return [renderers.JSONRenderer()]
        return super().get_renderers()

    def paginate_queryset(self, queryset):
        renderer = getattr(self.request, "accepted_renderer", None)
        if renderer is not None and renderer.format == "csv":
            return None  # a CSV export holds every filtered row
        return super().paginate_queryset(queryset)

    # writes: an Editor's write to a published record (or to a citation, party or participant
    # of one) is only proposed for review and answered 202 with its change set

    @cached_property
    def change_collector(self) -> review.ChangeCollector:
        return review.ChangeCollector(user=self.request.user, origin=ChangeSet.Origin.API)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if self.request.method not in permissions.SAFE_METHODS:
            context["change_collector"] = self.change_collector
        return context

    def perform_create(self, serializer):
        with transaction.atomic():
            serializer.save()

    # perform_update: OptimisticLockingMixin, in one transaction as well.

    def perform_destroy(self, instance):
        with transaction.atomic():
            if not self.change_collector.delete(instance):
                instance.delete()

    def create(self, request, *args, **kwargs):
        return self._accepted_if_proposed(
            lambda: super(AtlasViewSet, self).create(request, *args, **kwargs)
        )

    def update(self, request, *args, **kwargs):
        return self._accepted_if_proposed(
            lambda: super(AtlasViewSet, self).update(request, *args, **kwargs)
        )

    def destroy(self, request, *args, **kwargs):
        return self._accepted_if_proposed(
            lambda: super(AtlasViewSet, self).destroy(request, *args, **kwargs)
        )

    def _accepted_if_proposed(self, write) -> Response:
        try:
            response = write()
        except DjangoValidationError as refusal:
            # The review's rules: another Editor's change waits on the record, or the write
            # would leave a published claim with no published citation.
            raise Conflict(" ".join(refusal.messages)) from None
        if not self.change_collector.proposed:
            return response
        [change_set, *_] = self.change_collector.change_sets
        url = reverse("api-review-detail", args=[change_set.pk])
        return Response(
            {
                "detail": "The change waits for a Reviewer; the public sees it once approved.",
                "change_set": change_set.pk,
                "url": self.request.build_absolute_uri(url),
            },
            status=status.HTTP_202_ACCEPTED,
            headers={"Location": self.request.build_absolute_uri(url)},
        )


class PublishActionsMixin:
    """``POST <record>/publish/`` and ``<record>/unpublish/`` through ``orgs.services``: the
    reviewer's right and the citation rule are the admin's, written once there."""

    @extend_schema(
        request=serializers.PublishRequestSerializer,
        responses=serializers.PublishResultSerializer,
        description="Publish the record (needs the reviewer's publish permission). A claim "
        "that cites no published source is refused with 409.",
    )
    @action(detail=True, methods=["post"], serializer_class=serializers.PublishRequestSerializer)
    def publish(self, request, *args, **kwargs):
        return self._set_published(request, services.records_publish)

    @extend_schema(
        request=serializers.PublishRequestSerializer,
        responses=serializers.PublishResultSerializer,
        description="Turn the record back into a draft (needs the publish permission).",
    )
    @action(detail=True, methods=["post"], serializer_class=serializers.PublishRequestSerializer)
    def unpublish(self, request, *args, **kwargs):
        return self._set_published(request, services.records_unpublish)

    def _set_published(self, request, service):
        record = self.get_object()
        given = self.get_serializer(data=request.data)
        given.is_valid(raise_exception=True)
        result = service(
            user=request.user, records=[record], reason=given.validated_data.get("reason", "")
        )
        if result.refused:
            raise Conflict(f"{record} was not published: {result.refused[0].reason}.")
        data = {"is_published": record.is_published, "changed": bool(result.changed)}
        return Response(serializers.PublishResultSerializer(data).data)


def documented(tag: str, *, read_parameters=()):
    """The ``drafts`` parameter on reads, and one tag per resource."""

    def decorate(viewset):
        written = viewset.serializer_class
        # An Editor's write to a published record is only proposed: 202 with its change set.
        proposed = OpenApiResponse(
            reviews.ProposedSerializer,
            description="Accepted for review: an Editor's write to a published record waits "
            "as a change set until a Reviewer approves it; the record is unchanged until then.",
        )
        operations = {
            "list": extend_schema(parameters=[DRAFTS], tags=[tag]),
            "retrieve": extend_schema(parameters=[DRAFTS, *read_parameters], tags=[tag]),
            "create": extend_schema(tags=[tag], responses={201: written, 202: proposed}),
            "update": extend_schema(
                parameters=[IF_MATCH], tags=[tag], responses={200: written, 202: proposed}
            ),
            "partial_update": extend_schema(
                parameters=[IF_MATCH], tags=[tag], responses={200: written, 202: proposed}
            ),
            "destroy": extend_schema(tags=[tag], responses={204: None, 202: proposed}),
        }
        if issubclass(viewset, PublishActionsMixin):
            operations.update(
                publish=extend_schema(tags=[tag]), unpublish=extend_schema(tags=[tag])
            )
        return extend_schema_view(**operations)(viewset)

    return decorate


SLUG = r"[-a-zA-Z0-9_]{1,200}"  # as long as the longest slug field (Person.slug)


@documented("organizations")
class OrganizationViewSet(PublishActionsMixin, AtlasViewSet):
    serializer_class = serializers.OrganizationSerializer
    filterset_class = filters.OrganizationFilter
    ordering_fields = ["name", "slug", "founded_on", "updated_at"]
    ordering = ["name"]
    lookup_field = "slug"
    lookup_value_regex = SLUG
    base_queryset = Organization.objects.select_related(
        "parent", "proposed_by", "proposed_by_country"
    )

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .prefetch_related(
                selectors.citation_prefetch(preview=self.preview),
                Prefetch("predecessors", Organization.objects.visible(self.preview)),
            )
        )


@documented("countries")
class CountryViewSet(PublishActionsMixin, AtlasViewSet):
    serializer_class = serializers.CountrySerializer
    filterset_class = filters.CountryFilter
    ordering_fields = ["name", "iso2", "iso3"]
    ordering = ["name"]
    lookup_field = "iso2"
    lookup_value_regex = r"[a-zA-Z]{2}"
    base_queryset = Country.objects.all()

    def get_object(self):
        # The address uses the lowercase code; any case is accepted.
        self.kwargs["iso2"] = country_code(self.kwargs["iso2"])
        return super().get_object()


@documented("people")
class PersonViewSet(PublishActionsMixin, AtlasViewSet):
    serializer_class = serializers.PersonSerializer
    filterset_class = filters.PersonFilter
    ordering_fields = ["name", "slug"]
    ordering = ["name"]
    lookup_field = "slug"
    lookup_value_regex = SLUG
    base_queryset = Person.objects.all()


@documented("sources")
class SourceViewSet(PublishActionsMixin, AtlasViewSet):
    serializer_class = serializers.SourceSerializer
    filterset_class = filters.SourceFilter
    ordering_fields = ["published_on", "title", "publisher", "id"]
    ordering = ["-published_on", "title", "id"]
    base_queryset = Source.objects.all()


@documented("memberships")
class MembershipViewSet(PublishActionsMixin, AtlasViewSet):
    serializer_class = serializers.MembershipSerializer
    filterset_class = filters.MembershipFilter
    ordering_fields = ["start", "end", "status", "organization__slug", "id"]
    ordering = ["organization__name", "start", "id"]

    def get_queryset(self):
        return selectors.membership_list(preview=self.preview)


@documented("applications")
class ApplicationViewSet(PublishActionsMixin, AtlasViewSet):
    serializer_class = serializers.ApplicationSerializer
    filterset_class = filters.ApplicationFilter
    ordering_fields = ["filed_on", "decided_on", "outcome", "organization__slug", "id"]
    ordering = ["organization__name", "filed_on", "id"]

    def get_queryset(self):
        return selectors.application_list(preview=self.preview)


@documented("quotes")
class QuoteViewSet(PublishActionsMixin, AtlasViewSet):
    serializer_class = serializers.QuoteSerializer
    filterset_class = filters.QuoteFilter
    ordering_fields = ["said_on", "id"]

    def get_queryset(self):
        return selectors.quote_list(preview=self.preview)


@documented("citations")
class CitationViewSet(AtlasViewSet):
    serializer_class = serializers.CitationSerializer
    filterset_class = filters.CitationFilter
    ordering_fields = ["id", "position"]
    ordering = ["content_type__model", "object_id", "position", "id"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            # Which citations are public is asked of the database; the schema is drawn without one.
            return Citation.objects.none()
        return Citation.objects.visible(self.preview).select_related("content_type", "source")


@documented("agreements", read_parameters=[AS_OF])
class AgreementViewSet(PublishActionsMixin, AtlasViewSet):
    """Agreements with parties, stage timeline and ``current_stage`` as of a day: reads go
    through ``selectors.agreement_list``, the rule the pages use."""

    serializer_class = serializers.AgreementSerializer
    filterset_class = filters.AgreementFilter
    # The list is ordered by title in agreement_list; no ``ordering`` parameter.
    filter_backends = [DjangoFilterBackend]
    lookup_field = "slug"
    lookup_value_regex = SLUG
    base_queryset = Agreement.objects.all()

    def list(self, request, *args, **kwargs):
        filterset = self.filterset_class(
            request.query_params, queryset=self.get_queryset(), request=request
        )
        if not filterset.is_valid():
            raise filter_utils.translate_validation(filterset.errors)
        agreements = filterset.agreements()
        page = self.paginate_queryset(agreements)
        if page is not None:
            return self.get_paginated_response(self.get_serializer(page, many=True).data)
        return Response(self.get_serializer(agreements, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        on = parse_date(request.query_params.get("as_of"))
        try:
            agreement = selectors.agreement_get(self.kwargs["slug"], on, preview=self.preview)
        except Agreement.DoesNotExist:
            raise Http404 from None
        self.check_object_permissions(request, agreement)
        return Response(self.get_serializer(agreement).data)

    def _reload(self, serializer):
        # Answer a write with the record as a read shows it: timeline and current stage.
        serializer.instance = selectors.agreement_get(serializer.instance.slug, preview=True)

    def perform_create(self, serializer):
        super().perform_create(serializer)
        self._reload(serializer)

    def perform_update(self, serializer):
        super().perform_update(serializer)
        self._reload(serializer)


@documented("agreements")
class AgreementStageViewSet(PublishActionsMixin, AtlasViewSet):
    """The stages of agreements, one by one: adding one checks the timeline's order."""

    serializer_class = serializers.AgreementStageSerializer
    filterset_class = filters.AgreementStageFilter
    ordering_fields = ["date", "id"]
    ordering = ["agreement__title", "date", "id"]

    def get_queryset(self):
        return selectors.agreement_stage_list(preview=self.preview)


@documented("agreements")
class AgreementPartyViewSet(AtlasViewSet):
    """The parties of agreements, one by one: a country or organization is a party once."""

    serializer_class = serializers.AgreementPartySerializer
    filterset_class = filters.AgreementPartyFilter
    ordering_fields = ["id"]
    ordering = ["agreement__title", "id"]

    def get_queryset(self):
        return selectors.agreement_party_list(preview=self.preview)


@documented("events")
class EventViewSet(PublishActionsMixin, AtlasViewSet):
    serializer_class = serializers.EventSerializer
    filterset_class = filters.EventFilter
    ordering_fields = ["start", "name", "id"]
    ordering = ["-start", "name", "id"]
    lookup_field = "slug"
    lookup_value_regex = SLUG

    def get_queryset(self):
        return selectors.event_list(detail=True, preview=self.preview)


@documented("events")
class EventParticipantViewSet(AtlasViewSet):
    serializer_class = serializers.EventParticipantSerializer
    filterset_class = filters.EventParticipantFilter
    ordering_fields = ["id"]
    ordering = ["-event__start", "id"]

    def get_queryset(self):
        return selectors.event_participant_list(preview=self.preview)


@documented("proposals")
class ProposalViewSet(PublishActionsMixin, AtlasViewSet):
    serializer_class = serializers.ProposalSerializer
    filterset_class = filters.ProposalFilter
    ordering_fields = ["proposed_on", "title", "id"]
    ordering = ["title", "id"]
    lookup_field = "slug"
    lookup_value_regex = SLUG

    def get_queryset(self):
        return selectors.proposal_queryset(preview=self.preview)


class OverlapView(ConditionalGetMixin, APIView):
    """Who is in which of 2 to 6 organizations on a day: every non-empty exact intersection and
    the pairwise counts, as the compare page shows them."""

    renderer_classes = [renderers.JSONRenderer, renderers.BrowsableAPIRenderer]
    # Reading needs no model permission; the view has no queryset for DjangoModelPermissions.
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        tags=["overlap"],
        parameters=[
            OpenApiParameter(
                "organizations",
                OpenApiTypes.STR,
                required=True,
                description="2 to 6 organization slugs, comma-separated: sco,brics.",
            ),
            OpenApiParameter(
                "as_of", OpenApiTypes.DATE, description="The day (YYYY-MM-DD); today by default."
            ),
            OpenApiParameter(
                "statuses",
                OpenApiTypes.STR,
                description="Statuses to count, comma-separated (every status by default).",
            ),
            DRAFTS,
        ],
        responses=serializers.OverlapSerializer,
    )
    def get(self, request):
        slugs = parse_slugs(request.query_params.get("organizations"))
        on = parse_date(request.query_params.get("as_of"))
        statuses = parse_statuses(request.query_params.get("statuses"))
        preview = preview_requested(request)
        visible = Organization.objects.visible(preview).filter(slug__in=slugs)
        by_slug = {organization.slug: organization for organization in visible}
        unknown = [slug for slug in slugs if slug not in by_slug]
        if unknown:
            raise ParameterError(
                "organizations", f"no organization has the slug {', '.join(unknown)[:120]}."
            )
        result = selectors.organizations_overlap(
            [by_slug[slug] for slug in slugs], on, statuses=statuses, preview=preview
        )
        data = {
            "as_of": result.on,
            "statuses": result.statuses,
            "organizations": result.organizations,
            "intersections": [
                {
                    "organizations": intersection.slugs,
                    "count": intersection.count,
                    "members": [
                        _overlap_member(entry, result.organizations, request)
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
        return Response(serializers.OverlapSerializer(data, context={"request": request}).data)


def _overlap_member(entry, organizations, request) -> dict:
    member = serializers.MemberSerializer(entry.member, context={"request": request}).data
    member["memberships"] = [
        spell for organization in organizations for spell in entry.spells_in(organization)
    ]
    return member
