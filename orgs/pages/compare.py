"""Compare organizations: who belongs to which, with Venn and UpSet charts."""

from __future__ import annotations

from django.views.generic import TemplateView

from orgs import selectors
from orgs.models import Organization
from orgs.params import ParameterError, parse_slugs, parse_statuses

from . import charts
from .footnotes import Footnotes
from .mixins import AtlasPageMixin


class CompareView(AtlasPageMixin, TemplateView):
    template_name = "orgs/compare.html"
    time_travel = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        preview = self.preview
        # What countries belong to: no publisher, think tank or university to compare.
        choices = list(Organization.objects.visible(preview).international().order_by("name"))
        raw = ",".join(self.request.GET.getlist("organizations"))
        statuses = parse_statuses(self.request.GET.get("statuses"))
        context.update(choices=choices, statuses=statuses, chosen=[])
        if not raw.strip():
            return context
        slugs = parse_slugs(raw)
        by_slug = {organization.slug: organization for organization in choices}
        unknown = [slug for slug in slugs if slug not in by_slug]
        if unknown:
            raise ParameterError("organizations", f"no organization is called “{unknown[0][:40]}”.")
        organizations = [by_slug[slug] for slug in slugs]
        result = selectors.organizations_overlap(
            organizations, self.on, statuses=statuses, preview=preview
        )
        footnotes = Footnotes()
        rows = []
        for entry in result.members:
            cells = [footnotes.mark_all(entry.spells_in(o)) for o in organizations]
            rows.append((entry, cells))
        base = f"organizations={','.join(slugs)}"
        if self.as_of:
            base += f"&as_of={self.as_of.isoformat()}"
        context.update(
            chosen=organizations,
            chosen_slugs=slugs,
            overlap=result,
            rows=rows,
            footnotes=footnotes.notes,
            venn=charts.venn(result),
            upset=charts.upset(result),
            members_only=statuses == ["member"],
            members_only_query=f"?{base}&statuses=member",
            every_status_query=f"?{base}",
        )
        return context
