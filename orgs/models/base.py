"""What every curated record shares: partial dates, statuses and ranks, publication state."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.apps import apps
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ..dates import PARTIAL_DATE_HELP, PartialDate, Precision

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser
    from django.utils.functional import _StrOrPromise

# --- partial dates -------------------------------------------------------------------------


def wikidata_id_field():
    """The record's item on Wikidata (Q7184 for NATO), the identifier other datasets share.
    Editors fill it where they are sure; empty otherwise."""
    return models.CharField(
        _("Wikidata id"),
        max_length=16,
        blank=True,
        validators=[
            RegexValidator(r"^Q[1-9][0-9]*$", _("A Wikidata id is Q and a number: Q7184."))
        ],
        help_text=_(
            "The item on Wikidata (Q and a number, as in wikidata.org/wiki/Q7184), "
            "shared with other datasets. Leave empty when unsure."
        ),
    )


def partial_date(
    name: str,
    *,
    verbose_name: _StrOrPromise,
    required: bool = False,
    help_text: _StrOrPromise = "",
):
    """The two columns of a partial date: its earliest day and its precision."""
    return (
        models.DateField(
            verbose_name,
            null=not required,
            blank=not required,
            help_text=help_text or PARTIAL_DATE_HELP,
        ),
        models.CharField(
            format_lazy(_("{date} precision"), date=verbose_name),
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
    MEMBER = "member", pgettext_lazy("status", "member")
    ASSOCIATE_MEMBER = "associate_member", pgettext_lazy("status", "associate member")
    OBSERVER = "observer", pgettext_lazy("status", "observer")
    PARTNER = "partner", pgettext_lazy("status", "partner")
    DIALOGUE_PARTNER = "dialogue_partner", pgettext_lazy("status", "dialogue partner")
    PARTICIPANT = "participant", pgettext_lazy("status", "participant")
    SIGNATORY = "signatory", pgettext_lazy("status", "signatory (not ratified)")
    SUSPENDED = "suspended", pgettext_lazy("status", "suspended")


# Order in which statuses are listed on pages and in the API: the closest tie first.
STATUS_ORDER = [choice.value for choice in Status]


class Rank(models.TextChoices):
    """Wikidata-style ranks for competing statements about the same fact."""

    NORMAL = "normal", pgettext_lazy("rank", "normal")
    PREFERRED = "preferred", pgettext_lazy("rank", "preferred")
    DEPRECATED = "deprecated", _("deprecated (a competing claim the atlas does not follow)")


class Confidence(models.TextChoices):
    """How sure the sources make a claim, as the editor judges it; pages mark all but high."""

    HIGH = "high", pgettext_lazy("confidence", "high")
    MEDIUM = "medium", pgettext_lazy("confidence", "medium")
    LOW = "low", pgettext_lazy("confidence", "low")


class PublishableQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def visible(self, preview: bool = False):
        """What the reader sees: published records, or drafts too when ``preview`` is on.

        Who may preview is decided once, where the request is read (``preview_requested``);
        every list and page then asks this one method.
        """
        return self.all() if preview else self.published()


# Unicode's bidirectional controls (ALM, LRM, RLM, the embeddings and overrides U+202A–U+202E,
# the isolates U+2066–U+2069). In a name, U+202E makes "Belarus\u202eSUR" read as "BelarusRUS"
# in every list and link that shows it; names never need them.
BIDI_CONTROLS = dict.fromkeys(
    [0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
)
# The fields that name a record, from which ``Curated.clean_fields`` takes bidi controls out.
NAME_FIELDS = frozenset({"name", "short_name", "acronym", "official_name", "other_names", "title"})


def without_bidi_controls(text: str) -> str:
    return text.translate(BIDI_CONTROLS)


class Curated(models.Model):
    """Fields every curated record shares: publication state and dispute marking."""

    is_published = models.BooleanField(
        _("published"),
        default=False,
        help_text=_("Only published records are shown to the public and anonymous API callers."),
    )
    is_disputed = models.BooleanField(
        _("disputed"), default=False, help_text=_("Sources disagree about this record.")
    )
    dispute_note = models.TextField(
        _("dispute note"),
        blank=True,
        help_text=_("What the sources disagree about, and why the atlas says what it says."),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    # Indexed: when the atlas last changed is a MAX over every table, read on each API answer.
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)
    version = models.PositiveIntegerField(
        _("version"),
        default=1,
        editable=False,
        help_text=_(
            "Raised by one on every save, so that a save based on an older version is refused."
        ),
    )

    # Records a reader takes as facts are not published without a published source.
    citation_required = False
    # The lookup that says whether the public sees a record: its citations are public only then.
    public_lookup = "is_published"

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True

    def clean_fields(self, exclude=None):
        # Every writer validates through here (admin forms, the API, imports).
        for field in self._meta.concrete_fields:
            value = getattr(self, field.attname)
            if field.name in NAME_FIELDS and isinstance(value, str):
                setattr(self, field.attname, without_bidi_controls(value))
        super().clean_fields(exclude)

    def clean(self):
        super().clean()
        if self.is_disputed and not self.dispute_note.strip():
            raise ValidationError(
                {"dispute_note": _("Say what is disputed when marking a record disputed.")}
            )


class Assessed(models.Model):
    """How sure a claim is, and which parts of it no source was found for.

    The atlas keeps a value its compilers know without a source (the day a treaty entered into
    force when the sources give only the year) and says so on pages and in the API, rather than
    hiding it or presenting it as sourced.
    """

    confidence = models.CharField(
        _("confidence"),
        max_length=6,
        choices=Confidence.choices,
        default=Confidence.HIGH,
        blank=True,
        help_text=_("Medium or low is shown to readers beside the claim; left empty, high."),
    )
    unsourced = models.CharField(
        _("unsourced parts"),
        max_length=200,
        blank=True,
        help_text=_(
            "Parts of the claim no source was found for, for example “day of the end”; "
            "readers see them marked as unsourced."
        ),
    )

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        if not self.confidence:
            self.confidence = Confidence.HIGH


class Cited(models.Model):
    citations = GenericRelation("Citation")

    class Meta:
        abstract = True


# --- the models, as the rules that span them need them -------------------------------------


def publishable_models() -> list[type[Curated]]:
    """Every model with a published state: each has a publish permission and a place on the
    editors' dashboard."""
    return [
        model for model in apps.get_app_config("orgs").get_models() if issubclass(model, Curated)
    ]


def citation_required_models() -> list[type[Curated]]:
    """The publishable models whose records cannot be published without a published source."""
    return [model for model in publishable_models() if model.citation_required]


def cited_models() -> list[type[Cited]]:
    """Every model whose records carry citations: what a citation may support."""
    return [model for model in apps.get_app_config("orgs").get_models() if issubclass(model, Cited)]


# --- history -------------------------------------------------------------------------------


def note_change(
    record: models.Model, *, user: AbstractBaseUser | AnonymousUser | None, reason: str
) -> None:
    """Say who made the next save of ``record`` and why; django-simple-history keeps both with
    the version it records (its reason column holds 100 characters; an empty reason, none)."""
    record._history_user = user  # type: ignore[attr-defined]
    if reason:
        record._change_reason = reason[:100]  # type: ignore[attr-defined]
