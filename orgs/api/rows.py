"""The hot lists' rows as plain dicts, built from ``values()`` rather than object by object.

``MembershipSerializer`` stays the reference: it writes records, describes the schema and
names the CSV's columns, and ``tests/api/test_fast_rows.py`` checks that every row here is
the row it would write. What the rows do differently is only how they are read and built:

- the spells are read by the same selectors and filters as the serializer's, as ``values()``
  (no model instances); their citations with one more query for the page's spells;
- each related record (an organization, a country) is named once per answer, by the model's
  own ``display_label`` on a record holding the columns its name needs;
- URLs are put together from one ``reverse()`` per kind of record and answer.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db.models import Model, QuerySet
from rest_framework import serializers
from rest_framework.reverse import reverse

from orgs import selectors
from orgs.dates import PartialDate
from orgs.models import Country, Membership, Organization

from .serializers.base import PartialDateField, asked_day, display_label

_DATE = PartialDateField()
_DATETIME = serializers.DateTimeField()
_DAY = serializers.DateField()

# A value of each kind of key that its address pattern accepts and no prefix holds.
_SENTINELS = {"pk": "918273645546372819", "slug": "zq-sentinel-qz", "iso2": "qz"}


class Links:
    """Absolute addresses of records: one ``reverse()`` per kind of record, then strings.

    The keys put in (ids, lowercase slugs, lowercase alpha-2 codes) are the characters
    ``reverse()`` leaves unquoted, so the addresses are the ones it would give.
    """

    def __init__(self, request):
        self.request = request
        self._parts: dict[str, tuple[str, str]] = {}

    def url(self, view_name: str, key: str, value: Any) -> str:
        parts = self._parts.get(view_name)
        if parts is None:
            sentinel = _SENTINELS[key]
            address = reverse(view_name, kwargs={key: sentinel}, request=self.request)
            prefix, _found, suffix = address.rpartition(sentinel)
            parts = self._parts[view_name] = (prefix, suffix)
        return f"{parts[0]}{value}{parts[1]}"


def partial_date(earliest: datetime.date | None, precision: str | None) -> dict | None:
    """A partial date as ``PartialDateField`` reads it; None without a date."""
    value = PartialDate.from_fields(earliest, precision)
    return None if value is None else _DATE.to_representation(value)


# --- related records, named once per answer ---------------------------------------------

ORGANIZATION_COLUMNS = ("slug", "name", "name_ru", "acronym", "acronym_ru", "is_published")
COUNTRY_COLUMNS = ("iso2", "name", "is_published")


class Records:
    """The organizations and countries an answer names, each built once from its columns."""

    def __init__(self, links: Links, preview: bool):
        self.links = links
        self.preview = preview
        # By column prefix and id: the same organization may be read with other columns as a
        # spell's organization and as a member.
        self._organizations: dict[tuple[str, int], tuple[Organization, dict]] = {}
        self._countries: dict[tuple[str, int], tuple[Country, dict]] = {}

    def organization(self, row: dict, prefix: str, *extra: str) -> tuple[Organization, dict]:
        """The organization whose columns are ``<prefix>__<column>`` in ``row``, and its link."""
        pk = row[f"{prefix}_id"]
        found = self._organizations.get((prefix, pk))
        if found is None:
            columns = {name: row[f"{prefix}__{name}"] for name in ORGANIZATION_COLUMNS + extra}
            record = Organization(pk=pk, **columns)
            link = {
                "slug": record.slug,
                "name": display_label(record),
                "url": self.links.url("api-organization-detail", "slug", record.slug),
            }
            found = self._organizations[prefix, pk] = (record, link)
        return found

    def country(self, row: dict, prefix: str) -> tuple[Country, dict]:
        pk = row[f"{prefix}_id"]
        found = self._countries.get((prefix, pk))
        if found is None:
            record = Country(pk=pk, **{name: row[f"{prefix}__{name}"] for name in COUNTRY_COLUMNS})
            code = record.iso2.lower()
            link = {
                "iso2": record.iso2,
                "name": display_label(record),
                "url": self.links.url("api-country-detail", "iso2", code),
            }
            found = self._countries[prefix, pk] = (record, link)
        return found

    def shown(self, record: Model, link: dict) -> dict | None:
        """``LinkedField``'s rule: a draft is named only to those who may preview it."""
        return link if self.preview or record.is_published else None  # type: ignore[attr-defined]

    def member(self, row: dict, country: str, organization: str) -> dict:
        """``MemberSerializer``'s object for a spell's member (or an application's applicant)."""
        if row[f"{country}_id"] is not None:
            link = self.country(row, country)[1]
            return {
                "kind": "country",
                "code": link["iso2"],
                "name": link["name"],
                "url": link["url"],
            }
        link = self.organization(row, organization)[1]
        return {
            "kind": "organization",
            "code": link["slug"],
            "name": link["name"],
            "url": link["url"],
        }


def columns(prefix: str, names: Iterable[str]) -> list[str]:
    return [f"{prefix}_id", *(f"{prefix}__{name}" for name in names)]


# --- citations --------------------------------------------------------------------------


