"""Review of Editors' changes to published records: propose, show, approve, reject.

Every write path (admin forms and inlines, history revert, the API, imports, bulk actions)
asks a ``ChangeCollector`` to save or delete a record. A Reviewer's write, or any write to a
record the public cannot see (a draft, a citation of a draft), happens at once; an Editor's write
to a published record becomes a ``ProposedChange`` in a pending ``ChangeSet`` and the live record
is left as it was, so the public sees nothing of it until a Reviewer approves the set.
Approval applies the whole set in one transaction through the same validation as a direct save
(``full_clean``: overlaps, dates) and the citation rule, or applies nothing.
"""

from __future__ import annotations

import contextlib
import datetime
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from orgs.dates import PartialDate, Precision
from orgs.models import (
    AgreementParty,
    ChangeSet,
    Citation,
    Curated,
    EventParticipant,
    ProposedChange,
)
from orgs.models.base import note_change
from orgs.services.publishing import Actor, citation_refusals, citations_removal_check

if TYPE_CHECKING:
    from django.contrib.auth.models import User

REVIEW_PERMISSION = "orgs.review_changeset"

# Fields a change never carries: identity, bookkeeping, and the published flag, which only the
# publishing service sets.
NOT_PROPOSED = {"id", "is_published", "created_at", "updated_at", "version"}


class ChangeConflict(ValidationError):
    """A change set no longer applies: a record changed or vanished since it was proposed."""


def is_reviewer(user: Actor | None) -> bool:
    return user is not None and user.is_authenticated and user.has_perm(REVIEW_PERMISSION)


# --- what is public ---------------------------------------------------------------------------


def record_is_public(instance: models.Model) -> bool:
    """Whether the public sees ``instance``: a published curated record (as stored, not as
    edited in memory), or a citation, agreement party or event participant of a published
    record — the one it is stored on or the one it is being moved to."""
    if isinstance(instance, Curated):
        return instance.pk is not None and _stored_published(type(instance), instance.pk)
    stored = None
    if instance.pk is not None and not instance._state.adding:
        stored = type(instance)._default_manager.filter(pk=instance.pk).first()
    return any(_parent_published(version) for version in (instance, stored) if version)


def _parent_published(record: models.Model) -> bool:
    if isinstance(record, Citation):
        claim_model = record.content_type.model_class() if record.content_type_id else None
        return (
            claim_model is not None
            and bool(record.object_id)
            and _stored_published(claim_model, record.object_id)
        )
    if isinstance(record, AgreementParty):
        return bool(record.agreement_id) and _stored_published(
            type(record).agreement.field.related_model, record.agreement_id
        )
    if isinstance(record, EventParticipant):
        return bool(record.event_id) and _stored_published(
            type(record).event.field.related_model, record.event_id
        )
    return False


def _stored_published(model: type[models.Model], pk: Any) -> bool:
    if not issubclass(model, Curated):
        return False
    return model._default_manager.filter(pk=pk, is_published=True).exists()


# --- values as JSON ---------------------------------------------------------------------------


def _proposed_fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return [
        f
        for f in model._meta.concrete_fields
        if f.name not in NOT_PROPOSED and not f.primary_key and (f.editable or f.is_relation)
    ]


