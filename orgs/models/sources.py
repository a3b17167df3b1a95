"""Sources, and the citations that tie a source to the claim it supports."""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from simple_history.models import HistoricalRecords

from .base import Curated, PartialDateAccessor, partial_date


class Source(Curated):
    class Kind(models.TextChoices):
        NEWS_ARTICLE = "news_article", gettext_lazy("news article")
        OFFICIAL_DOCUMENT = "official_document", gettext_lazy("official document")
        OFFICIAL_WEBSITE = "official_website", gettext_lazy("official website")
        STATEMENT = "statement", pgettext_lazy("source kind", "statement")
        DATASET = "dataset", gettext_lazy("dataset")
        REFERENCE = "reference", gettext_lazy("reference work")
        OTHER = "other", pgettext_lazy("source kind", "other")

    key = models.CharField(
        gettext_lazy("key"),
        max_length=40,
        blank=True,
        help_text=gettext_lazy(
            "A short stable key (for example TASS-2010381) used by imports; leave empty if unsure."
        ),
    )
    kind = models.CharField(
        gettext_lazy("kind"), max_length=20, choices=Kind.choices, default=Kind.NEWS_ARTICLE
    )
    title = models.CharField(gettext_lazy("title"), max_length=500)
    publisher = models.CharField(gettext_lazy("publisher"), max_length=200, blank=True)
    author = models.CharField(gettext_lazy("author"), max_length=200, blank=True)
    url = models.URLField(gettext_lazy("URL"), max_length=1000, blank=True)
    archive_url = models.URLField(
        gettext_lazy("archive URL"),
        max_length=1000,
        blank=True,
        help_text=gettext_lazy("A copy in a web archive, in case the page changes."),
    )
    published_on, published_on_precision = partial_date(
        "published_on", verbose_name=gettext_lazy("published on")
    )
    retrieved_on = models.DateField(gettext_lazy("retrieved on"), null=True, blank=True)
    language = models.CharField(
        gettext_lazy("language"),
        max_length=20,
        blank=True,
        help_text=gettext_lazy("ISO 639-1 code, for example ru or en."),
    )
    translation_note = models.CharField(
        gettext_lazy("translation note"),
        max_length=300,
        blank=True,
        help_text=gettext_lazy("For example “machine translation from Russian (Yandex)”."),
    )
    notes = models.TextField(gettext_lazy("notes"), blank=True)

    published_on_partial = PartialDateAccessor("published_on")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-published_on", "title"]
        verbose_name = gettext_lazy("source")
        verbose_name_plural = gettext_lazy("sources")
        constraints = [
            models.UniqueConstraint(fields=["key"], condition=~Q(key=""), name="source_key_unique"),
        ]

    def __str__(self):
        return f"{self.publisher}: {self.title}" if self.publisher else self.title

    def get_absolute_url(self):
        return reverse("orgs:source", args=[self.pk])


class CitationQuerySet(models.QuerySet):
    def published(self):
        """Citations the public sees: of a published source, supporting a public record."""
        from .base import cited_models

        public_claims = Q()
        for model in cited_models():
            lookup = getattr(model, "public_lookup", None)
            if lookup is None:
                continue
            # By name, not by ContentType id: no query to look the content type up.
            public_claims |= Q(
                content_type__app_label=model._meta.app_label,
                content_type__model=model._meta.model_name,
                object_id__in=model._default_manager.filter(**{lookup: True}).values("pk"),
            )
        return self.filter(public_claims, source__is_published=True)

    def visible(self, preview: bool = False):
        return self if preview else self.published()


# Fields that are the atlas's own bookkeeping or judgement rather than facts a source states.
NOT_CITABLE = {
    "id",
    "slug",
    "is_published",
    "is_disputed",
    "dispute_note",
    "created_at",
    "updated_at",
    "version",
    "rank",
    "rank_reason",
    "confidence",
    "unsourced",
    "note",
    "notes",
    "reviewed_through",
    "reviewed_by",
}


def citable_fields(model: type[models.Model]) -> list[tuple[str, str]]:
    """The facts of ``model`` a citation may support on their own, as (field name, label):
    the fields a reader takes from a source, without the second column of a partial date."""
    names = {field.name for field in model._meta.concrete_fields}
    return [
        (field.name, str(field.verbose_name))
        for field in model._meta.concrete_fields
        if field.editable
        and field.name not in NOT_CITABLE
        and not (field.name.endswith("_precision") and field.name[: -len("_precision")] in names)
    ]


class Citation(models.Model):
    """One source supporting one claim: any citable record, or one fact of it (``claim_field``)."""

    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, verbose_name=gettext_lazy("content type")
    )
    object_id = models.PositiveBigIntegerField(
        gettext_lazy("object id"),
    )
    claim = GenericForeignKey("content_type", "object_id")
    claim_field = models.CharField(
        gettext_lazy("fact"),
        max_length=40,
        blank=True,
        help_text=gettext_lazy(
            "Leave empty when the source supports the whole record; "
            "otherwise the field it supports, for example founded_on."
        ),
    )
    source = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        related_name="citations",
        verbose_name=gettext_lazy("source"),
    )
    excerpt = models.TextField(
        gettext_lazy("excerpt"),
        blank=True,
        help_text=gettext_lazy("The words in the source that support the claim."),
    )
    locator = models.CharField(
        gettext_lazy("locator"),
        max_length=100,
        blank=True,
        help_text=gettext_lazy("Paragraph, page or section."),
    )
    position = models.PositiveSmallIntegerField(
        gettext_lazy("position"),
        default=0,
        help_text=gettext_lazy("Order among the record's citations."),
    )

    objects = CitationQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["content_type", "object_id", "position", "pk"]
        verbose_name = gettext_lazy("citation")
        verbose_name_plural = gettext_lazy("citations")
        indexes = [models.Index(fields=["content_type", "object_id"], name="citation_claim_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "claim_field", "source"],
                name="citation_unique_source_per_claim",
            ),
        ]

    def __str__(self):
        model = self.content_type.model_class()
        return _("%(source)s → %(record)s #%(number)s") % {
            "source": self.source,
            "record": model._meta.verbose_name if model else self.content_type.model,
            "number": self.object_id,
        }

    def clean(self):
        super().clean()
        claim_model = self.content_type.model_class() if self.content_type_id else None
        if self.claim_field and claim_model is not None:
            facts = dict(citable_fields(claim_model))
            if self.claim_field not in facts:
                choices = ", ".join(facts)
                raise ValidationError(
                    {
                        "claim_field": _(
                            "“%(fact)s” is not a fact of a %(model)s: leave it empty for the "
                            "whole record, or give one of %(choices)s."
                        )
                        % {
                            "fact": self.claim_field,
                            "model": claim_model._meta.verbose_name,
                            "choices": choices,
                        }
                    }
                )
