"""Deleted records: listing them and restoring them with the citations deleted with them."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from ..models import Citation, Curated, Membership
from ..models.base import note_change
from .publishing import Actor, can_publish

# Citations deleted this close to their claim went with it (Django deletes them in the same
# cascade, a few milliseconds apart); citations removed earlier stay removed on restore.
CASCADE_WINDOW = datetime.timedelta(seconds=5)


def deleted_records(model: type[models.Model]) -> models.QuerySet[Any]:
    """The last historical version of each deleted, not yet restored, record of ``model``."""
    # Each model's history table is a model django-simple-history builds at run time.
    history: type[models.Model] = model.history.model  # type: ignore[attr-defined]
    latest = history._default_manager.filter(
        **{model._meta.pk.attname: models.OuterRef(model._meta.pk.attname)}
    ).order_by("-history_date", "-history_id")
    return (
        history._default_manager.filter(history_type="-")
        .filter(history_id=models.Subquery(latest.values("history_id")[:1]))
        .exclude(**{f"{model._meta.pk.attname}__in": model._default_manager.values("pk")})
        .order_by("-history_date")
    )


@transaction.atomic
def record_restore(*, model: type[models.Model], history_id: int, user: Actor) -> models.Model:
    """Recreate a deleted record from its last version, with the same primary key, and the
    citations that were deleted with it. The record comes back as a draft unless ``user`` may
    publish it. Raises ValidationError when it no longer fits (an overlapping spell was added
    since), PermissionDenied when ``user`` may not add such records."""
    opts = model._meta
    if not user.has_perm(f"{opts.app_label}.add_{opts.model_name}"):
        raise PermissionDenied(
            _("You may not add %(records)s.") % {"records": opts.verbose_name_plural}
        )
    try:
        deletion = deleted_records(model).get(history_id=history_id)
    except ObjectDoesNotExist:
        raise ValidationError(
            _("There is no deleted %(record)s with history #%(history_id)s to restore.")
            % {"record": opts.verbose_name, "history_id": history_id}
        ) from None

    record: models.Model = deletion.instance
    if isinstance(record, Curated) and not can_publish(user, model):
        record.is_published = False
    record.full_clean(validate_constraints=False)
    note_change(record, user=user, reason=f"restored from history #{history_id}")
    record.save(force_insert=True)
    _restore_m2m(deletion, record)

    if hasattr(record, "citations"):
        _restore_citations(model, record, deletion.history_date, user)
    return record


def _restore_m2m(deletion: Any, record: models.Model) -> None:
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


def _restore_citations(
    model: type[models.Model], record: models.Model, deleted_at: datetime.datetime, user: Actor
) -> list[Citation]:
    content_type = ContentType.objects.get_for_model(model)
    candidates = deleted_records(Citation).filter(
        content_type_id=content_type.pk,
        object_id=record.pk,
        history_date__gte=deleted_at - CASCADE_WINDOW,
        history_date__lte=deleted_at + CASCADE_WINDOW,
    )
    restored = []
    for version in candidates.order_by("position", "id"):
        citation: Citation = version.instance
        note_change(
            citation, user=user, reason=f"restored with {model._meta.verbose_name_raw} #{record.pk}"
        )
        citation.save(force_insert=True)
        restored.append(citation)
    return restored


def membership_restore(*, history_id: int, user: Actor) -> Membership:
    """Restore a deleted spell and its citations; see ``record_restore``."""
    record = record_restore(model=Membership, history_id=history_id, user=user)
    assert isinstance(record, Membership)
    return record