def _m2m_fields(model: type[models.Model]) -> list[models.ManyToManyField[Any, Any]]:
    return [f for f in model._meta.many_to_many if f.editable]


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def _model_field(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    """The field a change names; changes only name concrete and many-to-many fields."""
    model_field = model._meta.get_field(name)
    if not isinstance(model_field, models.Field):
        raise LookupError(f"{model._meta.label}.{name} is not a field a change can carry")
    return model_field


def _related_model(model_field: models.Field[Any, Any]) -> type[models.Model]:
    related_model = model_field.related_model
    if not isinstance(related_model, type):
        raise LookupError(f"{model_field} refers to no model")
    return related_model


def record_values(
    instance: models.Model, *, m2m: dict[str, list[Any]] | None = None
) -> dict[str, Any]:
    """The values a change carries for ``instance``: concrete fields by name (relations as
    ids), and many-to-many lists as sorted ids — from ``m2m`` when given (a form's or
    serializer's proposal), otherwise from the database."""
    values = {
        f.name: _jsonable(getattr(instance, f.attname)) for f in _proposed_fields(type(instance))
    }
    for m2m_field in _m2m_fields(type(instance)):
        if m2m is not None and m2m_field.name in m2m:
            ids = [getattr(item, "pk", item) for item in m2m[m2m_field.name]]
        elif instance.pk is not None:
            ids = list(getattr(instance, m2m_field.name).values_list("pk", flat=True))
        else:
            ids = []
        values[m2m_field.name] = sorted(ids)
    return values


def created(change: ProposedChange) -> dict[str, int]:
    """A value that stands for the key of the record ``change`` creates, once the set is applied."""
    return {"created": change.position}


def _resolve(values: dict[str, Any], records: dict[int, models.Model]) -> dict[str, Any]:
    """``values`` with each ``created(change)`` replaced by the key of the record it made."""
    return {
        name: records[value["created"]].pk
        if isinstance(value, dict) and set(value) == {"created"}
        else value
        for name, value in values.items()
    }


def _assign(instance: models.Model, values: dict[str, Any]) -> dict[str, list[Any]]:
    """Set ``values`` on ``instance``; return the many-to-many lists to set after saving."""
    model = type(instance)
    m2m_names = {f.name for f in _m2m_fields(model)}
    later = {}
    for name, value in values.items():
        if name in m2m_names:
            later[name] = value
            continue
        model_field = _model_field(model, name)
        if model_field.is_relation:
            setattr(instance, model_field.attname, value)
        else:
            setattr(instance, model_field.attname, model_field.to_python(value))
    return later


# --- proposing -----------------------------------------------------------------------------------


class ChangeCollector:
    """Collects one save, import or API call of one user. ``save``/``delete`` write at once
    when no review is needed, and otherwise propose the change in this collector's change set
    (made on first use). ``change_sets`` lists the sets the call added to."""

    def __init__(self, *, user: User, origin: str = ChangeSet.Origin.ADMIN, reason: str = ""):
        self.user = user
        self.origin = origin
        self.reason = reason or ""
        self.change_set: ChangeSet | None = None
        self.joined: list[ChangeSet] = []

    @property
    def change_sets(self) -> list[ChangeSet]:
        sets = [self.change_set] if self.change_set else []
        return sets + [s for s in self.joined if s not in sets]

    @property
    def proposed(self) -> bool:
        return bool(self.change_sets)

    def needs_review(self, instance: models.Model) -> bool:
        return not is_reviewer(self.user) and record_is_public(instance)

    def save(self, instance: models.Model, *, m2m: dict[str, list[Any]] | None = None) -> bool:
        """Save ``instance``, or propose its change; True when it was only proposed."""
        creating = instance.pk is None or instance._state.adding
        if not self.needs_review(instance):
            return False
        after = record_values(instance, m2m=m2m)
        if creating:
            self._propose(instance, ProposedChange.Action.CREATE, after=after)
        elif after != record_values(type(instance)._default_manager.get(pk=instance.pk)):
            self._propose(instance, ProposedChange.Action.UPDATE, after=after)
        # An unchanged published record is neither proposed nor saved again.
        return True

    def propose_create(
        self, instance: models.Model, *, m2m: dict[str, list[Any]] | None = None, **values: Any
    ) -> ProposedChange:
        """Propose a new record that would be a draft, because it only fits beside changes this
        same save proposed (a spell that follows one whose end waits for review).

        ``values`` are set on the record as well when the set is approved: ``is_published``
        for a record published with its citation, or ``created(change)`` for a reference to a
        record another change of the same set creates (the claim a new citation supports).
        """
        return self._propose(
            instance,
            ProposedChange.Action.CREATE,
            after={**record_values(instance, m2m=m2m), **values},
        )

    def delete(self, instance: models.Model) -> bool:
        """Propose the deletion of ``instance`` when it needs review; True when proposed.
        Raises ValidationError when the deletion would leave a published claim uncited."""
        if not self.needs_review(instance):
            if isinstance(instance, Citation) and instance.pk is not None:
                citations_removal_check([instance])
            return False
        self._propose(instance, ProposedChange.Action.DELETE, after={})
        return True

    def _propose(
        self, instance: models.Model, action: str, *, after: dict[str, Any]
    ) -> ProposedChange:
        content_type = ContentType.objects.get_for_model(type(instance))
        existing = None
        if action != ProposedChange.Action.CREATE:
            existing = (
                ProposedChange.objects.select_related("change_set__author")
                .filter(content_type=content_type, object_id=instance.pk, is_open=True)
                .first()
            )
        if existing is not None:
            if existing.change_set.author_id != self.user.pk:
                raise ValidationError(
                    _(
                        "“%(record)s” already has a change waiting for review in change set "
                        "#%(change_set)s by %(author)s; it can be changed again once that set "
                        "is approved or rejected."
                    )
                    % {
                        "record": existing.label,
                        "change_set": existing.change_set_id,
                        "author": existing.change_set.author,
                    }
                )
            # A second edit by the same Editor joins their pending set.
            existing.action = action if action == ProposedChange.Action.DELETE else existing.action
            existing.after = after
            existing.save(update_fields=["action", "after"])
            if self.reason and self.reason not in existing.change_set.reason:
                change_set = existing.change_set
                change_set.reason = "; ".join(r for r in [change_set.reason, self.reason] if r)
                change_set.save(update_fields=["reason", "updated_at"])
            if existing.change_set not in self.joined and existing.change_set != self.change_set:
                self.joined.append(existing.change_set)
            return existing
        if self.change_set is None:
            self.change_set = ChangeSet.objects.create(
                author=self.user, origin=self.origin, reason=self.reason
            )
        before = {}
        labelled = instance
        if action != ProposedChange.Action.CREATE:
            labelled = type(instance)._default_manager.get(pk=instance.pk)
            before = record_values(labelled)
        return ProposedChange.objects.create(
            change_set=self.change_set,
            content_type=content_type,
            object_id=None if action == ProposedChange.Action.CREATE else instance.pk,
            action=action,
            label=_label(labelled),
            before=before,
            after=after,
            position=self.change_set.changes.count(),
        )


def _label(instance: models.Model) -> str:
    if isinstance(instance, Citation):
        claim = instance.claim if instance.content_type_id and instance.object_id else None
        return f"citation of “{claim}” to {instance.source}"[:300]
    return f"{type(instance)._meta.verbose_name} “{instance}”"[:300]


def pending_changes_of(record: models.Model) -> list[ProposedChange]:
    """The open changes of ``record`` and of the spells and citations edited from its page."""
    records = [(type(record), record.pk)]
    for relation in ("memberships", "citations"):
        manager = getattr(record, relation, None)
        if manager is not None and hasattr(manager, "values_list"):
            records += [(manager.model, pk) for pk in manager.values_list("pk", flat=True)]
    wanted = models.Q()
    for model, pk in records:
        wanted |= models.Q(content_type=ContentType.objects.get_for_model(model), object_id=pk)
    return list(
        ProposedChange.objects.filter(wanted, is_open=True)
        .select_related("change_set__author")
        .order_by("change_set_id", "position")
    )


# --- diffs ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    name: str
    label: str
    old: str
    new: str


@dataclass
class RecordDiff:
    change: ProposedChange
    fields: list[FieldChange] = field(default_factory=list)
    conflict: str = ""

    @property
    def action(self) -> str:
        return self.change.get_action_display()

    @property
    def label(self) -> str:
        return self.change.label


def _display(model_field: models.Field[Any, Any], value: Any) -> str:
    if value in (None, "", []):
        return "—"
    if isinstance(model_field, models.ManyToManyField):
        related = _related_model(model_field)._default_manager.filter(pk__in=value)
        return ", ".join(sorted(str(item) for item in related)) or "—"
    if model_field.is_relation:
        record = _related_model(model_field)._default_manager.filter(pk=value).first()
        return str(record) if record is not None else f"#{value} (deleted)"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


# Shown in a citation's label ("citation of … to …"), not as fields of their own.
CITATION_IDENTITY = {"content_type", "object_id", "position"}


def _partial_date_text(old_or_new: dict[str, Any], name: str) -> str:
    earliest = old_or_new.get(name)
    if not earliest:
        return "—"
    day = datetime.date.fromisoformat(earliest)
    return PartialDate(day, old_or_new.get(f"{name}_precision") or Precision.DAY).display


def _field_changes(
    model: type[models.Model], old: dict[str, Any], new: dict[str, Any]
) -> list[FieldChange]:
    """Old → new per field; a partial date (day and precision) is one field, as editors type it."""
    names = [f.name for f in _proposed_fields(model)] + [f.name for f in _m2m_fields(model)]
    partial_dates = {name for name in names if f"{name}_precision" in names}
    changes = []
    for name in names:
        if name in CITATION_IDENTITY and model is Citation:
            continue
        if name.endswith("_precision") and name.removesuffix("_precision") in partial_dates:
            continue
        if name not in old and name not in new:
            continue
        model_field = _model_field(model, name)
        if name in partial_dates:
            precision = f"{name}_precision"
            if (old.get(name), old.get(precision)) == (new.get(name), new.get(precision)):
                continue
            old_text, new_text = _partial_date_text(old, name), _partial_date_text(new, name)
        else:
            if old.get(name) == new.get(name):
                continue
            old_text = _display(model_field, old.get(name))
            new_text = _display(model_field, new.get(name))
        changes.append(
            FieldChange(name=name, label=str(model_field.verbose_name), old=old_text, new=new_text)
        )
    return changes


def change_diff(change: ProposedChange) -> RecordDiff:
    """Old → new for every field the change touches, against the live record; and why it no
    longer applies, if it does not."""
    model = change.model
    if change.action == ProposedChange.Action.CREATE:
        return RecordDiff(change, _field_changes(model, {}, change.after))
    live = model._default_manager.filter(pk=change.object_id).first()
    if live is None:
        conflict = "" if not change.is_open else "it was deleted since the change was proposed"
        old = change.before
    else:
        old = record_values(live)
        conflict = _conflict(change, old) if change.is_open else ""
    new = {} if change.action == ProposedChange.Action.DELETE else change.after
    return RecordDiff(change, _field_changes(model, old, new), conflict)


def change_set_diff(
    change_set: ChangeSet, *, offset: int = 0, limit: int | None = None
) -> list[RecordDiff]:
    changes = change_set.changes.select_related("content_type").order_by("position", "id")
    if limit is not None:
        changes = changes[offset : offset + limit]
    return [change_diff(change) for change in changes]


def _conflict(change: ProposedChange, live: dict[str, Any]) -> str:
    moved = [name for name, value in change.before.items() if live.get(name) != value]
    if not moved:
        return ""
    model = change.model
    names = ", ".join(str(_model_field(model, name).verbose_name) for name in moved)
    return _("%(record)s was changed by someone else since this set was proposed (%(fields)s)") % {
        "record": change.label,
        "fields": names,
    }


# --- deciding ---------------------------------------------------------------------------------


@transaction.atomic
def change_set_approve(*, change_set: ChangeSet, user: User, reason: str = "") -> ChangeSet:
    """Apply every change of the set in one transaction, or none. Raises PermissionDenied for
    a non-Reviewer, ChangeConflict when a record changed since, ValidationError when a change
    no longer passes validation (an overlap, a published claim left uncited)."""
    if not is_reviewer(user):
        raise PermissionDenied(_("Only Reviewers approve change sets."))
    change_set = ChangeSet.objects.select_for_update().get(pk=change_set.pk)
    if not change_set.is_pending:
        raise ValidationError(already_decided(change_set))
    _apply(change_set, check_conflicts=True, approver=user)
    change_set.state = ChangeSet.State.APPROVED
    change_set.reviewer = user
    change_set.decided_at = timezone.now()
    change_set.decision_reason = reason
    change_set.save()
    change_set.changes.update(is_open=False)
    return change_set


@transaction.atomic
def change_set_reject(*, change_set: ChangeSet, user: User, reason: str) -> ChangeSet:
    """Keep the set with the Reviewer's reason, visible to its Editor; nothing is applied."""
    if not is_reviewer(user):
        raise PermissionDenied(_("Only Reviewers reject change sets."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the set is rejected, for its Editor.")})
    change_set = ChangeSet.objects.select_for_update().get(pk=change_set.pk)
    if not change_set.is_pending:
        raise ValidationError(already_decided(change_set))
    change_set.state = ChangeSet.State.REJECTED
    change_set.reviewer = user
    change_set.decided_at = timezone.now()
    change_set.decision_reason = reason.strip()
    change_set.save()
    change_set.changes.update(is_open=False)
    return change_set


def already_decided(change_set: ChangeSet) -> str:
    """Why a set already approved or rejected cannot be decided again."""
    if change_set.state == ChangeSet.State.APPROVED:
        return _("Change set #%(number)s was already approved.") % {"number": change_set.pk}
    return _("Change set #%(number)s was already rejected.") % {"number": change_set.pk}


def _apply(change_set: ChangeSet, *, check_conflicts: bool, approver: User | None = None) -> None:
    author = change_set.author
    note = change_set.reason or "change set"
    if approver is not None:
        note = f"{note} (change set #{change_set.pk}, approved by {approver})"
    touched_claims: dict[tuple[type[models.Model], Any], Curated] = {}
    made: dict[int, models.Model] = {}
    changes = list(change_set.changes.select_related("content_type").order_by("position", "id"))
    for change in changes:
        model = change.model
        record: models.Model | None
        if change.action == ProposedChange.Action.CREATE:
            record = model()
            m2m = _assign(record, _resolve(change.after, made))
            _validate(record, change)
            _save(record, author, note)
            made[change.position] = record
            for name, ids in m2m.items():
                getattr(record, name).set(ids)
        else:
            record = model._default_manager.select_for_update().filter(pk=change.object_id).first()
            if record is None:
                raise ChangeConflict(
                    _("%(record)s was deleted since this set was proposed; nothing was applied.")
                    % {"record": change.label}
                )
            if check_conflicts:
                conflict = _conflict(change, record_values(record))
                if conflict:
                    raise ChangeConflict(
                        _("%(conflict)s; nothing was applied.") % {"conflict": conflict}
                    )
            if change.action == ProposedChange.Action.DELETE:
                _remember_claim(record, touched_claims)
                note_change(record, user=author, reason=note)
                record.delete()
                continue
            m2m = _assign(record, change.after)
            if isinstance(record, Curated):
                record.version += 1
            _validate(record, change)
            _save(record, author, note)
            for name, ids in m2m.items():
                getattr(record, name).set(ids)
        _remember_claim(record, touched_claims)
    published = [
        claim
        for claim in touched_claims.values()
        if claim.pk and type(claim)._default_manager.filter(pk=claim.pk, is_published=True).exists()
    ]
    refusals = citation_refusals(published)
    if refusals:
        named = "; ".join(
            f"{claim} — {refusals[type(claim), claim.pk]}"
            for claim in published
            if (type(claim), claim.pk) in refusals
        )
        raise ValidationError(
            _(
                "Nothing was applied: a published record cannot lose its last published "
                "citation (%(records)s)."
            )
            % {"records": named}
        )


def _remember_claim(
    record: models.Model, claims: dict[tuple[type[models.Model], Any], Curated]
) -> None:
    if isinstance(record, Citation):
        claim_model = record.content_type.model_class()
        if claim_model is None:
            return
        claim = claim_model._default_manager.filter(pk=record.object_id).first()
        # Only curated records have a published state that could lose its last citation.
        if isinstance(claim, Curated):
            claims[claim_model, claim.pk] = claim
    elif isinstance(record, Curated):
        claims[type(record), record.pk] = record


def _validate(record: models.Model, change: ProposedChange) -> None:
    try:
        record.full_clean(validate_constraints=False)
    except ValidationError as error:
        raise ValidationError(
            _("%(record)s: %(errors)s Nothing was applied.")
            % {"record": change.label, "errors": " ".join(error.messages)}
        ) from None


def _save(record: models.Model, author: User, note: str) -> None:
    note_change(record, user=author, reason=note)
    record.save()


# --- staff preview ----------------------------------------------------------------------------


@contextlib.contextmanager
def pending_changes_applied() -> Iterator[list[ChangeSet]]:
    """Show every pending set as if approved, for a staff preview; yields the sets shown.
    Everything is rolled back at the end, and sets that no longer apply are left out."""
    from eurasia.cache import invalidation_suppressed

    shown: list[ChangeSet] = []
    with invalidation_suppressed(), transaction.atomic():
        for change_set in ChangeSet.objects.pending().order_by("created_at", "id"):
            try:
                with transaction.atomic():
                    _apply(change_set, check_conflicts=False)
            except ValidationError:
                continue
            shown.append(change_set)
        yield shown
        transaction.set_rollback(True)
