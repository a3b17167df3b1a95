"""Publishing and unpublishing: who may, and what needs a published source first.

Every function here is keyword-only and atomic; the admin and the API call the same ones, so
the rules are written once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models, transaction

from ..models import Citation, Curated


def publish_permission(model: type[models.Model]) -> str:
    """The permission that publishes and unpublishes ``model``, e.g. ``orgs.publish_membership``."""
    return f"{model._meta.app_label}.publish_{model._meta.model_name}"


def can_publish(user, model: type[models.Model]) -> bool:
    return user is not None and user.has_perm(publish_permission(model))


@dataclass(frozen=True)
class Refusal:
    record: Curated
    reason: str

    def __str__(self) -> str:
        return f"{self.record}: {self.reason}"


@dataclass
class PublishResult:
    """What a publish or unpublish did: records changed, already so, and refused (with why)."""

    changed: list[Curated] = field(default_factory=list)
    unchanged: list[Curated] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)


def citation_refusals(records: Iterable[Curated]) -> dict[tuple[type, int], str]:
    """Why each record that needs a citation cannot be published yet; one query per model."""
    by_model: dict[type, list[Curated]] = defaultdict(list)
    for record in records:
        if record.citation_required:
            by_model[type(record)].append(record)
    reasons = {}
    for model, group in by_model.items():
        content_type = ContentType.objects.get_for_model(model)
        cited = defaultdict(set)
        for object_id, source_published in Citation.objects.filter(
            content_type=content_type, object_id__in=[record.pk for record in group]
        ).values_list("object_id", "source__is_published"):
            cited[object_id].add(source_published)
        for record in group:
            if not cited[record.pk]:
                reasons[model, record.pk] = "it cites no source; add a citation first"
            elif True not in cited[record.pk]:
                reasons[model, record.pk] = (
                    "its sources are all drafts; publish one of its sources first"
                )
    return reasons


def _check_publish_permission(user, records: list[Curated]) -> None:
    for model in {type(record) for record in records}:
        if not can_publish(user, model):
            raise PermissionDenied(
                f"You may not publish or unpublish {model._meta.verbose_name_plural}: "
                "ask a reviewer."
            )


def _set_published(record: Curated, *, value: bool, user, reason: str) -> None:
    record.is_published = value
    record._history_user = user
    record._change_reason = (reason or ("published" if value else "unpublished"))[:100]
    record.save(update_fields=["is_published", "updated_at"])


@transaction.atomic
def records_publish(*, user, records: Iterable[Curated], reason: str = "") -> PublishResult:
    """Publish ``records``; refuse memberships, applications, quotes and agreement stages that
    do not cite at least one published source. Raises PermissionDenied, writing nothing, when
    ``user`` may not publish one of the kinds of record given."""
    records = list(records)
    _check_publish_permission(user, records)
    refusals = citation_refusals(record for record in records if not record.is_published)
    result = PublishResult()
    for record in records:
        if record.is_published:
            result.unchanged.append(record)
        elif (type(record), record.pk) in refusals:
            result.refused.append(Refusal(record, refusals[type(record), record.pk]))
        else:
            _set_published(record, value=True, user=user, reason=reason)
            result.changed.append(record)
    return result


@transaction.atomic
def records_unpublish(*, user, records: Iterable[Curated], reason: str = "") -> PublishResult:
    """Turn ``records`` back into drafts. Raises PermissionDenied like ``records_publish``."""
    records = list(records)
    _check_publish_permission(user, records)
    result = PublishResult()
    for record in records:
        if not record.is_published:
            result.unchanged.append(record)
        else:
            _set_published(record, value=False, user=user, reason=reason)
            result.changed.append(record)
    return result
