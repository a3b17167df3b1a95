"""The API's query vocabulary: how a parameter is read, refused and described.

The FilterSets in ``orgs.api.filters`` are built from these pieces, so that a mistyped question
is refused the same way on every list instead of answered with a wrong number:

- ``AtlasFilterSet`` takes older names of parameters (``aliases``), ``statuses`` for ``status``
  everywhere, and, when asked to be ``strict`` (the API's lists are; the pages are not, so that
  a link with ``utm_source`` still opens), refuses a parameter it does not know, naming it and
  the ones it takes.
- ``RecordFilter`` takes a slug or an ISO code in any case and refuses one that names no record
  the reader may see, suggesting the records whose names match.
- Choices and yes/no values are read in any case and refused when they are not one of them
  (django-filter's own boolean widget reads ``maybe`` as "not given").
- ``StrictOrderingFilter`` refuses an ``ordering`` it cannot apply and lists the ones it can.

Errors are form errors under the parameter's name, as the request wrote it; ``AtlasFilterBackend``
raises them as ``ParameterErrors``, which the exception handler answers as problem details.
"""

from __future__ import annotations

import datetime
import re

from django import forms
from django.db.models import Q
from django.forms.utils import ErrorDict, ErrorList
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions
from rest_framework.filters import OrderingFilter

from orgs.models import Agreement, Country, Event, Organization, Person, Status, country_code_q
from orgs.params import ParameterError, parse_date, parse_statuses, preview_requested
from orgs.selectors.search import clean_query

# What every list takes besides its filters; ``ordering`` only where the list can be ordered.
COMMON_PARAMETERS = ("page", "page_size", "format", "ordering", "drafts", "lang")
LANGUAGES = ("en", "ru")


class ParameterErrors(exceptions.ValidationError):
    """Query parameters the API refuses, by name; answered as problem details with status 400.

    ``codes`` tells what kind of refusal each is (``unknown_parameter``, ``unknown_record``,
    ``invalid``), which picks the problem's ``type``.
    """

    def __init__(self, errors: dict[str, list[str]], codes: set[str] | None = None):
        super().__init__(errors)
        self.codes = codes or {"invalid"}


def raise_parameter_errors(error_dict: ErrorDict) -> None:
    """Raise a form's errors as ``ParameterErrors``: messages as rendered, never formatted
    twice (django-filter's own translation formats them again, and a ``%`` in a value is a 500)."""
    messages = {name: list(errors) for name, errors in error_dict.items()}
    codes = {
        error.code or "invalid"
        for errors in error_dict.values()
        for error in errors.as_data()
        if isinstance(errors, ErrorList)
    }
    raise ParameterErrors(messages, codes or {"invalid"})  # type: ignore[arg-type]  # rendered text


def preview(filterset: filters.FilterSet) -> bool:
    """Whether the request behind the FilterSet, if any, is staff asking for drafts."""
    return filterset.request is not None and preview_requested(filterset.request)


# --- values ------------------------------------------------------------------------------


class DayField(forms.Field):
    def to_python(self, value):
        try:
            return parse_date(value)
        except ParameterError as error:
            raise forms.ValidationError(error.message, code="invalid") from None


class StatusesField(forms.Field):
    def to_python(self, value):
        try:
            return parse_statuses(value)
        except ParameterError as error:
            raise forms.ValidationError(error.message, code="invalid") from None


EARLIEST_MOMENT = datetime.datetime(1, 1, 1, tzinfo=datetime.UTC)
LATEST_MOMENT = datetime.datetime(9999, 12, 31, 23, 59, 59, tzinfo=datetime.UTC)


