"""Viewsets for every resource, and the overlap view: thin, reading through ``orgs.selectors``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext, gettext_lazy
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
from orgs.params import parse_date, preview_requested
from orgs.services import review
from orgs.services.locking import VersionConflict, record_save_checked, record_version_check

from . import filters, reviews, rows, serializers
from .exceptions import Conflict, PreconditionFailed
from .http import ConditionalGetMixin, LinkRequest
from .pagination import check_page_parameters
from .parameters import DAY_SCHEMA, AtlasFilterBackend, check_parameters, raise_parameter_errors
from .renderers import CSVRenderer, FastJSONRenderer
from .serializers.base import asked_day

DRAFTS = OpenApiParameter(
    "drafts",
    OpenApiTypes.BOOL,
    description="Staff only: include unpublished records (drafts=1).",
)
AS_OF = OpenApiParameter(
    "as_of",
    DAY_SCHEMA,
    description="The day (YYYY-MM-DD) current_stage is given for; today by default.",
)
REVIEW_AS_OF = OpenApiParameter(
    "as_of",
    DAY_SCHEMA,
    description="The day the answer is about (YYYY-MM-DD, today by default): "
    "later_changes_may_be_missing says whether it is after the organization's last review.",
)


STALE_MESSAGE = gettext_lazy(
    "This record was changed by someone else since you read it (version {current} is current)."
)
DELETED_MESSAGE = gettext_lazy("This record was deleted by someone else since you read it.")
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
                    gettext('If-Match takes the version you read, in quotes: If-Match: "3".')
                )
            return int(tag), PreconditionFailed
        data = self.request.data
        given = data.get("version") if isinstance(data, Mapping) else None
        if given is None or given == "":
            return None, Conflict
        if isinstance(given, bool) or not str(given).isdigit():
            raise exceptions.ValidationError(
                {"version": [gettext("The version you read: a whole number.")]}
            )
        return int(given), Conflict


class AtlasViewSet(OptimisticLockingMixin, ConditionalGetMixin, viewsets.ModelViewSet):
    """CRUD on one resource: published records for the public, drafts for staff asking for them,
    writes through the model's ``full_clean()`` inside one transaction."""

    renderer_classes = [FastJSONRenderer, renderers.BrowsableAPIRenderer, CSVRenderer]
    lookup_value_regex = r"[0-9]{1,18}"
    base_queryset: QuerySet[Any] | None = None
    # Query parameters a record's own address takes besides format, drafts and lang.
    detail_parameters: tuple[str, ...] = ()

    @property
    def preview(self) -> bool:
        """Whether drafts are shown: to staff asking for them, and to every write (editors
        change drafts too; the permission class has already checked their rights)."""
        if self.request.method not in permissions.SAFE_METHODS:
            return True
        return preview_requested(self.request)

    def get_queryset(self):
        return self.base_queryset.visible(self.preview)

    def get_object(self):
        """The record at the address; a read refuses the list's filters and anything else it
        does not take (``detail_parameters``) rather than filter one record by them."""
        if self.request.method in permissions.SAFE_METHODS:
            check_parameters(self.request, self.detail_parameters)
        lookup = self.lookup_url_kwarg or self.lookup_field
        value = self.kwargs[lookup]
        if self.lookup_field == "slug":
            value = value.lower()  # slugs are lowercase; an address may use any case
        record = get_object_or_404(self.get_queryset(), **{self.lookup_field: value})
        self.check_object_permissions(self.request, record)
        return record

    @property
    def csv_name(self) -> str:
        """The file name a CSV answer is saved under: eurasia-atlas-memberships(-322)."""
        path = self.request.path.strip("/").split("/")[2:]
        return "-".join(["eurasia-atlas", *path])

    def paginate_queryset(self, queryset):
        renderer = getattr(self.request, "accepted_renderer", None)
        if renderer is not None and renderer.format == "csv":
            check_page_parameters(self.request)
            return None  # a CSV export holds every filtered row
        return super().paginate_queryset(queryset)

    # writes: an Editor's write to a published record (or to a citation, party or participant
    # of one) is only proposed for review and answered 202 with its change set

    @cached_property
    def change_collector(self) -> review.ChangeCollector:
        return review.ChangeCollector(user=self.request.user, origin=ChangeSet.Origin.API)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["request"] = LinkRequest(self.request)
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
                "detail": gettext(
                    "The change waits for a Reviewer; the public sees it once approved."
                ),
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
            raise Conflict(
                gettext("%(record)s was not published: %(reason)s.")
                % {"record": record, "reason": result.refused[0].reason}
            )
        data = {"is_published": record.is_published, "changed": bool(result.changed)}
        return Response(serializers.PublishResultSerializer(data).data)


