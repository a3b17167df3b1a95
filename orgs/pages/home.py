"""The home page: the organizations at a glance and the latest changes."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.views.generic import TemplateView

from orgs import selectors
from orgs.models import Country, Organization, Source

from .mixins import AtlasPageMixin
from .organizations import status_counts


def plural(count: int, word: str, words: str) -> str:
    return f"{count} {word if count == 1 else words}"


def recorded(organization: Organization, records: selectors.OrganizationRecords) -> str:
    """What the atlas records of an organization that has no member on the day shown: its end
    and successor, who proposed it, its formats' parent, its events, its members before."""
    parts = []
    if organization.lifecycle == Organization.Lifecycle.DISSOLVED and organization.dissolved_on:
        ended = f"Dissolved {organization.dissolved_on_partial.display}"
        if organization.successor:
            ended += f", succeeded by the {organization.successor.short_name}"
        parts.append(ended)
    if organization.proposed_by:
        proposed = f"Proposed by {organization.proposed_by.name}"
        if organization.proposed_on:
            proposed += f" ({organization.proposed_on_partial.display})"
        parts.append(proposed)
    if records.members_ever:
        parts.append(plural(records.members_ever, "member", "members") + " before")
    if records.events:
        parts.append(plural(records.events, "event", "events") + " recorded")
    if records.event_participations:
        parts.append("took part in " + plural(records.event_participations, "event", "events"))
    if not parts:
        parts.append("Its members are not recorded in the atlas yet")
    return " · ".join(parts)


class HomeView(AtlasPageMixin, TemplateView):
    template_name = "orgs/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The organizations countries belong to; institutions (Izvestia, the Valdai Club, a CIS
        # department) appear on the pages of the quotes and bodies that name them.
        organizations = selectors.organization_list(self.on, preview=self.preview)
        empty = []
        for organization in organizations:
            organization.status_counts = status_counts(organization)
            organization.review_notice = organization.may_miss_changes_on(self.on)
            if not organization.status_counts:
                empty.append(organization)
        records = selectors.organization_records(empty, preview=self.preview)
        for organization in empty:
            organization.recorded = recorded(organization, records[organization.pk])
        changes = selectors.changes_recent(10, preview=self.preview)
        context.update(
            organizations=organizations,
            changes=changes,
            country_count=Country.objects.published()
            .filter(memberships__isnull=False)
            .distinct()
            .count(),
            source_count=Source.objects.published().count(),
            year_ago=timezone.localdate() - datetime.timedelta(days=365),
        )
        return context
