"""Imports too large for one request: the file, who sent it, and how far the background job got.

A job imports the whole file in one transaction, like the admin's own import: every row or
none. While it runs, how many rows it has read is kept outside the database
(``orgs.services.import_jobs``), since the job's own transaction hides its writes until the end.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy

from .review import ChangeSet


class ImportJob(models.Model):
    class Kind(models.TextChoices):
        MEMBERSHIPS = "membership", gettext_lazy("membership spells")
        SOURCES = "source", gettext_lazy("sources")
        CITATIONS = "citation", gettext_lazy("citations of membership spells")

    class State(models.TextChoices):
        QUEUED = "queued", gettext_lazy("waiting for the worker")
        RUNNING = "running", gettext_lazy("importing")
        DONE = "done", gettext_lazy("imported")
        FAILED = "failed", gettext_lazy("refused: nothing was imported")

    kind = models.CharField(gettext_lazy("kind"), max_length=12, choices=Kind.choices)
    file_name = models.CharField(gettext_lazy("file name"), max_length=255)
    file_format = models.CharField(
        gettext_lazy("file format"), max_length=8, help_text=gettext_lazy("csv or xlsx")
    )
    content = models.BinaryField(
        gettext_lazy("content"),
        help_text=gettext_lazy("The file as uploaded; the worker reads it."),
    )
    state = models.CharField(
        gettext_lazy("state"),
        max_length=8,
        choices=State.choices,
        default=State.QUEUED,
        db_index=True,
    )
    rows_total = models.PositiveIntegerField(gettext_lazy("rows total"), default=0)
    rows_done = models.PositiveIntegerField(gettext_lazy("rows done"), default=0)
    # {"new": 19990, "update": 0, "skip": 10, ...}, as the import counted them.
    totals = models.JSONField(gettext_lazy("totals"), default=dict, blank=True)
    # [{"line": 12, "column": "start", "message": "..."}]: the file's line, the header being 1.
    problems = models.JSONField(gettext_lazy("problems"), default=list, blank=True)
    change_sets = models.ManyToManyField(
        ChangeSet, blank=True, related_name="import_jobs", verbose_name=gettext_lazy("change sets")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="import_jobs",
        verbose_name=gettext_lazy("user"),
    )
    task_id = models.CharField(gettext_lazy("task id"), max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(gettext_lazy("created at"), auto_now_add=True)
    started_at = models.DateTimeField(gettext_lazy("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(gettext_lazy("finished at"), null=True, blank=True)

    # A job is bookkeeping: saving it leaves every public page as it was.
    shown_to_public = False

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = gettext_lazy("import job")
        verbose_name_plural = gettext_lazy("import jobs")

    def __str__(self) -> str:
        return gettext("Import of %(file)s (%(state)s)") % {
            "file": self.file_name,
            "state": self.get_state_display(),
        }

    def get_absolute_url(self) -> str:
        return reverse("admin:orgs_importjob_change", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.state in {self.State.DONE, self.State.FAILED}
