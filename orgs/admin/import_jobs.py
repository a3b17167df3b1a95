"""Background imports in the admin: each job's page shows how far it got, refreshing itself
until the job ends, then what it imported or why it imported nothing."""

from __future__ import annotations

from django.contrib import admin
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy

from orgs.models import ImportJob
from orgs.services import review
from orgs.services.import_jobs import rows_done

# While a job runs, its page reloads itself this often (seconds; a <meta> refresh, no script).
REFRESH_SECONDS = 2


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "state", "progress", "user", "created_at", "finished_at"]
    list_filter = ["state", "kind"]
    list_select_related = ["user"]

    def get_queryset(self, request):
        jobs = super().get_queryset(request).defer("content")
        if request.user.is_superuser or review.is_reviewer(request.user):
            return jobs
        return jobs.filter(user=request.user)  # an Editor sees their own imports

    # Staff who may import see their jobs; nobody adds, edits or deletes a job by hand.
    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        if not self.has_module_permission(request):
            return False
        return obj is None or obj.user_id == request.user.pk or self._sees_all(request)

    def _sees_all(self, request):
        return request.user.is_superuser or review.is_reviewer(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("rows"))
    def progress(self, obj):
        return f"{rows_done(obj):,} / {obj.rows_total:,}"

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if not str(object_id).isdigit():
            return self._get_obj_does_not_exist_redirect(request, self.opts, str(object_id))
        job = get_object_or_404(
            self.get_queryset(request).prefetch_related("change_sets"), pk=object_id
        )
        done = rows_done(job)
        percent = round(100 * done / job.rows_total) if job.rows_total else 0
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": str(job),
            "job": job,
            "rows_done": done,
            "percent": percent,
            "refresh_seconds": None if job.is_finished else REFRESH_SECONDS,
            "import_url": reverse(f"admin:orgs_{job.kind}_import"),
            "changelist_url": reverse(f"admin:orgs_{job.kind}_changelist"),
        }
        return TemplateResponse(request, "admin/orgs/import_job.html", context)
