"""The admin page that reclassifies an organization's statuses (``statuses_reclassify``)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from ..models import ChangeSet, Organization, Source, Status
from ..services.reclassification import statuses_reclassify


class ReclassifyForm(forms.Form):
    statuses = forms.MultipleChoiceField(
        label=gettext_lazy("Statuses"),
        choices=Status.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy(
            "The statuses the organization merged or renamed (observer, dialogue partner)."
        ),
    )
    new_status = forms.ChoiceField(
        label=gettext_lazy("New status"),
        choices=Status.choices,
        help_text=gettext_lazy("What they became."),
    )
    on = forms.DateField(
        label=gettext_lazy("From"),
        help_text=gettext_lazy("The day the new status took effect: YYYY-MM-DD."),
    )
    source = forms.ModelChoiceField(
        label=gettext_lazy("Source"),
        queryset=Source.objects.order_by("title"),
        help_text=gettext_lazy("The source that says so."),
    )
    excerpt = forms.CharField(
        label=gettext_lazy("Excerpt"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=gettext_lazy("The source's words, cited on every spell ended and opened."),
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        required=False,
        help_text=gettext_lazy("Shown to the Reviewer."),
    )


def reclassify_view(model_admin, request, object_id):
    organization = get_object_or_404(Organization, pk=object_id)
    if not model_admin.has_change_permission(request, organization):
        raise PermissionDenied
    form = ReclassifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = statuses_reclassify(
                user=request.user,
                organization=organization,
                statuses=data["statuses"],
                new_status=data["new_status"],
                on=data["on"],
                source=data["source"],
                excerpt=data["excerpt"],
                reason=data["reason"],
                origin=ChangeSet.Origin.ADMIN,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if result.proposed:
                messages.success(
                    request,
                    _("The reclassification waits for review in change set #%(number)s.")
                    % {"number": result.change_set.pk},
                )
            else:
                count = len(result.opened)
                messages.success(
                    request,
                    ngettext(
                        "%(count)d spell reclassified as %(status)s.",
                        "%(count)d spells reclassified as %(status)s.",
                        count,
                    )
                    % {"count": count, "status": data["new_status"]},
                )
            return redirect("admin:orgs_organization_change", organization.pk)
    context = {
        **model_admin.admin_site.each_context(request),
        "title": _("Reclassify statuses of %(organization)s")
        % {"organization": organization.short_name},
        "organization": organization,
        "form": form,
        "opts": model_admin.model._meta,
    }
    return TemplateResponse(request, "admin/orgs/reclassify.html", context)
