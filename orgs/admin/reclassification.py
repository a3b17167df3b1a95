"""The admin page that reclassifies an organization's statuses (``statuses_reclassify``)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse

from ..models import ChangeSet, Organization, Source, Status
from ..services.reclassification import statuses_reclassify


class ReclassifyForm(forms.Form):
    statuses = forms.MultipleChoiceField(
        choices=Status.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="The statuses the organization merged or renamed (observer, dialogue partner).",
    )
    new_status = forms.ChoiceField(choices=Status.choices, help_text="What they became.")
    on = forms.DateField(label="From", help_text="The day the new status took effect: YYYY-MM-DD.")
    source = forms.ModelChoiceField(
        queryset=Source.objects.order_by("title"), help_text="The source that says so."
    )
    excerpt = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="The source's words, cited on every spell ended and opened.",
    )
    reason = forms.CharField(required=False, help_text="Shown to the Reviewer.")


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
                    f"The reclassification waits for review in change set #{result.change_set.pk}.",
                )
            else:
                messages.success(
                    request, f"{len(result.opened)} spells reclassified as {data['new_status']}."
                )
            return redirect("admin:orgs_organization_change", organization.pk)
    context = {
        **model_admin.admin_site.each_context(request),
        "title": f"Reclassify statuses of {organization.short_name}",
        "organization": organization,
        "form": form,
        "opts": model_admin.model._meta,
    }
    return TemplateResponse(request, "admin/orgs/reclassify.html", context)
