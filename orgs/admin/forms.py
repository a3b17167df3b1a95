"""Admin forms: one text box per partial date, the fields each record's form shows, and the
editorial extras (reason for change, the version the editor opened). Formsets whose rows are
checked against each other are in ``formsets``."""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.forms.models import ModelFormMetaclass
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..dates import PARTIAL_DATE_HELP, PartialDate, PartialDateError, Precision
from ..models import (
    AgreementStage,
    Application,
    Country,
    Event,
    Membership,
    Organization,
    Proposal,
    Quote,
    Source,
    country_code,
)
from ..services.locking import CONFLICT_MESSAGE, DELETED_MESSAGE

# --- one partial date, one text box --------------------------------------------------------


class PartialDateFormField(forms.CharField):
    """Reads ``2024``, ``2024-01``, ``2024-01-15`` or ``≤2025-06-09`` into a ``PartialDate``."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", PARTIAL_DATE_HELP)
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"size": 12, "maxlength": 20, "placeholder": "2024-07-04"}),
        )
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, PartialDate):
            return value.iso
        if isinstance(value, datetime.date):
            return value.isoformat()
        return value

    def to_python(self, value) -> PartialDate | None:  # type: ignore[override]  # not text
        if isinstance(value, PartialDate):
            return value
        if isinstance(value, datetime.date):
            return PartialDate(value, Precision.DAY)
        text = super().to_python(value)
        if not text:
            return None
        try:
            return PartialDate.parse(text)
        except PartialDateError as error:
            raise ValidationError(str(error), code="invalid") from None

    def has_changed(self, initial, data):
        try:
            return self.to_python(initial) != self.to_python(data)
        except ValidationError:
            return True


def partial_date_names(model) -> list[str]:
    """Names of the partial dates a model declares as a date column plus ``<name>_precision``."""
    names = set()
    for field in model._meta.get_fields():
        if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
            try:
                model._meta.get_field(f"{field.name}_precision")
            except FieldDoesNotExist:  # a plain date, not a partial one
                continue
            names.add(field.name)
    return sorted(names)


class PartialDateFormMetaclass(ModelFormMetaclass):
    """Turns each partial date's two columns into one text box, whatever ``fields`` the admin asks.

    Works at class level (``base_fields``) so the admin's fieldsets, computed from the form
    class, never list the hidden ``*_precision`` columns.
    """

    def __new__(mcs, name, bases, attrs):
        new_class = super().__new__(mcs, name, bases, attrs)
        model = getattr(getattr(new_class, "_meta", None), "model", None)
        if model is None:
            return new_class
        for date_name in partial_date_names(model):
            new_class.base_fields.pop(f"{date_name}_precision", None)
            date_field = new_class.base_fields.get(date_name)
            if date_field is None or isinstance(date_field, PartialDateFormField):
                continue
            model_field = model._meta.get_field(date_name)
            new_class.base_fields[date_name] = PartialDateFormField(
                required=not model_field.blank,
                label=date_field.label,
                help_text=model_field.help_text or PARTIAL_DATE_HELP,
            )
        return new_class


class PartialDateModelForm(forms.ModelForm, metaclass=PartialDateFormMetaclass):
    """A ModelForm whose partial dates are one text box each.

    In ``clean()``, before model validation, each partial date writes both of its columns on
    the instance, so ``Membership.clean()`` compares dates at their real precision.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.partial_date_fields:
            value = PartialDate.from_fields(
                getattr(self.instance, name, None),
                getattr(self.instance, f"{name}_precision", None),
            )
            # model_to_dict gave the bare day; show it at the precision it was stored with.
            if value is not None and isinstance(self.initial.get(name), datetime.date):
                self.initial[name] = value.iso

    @property
    def partial_date_fields(self) -> list[str]:
        return [
            name
            for name, field in self.fields.items()
            if isinstance(field, PartialDateFormField)
            and hasattr(self.instance, f"{name}_precision")
        ]

    def clean(self):
        cleaned_data = super().clean()
        for name in self.partial_date_fields:
            if name not in cleaned_data:  # the field itself had an error
                continue
            value = cleaned_data[name]
            setattr(self.instance, name, value.earliest if value else None)
            setattr(self.instance, f"{name}_precision", value.precision if value else Precision.DAY)
            # construct_instance() writes the date column from cleaned_data: give it the day.
            cleaned_data[name] = value.earliest if value else None
        return cleaned_data


