"""Change sets: what an Editor proposed for published records, waiting for a Reviewer.

The public sees the live records only. An Editor's create, change or delete of a published
record is stored here instead, one ``ProposedChange`` per record with the proposed values as a
JSON payload, grouped by the save or import that made them into one ``ChangeSet``. History rows
stay a record of what *was* public; the diff is computed between the live record and ``after``.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy


class ChangeSetQuerySet(models.QuerySet):
    def pending(self) -> ChangeSetQuerySet:
        return self.filter(state=ChangeSet.State.PENDING)

    def visible_to(self, user):
        """Reviewers see every set; an Editor sees their own."""
        if user.has_perm("orgs.review_changeset"):
            return self
        return self.filter(author=user)


class ChangeSet(models.Model):
    """One save, import or bulk action of an Editor that touches published records."""

    class State(models.TextChoices):
        PENDING = "pending", gettext_lazy("waiting for review")
        APPROVED = "approved", gettext_lazy("approved and applied")
        REJECTED = "rejected", pgettext_lazy("change set", "rejected")

    class Origin(models.TextChoices):
        ADMIN = "admin", gettext_lazy("admin form")
        API = "api", gettext_lazy("API")
        IMPORT = "import", pgettext_lazy("change set origin", "import")
        REVERT = "revert", gettext_lazy("history revert")
        BULK = "bulk", gettext_lazy("bulk action")

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="change_sets",
        verbose_name=gettext_lazy("author"),
    )
    origin = models.CharField(
        gettext_lazy("origin"), max_length=10, choices=Origin.choices, default=Origin.ADMIN
    )
    reason = models.TextField(
        gettext_lazy("reason"),
        blank=True,
        help_text=gettext_lazy("Why the Editor made the change."),
    )
    state = models.CharField(
        gettext_lazy("state"),
        max_length=10,
        choices=State.choices,
        default=State.PENDING,
        db_index=True,
    )
    created_at = models.DateTimeField(
        gettext_lazy("created at"), default=timezone.now, editable=False
    )
    updated_at = models.DateTimeField(gettext_lazy("updated at"), auto_now=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reviewed_change_sets",
        verbose_name=gettext_lazy("reviewer"),
    )
    decided_at = models.DateTimeField(gettext_lazy("decided at"), null=True, blank=True)
    decision_reason = models.TextField(
        gettext_lazy("decision reason"),
        blank=True,
        help_text=gettext_lazy("Why the Reviewer approved or rejected the set."),
    )

    objects = ChangeSetQuerySet.as_manager()

    # Proposing or deciding leaves the public pages as they are; applying a set saves the
    # records themselves, and those saves make the pages stale.
    shown_to_public = False

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = gettext_lazy("change set")
        verbose_name_plural = gettext_lazy("change sets")
        permissions = [("review_changeset", "Can approve or reject change sets")]

    def __str__(self):
        return _("Change set #%(number)s by %(author)s (%(state)s)") % {
            "number": self.pk,
            "author": self.author,
            "state": self.get_state_display(),
        }

    def get_absolute_url(self) -> str:
        return reverse("admin:orgs_changeset_change", args=[self.pk])

    @property
    def is_pending(self) -> bool:
        return self.state == self.State.PENDING


class ProposedChange(models.Model):
    """The proposed create, change or delete of one record."""

    class Action(models.TextChoices):
        CREATE = "create", pgettext_lazy("proposed change", "add")
        UPDATE = "update", pgettext_lazy("proposed change", "change")
        DELETE = "delete", pgettext_lazy("proposed change", "delete")

    change_set = models.ForeignKey(
        ChangeSet,
        on_delete=models.CASCADE,
        related_name="changes",
        verbose_name=gettext_lazy("change set"),
    )
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, verbose_name=gettext_lazy("content type")
    )
    object_id = models.PositiveBigIntegerField(
        gettext_lazy("object id"),
        null=True,
        blank=True,
        help_text=gettext_lazy("Empty for a record that does not exist yet."),
    )
    action = models.CharField(gettext_lazy("action"), max_length=10, choices=Action.choices)
    label = models.CharField(
        gettext_lazy("label"),
        max_length=300,
        help_text=gettext_lazy("The record as it read when proposed."),
    )
    before = models.JSONField(
        gettext_lazy("before"),
        default=dict,
        blank=True,
        help_text=gettext_lazy("The live values when the change was proposed."),
    )
    after = models.JSONField(
        gettext_lazy("after"),
        default=dict,
        blank=True,
        help_text=gettext_lazy("The proposed values."),
    )
    is_open = models.BooleanField(
        gettext_lazy("is open"),
        default=True,
        help_text=gettext_lazy("Waiting for review; a record has at most one open change."),
    )
    position = models.PositiveIntegerField(gettext_lazy("position"), default=0)

    shown_to_public = False

    class Meta:
        ordering = ["change_set", "position", "id"]
        verbose_name = gettext_lazy("proposed change")
        verbose_name_plural = gettext_lazy("proposed changes")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"],
                condition=Q(is_open=True, object_id__isnull=False),
                name="proposedchange_one_open_per_record",
            ),
        ]

    def __str__(self):
        return f"{self.get_action_display()} {self.label}"

    @property
    def model(self) -> type[models.Model]:
        model = self.content_type.model_class()
        if model is None:
            raise LookupError(f"{self.content_type} names no model of this code")
        return model
