"""Cite once for many: the "Cite selected" action on the lists of claims."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import ChangeSet
from ..services.citing import claims_cite
from .sources import source_choice_field


class CiteSelectedForm(forms.Form):
    excerpt = forms.CharField(
        label=gettext_lazy("Excerpt"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=gettext_lazy("The words in the source that support every selected record."),
    )
    locator = forms.CharField(
        label=gettext_lazy("Locator"),
        required=False,
        max_length=100,
        help_text=gettext_lazy("Paragraph, page or section."),
    )


def cite_selected_form(modeladmin, request, data=None) -> CiteSelectedForm:
    form = CiteSelectedForm(data)
    form.fields = {
        "source": source_choice_field(
            modeladmin.admin_site,
            request,
            required=True,
            help_text=_("The source that supports every selected record; “+” adds a new one."),
        ),
        **form.fields,
    }
    return form


@admin.action(
    description=gettext_lazy("Cite selected records (one source for all)"), permissions=["cite"]
)
def cite_selected(modeladmin, request, queryset):
    """Ask for a source, an excerpt and a locator, then cite them for every selected record:
    one citation and one history entry each; those of published records wait for review in one
    change set."""
    queryset = queryset.prefetch_related("citations")
    form = cite_selected_form(modeladmin, request, request.POST if "cite" in request.POST else None)
    if form.is_bound and form.is_valid():
        # One action, one change set for what waits for review, named as a bulk action.
        request.change_origin = ChangeSet.Origin.BULK
        request.change_reason = f"cited {form.cleaned_data['source']}"[:100]
        try:
            result = claims_cite(
                user=request.user,
                claims=queryset,
                collector=modeladmin.change_collector(request),
                **form.cleaned_data,
            )
        except ValidationError as refusal:
            messages.error(
                request, _("Nothing cited: %(reasons)s") % {"reasons": " ".join(refusal.messages)}
            )
            return None
        source = form.cleaned_data["source"]
        if result.cited:
            names = "; ".join(str(record) for record in result.cited)
            messages.success(
                request,
                _("Cited %(source)s for %(count)d: %(names)s.")
                % {"source": source, "count": len(result.cited), "names": names},
            )
        if result.already:
            names = "; ".join(str(record) for record in result.already)
            messages.info(
                request,
                _("Already citing %(source)s: %(names)s.") % {"source": source, "names": names},
            )
        if result.proposed:
            modeladmin._report_proposals(request)
        return None  # back to the list
    opts = modeladmin.model._meta
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": _("Cite %(count)d %(records)s")
        % {"count": queryset.count(), "records": opts.verbose_name_plural},
        "opts": opts,
        "queryset": queryset,
        "form": form,
        "media": modeladmin.media + form.media,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "select_across": request.POST.get("select_across", "0"),
    }
    return TemplateResponse(request, "admin/orgs/cite_selected.html", context)


class CiteSelectedMixin:
    """Adds "Cite selected" to a list of claims, for users who may add citations."""

    def has_cite_permission(self, request) -> bool:
        return request.user.has_perm("orgs.add_citation")

    def get_actions(self, request):
        actions = super().get_actions(request)
        if self.has_cite_permission(request):
            actions["cite_selected"] = self.get_action(cite_selected)
        return actions
