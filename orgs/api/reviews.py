"""/api/v1/reviews/: change sets for staff; Reviewers approve or reject them."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from orgs.models import ChangeSet
from orgs.services import review

from .parameters import ParameterErrors


class FieldChangeSerializer(serializers.Serializer):
    field = serializers.CharField(source="name")
    label = serializers.CharField()  # type: ignore[assignment]
    old = serializers.CharField()
    new = serializers.CharField()


class RecordDiffSerializer(serializers.Serializer):
    model = serializers.SerializerMethodField()
    object_id = serializers.IntegerField(source="change.object_id", allow_null=True)
    action = serializers.CharField(source="change.action")
    label = serializers.CharField()  # type: ignore[assignment]
    fields = FieldChangeSerializer(many=True)  # type: ignore[assignment]
    conflict = serializers.CharField(allow_blank=True)

    def get_model(self, diff) -> str:
        return diff.change.content_type.model


class ChangeSetSerializer(serializers.ModelSerializer):
    author: serializers.StringRelatedField[Any] = serializers.StringRelatedField()
    reviewer: serializers.StringRelatedField[Any] = serializers.StringRelatedField()
    records = serializers.IntegerField(source="record_count", read_only=True)
    admin_url = serializers.SerializerMethodField()
    changes = serializers.SerializerMethodField()

    class Meta:
        model = ChangeSet
        fields = [
            "id",
            "state",
            "origin",
            "author",
            "reason",
            "created_at",
            "reviewer",
            "decided_at",
            "decision_reason",
            "records",
            "admin_url",
            "changes",
        ]

    def get_admin_url(self, change_set) -> str:
        return self.context["request"].build_absolute_uri(change_set.get_absolute_url())

    @extend_schema(responses=RecordDiffSerializer(many=True))
    def get_changes(self, change_set) -> list[dict]:
        # With many=True the data is a list; the stubs type every serializer's data as a dict.
        return RecordDiffSerializer(review.change_set_diff(change_set), many=True).data  # type: ignore[return-value]


class ProposedSerializer(serializers.Serializer):
    """The answer to an Editor's write that waits for review (202 Accepted)."""

    detail = serializers.CharField()
    change_set = serializers.IntegerField(help_text="The change set the write joined.")
    url = serializers.URLField(help_text="The change set in the reviews resource.")


class DecisionSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class IsStaff(permissions.BasePermission):
    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and request.user.is_staff)


@extend_schema(tags=["reviews"])
@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter(
                "state",
                str,
                enum=[*ChangeSet.State.values, "all"],
                description="Which sets to list; pending by default.",
            )
        ]
    )
)
class ReviewViewSet(viewsets.ReadOnlyModelViewSet):
    """Change sets: Editors' proposed changes to published records. A Reviewer sees every set,
    an Editor their own; ``?state=pending`` (the default), ``approved``, ``rejected`` or ``all``."""

    serializer_class = ChangeSetSerializer
    permission_classes = [IsStaff]
    ordering_fields = ["created_at", "id"]
    ordering = ["-created_at", "-id"]
    lookup_value_regex = r"[0-9]{1,18}"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ChangeSet.objects.none()  # the schema needs the model, not a user's sets
        queryset = (
            ChangeSet.objects.visible_to(self.request.user)
            .select_related("author", "reviewer")
            .annotate(record_count=Count("changes"))
        )
        if self.action != "list":
            return queryset
        state = self.request.query_params.get("state", ChangeSet.State.PENDING)
        if state == "all":
            return queryset
        if state not in ChangeSet.State.values:
            raise ParameterErrors(
                {
                    "state": [
                        _("Use one of: %(states)s, all.")
                        % {"states": ", ".join(ChangeSet.State.values)}
                    ]
                }
            )
        return queryset.filter(state=state)

    @extend_schema(
        request=DecisionSerializer,
        responses={200: ChangeSetSerializer, 403: None, 409: None},
        description="Apply the set (Reviewers only). 409 names the conflict or the rule it "
        "breaks; nothing is applied then.",
    )
    @action(detail=True, methods=["post"], serializer_class=DecisionSerializer)
    def approve(self, request, pk=None):
        return self._decide(request, review.change_set_approve)

    @extend_schema(
        request=DecisionSerializer,
        responses={200: ChangeSetSerializer, 403: None, 409: None},
        description="Reject the set with a reason (Reviewers only); nothing is applied.",
    )
    @action(detail=True, methods=["post"], serializer_class=DecisionSerializer)
    def reject(self, request, pk=None):
        return self._decide(request, review.change_set_reject)

    def _decide(self, request, decide):
        change_set = self.get_object()
        if not review.is_reviewer(request.user):
            raise exceptions.PermissionDenied(_("Only Reviewers approve or reject change sets."))
        given = DecisionSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        try:
            decide(
                change_set=change_set,
                user=request.user,
                reason=given.validated_data.get("reason", ""),
            )
        except PermissionDenied as error:
            raise exceptions.PermissionDenied(str(error)) from None
        except ValidationError as error:
            return Response({"detail": " ".join(error.messages)}, status=status.HTTP_409_CONFLICT)
        fresh = self.get_queryset().get(pk=change_set.pk)
        return Response(ChangeSetSerializer(fresh, context={"request": request}).data)
