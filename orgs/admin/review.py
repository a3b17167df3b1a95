"""The review queue: change sets with their field-level diffs, approved or rejected here."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from orgs.models import ChangeSet
from orgs.services import review

DIFF_PAGE_SIZE = 50


@admin.register(ChangeSet)
class ChangeSetAdmin(admin.ModelAdmin):
    list_display = ["__str__", "author", "origin", "short_reason", "records", "state", "created_at"]
    list_display_links = ["__str__"]
    list_filter = ["state", "origin"]
    list_select_related = ["author", "reviewer"]
    search_fields = ["reason", "decision_reason", "author__username"]
    date_hierarchy = "created_at"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .visible_to(request.user)
            .annotate(record_count=Count("changes"))
        )

    @admin.display(description=gettext_lazy("records touched"), ordering="record_count")
    def records(self, obj):
        return obj.record_count

    @admin.display(description=gettext_lazy("reason"))
    def short_reason(self, obj):
        text = obj.reason.strip()
        return (text[:80] + "…") if len(text) > 80 else (text or "—")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        change_set = get_object_or_404(self.get_queryset(request), pk=object_id)
        if not self.has_view_permission(request, change_set):
            raise PermissionDenied
        can_review = review.is_reviewer(request.user) and change_set.is_pending
        if request.method == "POST":
            if not can_review:
                raise PermissionDenied
            return self._decide(request, change_set)
        paginator = Paginator(
            change_set.changes.select_related("content_type").order_by("position", "id"),
            DIFF_PAGE_SIZE,
        )
        page = paginator.get_page(request.GET.get("page"))
        diffs = [review.change_diff(change) for change in page.object_list]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": str(change_set),
            "change_set": change_set,
            "diffs": diffs,
            "page": page,
            "conflicts": [diff.conflict for diff in diffs if diff.conflict],
            "can_review": can_review,
            "changelist_url": reverse("admin:orgs_changeset_changelist"),
        }
        return TemplateResponse(request, "admin/orgs/changeset_review.html", context)

    def _decide(self, request, change_set):
        reason = request.POST.get("reason", "").strip()
        here = reverse("admin:orgs_changeset_change", args=[change_set.pk])
        try:
            if "_approve" in request.POST:
                review.change_set_approve(change_set=change_set, user=request.user, reason=reason)
                messages.success(
                    request,
                    _("Approved change set #%(number)s: it is live.") % {"number": change_set.pk},
                )
            elif "_reject" in request.POST:
                review.change_set_reject(change_set=change_set, user=request.user, reason=reason)
                messages.success(
                    request, _("Rejected change set #%(number)s.") % {"number": change_set.pk}
                )
            else:
                return HttpResponseRedirect(here)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return HttpResponseRedirect(here)
        return HttpResponseRedirect(reverse("admin:orgs_changeset_changelist"))
