"""What editors should look at: the sections of the "Needs attention" admin page.

One query per section, whatever the size of the atlas.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Case,
    CharField,
    Exists,
    Expression,
    F,
    Model,
    OuterRef,
    Q,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Concat, Substr
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..dates import PartialDate, is_before
from ..models import (
    Agreement,
    AgreementStage,
    Application,
    Citation,
    Country,
    Event,
    Membership,
    Organization,
    Person,
    Proposal,
    Quote,
    Rank,
    Source,
    citation_required_models,
    publishable_models,
)

# An organization's records are due for a review against sources after about six months.
REVIEW_AGE_DAYS = 183


@dataclass(frozen=True)
class AttentionItem:
    model_name: str
    pk: int
    label: str
    detail: str = ""

    @property
    def admin_url(self) -> str:
        return reverse(f"admin:orgs_{self.model_name}_change", args=[self.pk])


@dataclass
class AttentionSection:
    key: str
    title: str
    explanation: str
    items: list[AttentionItem]
    more: bool = False


def _record_labels() -> dict[type[Model], Expression]:
    """A readable name per publishable model, built in SQL so a union of models stays one query."""
    text_type = TextField()

    def text(*parts: str | Expression) -> Expression:
        return Concat(
            *[
                part if hasattr(part, "resolve_expression") else Cast(part, text_type)
                for part in parts
            ],
            output_field=text_type,
        )

    def literal(value: str) -> Expression:
        return Value(value, output_field=text_type)

    return {
        Country: Cast("name", TextField()),
        Organization: Cast("name", TextField()),
        Person: Cast("name", TextField()),
        Source: Cast("title", TextField()),
        Membership: text(
            Coalesce("member_country__name", "member_organization__name", output_field=text_type),
            literal(" — "),
            "status",
            literal(" of "),
            "organization__name",
        ),
        Application: text(
            Coalesce(
                "applicant_country__name", "applicant_organization__name", output_field=text_type
            ),
            literal(" → "),
            "requested_status",
            literal(" of "),
            "organization__name",
        ),
        Quote: text(
            Coalesce(
                "speaker__name", "speaker_organization__name", literal(""), output_field=text_type
            ),
            literal(": "),
            Cast(Substr("text", 1, 80), text_type),
        ),
        Agreement: Cast("title", TextField()),
        AgreementStage: text("agreement__title", literal(": "), "stage"),
        Event: Cast("name", TextField()),
        Proposal: Cast("title", TextField()),
    }


def _records_union(
    filters: dict[type[Model], Q | Expression],
    *,
    detail: Callable[[type[Model]], Expression | F] | None,
    order_by: str,
    limit: int,
) -> tuple[list[tuple[Any, ...]], bool]:
    """Rows (model_name, pk, label, detail, order) of several models in one UNION query."""
    labels = _record_labels()
    parts = []
    for model, condition in filters.items():
        detail_expression = detail(model) if callable(detail) else Value("")
        parts.append(
            model._default_manager.filter(condition)
            .order_by()
            .annotate(
                attention_model=Value(model._meta.model_name, output_field=CharField()),
                attention_label=labels[model],
                attention_detail=Cast(detail_expression, TextField()),
            )
            .values_list("attention_model", "pk", "attention_label", "attention_detail", order_by)
        )
    first, *rest = parts
    rows = list(first.union(*rest, all=True).order_by(order_by)[: limit + 1])
    return rows[:limit], len(rows) > limit


def _items(rows: Iterable[tuple[Any, ...]]) -> list[AttentionItem]:
    return [
        AttentionItem(model_name, pk, (label or "").replace("_", " "), detail or "")
        for model_name, pk, label, detail, _order in rows
    ]


def _reviewed(reviewed_through: datetime.date | None, reviewed_by: str) -> str:
    if reviewed_through is None:
        return _("never reviewed")
    day = PartialDate(reviewed_through).display
    if reviewed_by:
        return _("reviewed through %(day)s by %(who)s") % {"day": day, "who": reviewed_by}
    return _("reviewed through %(day)s") % {"day": day}


def _spell_label(spell: Membership) -> str:
    return f"{spell.member} — {spell.status_phrase} ({spell.period})"


def attention_sections(
    *, now: datetime.datetime | None = None, draft_age_days: int = 30, limit: int = 100
) -> list[AttentionSection]:
    """What editors should look at: uncited claims, old drafts, stale applications, spells
    that overlap or fall outside their organization's life, disputed claims, sources with no
    archive copy, organizations not reviewed against sources for six months. Eight queries."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    models = publishable_models()
    sections: list[AttentionSection] = []

    # 1. Claims a reader takes as facts, with nothing to back them.
    def uncited(model: type[Model]) -> Expression:
        return ~Exists(
            Citation.objects.filter(
                content_type__app_label=model._meta.app_label,
                content_type__model=model._meta.model_name,
                object_id=OuterRef("pk"),
            )
        )

    rows, more = _records_union(
        {model: uncited(model) for model in citation_required_models()},
        detail=None,
        order_by="created_at",
        limit=limit,
    )
    sections.append(
        AttentionSection(
            "uncited",
            _("Claims with no citation"),
            _("Spells, applications, quotes and agreement stages cannot be published without one."),
            _items(rows),
            more,
        )
    )

    # 2. Drafts nobody has reviewed for a month.
    cutoff = now - datetime.timedelta(days=draft_age_days)
    rows, more = _records_union(
        {model: Q(is_published=False, created_at__lt=cutoff) for model in models},
        detail=None,
        order_by="created_at",
        limit=limit,
    )
    sections.append(
        AttentionSection(
            "old_drafts",
            ngettext(
                "Drafts older than %(days)d day", "Drafts older than %(days)d days", draft_age_days
            )
            % {"days": draft_age_days},
            _("Ask a reviewer to publish them, or delete them."),
            _items(rows),
            more,
        )
    )

    # 3. Applications still pending a year after they were filed.
    year_ago = today - datetime.timedelta(days=365)
    applications = list(
        Application.objects.filter(outcome=Application.Outcome.PENDING, filed_on__lt=year_ago)
        .select_related("organization", "applicant_country", "applicant_organization")
        .order_by("filed_on", "pk")[: limit + 1]
    )
    sections.append(
        AttentionSection(
            "stale_applications",
            _("Applications pending for over a year"),
            _("Check whether the organization has decided since."),
            [
                AttentionItem(
                    "application",
                    item.pk,
                    str(item),
                    _("filed %(day)s") % {"day": item.filed_on_partial.display},
                )
                for item in applications[:limit]
            ],
            len(applications) > limit,
        )
    )

    # 4. Spells of one member in one organization that overlap: a self-join the database
    # constraint should keep empty. Half-open ranges [start, stop) as in
    # Membership.overlapping_spells: a spell ending the day it starts covers that day.
    others = (
        Membership.objects.filter(organization=OuterRef("organization"))
        .exclude(rank=Rank.DEPRECATED)
        .exclude(pk=OuterRef("pk"))
        .filter(
            Q(member_country__isnull=False, member_country=OuterRef("member_country"))
            | Q(
                member_organization__isnull=False,
                member_organization=OuterRef("member_organization"),
            )
        )
        .filter(  # the other one stops after this one starts
            Q(end__isnull=True)
            | Q(end__gt=OuterRef("start"))
            | Q(end=F("start"), end__gte=OuterRef("start"))
        )
    )
    starts_before_this_stops = (
        (Q(end__isnull=True) & Exists(others))
        | Exists(others.filter(start__lt=OuterRef("end")))
        | (Q(end=F("start")) & Exists(others.filter(start__lte=OuterRef("end"))))
    )
    overlapping = list(
        Membership.objects.exclude(rank=Rank.DEPRECATED)
        .filter(starts_before_this_stops)
        .with_related()
        .order_by("organization__name", "start", "pk")[: limit + 1]
    )
    sections.append(
        AttentionSection(
            "overlaps",
            _("Overlapping spells"),
            _(
                "Two spells of one member in one organization at once: end one where the next "
                "begins, or rank one deprecated with a reason."
            ),
            [
                AttentionItem("membership", spell.pk, _spell_label(spell))
                for spell in overlapping[:limit]
            ],
            len(overlapping) > limit,
        )
    )

    # 5. Spells outside their organization's life: the query finds candidates by the earliest
    # days, and ``is_before`` keeps those certainly outside at the dates' precision.
    candidates = (
        Membership.objects.filter(
            Q(organization__founded_on__isnull=False, start__lt=F("organization__founded_on"))
            | Q(organization__dissolved_on__isnull=False)
            & (Q(end__isnull=True) | Q(end__gt=F("organization__dissolved_on")))
        )
        .with_related()
        .order_by("organization__name", "start", "pk")
    )
    outside = []
    for spell in candidates:
        founded = spell.organization.founded_on_partial
        dissolved = spell.organization.dissolved_on_partial
        name = spell.organization.short_name
        if founded and is_before(spell.start_partial, founded):
            outside.append(
                AttentionItem(
                    "membership",
                    spell.pk,
                    _spell_label(spell),
                    _("starts before %(organization)s was founded (%(day)s)")
                    % {"organization": name, "day": founded.display},
                )
            )
        elif dissolved and (spell.end_partial is None or is_before(dissolved, spell.end_partial)):
            outside.append(
                AttentionItem(
                    "membership",
                    spell.pk,
                    _spell_label(spell),
                    _("continues after %(organization)s was dissolved (%(day)s)")
                    % {"organization": name, "day": dissolved.display},
                )
            )
    sections.append(
        AttentionSection(
            "outside_life",
            _("Spells outside their organization's life"),
            _(
                "A spell that starts before the organization was founded or goes on after it "
                "was dissolved: check the dates."
            ),
            outside[:limit],
            len(outside) > limit,
        )
    )

    # 6. Disputed claims, and spells ranked deprecated (competing claims kept for the record).
    def disputed(model: type[Model]) -> Q:
        condition = Q(is_disputed=True)
        return condition | Q(rank=Rank.DEPRECATED) if model is Membership else condition

    def dispute_detail(model: type[Model]) -> Expression | F:
        if model is Membership:
            return Case(
                When(dispute_note="", then=F("rank_reason")),
                default=F("dispute_note"),
                output_field=TextField(),
            )
        return F("dispute_note")

    rows, more = _records_union(
        {model: disputed(model) for model in models},
        detail=dispute_detail,
        order_by="updated_at",
        limit=limit,
    )
    sections.append(
        AttentionSection(
            "disputed",
            _("Disputed claims"),
            _(
                "Sources disagree: check the note says what, and that pages show the preferred "
                "claim."
            ),
            _items(rows),
            more,
        )
    )

    # 7. Sources that may change or vanish with no copy kept.
    sources = list(
        Source.objects.filter(archive_url="")
        .exclude(url="")
        .order_by("publisher", "title", "pk")
        .values_list("pk", "publisher", "title", "url")[: limit + 1]
    )
    sections.append(
        AttentionSection(
            "unarchived_sources",
            _("Sources with no archive URL"),
            _("Save a copy in a web archive and give its address, in case the page changes."),
            [
                AttentionItem("source", pk, f"{publisher}: {title}" if publisher else title, url)
                for pk, publisher, title, url in sources[:limit]
            ],
            len(sources) > limit,
        )
    )

    # 8. Organizations whose records nobody has checked against sources for six months: pages
    # about later days tell readers changes may be missing.
    review_cutoff = today - datetime.timedelta(days=REVIEW_AGE_DAYS)
    unreviewed = list(
        Organization.objects.international()
        .filter(Q(reviewed_through__isnull=True) | Q(reviewed_through__lt=review_cutoff))
        .order_by(F("reviewed_through").asc(nulls_first=True), "name")
        .values_list("pk", "name", "reviewed_through", "reviewed_by")[: limit + 1]
    )
    sections.append(
        AttentionSection(
            "unreviewed",
            _("Organizations not reviewed for six months"),
            _(
                "Check their records against sources for what happened since, then set "
                "“reviewed through” (a reviewed change, like any other)."
            ),
            [
                AttentionItem(
                    "organization",
                    pk,
                    name,
                    _reviewed(reviewed_through, reviewed_by),
                )
                for pk, name, reviewed_through, reviewed_by in unreviewed[:limit]
            ],
            len(unreviewed) > limit,
        )
    )
    return sections
