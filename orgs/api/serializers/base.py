"""Serializers: explicit fields, partial dates in one form, related records as small linked objects.

Reads give a related record as ``{"slug": "sco", "name": "…", "url": "…/organizations/sco/"}``
and writes take its slug (or a country's ISO code); a partial date reads as
``{"date", "precision", "display", "latest"}`` and is written as ``2024``, ``2024-07``,
``2024-07-04`` or ``≤2025-06-09``. Writes run the model's ``full_clean()``, the admin's
validation, and answer its messages field by field.

This module holds the pieces every resource shares: the fields, the inline citations and the
save through ``full_clean()``.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse
from rest_framework.settings import api_settings

from orgs.dates import PARTIAL_DATE_HELP, PartialDate, PartialDateError, Precision
from orgs.languages import ENGLISH, NAME_LANGUAGES
from orgs.models import Agreement, Citation, Country, Event, Organization, Person, country_code
from orgs.params import parse_date

# --- fields --------------------------------------------------------------------------------


def display_label(record) -> str:
    """How an answer names a record, in the language asked for (``lang`` or Accept-Language),
    English where it has no name in it: an organization with its acronym ("Shanghai Cooperation
    Organisation (SCO)", "Шанхайская организация сотрудничества (ШОС)"), the others by name or
    title."""
    if isinstance(record, Organization):
        name, acronym = record.localized_name, record.localized_acronym
        return f"{name} ({acronym})" if acronym and acronym != name else str(name)
    if isinstance(record, Agreement):
        return str(record.localized_title)
    if isinstance(record, Country | Person | Event):
        return str(record.localized_name)
    return str(record)


class NamesSerializer(serializers.Serializer):
    """A record's name in every language the atlas keeps, whichever language was asked for."""

    en = serializers.CharField(help_text="In English, the language of record.")
    ru = serializers.CharField(allow_null=True, help_text="In Russian; null where there is none.")

    def to_representation(self, instance):
        return {
            language: instance.get(language) or (None if language != ENGLISH else "")
            for language in NAME_LANGUAGES
        }


def names_field(what: str = "name") -> NamesSerializer:
    """Declared as names, acronyms or titles: the model property of that name."""
    return NamesSerializer(
        read_only=True,
        help_text=f"The {what} in every language: en, ru (null where there is none).",
    )


def display_name_field(source: str = "localized_name", what: str = "name") -> serializers.Field:
    return serializers.CharField(
        source=source,
        read_only=True,
        help_text=f"The {what} in the language asked for (lang, else Accept-Language), the "
        "English one where there is none.",
    )


class PartialDateField(serializers.Field):
    """A partial date: read as an object, written as the text editors type in the admin."""

    default_error_messages = {
        "invalid": gettext_lazy(
            "Give a partial date as text: 2024, 2024-07, 2024-07-04 or ≤2025-06-09."
        ),
        "precision": gettext_lazy("“{precision}” is not a precision; use one of: {choices}."),
    }

    def to_representation(self, value: PartialDate):
        return {
            "date": value.earliest.isoformat(),
            "precision": value.precision,
            "display": value.display,
            "latest": value.latest.isoformat(),
        }

    def validate_empty_values(self, data):
        if data == "" and self.allow_null:
            return True, None
        return super().validate_empty_values(data)

    def to_internal_value(self, data):
        # The object this field reads as is accepted back, so a client can PUT what it GET.
        if isinstance(data, dict) and isinstance(data.get("date"), str):
            data = self._text_of(data)
        if not isinstance(data, str):
            self.fail("invalid")
        try:
            return PartialDate.parse(data)
        except PartialDateError as error:
            raise serializers.ValidationError(str(error)) from None

    def _text_of(self, data: dict) -> str:
        precision = data.get("precision", Precision.DAY)
        if precision not in Precision.values:
            # Anything else would be stored as a day, a precision nobody gave.
            self.fail(
                "precision", precision=str(precision)[:20], choices=", ".join(Precision.values)
            )
        try:
            day = datetime.date.fromisoformat(data["date"])
        except ValueError:
            return data["date"]  # PartialDate.parse says what is wrong with it
        return PartialDate(day, precision).iso


class PartialDateFieldExtension(OpenApiSerializerFieldExtension):
    target_class = PartialDateField

    def map_serializer_field(self, auto_schema, direction):
        if direction == "request":
            return {
                "type": "string",
                "pattern": r"^(≤|<=)?\d{4}(-\d{1,2}(-\d{1,2})?)?$",
                "example": "2024-07",
                "description": PARTIAL_DATE_HELP,
            }
        return {
            "type": "object",
            "description": "A partial date: its first day, its precision, how pages print it, "
            "and the last day it may stand for.",
            "properties": {
                "date": {"type": "string", "format": "date", "example": "2024-07-01"},
                "precision": {"enum": Precision.values, "type": "string", "example": "month"},
                "display": {"type": "string", "example": "July 2024"},
                "latest": {"type": "string", "format": "date", "example": "2024-07-31"},
            },
            "required": ["date", "precision", "display", "latest"],
        }


@extend_schema_field({"type": "string", "description": "A URL, or empty when unknown."})
class OptionalURLField(serializers.URLField):
    """A URL that may be blank: its schema cannot say ``format: uri``, which "" would break."""

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_blank", True)
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 1000)
        super().__init__(**kwargs)


