"""The home page: the organizations at a glance and the latest changes."""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import TemplateView

from orgs import selectors
from orgs.models import Country, Membership, Organization, Source

from .mixins import AtlasPageMixin, page_of
from .organizations import status_counts


def recorded(organization: Organization, records: selectors.OrganizationRecords) -> str:
    """What the atlas records of an organization that has no member on the day shown: its end
    and successor, who proposed it, its formats' parent, its events, its members before."""
    parts = []
    if organization.lifecycle == Organization.Lifecycle.DISSOLVED and organization.dissolved_on:
        ended = _("Dissolved %(day)s") % {"day": organization.dissolved_on_partial.display}
        if organization.successor:
            ended += _(", succeeded by the %(successor)s") % {
                "successor": organization.successor.localized_short_name
            }
        parts.append(ended)
    if organization.proposed_by:
        proposed = _("Proposed by %(person)s") % {"person": organization.proposed_by.localized_name}
        if organization.proposed_on:
            proposed += f" ({organization.proposed_on_partial.display})"
        parts.append(proposed)
    if records.members_ever:
        count = records.members_ever
        parts.append(
            ngettext("%(count)d member before", "%(count)d members before", count)
            % {"count": count}
        )
    if records.events:
        count = records.events
        parts.append(
            ngettext("%(count)d event recorded", "%(count)d events recorded", count)
            % {"count": count}
        )
    if records.event_participations:
        count = records.event_participations
        parts.append(
            ngettext("took part in %(count)d event", "took part in %(count)d events", count)
            % {"count": count}
        )
    if not parts:
        parts.append(_("Its members are not recorded in the atlas yet"))
    return " · ".join(parts)


class HomeView(AtlasPageMixin, TemplateView):
    template_name = "orgs/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The organizations countries belong to; institutions (Izvestia, the Valdai Club, a CIS
        # department) appear on the pages of the quotes and bodies that name them.
        # Paged like every long list: on a large atlas a page of cards is what a reader scans,
        # and members are counted for the organizations on it alone.
        page = page_of(self.request, selectors.organization_keys(preview=self.preview), "page")
        organizations = selectors.organization_list(
            self.on, preview=self.preview, pks=page.object_list
        )
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
            organizations_page=page,
            changes=changes,
            # A semi-join on the member index, not a DISTINCT over every spell.
            country_count=Country.objects.published()
            .filter(Exists(Membership.objects.filter(member_country=OuterRef("pk"))))
            .count(),
            source_count=Source.objects.published().count(),
            year_ago=timezone.localdate() - datetime.timedelta(days=365),
        )
        return context