def parse_moment(value: str | None) -> datetime.datetime | None:
    """An ISO 8601 date and time (a day alone means its midnight, UTC), in UTC; None when empty.

    Any offset RFC 3339 allows is read and the moment converted to UTC here: PostgreSQL refuses
    offsets beyond ±15:59, which Python accepts, so none reaches the database.
    """
    if value is None or not value.strip():
        return None
    text = value.strip()
    # What was typed is a value of the message, never part of its format: it may hold a "%".
    refusal = forms.ValidationError(
        _(
            "“%(value)s” is not a date and time; use ISO 8601, for example "
            "2025-07-01T12:00:00Z or 2025-07-01."
        )
        % {"value": text[:40]},
        code="invalid",
    )
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}([Tt ][0-9:.]+([Zz]|[+-]\d{2}:?\d{2})?)?", text):
        raise refusal
    try:
        moment = datetime.datetime.fromisoformat(text.upper().replace("Z", "+00:00"))
    except ValueError:
        raise refusal from None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=datetime.UTC)
    try:
        return moment.astimezone(datetime.UTC)
    except OverflowError:  # an offset carries it past the first or last year Python knows
        return EARLIEST_MOMENT if moment.year == 1 else LATEST_MOMENT


class MomentField(forms.Field):
    def to_python(self, value):
        return parse_moment(value)


YES = ("true", "1", "yes")
NO = ("false", "0", "no")


class YesNoField(forms.Field):
    """true or false (also 1/0, yes/no), in any case; anything else is refused, not ignored."""

    def to_python(self, value):
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        text = str(value).strip().lower()
        if text in YES:
            return True
        if text in NO:
            return False
        raise forms.ValidationError(
            _("“%(value)s” is neither true nor false.") % {"value": str(value)[:40]},
            code="invalid",
        )


class AnyCaseChoiceField(forms.ChoiceField):
    """A choice read in any case, with spaces or hyphens for underscores: ``Dialogue Partner``."""

    def to_python(self, value):
        text = super().to_python(value).strip()
        wanted = text.lower().replace(" ", "_").replace("-", "_")
        for choice, _label in self.choices:
            if str(choice).lower() == wanted:
                return str(choice)
        return text

    def validate(self, value):
        if value and not self.valid_value(value):
            options = ", ".join(str(choice) for choice, _label in self.choices if choice != "")
            raise forms.ValidationError(
                _("“%(value)s” is not one of %(options)s.")
                % {"value": value[:40], "options": options},
                code="invalid_choice",
            )


# --- filters -----------------------------------------------------------------------------


# A day as the API reads it: YYYY-MM-DD up to the last day of 9998 ("as of" looks at the day
# after the one asked about).
DAY_SCHEMA = {
    "type": "string",
    "format": "date",
    "pattern": r"^([0-8][0-9]{3}|9[0-8][0-9]{2}|99[0-8][0-9]|999[0-8])-[0-9]{2}-[0-9]{2}$",
    "example": "2025-07-01",
}


@extend_schema_field(DAY_SCHEMA)
class DayFilter(filters.Filter):
    """A day written YYYY-MM-DD, nothing else."""

    field_class = DayField


@extend_schema_field(
    {
        "type": "array",
        "items": {"type": "string", "enum": list(Status.values)},
        "description": "One or more of " + ", ".join(Status.values) + ", comma-separated "
        "(member,observer).",
    }
)
class StatusesFilter(filters.Filter):
    field_class = StatusesField

    def filter(self, queryset, value):
        return queryset.filter(**{f"{self.field_name}__in": value}) if value else queryset


@extend_schema_field(OpenApiTypes.DATETIME)
class MomentFilter(filters.Filter):
    field_class = MomentField


@extend_schema_field(OpenApiTypes.BOOL)
class YesNoFilter(filters.Filter):
    field_class = YesNoField


class ChoiceFilter(filters.ChoiceFilter):
    field_class = AnyCaseChoiceField


class WordsFilter(filters.CharFilter):
    """Records with the text given in any of ``fields``, in any case: the ``q`` of a list."""

    def __init__(self, *, fields: list[str], **kwargs):
        self.search_fields = fields
        super().__init__(**kwargs)

    def filter(self, queryset, value):
        if not value:
            return queryset
        condition = Q()
        for field in self.search_fields:
            condition |= Q(**{f"{field}__icontains": value})
        return queryset.filter(condition)


class NameSearchFilter(filters.CharFilter):
    """Records the text names, by any of their names in English or Russian, in any case and
    script (``q=ШОС``, ``q=Беларусь``, ``q=Росс``): the atlas's one name search, the selector
    ``search`` (``orgs.selectors.organization_search`` and its kin)."""

    def __init__(self, *, search, **kwargs):
        self.search = search
        super().__init__(**kwargs)

    def filter(self, queryset, value):
        if not clean_query(value or ""):
            return queryset
        return self.search(queryset, value)