def country_url(country: Country, request) -> str:
    return reverse("api-country-detail", kwargs={"iso2": country.iso2.lower()}, request=request)


def asked_day(context) -> datetime.date:
    """The day an answer is about: the request's ``as_of``, or today."""
    request = context.get("request")
    raw = request.query_params.get("as_of") if request is not None else None
    return parse_date(raw, "as_of") or timezone.localdate()


REVIEW_NOTICE_HELP = (
    "True when the day asked about (as_of, today by default) is after the day the "
    "organization's records were last reviewed against sources (reviewed_through), or they "
    "never were: changes after that day may be missing."
)


def shows(record, context) -> bool:
    """Whether a related record may be named in an answer: published, or previewed by staff."""
    if getattr(record, "is_published", True):
        return True
    return bool(getattr(context.get("view"), "preview", False))


class LinkedField(serializers.SlugRelatedField):
    """A related record: read as ``{<key>, name, url}``, written as its slug or code."""

    def __init__(self, view_name: str, slug_field: str = "slug", **kwargs):
        self.view_name = view_name
        super().__init__(slug_field=slug_field, **kwargs)

    def to_internal_value(self, data):
        # A NUL would reach PostgreSQL in the lookup, which refuses it with an error.
        if not isinstance(data, str) or "\x00" in data:
            self.fail("invalid")
        if self.slug_field in ("iso2", "iso3"):
            return super().to_internal_value(country_code(data))
        return super().to_internal_value(data.strip().lower())

    def use_pk_only_optimization(self):
        return False

    def get_choices(self, cutoff=None):
        # The browsable API's forms offer the written form (slug or code), not the read object.
        queryset = self.get_queryset()
        if queryset is None:
            return {}
        if cutoff is not None:
            queryset = queryset[:cutoff]
        return {getattr(item, self.slug_field): self.display_value(item) for item in queryset}

    def to_representation(self, obj):
        if not shows(obj, self.context):
            return None  # a draft is never named to those who may not preview it
        request = self.context.get("request")
        if isinstance(obj, Country):
            url = country_url(obj, request)
        else:
            url = reverse(self.view_name, kwargs={"slug": obj.slug}, request=request)
        return {
            self.slug_field: getattr(obj, self.slug_field),
            "name": display_label(obj),
            "url": url,
        }


class LinkedFieldExtension(OpenApiSerializerFieldExtension):
    target_class = LinkedField

    def map_serializer_field(self, auto_schema, direction):
        key = self.target.slug_field
        if direction == "request":
            return {"type": "string", "description": f"The {key} of the related record."}
        return {
            "type": "object",
            "properties": {
                key: {"type": "string"},
                "name": {"type": "string"},
                "url": {"type": "string", "format": "uri"},
            },
            "required": [key, "name", "url"],
            # A related record that is a draft is not named: null for the public.
            "nullable": True,
        }


def organization_field(**kwargs):
    return LinkedField("api-organization-detail", queryset=Organization.objects.all(), **kwargs)


def country_field(**kwargs):
    return LinkedField(
        "api-country-detail", slug_field="iso2", queryset=Country.objects.all(), **kwargs
    )


def person_field(**kwargs):
    return LinkedField("api-person-detail", queryset=Person.objects.all(), **kwargs)


class CountryIdentityField(serializers.HyperlinkedIdentityField):
    """Countries live at their lowercase alpha-2 code: /api/v1/countries/by/."""

    def get_url(self, obj, view_name, request, format):
        return country_url(obj, request)


def agreement_field(**kwargs):
    return LinkedField("api-agreement-detail", queryset=Agreement.objects.all(), **kwargs)


