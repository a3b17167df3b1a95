"""The home page: the organizations at a glance and the latest changes."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.views.generic import TemplateView

from orgs import selectors
from orgs.models import Country, Source

from .mixins import AtlasPageMixin
from .organizations import MINOR_KINDS, status_counts


class HomeView(AtlasPageMixin, TemplateView):
    template_name = "orgs/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        organizations = selectors.organization_list(self.on, preview=self.preview)
        for organization in organizations:
            organization.status_counts = status_counts(organization)
        changes = selectors.changes_recent(10, preview=self.preview)
        # Bodies, think tanks, universities and media appear in the atlas as speakers' employers;
        # the cards are for the organizations countries belong to.
        context.update(
            organizations=[o for o in organizations if o.kind not in MINOR_KINDS],
            other_organizations=[o for o in organizations if o.kind in MINOR_KINDS],
            changes=changes,
            country_count=Country.objects.published()
            .filter(memberships__isnull=False)
            .distinct()
            .count(),
            source_count=Source.objects.published().count(),
            year_ago=timezone.localdate() - datetime.timedelta(days=365),
        )
        return context
