"""What every curated record shares: partial dates, statuses and ranks, publication state."""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from ..dates import PARTIAL_DATE_HELP, PartialDate, Precision

# --- partial dates -------------------------------------------------------------------------


def partial_date(name: str, *, verbose_name: str, required: bool = False, help_text: str = ""):
    """The two columns of a partial date: its earliest day and its precision."""
    return (
        models.DateField(
            verbose_name,
            null=not required,
            blank=not required,
            help_text=help_text or PARTIAL_DATE_HELP,
        ),
        models.CharField(
            f"{verbose_name} precision",
            max_length=5,
            choices=Precision.choices,
            default=Precision.DAY,
        ),
    )


class PartialDateAccessor:
    """``spell.start_partial`` reads and writes ``start`` and ``start_precision`` together."""

    def __init__(self, field_name: str):
        self.field_name = field_name

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        return PartialDate.from_fields(
            getattr(instance, self.field_name), getattr(instance, f"{self.field_name}_precision")
        )

    def __set__(self, instance, value: PartialDate | str | None):
        if isinstance(value, str):
            value = PartialDate.parse(value) if value.strip() else None
        setattr(instance, self.field_name, value.earliest if value else None)
        setattr(
            instance, f"{self.field_name}_precision", value.precision if value else Precision.DAY
        )


# --- shared vocabulary ---------------------------------------------------------------------


class Status(models.TextChoices):
    MEMBER = "member", "member"
    ASSOCIATE_MEMBER = "associate_member", "associate member"
    OBSERVER = "observer", "observer"
    PARTNER = "partner", "partner"
    DIALOGUE_PARTNER = "dialogue_partner", "dialogue partner"
    PARTICIPANT = "participant", "participant"
    SUSPENDED = "suspended", "suspended"


# Order in which statuses are listed on pages and in the API: the closest tie first.
STATUS_ORDER = [choice.value for choice in Status]


class Rank(models.TextChoices):
    """Wikidata-style ranks for competing statements about the same fact."""

    NORMAL = "normal", "normal"
    PREFERRED = "preferred", "preferred"
    DEPRECATED = "deprecated", "deprecated (a competing claim the atlas does not follow)"


class PublishableQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def visible_to(self, user, *, drafts: bool = False):
        """Published records, plus drafts for staff who asked to preview them."""
        if drafts and user is not None and user.is_authenticated and user.is_staff:
            return self
        return self.published()


class Curated(models.Model):
    """Fields every curated record shares: publication state and dispute marking."""

    is_published = models.BooleanField(
        "published",
        default=False,
        help_text="Only published records are shown to the public and anonymous API callers.",
    )
    is_disputed = models.BooleanField(
        "disputed", default=False, help_text="Sources disagree about this record."
    )
    dispute_note = models.TextField(
        blank=True,
        help_text="What the sources disagree about, and why the atlas says what it says.",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text="Raised by one on every save, so that a save based on an older version is refused.",
    )

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        if self.is_disputed and not self.dispute_note.strip():
            raise ValidationError(
                {"dispute_note": "Say what is disputed when marking a record disputed."}
            )


class Cited(models.Model):
    citations = GenericRelation("Citation")

    class Meta:
        abstract = True