def event_field(**kwargs):
    return LinkedField("api-event-detail", queryset=Event.objects.all(), **kwargs)


def read_only_link(view_name: str, slug_field: str = "slug", **kwargs):
    return LinkedField(view_name, slug_field=slug_field, read_only=True, **kwargs)


class MemberSerializer(serializers.Serializer):
    """The member of a spell or the applicant of an application, country or organization."""

    kind = serializers.SerializerMethodField()
    code = serializers.SerializerMethodField(help_text="Alpha-2 code or organization slug.")
    name = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    def get_kind(self, record) -> str:
        return "country" if isinstance(record, Country) else "organization"

    def get_code(self, record) -> str:
        return record.iso2 if isinstance(record, Country) else record.slug

    def get_name(self, record) -> str:
        return display_label(record)

    def get_url(self, record) -> str:
        request = self.context.get("request")
        if isinstance(record, Country):
            return country_url(record, request)
        return reverse("api-organization-detail", kwargs={"slug": record.slug}, request=request)


class CitationInlineSerializer(serializers.ModelSerializer):
    """A citation inside the record it supports: which source says so, and where."""

    csv_url_key = "web_url"

    source_id = serializers.IntegerField(read_only=True)
    source_url: serializers.HyperlinkedRelatedField[Any] = serializers.HyperlinkedRelatedField(
        source="source", view_name="api-source-detail", read_only=True
    )
    title = serializers.CharField(source="source.title", read_only=True)
    publisher = serializers.CharField(source="source.publisher", read_only=True)
    date = PartialDateField(source="source.published_on_partial", read_only=True, allow_null=True)
    web_url = OptionalURLField(source="source.url", read_only=True)

    class Meta:
        model = Citation
        fields = [
            "id",
            "source_id",
            "source_url",
            "title",
            "publisher",
            "date",
            "web_url",
            "excerpt",
            "locator",
            "claim_field",
        ]
        read_only_fields = fields


# --- writes through full_clean -------------------------------------------------------------


def as_field_errors(error: DjangoValidationError) -> dict:
    errors = serializers.as_serializer_error(error)
    if NON_FIELD_ERRORS in errors:
        errors[api_settings.NON_FIELD_ERRORS_KEY] = errors.pop(NON_FIELD_ERRORS)
    return errors


class CleanModelSerializer(serializers.HyperlinkedModelSerializer):
    """Saves through the model's ``full_clean()``: the same validation as the admin.

    The viewset runs ``save()`` inside ``transaction.atomic()``, so a refused write changes
    nothing.
    """

    many_to_many: tuple[str, ...] = ()

    def create(self, validated_data):
        return self._clean_and_save(self.Meta.model(), validated_data)

    def update(self, instance, validated_data):
        return self._clean_and_save(instance, validated_data)

    def _clean_and_save(self, instance, data):
        related = {name: data.pop(name) for name in self.many_to_many if name in data}
        for name, value in data.items():
            setattr(instance, name, value)
        try:
            instance.full_clean()
        except DjangoValidationError as error:
            raise serializers.ValidationError(as_field_errors(error)) from None
        collector = self.context.get("change_collector")
        if collector is not None and collector.save(instance, m2m=related):
            return instance  # proposed for review: the live record is unchanged
        try:
            with transaction.atomic():
                instance.save()
        except IntegrityError:
            # A concurrent write committed between full_clean() and this save, and a database
            # constraint refused this one (two overlapping spells created at once, say).
            # Validating again finds that write and says so in the admin's words.
            try:
                instance.full_clean()
            except DjangoValidationError as error:
                raise serializers.ValidationError(as_field_errors(error)) from None
            raise
        for name, values in related.items():
            getattr(instance, name).set(values)
        return instance


# What every curated record shows about itself.
CURATED_FIELDS = ["is_published", "is_disputed", "dispute_note", "updated_at", "version"]
# Publishing is a reviewer's act with its own rules (orgs.services.records_publish): the API
# writes drafts and reads the published flag. ``version`` is raised by every write; an update
# may send back the one it read to be refused if it is stale (OptimisticLockingMixin).
CURATED_READ_ONLY = ["is_published", "updated_at", "version"]


# --- publishing through orgs.services ------------------------------------------------------


class PublishRequestSerializer(serializers.Serializer):
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text="Why, for the record's history (optional).",
    )


class PublishResultSerializer(serializers.Serializer):
    is_published = serializers.BooleanField()
    changed = serializers.BooleanField(help_text="False when the record already was so.")