def documented(tag: str, about: str, *, read_parameters=()):
    """The public description of a resource, ``drafts`` on reads, and one tag per resource.

    ``about`` says what the records are, for the API's users; the list and detail operations
    are described from it (the viewsets' docstrings are for the code's readers).
    """

    def decorate(viewset):
        written = viewset.serializer_class
        # An Editor's write to a published record is only proposed: 202 with its change set.
        proposed = OpenApiResponse(
            reviews.ProposedSerializer,
            description="Accepted for review: an Editor's write to a published record waits "
            "as a change set until a Reviewer approves it; the record is unchanged until then.",
        )
        listed = (
            f"{about} Published records, to anyone without logging in. Filter with the "
            "parameters below (an unknown parameter, slug or code answers 400 naming it); "
            "?format=csv answers every filtered row as CSV, unpaginated."
        )
        one = f"{about} One record, by its address; ?format=csv answers it as one CSV row."
        operations = {
            "list": extend_schema(parameters=[DRAFTS], tags=[tag], description=listed),
            "retrieve": extend_schema(
                parameters=[DRAFTS, *read_parameters], tags=[tag], description=one
            ),
            "create": extend_schema(
                tags=[tag],
                responses={201: written, 202: proposed},
                description="Add a record (an Editor's or a Reviewer's token); it starts as a draft.",
            ),
            "update": extend_schema(
                parameters=[IF_MATCH],
                tags=[tag],
                responses={200: written, 202: proposed},
                description="Replace a record. An Editor's change to a published record is "
                "proposed for review (202).",
            ),
            "partial_update": extend_schema(
                parameters=[IF_MATCH],
                tags=[tag],
                responses={200: written, 202: proposed},
                description="Change some fields of a record. An Editor's change to a published "
                "record is proposed for review (202).",
            ),
            "destroy": extend_schema(
                tags=[tag],
                responses={204: None, 202: proposed},
                description="Delete a record; an Editor's delete of a published one is proposed "
                "for review (202).",
            ),
        }
        if issubclass(viewset, PublishActionsMixin):
            operations.update(
                publish=extend_schema(tags=[tag]), unpublish=extend_schema(tags=[tag])
            )
        return extend_schema_view(**operations)(viewset)

    return decorate


SLUG = r"[-a-zA-Z0-9_]{1,200}"  # as long as the longest slug field (Person.slug)