@extend_schema_field({"type": "integer", "format": "int64", "minimum": 1})
class IdFilter(filters.NumberFilter):
    field_class = forms.IntegerField


class UpdatedSinceFilter(MomentFilter):
    """Records edited at or after a moment: what a mirror fetches again."""

    def __init__(self, **kwargs):
        kwargs.setdefault("field_name", "updated_at")
        kwargs.setdefault("lookup_expr", "gte")
        kwargs.setdefault(
            "help_text",
            "Records whose published version was edited at or after this moment "
            "(ISO 8601: 2025-07-01T00:00:00Z, or a day).",
        )
        super().__init__(**kwargs)


# --- records named by slug or code -------------------------------------------------------

KINDS = {
    "country": (Country, "code"),
    "organization": (Organization, "slug"),
    "person": (Person, "slug"),
    "agreement": (Agreement, "slug"),
    "event": (Event, "slug"),
}


def _named(kind: str, code: str, *, preview: bool) -> str | None:
    """The record of ``kind`` that ``code`` names (any case), as its canonical code, or None."""
    model, _key = KINDS[kind]
    visible = model.objects.visible(preview)
    if kind == "country":
        if len(code) not in (2, 3):
            return None
        country = visible.filter(country_code_q(code)).only("iso2").first()
        return country.iso2 if country else None
    slug = code.lower()
    return slug if visible.filter(slug=slug).exists() else None


def _suggestions(kinds: tuple[str, ...], code: str, *, preview: bool) -> list[str]:
    """Codes of records whose name holds what was given: ``putin`` → ``vladimir-putin``."""
    words = code.replace("-", " ").replace("_", " ").strip()
    if len(words) < 3:
        return []
    found: list[str] = []
    for kind in kinds:
        model, _key = KINDS[kind]
        names = Q(**{f"{'title' if kind == 'agreement' else 'name'}__icontains": words})
        if kind == "organization":
            names |= Q(acronym__iexact=words) | Q(other_names__icontains=words)
        if kind == "country":
            names |= Q(other_names__icontains=words) | Q(official_name__icontains=words)
            found += [
                iso2.lower()
                for iso2 in model.objects.visible(preview)
                .filter(names)
                .values_list("iso2", flat=True)[:5]
            ]
            continue
        found += list(
            model.objects.visible(preview).filter(names).values_list("slug", flat=True)[:5]
        )
    return found[:5]


# How a refusal names what a parameter takes, by the kind of record it names.
WHAT_NAMES_A_RECORD = {
    "country": gettext_lazy("a country's ISO alpha-2 or alpha-3 code"),
    "organization": gettext_lazy("an organization's slug"),
    "person": gettext_lazy("a person's slug"),
    "event": gettext_lazy("an event's slug"),
    "agreement": gettext_lazy("an agreement's slug"),
}


def _what(kinds: tuple[str, ...]) -> str:
    described = [str(WHAT_NAMES_A_RECORD[kind]) for kind in kinds]
    if len(described) == 1:
        return described[0]
    return _("%(some)s or %(last)s") % {"some": ", ".join(described[:-1]), "last": described[-1]}


class RecordField(forms.CharField):
    def __init__(self, *, resolve, **kwargs):
        self.resolve = resolve
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        return self.resolve(value) if value else value


@extend_schema_field(OpenApiTypes.STR)
class RecordFilter(filters.CharFilter):
    """A record named by its slug or ISO code, in any case; one the reader cannot see (none by
    that name, or a draft) is refused with 400 instead of answering an empty list.

    The cleaned value is the record's canonical code (a lowercase slug, an alpha-2 code in
    capitals), which ``field_name`` or ``method`` then filter by.
    """

    def __init__(self, *, kinds: tuple[str, ...], **kwargs):
        self.kinds = kinds
        super().__init__(**kwargs)

    @property
    def field(self):
        if not hasattr(self, "_field"):
            self._field = RecordField(resolve=self.resolve, label=self.label, **self.extra)
        return self._field

    def resolve(self, value: str) -> str:
        code = value.strip()
        seeing_drafts = preview(self.parent) if self.parent is not None else False
        for kind in self.kinds:
            found = _named(kind, code, preview=seeing_drafts)
            if found is not None:
                return found
        message = _("“%(value)s” is not %(what)s in the atlas.") % {
            "value": code[:40],
            "what": _what(self.kinds),
        }
        suggested = _suggestions(self.kinds, code, preview=seeing_drafts)
        if suggested:
            message += " " + _("Did you mean %(suggestions)s?") % {
                "suggestions": ", ".join(suggested)
            }
        raise forms.ValidationError(message, code="unknown_record")


