"""Admin formsets whose rows are checked against each other, and one citation typed once for
every spell row a save adds or changes."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import (
    Citation,
    Rank,
    Source,
    spells_overlap,
    stage_order_error,
)
from .forms import MembershipForm

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
