"""What an organization's or a country's history page shows besides its own versions: the
changes made to its spells and to their citations, usually from the same page's spell table."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from ..models import Citation, Country, Membership, Organization

RELATED_LIMIT = 30


@dataclass
class RelatedChange:
    version: object
    kind: str
    changes: list = field(default_factory=list)


def _deltas(version) -> list:
    previous = version.prev_record
    if previous is None:
        return []
    return version.diff_against(previous, foreign_keys_are_objs=True).changes


def related_changes(record: Organization | Country, *, limit: int = RELATED_LIMIT):
    """The latest versions of ``record``'s spells and of those spells' citations, newest first,
    each with the fields it changed."""
    if isinstance(record, Organization):
        spells = Q(organization_id=record.pk) | Q(member_organization_id=record.pk)
    else:
        spells = Q(member_country_id=record.pk)
    spell_versions = Membership.history.filter(spells)
    spell_ids = set(spell_versions.values_list("id", flat=True).distinct())
    citation_versions = Citation.history.filter(
        content_type_id=ContentType.objects.get_for_model(Membership).pk,
        object_id__in=spell_ids,
    )
    newest = sorted(
        [
            *spell_versions.select_related("history_user").order_by("-history_date")[:limit],
            *citation_versions.select_related("history_user").order_by("-history_date")[:limit],
        ],
        key=lambda version: version.history_date,
        reverse=True,
    )[:limit]
    return [
        RelatedChange(
            version=version,
            kind="spell" if isinstance(version.instance, Membership) else "citation",
            changes=_deltas(version) if version.history_type == "~" else [],
        )
        for version in newest
    ]