class AreaField(forms.CharField):
    def clean(self, value):
        value = super().clean(value)
        if not value:
            return value
        from orgs.regions import un_area_names

        names = un_area_names()
        if value.lower() in (name.lower() for name in names):
            return value
        if Country.objects.filter(region__iexact=value).exists():
            return value
        raise forms.ValidationError(
            _("“%(value)s” is not a UN M49 region or sub-region; use one of %(names)s.")
            % {"value": value[:40], "names": ", ".join(names)},
            code="unknown_record",
        )


class AreaFilter(filters.CharFilter):
    """A UN M49 region or sub-region, in any case; one no country is in is refused."""

    field_class = AreaField


# --- the FilterSet -----------------------------------------------------------------------


class AtlasFilterSet(filters.FilterSet):
    """A FilterSet that also takes older names of its parameters, and may refuse unknown ones.

    ``aliases`` maps an older name to the parameter it stands for (``{"from": "start_after"}``),
    so links written with it keep working; the parameter's own name wins when both are given.
    ``statuses`` stands for ``status`` wherever there is one. Errors name the parameter as the
    request wrote it. With ``strict=True`` a parameter that is neither a filter, an alias nor
    one of ``accepted`` is an error naming it and listing what the list takes.
    """

    aliases: dict[str, str] = {}

    def __init__(self, data=None, *args, strict=False, accepted=(), **kwargs):
        self.given_names: dict[str, str] = {}
        self.strict = strict
        self.accepted = tuple(accepted)
        self.raw_data = data
        if data is not None:
            data = data.copy()
            for alias, name in self.all_aliases().items():
                if alias in data and name not in data:
                    data[name] = data[alias]
                    self.given_names[name] = alias
        super().__init__(data, *args, **kwargs)

    @classmethod
    def all_aliases(cls) -> dict[str, str]:
        aliases = dict(cls.aliases)
        if "status" in cls.base_filters:
            aliases.setdefault("statuses", "status")
        return aliases

    @classmethod
    def filter_for_lookup(cls, field, lookup_type):
        filter_class, params = super().filter_for_lookup(field, lookup_type)
        if filter_class is filters.ChoiceFilter:
            filter_class = ChoiceFilter
        elif filter_class is not None and issubclass(filter_class, filters.BooleanFilter):
            filter_class, params = YesNoFilter, {}
        return filter_class, params

    def parameter(self, name: str) -> str:
        """The name the request gave parameter ``name`` under: its own or an alias."""
        return self.given_names.get(name, name)

    def parameters(self) -> list[str]:
        """Every parameter the list takes, sorted: filters, aliases and the accepted others."""
        return sorted({*self.base_filters, *self.all_aliases(), *self.accepted})

    def strict_errors(self) -> dict[str, ErrorList]:
        """In strict mode: a parameter the list does not take, or a language it does not know."""
        if not self.strict or self.raw_data is None:
            return {}
        known = set(self.parameters())
        takes = ", ".join(sorted(known))
        found = {}
        for name in self.raw_data:
            if name not in known:
                message = _("this list takes no parameter “%(name)s”; it takes %(takes)s.") % {
                    "name": name[:60],
                    "takes": takes,
                }
                found[name[:60]] = ErrorList(
                    [forms.ValidationError(message, code="unknown_parameter")]
                )
        for name, message in common_value_errors(self.raw_data).items():
            found[name] = ErrorList([forms.ValidationError(message, code="invalid")])
        return found

    def is_valid(self):
        valid = super().is_valid()
        return valid and not self.strict_errors()

    @property
    def errors(self):
        errors = ErrorDict(
            (self.parameter(name), messages) for name, messages in self.form.errors.items()
        )
        errors.update(self.strict_errors())
        return errors