# --- forms per model -----------------------------------------------------------------------

CURATED_FIELDS = ["is_published", "is_disputed", "dispute_note"]


class CountryForm(forms.ModelForm):
    class Meta:
        model = Country
        fields = [
            "name",
            "official_name",
            "other_names",
            "iso2",
            "iso3",
            "iso_unlisted",
            "region",
            "wikidata_id",
            "notes",
            *CURATED_FIELDS,
        ]

    def clean_iso2(self):
        return country_code(self.cleaned_data["iso2"])

    def clean_iso3(self):
        return country_code(self.cleaned_data["iso3"])


class OrganizationForm(PartialDateModelForm):
    class Meta:
        model = Organization
        fields = [
            "name",
            "acronym",
            "name_ru",
            "acronym_ru",
            "slug",
            "other_names",
            "kind",
            "lifecycle",
            "parent",
            "proposed_by",
            "proposed_by_country",
            "proposed_on",
            "founded_on",
            "dissolved_on",
            "headquarters",
            "website",
            "wikidata_id",
            "description",
            "successor",
            "reviewed_through",
            "reviewed_by",
            *CURATED_FIELDS,
        ]


class SourceForm(PartialDateModelForm):
    class Meta:
        model = Source
        fields = [
            "key",
            "kind",
            "title",
            "publisher",
            "author",
            "url",
            "archive_url",
            "published_on",
            "retrieved_on",
            "language",
            "translation_note",
            "notes",
            *CURATED_FIELDS,
        ]


