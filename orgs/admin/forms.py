"""Admin forms: one text box per partial date, the fields each record's form shows, formsets
whose rows are checked against each other, and the editorial extras (reason for change, the
version the editor opened)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.forms.models import BaseInlineFormSet, ModelFormMetaclass
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..dates import PARTIAL_DATE_HELP, PartialDate, PartialDateError, Precision
from ..models import (
    AgreementStage,
    Application,
    Citation,
    Country,
    Event,
    Membership,
    Organization,
    Proposal,
    Quote,
    Rank,
    Source,
    country_code,
    spells_overlap,
    stage_order_error,
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


# --- rows checked against each other -------------------------------------------------------


def kept_forms(formset):
    """The rows a formset is about to keep: valid, not marked for deletion, and not an empty
    extra row left untouched. Rows are checked against each other with these."""
    for form in formset.forms:
        if not hasattr(form, "cleaned_data") or form.errors:
            continue
        if formset.can_delete and formset._should_delete_form(form):
            continue
        if not form.has_changed() and form.instance.pk is None:
            continue
        yield form


def kept_instances(formset):
    """The records of ``kept_forms``."""
    for form in kept_forms(formset):
        yield form.instance


@dataclass(frozen=True)
class RowsCitation:
    """One citation for all the new and changed spell rows of a save."""

    source: Source
    excerpt: str = ""
    locator: str = ""


ROWS_CITATION_FIELDS = ["cite_source", "cite_excerpt", "cite_locator"]


class RowsCitationForm(forms.Form):
    """The boxes of ``RowsCitation`` on the organization's and the country's form. The admin
    puts a source box with its "+" in ``cite_source`` (``with_rows_citation``)."""

    cite_source = forms.ModelChoiceField(queryset=Source.objects.all(), required=False)
    cite_excerpt = forms.CharField(
        label=gettext_lazy("Excerpt"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 1, "cols": 40}),
        help_text=gettext_lazy("The words in the source that support these spells."),
    )
    cite_locator = forms.CharField(
        label=gettext_lazy("Locator"),
        required=False,
        max_length=100,
        help_text=gettext_lazy("Paragraph, page or section."),
    )

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("cite_source") is None and (
            cleaned_data.get("cite_excerpt") or cleaned_data.get("cite_locator")
        ):
            self.add_error("cite_source", _("Choose the source the excerpt comes from."))
        return cleaned_data

    @property
    def rows_citation_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ROWS_CITATION_FIELDS]

    @property
    def rows_citation(self) -> RowsCitation | None:
        source = self.cleaned_data.get("cite_source")
        if source is None:
            return None
        return RowsCitation(
            source,
            self.cleaned_data.get("cite_excerpt", ""),
            self.cleaned_data.get("cite_locator", ""),
        )


def with_rows_citation(form_class: type[forms.ModelForm], source_field: forms.Field):
    """``form_class`` plus the boxes of one citation for the spell rows of a save."""
    return type(form_class.__name__, (RowsCitationForm, form_class), {"cite_source": source_field})


class MembershipCitingForm(MembershipForm):
    """A spell plus one new citation for it, so an inline row can be cited where it is entered."""

    source = forms.ModelChoiceField(
        queryset=Source.objects.all(),
        required=False,
        widget=AutocompleteSelect(Citation._meta.get_field("source"), admin.site),
        help_text=gettext_lazy("Cite a source for this spell; it is saved with the spell."),
    )
    excerpt = forms.CharField(
        label=gettext_lazy("Excerpt"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 30}),
        help_text=gettext_lazy("The words in the source that support the spell."),
    )
    locator = forms.CharField(
        label=gettext_lazy("Locator"),
        required=False,
        max_length=100,
        help_text=gettext_lazy("Paragraph, page or section."),
    )

    # Shown folded in a row unless one of them says something (``shows_details``).
    details_fields = ("note", "rank", "rank_reason", "confidence", "unsourced")

    @property
    def shows_details(self) -> bool:
        if any(name in self.errors for name in self.details_fields):
            return True
        values = {name: self[name].value() for name in self.details_fields if name in self.fields}
        defaults = {"rank": Rank.NORMAL, "confidence": "high"}
        return any(value not in (None, "", defaults.get(name)) for name, value in values.items())

    def clean(self):
        cleaned_data = super().clean()
        source = cleaned_data.get("source")
        if source is None and (cleaned_data.get("excerpt") or cleaned_data.get("locator")):
            self.add_error("source", _("Choose the source the excerpt comes from."))
        if (
            source is not None
            and self.instance.pk
            and self.instance.citations.filter(source=source, claim_field="").exists()
        ):
            self.add_error("source", _("This spell already cites that source."))
        return cleaned_data

    def save_citation(self, collector=None, *, default: RowsCitation | None = None):
        """Create the citation the row asked for; call after the spell itself is saved. A new
        or changed row that names no source of its own cites ``default``, the citation given
        for all the rows of this save. With a ``ChangeCollector``, a citation of a published
        spell is only proposed for review."""
        source = self.cleaned_data.get("source")
        excerpt = self.cleaned_data.get("excerpt", "")
        locator = self.cleaned_data.get("locator", "")
        if source is None and default is not None and self.has_changed():
            source, excerpt, locator = default.source, default.excerpt, default.locator
            if (
                self.instance.pk
                and self.instance.citations.filter(source=source, claim_field="").exists()
            ):
                return None
        if source is None or self.instance.pk is None:
            return None
        citation = Citation(
            claim=self.instance,
            source=source,
            excerpt=excerpt,
            locator=locator,
            position=self.instance.citations.count(),
        )
        if collector is None or not collector.save(citation):
            citation.save()
        return citation


class MembershipInlineFormSet(BaseInlineFormSet):
    """Checks the spells of one formset against each other, which ``Membership.clean()`` cannot:
    it only sees the spells already in the database.

    Each spell's own ``clean()`` is told to leave out the spells this formset shows, since their
    submitted values (not the stored ones) are compared here: an editor can end the observer
    spell and add the member spell that follows it in one save.
    """

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        form.instance.overlap_checked_with = {spell.pk for spell in self.get_queryset()}
        return form

    def clean(self):
        """A clash is told on the row that clashes, where the editor fixes it."""
        super().clean()
        rows = [
            form
            for form in kept_forms(self)
            if form.instance.start is not None and form.instance.rank != Rank.DEPRECATED
        ]
        for index, form in enumerate(rows):
            spell = form.instance
            for earlier_form in rows[:index]:
                earlier = earlier_form.instance
                same_member = (
                    earlier.organization_id,
                    earlier.member_country_id,
                    earlier.member_organization_id,
                ) == (spell.organization_id, spell.member_country_id, spell.member_organization_id)
                if same_member and spells_overlap(
                    earlier.start, earlier.end, spell.start, spell.end
                ):
                    form.add_error(
                        "start",
                        _(
                            "The %(status)s spell %(period)s of %(member)s overlaps the "
                            "%(earlier_status)s spell %(earlier_period)s given in the same form. "
                            "End one spell where the next begins (a change of status is a new "
                            "spell), or rank one of them deprecated."
                        )
                        % {
                            "status": spell.get_status_display(),
                            "period": spell.period,
                            "member": spell.member,
                            "earlier_status": earlier.get_status_display(),
                            "earlier_period": earlier.period,
                        },
                    )
                    break


class SiblingsCheckedFormSet(BaseInlineFormSet):
    """An inline formset whose rows are checked against each other here, with their submitted
    values; each row's own ``clean()`` is told not to compare with the stored siblings, whose
    values may be changing in the same save."""

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        form.instance.siblings_checked_elsewhere = True
        return form


class AgreementStageFormSet(SiblingsCheckedFormSet):
    def clean(self):
        super().clean()
        stages = list(kept_instances(self))
        kinds = [stage.stage for stage in stages]
        repeated = sorted({kind for kind in kinds if kinds.count(kind) > 1})
        if repeated:
            raise ValidationError(
                _("Each stage may appear once: %(stages)s is given more than once.")
                % {"stages": ", ".join(repeated)}
            )
        error = stage_order_error(
            [(stage.stage, stage.date_partial) for stage in stages if stage.date]
        )
        if error:
            raise ValidationError(error)


class AgreementPartyFormSet(SiblingsCheckedFormSet):
    def clean(self):
        super().clean()
        seen = set()
        for party in kept_instances(self):
            key = (party.country_id, party.organization_id)
            if key in seen:
                raise ValidationError(
                    _("%(party)s is listed twice as a party.") % {"party": party.party}
                )
            seen.add(key)


class EventParticipantFormSet(SiblingsCheckedFormSet):
    def clean(self):
        super().clean()
        seen = set()
        for participant in kept_instances(self):
            key = (participant.person_id, participant.country_id, participant.organization_id)
            if key in seen:
                raise ValidationError(
                    _("%(name)s is listed twice as a participant.") % {"name": participant.name}
                )
            seen.add(key)


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