class AtlasFilterBackend(filters.DjangoFilterBackend):
    """django-filter's backend with strict FilterSets: an unknown parameter is an error.

    A view may accept more than its FilterSet's filters with ``extra_parameters`` (the
    ``as_of`` of an agreement's detail, say).
    """

    def get_filterset_kwargs(self, request, queryset, view):
        kwargs = super().get_filterset_kwargs(request, queryset, view)
        kwargs.update(strict=True, accepted=accepted_parameters(view))
        return kwargs

    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if not filterset.is_valid():
            raise_parameter_errors(filterset.errors)
        return filterset.qs


def accepted_parameters(view) -> tuple[str, ...]:
    """What a view takes besides its filters: the common set, without ``ordering`` where the
    list cannot be ordered, and the view's ``extra_parameters``."""
    orderable = any(
        issubclass(backend, OrderingFilter) for backend in getattr(view, "filter_backends", [])
    )
    common = [name for name in COMMON_PARAMETERS if orderable or name != "ordering"]
    return (*common, *getattr(view, "extra_parameters", ()))


def check_parameters(request, accepted) -> None:
    """For addresses without a FilterSet (a record, overlap, timeline, changes): refuse
    unknown parameters; ``format``, ``drafts`` and ``lang`` are always taken."""
    check_language(request)
    known = {*accepted, "format", "drafts", "lang"}
    unknown = [name for name in request.query_params if name not in known]
    if unknown:
        takes = ", ".join(sorted(known))
        raise ParameterErrors(
            {
                name[:60]: [
                    _("this address takes no parameter “%(name)s”; it takes %(takes)s.")
                    % {"name": name[:60], "takes": takes}
                ]
                for name in unknown
            },
            {"unknown_parameter"},
        )


def common_value_errors(data) -> dict[str, str]:
    """What is wrong with the values of ``lang`` and ``drafts``, the parameters every address
    takes (``drafts`` asks for drafts only from staff, but means yes or no from anyone)."""
    errors = {}
    language = data.get("lang")
    if language and language.strip() and language.strip().lower() not in LANGUAGES:
        errors["lang"] = _("“%(value)s” is not a language here; use en or ru.") % {
            "value": language[:20]
        }
    drafts = data.get("drafts")
    if drafts is not None and drafts.strip() and drafts.strip().lower() not in (*YES, *NO):
        errors["drafts"] = _("“%(value)s” is neither true nor false.") % {"value": drafts[:20]}
    return errors


def check_language(request) -> None:
    errors = common_value_errors(request.query_params)
    if errors:
        raise ParameterErrors({name: [message] for name, message in errors.items()})


class StrictOrderingFilter(OrderingFilter):
    """``?ordering=`` that refuses a field it cannot order by, instead of ignoring it."""

    def get_ordering(self, request, queryset, view):
        raw = request.query_params.get(self.ordering_param)
        if raw is None or not raw.strip():
            return self.get_default_ordering(view)
        valid = {
            name for name, _label in self.get_valid_fields(queryset, view, {"request": request})
        }
        terms = [term.strip() for term in raw.split(",") if term.strip()]
        wrong = [term for term in terms if term.lstrip("-") not in valid]
        if wrong or not terms:
            options = ", ".join(sorted(valid))
            raise ParameterErrors(
                {
                    self.ordering_param: [
                        _(
                            "“%(value)s” is not an ordering; use one of %(options)s, each with "
                            "- before it for descending order, comma-separated."
                        )
                        % {"value": (wrong or [raw])[0][:40], "options": options}
                    ]
                }
            )
        return terms

    def get_schema_operation_parameters(self, view):
        fields = list(getattr(view, "ordering_fields", []) or [])
        choices = [term for name in fields for term in (name, f"-{name}")]
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": "Order by these fields, comma-separated; - before a field for "
                "descending order.",
                "style": "form",
                "explode": False,
                "schema": {"type": "array", "items": {"type": "string", "enum": choices}},
            }
        ]
