"""What changed in a period: accessions, changes of status, exits and agreement stages."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from orgs import selectors
from orgs.params import ParameterError, parse_date

from .footnotes import Footnotes
from .mixins import AtlasPageMixin, paginate


class ChangesView(AtlasPageMixin, TemplateView):
    template_name = "orgs/changes.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        since = parse_date(self.request.GET.get("since"), "since") or today - datetime.timedelta(
            days=365
        )
        until = parse_date(self.request.GET.get("until"), "until") or today
        if since > until:
            raise ParameterError("since", _("the start of the period is after its end (until)."))
        changes = selectors.changes_between(since, until, preview=self.preview)
        page = paginate(self.request, changes)
        footnotes = Footnotes()
        footnotes.mark_all([change.record for change in page.object_list])
        context.update(
            since=since,
            until=until,
            changes=page.object_list,
            page_obj=page,
            footnotes=footnotes.notes,
        )
        return context