def citation_rows(model: type[Model], ids: list[int], links: Links, *, preview: bool) -> dict:
    """``CitationInlineSerializer``'s rows for the records ``ids`` of ``model``, by record id:
    one query, the citations ``selectors.citation_prefetch`` would load, in its order."""
    cited: dict[int, list[dict]] = {pk: [] for pk in ids}
    if not ids:
        return cited
    for row in selectors.citation_values(model, ids, preview=preview):
        cited[row["object_id"]].append(
            {
                "id": row["id"],
                "source_id": row["source_id"],
                "source_url": links.url("api-source-detail", "pk", row["source_id"]),
                "title": row["source__title"],
                "publisher": row["source__publisher"],
                "date": partial_date(
                    row["source__published_on"], row["source__published_on_precision"]
                ),
                "web_url": row["source__url"],
                "excerpt": row["excerpt"],
                "locator": row["locator"],
                "claim_field": row["claim_field"],
            }
        )
    return cited


# --- membership spells ------------------------------------------------------------------

SPELL_COLUMNS = [
    "id",
    "status",
    "qualifier",
    "start",
    "start_precision",
    "end",
    "end_precision",
    "is_founding",
    "continues_id",
    "continues__is_published",
    "rank",
    "rank_reason",
    "confidence",
    "unsourced",
    "note",
    "is_published",
    "is_disputed",
    "dispute_note",
    "updated_at",
    "version",
    *columns("organization", (*ORGANIZATION_COLUMNS, "reviewed_through")),
    *columns("member_country", COUNTRY_COLUMNS),
    *columns("member_organization", ORGANIZATION_COLUMNS),
]


def spell_values(queryset: QuerySet[Membership]) -> QuerySet[Any]:
    """The filtered, ordered spells of ``queryset`` as the columns their rows need."""
    wanted = list(SPELL_COLUMNS)
    if "is_certain" in queryset.query.annotations:
        wanted.append("is_certain")
    return queryset.prefetch_related(None).values(*wanted)


def spell_rows(spells: list[dict], request, *, preview: bool, on: datetime.date) -> list[dict]:
    """``MembershipSerializer``'s rows for ``spells`` (rows of ``spell_values``)."""
    links = Links(request)
    records = Records(links, preview)
    cited = citation_rows(Membership, [spell["id"] for spell in spells], links, preview=preview)
    rows = []
    for spell in spells:
        organization, organization_link = records.organization(
            spell, "organization", "reviewed_through"
        )
        member_country = member_organization = None
        if spell["member_country_id"] is not None:
            member_country = records.shown(*records.country(spell, "member_country"))
        if spell["member_organization_id"] is not None:
            member_organization = records.shown(*records.organization(spell, "member_organization"))
        continues = spell["continues_id"]
        if continues is not None and not (preview or spell["continues__is_published"]):
            continues = None
        rows.append(
            {
                "url": links.url("api-membership-detail", "pk", spell["id"]),
                "id": spell["id"],
                "organization": records.shown(organization, organization_link),
                "member": records.member(spell, "member_country", "member_organization"),
                "member_country": member_country,
                "member_organization": member_organization,
                "status": spell["status"],
                "qualifier": spell["qualifier"],
                "start": partial_date(spell["start"], spell["start_precision"]),
                "end": partial_date(spell["end"], spell["end_precision"]),
                "is_certain": spell.get("is_certain"),
                "is_founding": spell["is_founding"],
                "continues": continues,
                "rank": spell["rank"],
                "rank_reason": spell["rank_reason"],
                "confidence": spell["confidence"],
                "unsourced": spell["unsourced"],
                "note": spell["note"],
                "later_changes_may_be_missing": organization.may_miss_changes_on(on),
                "citations": cited[spell["id"]],
                "is_published": spell["is_published"],
                "is_disputed": spell["is_disputed"],
                "dispute_note": spell["dispute_note"],
                "updated_at": _DATETIME.to_representation(spell["updated_at"]),
                "version": spell["version"],
            }
        )
    return rows


# --- the overlap of organizations -------------------------------------------------------


def overlap_data(result: selectors.Overlap, request) -> dict:
    """``OverlapSerializer``'s answer for ``result`` (read with ``cited=False``)."""
    links = Links(request)
    day = _DAY.to_representation(result.on)
    organizations = [
        {
            "slug": organization.slug,
            "name": str(organization.localized_name),
            "url": links.url("api-organization-detail", "slug", organization.slug),
            "reviewed_through": _DAY.to_representation(organization.reviewed_through)
            if organization.reviewed_through
            else None,
            "later_changes_may_be_missing": organization.may_miss_changes_on(
                asked_day({"request": request})
            ),
        }
        for organization in result.organizations
    ]

    def member(entry: selectors.OverlapMember) -> dict:
        record = entry.member
        if isinstance(record, Country):
            kind, code = "country", record.iso2
            url = links.url("api-country-detail", "iso2", record.iso2.lower())
        else:
            kind, code = "organization", record.slug
            url = links.url("api-organization-detail", "slug", record.slug)
        spells = [
            {
                "organization": organization.slug,
                "status": spell.status,
                "qualifier": spell.qualifier,
                "is_certain": spell.is_certain,  # type: ignore[attr-defined]
                "start": partial_date(spell.start, spell.start_precision),
                "end": partial_date(spell.end, spell.end_precision),
                "url": links.url("api-membership-detail", "pk", spell.pk),
            }
            for organization in result.organizations
            for spell in entry.spells_in(organization)
        ]
        return {
            "kind": kind,
            "code": code,
            "name": display_label(record),
            "url": url,
            "memberships": spells,
        }

    return {
        "as_of": day,
        "statuses": result.statuses,
        "organizations": organizations,
        "intersections": [
            {
                "organizations": intersection.slugs,
                "count": intersection.count,
                "members": [member(entry) for entry in intersection.members],
            }
            for intersection in result.intersections
        ],
        "pairwise": [
            {"organizations": [first.slug, second.slug], "count": count}
            for first, second, count in result.pairwise
        ],
    }
