"""Compare organizations: who belongs to which, with Venn and UpSet charts."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from orgs import selectors
from orgs.models import Organization
from orgs.params import ParameterError, parse_slugs, parse_statuses
from orgs.templatetags.atlas import url_as_of

from . import charts, fragments, maps
from .footnotes import Footnotes
from .mixins import AtlasPageMixin


def chosen_overlap(request, on, *, preview: bool, choices=None):
    """The overlap on ``on`` of the organizations in ``?organizations=``; None if none chosen.

    ``?statuses=`` narrows the statuses counted ("full members only"). An unknown slug is a
    ParameterError, a 400. The page and its downloads read their parameters here.
    """
    raw = ",".join(request.GET.getlist("organizations"))
    statuses = parse_statuses(request.GET.get("statuses"))
    if not raw.strip():
        return None
    if choices is None:
        choices = Organization.objects.visible(preview).international().order_by("name")
    slugs = parse_slugs(raw)
    by_slug = {organization.slug: organization for organization in choices}
    unknown = [slug for slug in slugs if slug not in by_slug]
    if unknown:
        raise ParameterError(
            "organizations",
            _("no organization is called “%(value)s”.") % {"value": unknown[0][:40]},
        )
    organizations = [by_slug[slug] for slug in slugs]
    return selectors.organizations_overlap(organizations, on, statuses=statuses, preview=preview)


class CompareView(AtlasPageMixin, TemplateView):
    template_name = "orgs/compare.html"
    time_travel = True

    def get_context_data(self, **kwargs):
        context = self.comparison(**kwargs)
        # Every organization is a checkbox: rendered in Python, thousands on a large atlas.
        context["choice_checkboxes"] = fragments.organization_checkboxes(
            context["choices"], context["chosen"]
        )
        return context

    def comparison(self, **kwargs):
        context = super().get_context_data(**kwargs)
        preview = self.preview
        # What countries belong to: no publisher, think tank or university to compare.
        # Every organization is a choice (thousands on a large atlas): only what the form shows
        # and the comparison reads of the chosen ones.
        choices = list(
            Organization.objects.visible(preview)
            .international()
            .order_by("name")
            .only("name", "acronym", "name_ru", "acronym_ru", "slug", "kind", "is_published")
        )
        statuses = parse_statuses(self.request.GET.get("statuses"))
        context.update(choices=choices, statuses=statuses, chosen=[])
        result = chosen_overlap(self.request, self.on, preview=preview, choices=choices)
        if result is None:
            return context
        organizations = result.organizations
        slugs = [organization.slug for organization in organizations]
        footnotes = Footnotes()
        rows = []
        for entry in result.members:
            cells = [footnotes.mark_all(entry.spells_in(o)) for o in organizations]
            rows.append((entry, cells))
        drawn = maps.compare_map(result, link=lambda country: url_as_of(country, self.as_of))
        drawn.downloads = maps.download_links(
            self.request,
            ("SVG", "orgs:compare_map_svg", []),
            (_("data (CSV)"), "orgs:compare_overlap_csv", []),
        )
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
            map=drawn,
            downloads=maps.download_links(
                self.request,
                (_("Venn, SVG"), "orgs:compare_venn_svg", []),
                (_("UpSet, SVG"), "orgs:compare_upset_svg", []),
                (_("data (CSV)"), "orgs:compare_overlap_csv", []),
            ),
            members_only=statuses == ["member"],
            members_only_query=f"?{base}&statuses=member",
            every_status_query=f"?{base}",
        )
        return context
