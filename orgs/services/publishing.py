"""Publishing and unpublishing: who may, and what needs a published source first.

Every function here is keyword-only and atomic; the admin and the API call the same ones, so
the rules are written once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeAlias

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..models import Citation, Curated, Source
from ..models.base import note_change

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

# Who acts: a signed-in user, or an anonymous one, who may publish nothing.
Actor: TypeAlias = "User | AnonymousUser"


def publish_permission(model: type[models.Model]) -> str:
    """The permission that publishes and unpublishes ``model``, e.g. ``orgs.publish_membership``."""
    return f"{model._meta.app_label}.publish_{model._meta.model_name}"


def can_publish(user: Actor | None, model: type[models.Model]) -> bool:
    return user is not None and user.has_perm(publish_permission(model))


@dataclass(frozen=True)
class Refusal:
    record: Curated
    reason: str
    # The draft sources that would let the record be published, or the published records that
    # would be left uncited: what a message names and links.
    blocking: tuple[Curated, ...] = ()

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
                reasons[model, record.pk] = _("it cites no source; add a citation first")
            elif True not in cited[record.pk]:
                reasons[model, record.pk] = _(
                    "its sources are all drafts; publish one of its sources first"
                )
    return reasons


def _check_publish_permission(user: Actor | None, records: list[Curated]) -> None:
    for model in {type(record) for record in records}:
        if not can_publish(user, model):
            raise PermissionDenied(
                _("You may not publish or unpublish %(records)s: ask a reviewer.")
                % {"records": model._meta.verbose_name_plural}
            )


def _set_published(record: Curated, *, value: bool, user: Actor | None, reason: str) -> None:
    record.is_published = value
    note_change(record, user=user, reason=reason or ("published" if value else "unpublished"))
    record.save(update_fields=["is_published", "updated_at"])


def draft_sources(records: Iterable[Curated]) -> dict[tuple[type, int], list[Source]]:
    """The draft sources each record cites; one query per model."""
    by_model: dict[type, list[Curated]] = defaultdict(list)
    for record in records:
        if isinstance(record, models.Model) and hasattr(record, "citations"):
            by_model[type(record)].append(record)
    found: dict[tuple[type, int], list[Source]] = defaultdict(list)
    for model, group in by_model.items():
        content_type = ContentType.objects.get_for_model(model)
        citations = Citation.objects.filter(
            content_type=content_type,
            object_id__in=[record.pk for record in group],
            source__is_published=False,
        ).select_related("source")
        for citation in citations:
            found[model, citation.object_id].append(citation.source)
    return found


@transaction.atomic
def records_publish(
    *,
    user: Actor | None,
    records: Iterable[Curated],
    reason: str = "",
    with_sources: bool = False,
) -> PublishResult:
    """Publish ``records``; refuse memberships, applications, quotes and agreement stages that
    do not cite at least one published source. With ``with_sources`` the draft sources they
    cite are published first (the user must be allowed to publish sources). Raises
    PermissionDenied, writing nothing, when ``user`` may not publish one of the kinds of record
    given."""
    records = list(records)
    _check_publish_permission(user, records)
    drafts = [record for record in records if not record.is_published]
    sources = draft_sources(drafts)
    if with_sources:
        wanted = {source.pk: source for group in sources.values() for source in group}
        if wanted:
            _check_publish_permission(user, list(wanted.values()))
            for source in wanted.values():
                _set_published(
                    source, value=True, user=user, reason=reason or "published with its claims"
                )
    refusals = citation_refusals(drafts)
    result = PublishResult()
    for record in records:
        if record.is_published:
            result.unchanged.append(record)
        elif (type(record), record.pk) in refusals:
            blocking = tuple(sources.get((type(record), record.pk), ()))
            result.refused.append(Refusal(record, refusals[type(record), record.pk], blocking))
        else:
            _set_published(record, value=True, user=user, reason=reason)
            result.changed.append(record)
    return result


def claims_left_uncited(
    *, citations: Iterable[Citation] = (), sources: Iterable[Source] = ()
) -> list[Curated]:
    """The published records that need a citation and would have no published one left if
    ``citations`` were removed and ``sources`` unpublished."""
    removed = {citation.pk for citation in citations}
    hidden = {source.pk for source in sources}
    candidates = Citation.objects.filter(pk__in=removed) | Citation.objects.filter(
        source__in=hidden
    )
    claims: dict[tuple[int, int], None] = {}
    for content_type_id, object_id in candidates.values_list("content_type_id", "object_id"):
        claims[content_type_id, object_id] = None
    uncited: list[Curated] = []
    for content_type_id, object_id in claims:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None or not issubclass(model, Curated) or not model.citation_required:
            continue
        claim = model._default_manager.filter(pk=object_id, is_published=True).first()
        if claim is None:
            continue
        remaining = (
            Citation.objects.filter(
                content_type_id=content_type_id, object_id=object_id, source__is_published=True
            )
            .exclude(pk__in=removed)
            .exclude(source__in=hidden)
        )
        if not remaining.exists():
            uncited.append(claim)
    return uncited


def citations_removal_check(citations: Iterable[Citation]) -> None:
    """Refuse, naming the record, to remove the last published citation of a published claim."""
    uncited = claims_left_uncited(citations=list(citations))
    if uncited:
        named = "; ".join(f"“{claim}”" for claim in uncited)
        raise ValidationError(
            _(
                "Not removed: a published record cannot lose its last published citation "
                "(%(records)s). Add another citation first, or ask a Reviewer to unpublish "
                "the record."
            )
            % {"records": named}
        )


@transaction.atomic
def records_unpublish(
    *,
    user: Actor | None,
    records: Iterable[Curated],
    reason: str = "",
    with_claims: bool = False,
) -> PublishResult:
    """Turn ``records`` back into drafts. A source that published claims depend on (their last
    published citation) is refused with the list of those claims, unless ``with_claims``, which
    unpublishes them too. Raises PermissionDenied like ``records_publish``."""
    records = list(records)
    _check_publish_permission(user, records)
    result = PublishResult()
    for record in records:
        if not record.is_published:
            result.unchanged.append(record)
            continue
        if isinstance(record, Source):
            dependants = claims_left_uncited(sources=[record])
            if dependants and not with_claims:
                result.refused.append(
                    Refusal(
                        record,
                        ngettext(
                            "%(count)d published record would be left with no published "
                            "source; unpublish them too, or cite another source first",
                            "%(count)d published records would be left with no published "
                            "source; unpublish them too, or cite another source first",
                            len(dependants),
                        )
                        % {"count": len(dependants)},
                        tuple(dependants),
                    )
                )
                continue
            if dependants:
                _check_publish_permission(user, dependants)
                for claim in dependants:
                    _set_published(
                        claim, value=False, user=user, reason=reason or "its source was unpublished"
                    )
                    result.changed.append(claim)
        _set_published(record, value=False, user=user, reason=reason)
        result.changed.append(record)
    return result
