"""The columns of an import file as the admin reads them: partial dates, choices, slugs,
source keys and members (an ISO code or an organization's slug), each refused in plain words."""

from __future__ import annotations

import datetime

import pycountry
from django.db.models import Q
from django.utils.translation import gettext
from import_export import fields, widgets

from ..dates import PartialDate, PartialDateError
from ..models import (
    Country,
    Organization,
    Source,
    Status,
    country_code,
    is_user_assigned,
)
from .import_lookups import country_by_iso2, current_lookups, organization_by_slug


class PartialDateWidget(widgets.Widget):
    """``2015``, ``2015-07``, ``2015-07-08`` or ``≤2025-06-09``, as editors type them."""

    def clean(self, value, row=None, **kwargs) -> PartialDate | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, datetime.datetime):  # an XLSX date cell
            value = value.date()
        if isinstance(value, datetime.date):
            return PartialDate(value)
        if isinstance(value, float) and value.is_integer():  # an XLSX number cell: 2015
            value = int(value)
        text = str(value).strip()
        try:
            return PartialDate.parse(text)
        except PartialDateError as error:
            raise ValueError(
                gettext("Bad date “%(text)s”: %(error)s") % {"text": text, "error": error}
            ) from None

    def render(self, value, obj=None, **kwargs) -> str:
        return value.iso if value else ""


class ChoiceWidget(widgets.Widget):
    """A value of a vocabulary, given as stored (``dialogue_partner``) or as read (``dialogue
    partner``); an empty cell takes the model's default."""

    def __init__(self, name: str, choices, default: str = ""):
        super().__init__()
        self.name, self.choices, self.default = name, list(choices), default

    def clean(self, value, row=None, **kwargs) -> str:
        text = str(value or "").strip()
        if not text:
            return self.default
        for stored, label in self.choices:
            if text.lower() in (stored.lower(), str(label).lower()):
                return stored
        allowed = ", ".join(stored for stored, _ in self.choices)
        raise ValueError(
            gettext("The %(name)s “%(text)s” is not one of: %(allowed)s.")
            % {"name": self.name, "text": text, "allowed": allowed}
        )

    def render(self, value, obj=None, **kwargs) -> str:
        return value or ""


class SlugWidget(widgets.Widget):
    """An organization by its slug (``sco``, ``brics``)."""

    def clean(self, value, row=None, **kwargs) -> Organization | None:
        slug = str(value or "").strip().lower()
        if not slug:
            return None
        organization = organization_by_slug(slug)
        if organization is None:
            raise ValueError(
                gettext("No organization has the slug “%(slug)s”: add it first.") % {"slug": slug}
            )
        return organization

    def render(self, value, obj=None, **kwargs) -> str:
        return value.slug if value else ""


class SourceKeyWidget(widgets.Widget):
    """A source by its key, its number in the atlas (the id in its admin address) or its URL:
    editors who leave the key empty still name the source they mean."""

    def clean(self, value, row=None, **kwargs) -> Source | None:
        if isinstance(value, float) and value.is_integer():  # an XLSX number cell
            value = int(value)
        given = str(value or "").strip()
        if not given:
            return None
        source = self.find(given)
        if source is None:
            raise ValueError(
                gettext(
                    "No source has the key, number or URL “%(given)s”: "
                    "import or add the source first."
                )
                % {"given": given}
            )
        return source

    @staticmethod
    def find(given: str) -> Source | None:
        lookups = current_lookups.get()
        is_url = given.lower().startswith(("http://", "https://"))
        if lookups is not None:
            sources = lookups.sources
            source = sources.by_key.get(given)
            if source is None and given.isdigit():
                source = sources.by_pk.get(int(given))
            if source is None and is_url:
                source = sources.by_url.get(given)
            return source
        source = Source.objects.filter(key=given).first()
        if source is None and given.isdigit():
            source = Source.objects.filter(pk=int(given)).first()
        if source is None and is_url:
            source = Source.objects.filter(Q(url=given) | Q(archive_url=given)).first()
        return source

    def render(self, value, obj=None, **kwargs) -> str:
        return value.key if value else ""


def find_member(kind: str, code: str) -> Country | Organization:
    """The member a row names, or a ValueError an editor can act on."""
    kind = (kind or "country").strip().lower()
    code = (code or "").strip()
    if not code:
        raise ValueError(
            gettext("Give the member: an ISO alpha-2 code (BY) or an organization slug.")
        )
    if kind == "country":
        iso2 = country_code(code)
        if pycountry.countries.get(alpha_2=iso2) is None and not is_user_assigned(iso2):
            raise ValueError(
                gettext("Unknown ISO code “%(code)s”: give the ISO 3166-1 alpha-2 code, e.g. BY.")
                % {"code": code}
            )
        country = country_by_iso2(iso2)
        if country is None:
            raise ValueError(
                gettext("%(code)s is not in the atlas yet: add the country first.") % {"code": iso2}
            )
        return country
    if kind == "organization":
        organization = SlugWidget().clean(code)
        assert organization is not None  # the code is not empty
        return organization
    raise ValueError(
        gettext("member_kind is “country” or “organization”, not “%(kind)s”.") % {"kind": kind}
    )


class MemberField(fields.Field):
    """The member as a code: ISO alpha-2 for a country, slug for an organization.

    The ``member_kind`` column says which; it defaults to country.
    """

    def __init__(self, **kwargs):
        super().__init__(attribute="member", column_name="member", **kwargs)

    def clean(self, row, **kwargs):
        return find_member(row.get("member_kind") or "country", row.get(self.column_name))

    def save(self, instance, row, is_m2m=False, **kwargs):
        member = self.clean(row)
        is_country = isinstance(member, Country)
        instance.member_country = member if is_country else None
        instance.member_organization = None if is_country else member

    def export(self, instance, **kwargs) -> str:
        member = instance.member
        if member is None:
            return ""
        return member.iso2 if isinstance(member, Country) else member.slug


def spell_natural_key(row) -> dict | None:
    """The lookup of the spell a row names, or None when the row does not name one fully."""
    try:
        organization = SlugWidget().clean(row.get("organization"))
        member = find_member(row.get("member_kind") or "country", row.get("member"))
        start = PartialDateWidget().clean(row.get("start"))
        status = ChoiceWidget("status", Status.choices, Status.MEMBER).clean(row.get("status"))
    except ValueError:
        return None  # the row's own fields report the error
    if organization is None or start is None:
        return None
    member_field = "member_country" if isinstance(member, Country) else "member_organization"
    return {
        "organization": organization,
        member_field: member,
        "status": status,
        "start": start.earliest,
        "start_precision": start.precision,
    }
