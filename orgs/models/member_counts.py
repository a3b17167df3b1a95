"""How many members of each status an organization has today: a summary the pages read.

A cache of ``OrganizationQuerySet.with_member_counts`` for one day, never a rule of its own:
``orgs.services.member_counts`` fills it with that method and stores, beside each count, the
first day on which a spell of the organization starts or ends (``valid_until``), so a count is
never read on a day it may no longer hold, even when no one edited anything.
``with_summarized_member_counts`` reads it, and ``live_member_counts`` counts, by the same
method, any organization whose rows are missing or no longer hold.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Count, FilteredRelation, IntegerField, Q, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy

from .base import STATUS_ORDER, Status

if TYPE_CHECKING:
    from .organizations import Organization


class MemberCount(models.Model):
    organization = models.ForeignKey(
        "Organization",
        on_delete=models.CASCADE,
        related_name="member_counts",
        verbose_name=gettext_lazy("organization"),
        db_index=False,  # the unique constraint below leads with it
    )
    status = models.CharField(gettext_lazy("status"), max_length=20, choices=Status.choices)
    count = models.PositiveIntegerField(gettext_lazy("count"))
    counted_on = models.DateField(gettext_lazy("counted on"))
    valid_until = models.DateField(
        gettext_lazy("valid until"),
        null=True,
        blank=True,
        help_text=gettext_lazy(
            "The first day the count may differ: a spell of the organization starts or ends. "
            "Empty when none does after the day counted."
        ),
    )

    # A summary written after the spells it counts: refreshing it leaves the cached pages as
    # they are (the spells' own saves made them stale).
    shown_to_public = False

    class Meta:
        verbose_name = gettext_lazy("member count")
        verbose_name_plural = gettext_lazy("member counts")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "status"], name="member_count_one_per_status"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.status}: {self.count} ({self.counted_on})"


def holds_on_q(on: datetime.date, prefix: str = "") -> Q:
    """Summary rows that hold on ``on``: counted that day or before, still valid."""
    return Q(**{f"{prefix}counted_on__lte": on}) & (
        Q(**{f"{prefix}valid_until__isnull": True}) | Q(**{f"{prefix}valid_until__gt": on})
    )


def with_summarized_member_counts(queryset, on: datetime.date):
    """``<status>_count`` annotations read from the summary rows that hold on ``on``, and
    ``summarized_statuses``, how many statuses had one: an organization with fewer (its spells
    just changed, a spell of it started or ended since it was counted, or it was never counted)
    is counted live by ``live_member_counts``.

    One join on at most one row per status, where ``with_member_counts`` joins every spell."""
    fresh = FilteredRelation("member_counts", condition=holds_on_q(on, "member_counts__"))
    return queryset.alias(summary=fresh).annotate(
        summarized_statuses=Count("summary"),
        **{
            f"{status}_count": Coalesce(
                Sum("summary__count", filter=Q(summary__status=status)),
                0,
                output_field=IntegerField(),
            )
            for status in STATUS_ORDER
        },
    )


def live_member_counts(organizations: Iterable[Organization], on: datetime.date) -> int:
    """Count live, with ``with_member_counts``, the members of those of ``organizations``
    (annotated by ``with_summarized_member_counts``) whose summary did not hold on ``on``:
    one query, only when there is such an organization. Returns how many there were."""
    from .organizations import Organization

    stale = {
        organization.pk: organization
        for organization in organizations
        if organization.summarized_statuses != len(STATUS_ORDER)  # type: ignore[attr-defined]
    }
    if not stale:
        return 0
    names = [f"{status}_count" for status in STATUS_ORDER]
    rows = (
        Organization.objects.filter(pk__in=stale).with_member_counts(on).values_list("pk", *names)
    )
    for pk, *counts in rows:
        for name, count in zip(names, counts, strict=True):
            setattr(stale[pk], name, count)
    return len(stale)
