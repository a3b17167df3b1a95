"""Writes beyond plain CRUD: publishing, unpublishing and restoring deleted records.

Every function here is keyword-only and atomic; the admin and the API call the same ones, so
the rules (who may publish, what needs a citation first) are written once.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import models, transaction

from .models import Citation, Curated, Membership

# Citations deleted this close to their claim went with it (Django deletes them in the same
# cascade, a few milliseconds apart); citations removed earlier stay removed on restore.
CASCADE_WINDOW = datetime.timedelta(seconds=5)


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
def claims_publish(*, user, records: Iterable[Curated], reason: str = "") -> PublishResult:
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
def claims_unpublish(*, user, records: Iterable[Curated], reason: str = "") -> PublishResult:
    """Turn ``records`` back into drafts. Raises PermissionDenied like ``claims_publish``."""
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


# --- deleted records -----------------------------------------------------------------------


def deleted_records(model: type[models.Model]):
    """The last historical version of each deleted, not yet restored, record of ``model``."""
    history = model.history.model
    latest = history.objects.filter(
        **{model._meta.pk.attname: models.OuterRef(model._meta.pk.attname)}
    ).order_by("-history_date", "-history_id")
    return (
        history.objects.filter(history_type="-")
        .filter(history_id=models.Subquery(latest.values("history_id")[:1]))
        .exclude(**{f"{model._meta.pk.attname}__in": model._default_manager.values("pk")})
        .order_by("-history_date")
    )


@transaction.atomic
def record_restore(*, model: type[models.Model], history_id: int, user) -> models.Model:
    """Recreate a deleted record from its last version, with the same primary key, and the
    citations that were deleted with it. The record comes back as a draft unless ``user`` may
    publish it. Raises ValidationError when it no longer fits (an overlapping spell was added
    since), PermissionDenied when ``user`` may not add such records."""
    opts = model._meta
    if not user.has_perm(f"{opts.app_label}.add_{opts.model_name}"):
        raise PermissionDenied(f"You may not add {opts.verbose_name_plural}.")
    try:
        deletion = deleted_records(model).get(history_id=history_id)
    except ObjectDoesNotExist:
        raise ValidationError(
            f"There is no deleted {opts.verbose_name} with history #{history_id} to restore."
        ) from None

    record = deletion.instance
    if isinstance(record, Curated) and not can_publish(user, model):
        record.is_published = False
    record.full_clean(validate_constraints=False)
    record._history_user = user
    record._change_reason = f"restored from history #{history_id}"
    record.save(force_insert=True)
    _restore_m2m(deletion, record)

    if hasattr(record, "citations"):
        _restore_citations(model, record, deletion.history_date, user)
    return record


def _restore_m2m(deletion, record) -> None:
    """Put back the many-to-many lists (a quote's countries) of the version before deletion.

    The deletion's own version has none: Django empties the lists before deleting the record.
    """
    m2m_fields = getattr(type(deletion), "_history_m2m_fields", [])
    before = deletion.prev_record if m2m_fields else None
    if before is None:
        return
    for m2m_field in m2m_fields:
        target = m2m_field.m2m_reverse_field_name()
        related_ids = getattr(before, m2m_field.name).values_list(f"{target}_id", flat=True)
        getattr(record, m2m_field.name).set(list(related_ids))


def _restore_citations(model, record, deleted_at: datetime.datetime, user) -> list[Citation]:
    content_type = ContentType.objects.get_for_model(model)
    candidates = deleted_records(Citation).filter(
        content_type_id=content_type.pk,
        object_id=record.pk,
        history_date__gte=deleted_at - CASCADE_WINDOW,
        history_date__lte=deleted_at + CASCADE_WINDOW,
    )
    restored = []
    for version in candidates.order_by("position", "id"):
        citation = version.instance
        citation._history_user = user
        citation._change_reason = f"restored with {model._meta.verbose_name} #{record.pk}"
        citation.save(force_insert=True)
        restored.append(citation)
    return restored


def membership_restore(*, history_id: int, user) -> Membership:
    """Restore a deleted spell and its citations; see ``record_restore``."""
    return record_restore(model=Membership, history_id=history_id, user=user)