class MembershipForm(PartialDateModelForm):
    class Meta:
        model = Membership
        fields = [
            "organization",
            "member_country",
            "member_organization",
            "status",
            "qualifier",
            "start",
            "end",
            "is_founding",
            "continues",
            "rank",
            "rank_reason",
            "confidence",
            "unsourced",
            "note",
            *CURATED_FIELDS,
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "start" in self.fields:
            # Founding members joined at the founding: their start may be left to the form.
            self.fields["start"].required = False
            self.fields["start"].help_text = format_lazy(
                "{} {}", FOUNDING_START_HELP, self.fields["start"].help_text
            )

    def clean(self):
        if (
            "start" in self.fields
            and "start" not in self.errors
            and not self.cleaned_data.get("start")
        ):
            self.fill_founding_start()
        return super().clean()

    def fill_founding_start(self):
        """An empty start: a founding member's spell begins on the organization's founding
        date (with its precision, from the organization's form when both are saved together);
        any other spell needs its start."""
        if not self.cleaned_data.get("is_founding"):
            self.add_error(
                "start",
                ValidationError(self.fields["start"].error_messages["required"], code="required"),
            )
            return
        organization = self.cleaned_data.get("organization") or getattr(
            self.instance, "organization", None
        )
        founded = organization.founded_on_partial if organization is not None else None
        if founded is None:
            self.add_error(
                "start",
                _(
                    "Give the start: the organization has no founding date for a founding "
                    "member's spell to begin on."
                ),
            )
            return
        self.cleaned_data["start"] = founded


FOUNDING_START_HELP = gettext_lazy(
    "Left empty for a founding member, the spell begins on the organization's founding date."
)


class ApplicationForm(PartialDateModelForm):
    class Meta:
        model = Application
        fields = [
            "organization",
            "applicant_country",
            "applicant_organization",
            "kind",
            "requested_status",
            "filed_on",
            "decided_on",
            "outcome",
            "resulting_membership",
            "confidence",
            "unsourced",
            "note",
            *CURATED_FIELDS,
        ]


class QuoteForm(PartialDateModelForm):
    class Meta:
        model = Quote
        fields = [
            "text",
            "original_text",
            "original_language",
            "kind",
            "speaker",
            "speaker_role",
            "speaker_organization",
            "said_on",
            "event",
            "about_organizations",
            "about_countries",
            "note",
            *CURATED_FIELDS,
        ]


class AgreementStageForm(PartialDateModelForm):
    class Meta:
        model = AgreementStage
        fields = [
            "agreement",
            "stage",
            "date",
            "place",
            "confidence",
            "unsourced",
            "note",
            *CURATED_FIELDS,
        ]


class EventForm(PartialDateModelForm):
    class Meta:
        model = Event
        fields = [
            "name",
            "name_ru",
            "slug",
            "kind",
            "start",
            "end",
            "place",
            "organizers",
            "description",
            "note",
            *CURATED_FIELDS,
        ]


class ProposalForm(PartialDateModelForm):
    class Meta:
        model = Proposal
        fields = [
            "title",
            "slug",
            "proposed_by_person",
            "proposed_by_countries",
            "proposed_by_organization",
            "proposed_on",
            "organization",
            "stage",
            "outcome",
            "note",
            *CURATED_FIELDS,
        ]


# --- the editorial workflow ----------------------------------------------------------------

CHANGE_REASON_HELP = gettext_lazy(
    "Why you made this change, for the record: “source corrected the date”, “typo”. "
    "It is shown in the history."
)


def with_change_reason(form_class: type[forms.ModelForm]) -> type[forms.ModelForm]:
    """``form_class`` plus a "reason for change" box; the admin stores it in the history."""
    if "change_reason" in form_class.base_fields:
        return form_class
    change_reason = forms.CharField(
        label=gettext_lazy("Reason for change"),
        required=False,
        max_length=100,  # simple-history's history_change_reason column
        help_text=CHANGE_REASON_HELP,
        widget=forms.TextInput(attrs={"size": 60}),
    )
    return type(form_class.__name__, (form_class,), {"change_reason": change_reason})


def stored_version(instance) -> int | None:
    """The version of ``instance``'s record as the database holds it now; None if deleted."""
    manager = type(instance)._default_manager
    return manager.filter(pk=instance.pk).values_list("version", flat=True).first()


def with_expected_version(form_class: type[forms.ModelForm]) -> type[forms.ModelForm]:
    """``form_class`` plus a hidden ``expected_version``: the version the editor opened.

    A form sent back with an older version than the stored one is refused with a non-field
    error and nothing is saved; ``EditorialAdmin.save_model`` checks it again in the UPDATE
    itself (``record_save_checked``), so a save racing past ``clean()`` is refused
    too. A form sent without the field (a script posting by hand) is checked against the version
    stored when the form was cleaned.
    """
    if "expected_version" in form_class.base_fields:
        return form_class
    expected_version = forms.IntegerField(
        required=False,
        min_value=1,
        widget=forms.HiddenInput,
        label=gettext_lazy("Version you opened"),
    )

    def __init__(self, *args, **kwargs):
        form_class.__init__(self, *args, **kwargs)
        if self.instance.pk is not None and not self.is_bound:
            # The stored version, not the instance's: a history "revert" form shows an old
            # version's fields but saves over the current one.
            self.initial["expected_version"] = stored_version(self.instance)

    def clean(self):
        cleaned_data = form_class.clean(self)
        if self.instance.pk is None:
            return cleaned_data
        current = stored_version(self.instance)
        if current is None:
            raise ValidationError(DELETED_MESSAGE, code="deleted")
        expected = self.cleaned_data.get("expected_version")
        if expected is None:
            # Not sent: check the save against the version stored now.
            self.cleaned_data["expected_version"] = current
        elif current != expected:
            raise ValidationError(
                CONFLICT_MESSAGE.format(expected=expected, current=current),
                code="version_conflict",
            )
        return cleaned_data

    return type(
        form_class.__name__,
        (form_class,),
        {"expected_version": expected_version, "__init__": __init__, "clean": clean},
    )