@documented(
    "organizations",
    "International organizations, unions, groupings, formats and initiatives, with their "
    "founding, dissolution, predecessors and the sources behind them.",
    read_parameters=[REVIEW_AS_OF],
)
class OrganizationViewSet(PublishActionsMixin, AtlasViewSet):
    serializer_class = serializers.OrganizationSerializer
    filterset_class = filters.OrganizationFilter
    ordering_fields = ["name", "slug", "founded_on", "updated_at"]
    ordering = ["name"]
    detail_parameters = ("as_of",)
    lookup_field = "slug"
    lookup_value_regex = SLUG
    base_queryset = Organization.objects.select_related(
        "parent", "proposed_by", "proposed_by_country", "successor"
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


@documented(
    "countries",
    "Countries and territories with their ISO codes. With member_of, each carries its spell in "
    "that organization (status, since when, and with as_of whether it certainly held).",
)
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


@documented("people", "People who speak, propose or take part in events.")
class PersonViewSet(PublishActionsMixin, AtlasViewSet):
    serializer_class = serializers.PersonSerializer
    filterset_class = filters.PersonFilter
    ordering_fields = ["name", "slug"]
    ordering = ["name"]
    lookup_field = "slug"
    lookup_value_regex = SLUG
    base_queryset = Person.objects.all()


@documented(
    "sources",
    "The documents every fact of the atlas cites: treaties, declarations, official pages, "
    "news reports.",
)
class SourceViewSet(PublishActionsMixin, AtlasViewSet):
    serializer_class = serializers.SourceSerializer
    filterset_class = filters.SourceFilter
    ordering_fields = ["published_on", "title", "publisher", "id"]
    ordering = ["-published_on", "title", "id"]
    base_queryset = Source.objects.all()


@documented(
    "memberships",
    "Membership spells: one status of one member (a country or an organization) in one "
    "organization, from a start to an end given as partial dates (2001, 2001-06, 2001-06-15). "
    "A change of status is a new spell. With as_of, the spells that may hold that day, each "
    "with is_certain.",
    read_parameters=[REVIEW_AS_OF],
)
class MembershipViewSet(PublishActionsMixin, AtlasViewSet):
    serializer_class = serializers.MembershipSerializer
    filterset_class = filters.MembershipFilter
    ordering_fields = ["start", "end", "status", "organization__slug", "updated_at", "id"]
    ordering = ["organization__name", "start", "id"]
    detail_parameters = ("as_of",)
    # The list's rows are built from values() (orgs.api.rows); False: by the serializer, the
    # reference they are tested against.
    fast_rows = True

    def get_queryset(self):
        return selectors.membership_list(preview=self.preview)

    def list(self, request, *args, **kwargs):
        if not self.fast_rows:
            return super().list(request, *args, **kwargs)
        spells = rows.spell_values(self.filter_queryset(self.get_queryset()))
        page = self.paginate_queryset(spells)
        links = LinkRequest(request)
        data = rows.spell_rows(
            list(spells) if page is None else page,
            links,
            preview=self.preview,
            on=asked_day({"request": links}),
        )
        if page is None:
            return Response(data)
        return self.get_paginated_response(data)


@documented(
    "applications",
    "Applications and invitations to join an organization or take a status in it, with their "
    "outcome.",
)
class ApplicationViewSet(PublishActionsMixin, AtlasViewSet):
    serializer_class = serializers.ApplicationSerializer
    filterset_class = filters.ApplicationFilter
    ordering_fields = ["filed_on", "decided_on", "outcome", "organization__slug", "id"]
    ordering = ["organization__name", "filed_on", "id"]

    def get_queryset(self):
        return selectors.application_list(preview=self.preview)


@documented(
    "quotes", "What officials said about organizations and countries, with speaker and date."
)
class QuoteViewSet(PublishActionsMixin, AtlasViewSet):
    serializer_class = serializers.QuoteSerializer
    filterset_class = filters.QuoteFilter
    ordering_fields = ["said_on", "id"]

    def get_queryset(self):
        return selectors.quote_list(preview=self.preview)


@documented(
    "citations",
    "Which source supports which claim (claim_type and claim_id), and where in the source: "
    "the long form of the citations every record carries.",
)
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


@documented(
    "agreements",
    "Agreements between organizations and countries, with their parties, their stage timeline "
    "(signed, ratified, in force…) and the stage reached on as_of.",
    read_parameters=[AS_OF],
)
class AgreementViewSet(PublishActionsMixin, AtlasViewSet):
    """Agreements with parties, stage timeline and ``current_stage`` as of a day: reads go
    through ``selectors.agreement_list``, the rule the pages use."""

    serializer_class = serializers.AgreementSerializer
    filterset_class = filters.AgreementFilter
    # The list is ordered by title in agreement_list; no ``ordering`` parameter.
    filter_backends = [AtlasFilterBackend]
    detail_parameters = ("as_of",)
    lookup_field = "slug"
    lookup_value_regex = SLUG
    base_queryset = Agreement.objects.all()

    def list(self, request, *args, **kwargs):
        backend = AtlasFilterBackend()
        filterset = backend.get_filterset(request, self.get_queryset(), self)
        if not filterset.is_valid():
            raise_parameter_errors(filterset.errors)
        agreements = filterset.agreements()
        page = self.paginate_queryset(agreements)
        if page is not None:
            return self.get_paginated_response(self.get_serializer(page, many=True).data)
        return Response(self.get_serializer(agreements, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        check_parameters(request, self.detail_parameters)
        on = parse_date(request.query_params.get("as_of"))
        try:
            agreement = selectors.agreement_get(
                self.kwargs["slug"].lower(), on, preview=self.preview
            )
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


@documented("agreements", "The stages of agreements, one by one: signed, ratified, in force…")
class AgreementStageViewSet(PublishActionsMixin, AtlasViewSet):
    """The stages of agreements, one by one: adding one checks the timeline's order."""

    serializer_class = serializers.AgreementStageSerializer
    filterset_class = filters.AgreementStageFilter
    ordering_fields = ["date", "id"]
    ordering = ["agreement__title", "date", "id"]

    def get_queryset(self):
        return selectors.agreement_stage_list(preview=self.preview)


@documented("agreements", "The parties of agreements, one by one: countries and organizations.")
class AgreementPartyViewSet(AtlasViewSet):
    """The parties of agreements, one by one: a country or organization is a party once."""

    serializer_class = serializers.AgreementPartySerializer
    filterset_class = filters.AgreementPartyFilter
    ordering_fields = ["id"]
    ordering = ["agreement__title", "id"]

    def get_queryset(self):
        return selectors.agreement_party_list(preview=self.preview)


@documented(
    "events", "Summits, meetings and other events: organizers, participants, place and dates."
)
class EventViewSet(PublishActionsMixin, AtlasViewSet):
    serializer_class = serializers.EventSerializer
    filterset_class = filters.EventFilter
    ordering_fields = ["start", "name", "id"]
    ordering = ["-start", "name", "id"]
    lookup_field = "slug"
    lookup_value_regex = SLUG

    def get_queryset(self):
        return selectors.event_list(detail=True, preview=self.preview)


@documented("events", "Who took part in an event: a country, an organization or a person.")
class EventParticipantViewSet(AtlasViewSet):
    serializer_class = serializers.EventParticipantSerializer
    filterset_class = filters.EventParticipantFilter
    ordering_fields = ["id"]
    ordering = ["-event__start", "id"]

    def get_queryset(self):
        return selectors.event_participant_list(preview=self.preview)


@documented("proposals", "Proposals of new organizations or formats, by whom and when.")
class ProposalViewSet(PublishActionsMixin, AtlasViewSet):
    serializer_class = serializers.ProposalSerializer
    filterset_class = filters.ProposalFilter
    ordering_fields = ["proposed_on", "title", "id"]
    ordering = ["title", "id"]
    lookup_field = "slug"
    lookup_value_regex = SLUG

    def get_queryset(self):
        return selectors.proposal_queryset(preview=self.preview)
