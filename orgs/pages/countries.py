"""The list of countries and each country's profile."""

from __future__ import annotations

from django.http import Http404, HttpResponsePermanentRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from orgs import selectors
from orgs.models import Country, Rank
from orgs.templatetags.atlas import url_as_of

from . import charts, maps, spell_fragments
from .footnotes import Footnotes
from .mixins import AtlasPageMixin, page_of


class CountryListView(AtlasPageMixin, TemplateView):
    template_name = "orgs/country_list.html"
    time_travel = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        spells = selectors.memberships_as_of(self.on, preview=self.preview).filter(
            member_country__isnull=False
        )
        by_country: dict[int, list] = {}
        for spell in spells.order_by("organization__name").prefetch_related(None):
            by_country.setdefault(spell.member_country_id, []).append(spell)
        countries = Country.objects.visible(self.preview).order_by("name")
        with_status, without_status = [], []
        for country in countries:
            country.spells = by_country.get(country.pk, [])
            (with_status if country.spells else without_status).append(country)
        context.update(with_status=with_status, without_status=without_status)
        return context


class CountryDetailView(AtlasPageMixin, TemplateView):
    template_name = "orgs/country_detail.html"
    time_travel = True

    def get(self, request, *args, **kwargs):
        code = self.kwargs["iso2"]
        if code != code.lower():
            url = reverse("orgs:country", args=[code.lower()])
            query = request.GET.urlencode()
            return HttpResponsePermanentRedirect(f"{url}?{query}" if query else url)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        preview = self.preview
        try:
            country = selectors.country_get(self.kwargs["iso2"], preview=preview)
        except Country.DoesNotExist:
            raise Http404(_("No such country.")) from None
        footnotes = Footnotes()
        # A country may hold a status in hundreds of organizations: its long lists are paged
        # (each by a parameter of its own), and only what a page shows is rendered and cited.
        every_membership = selectors.country_memberships_as_of(
            country, self.on, preview=preview, cited=False
        )
        # The history is paged by the database (thousands of spells at most, read a page at a
        # time); the deprecated spells, few, are read apart, to pair with competing claims.
        every_spell = selectors.membership_history_queryset(
            country=country, preview=preview, cited=False
        )
        disputed_claims = selectors.membership_competing_claims(
            every_membership, list(every_spell.filter(rank=Rank.DEPRECATED)), self.on
        )
        memberships = page_of(self.request, every_membership, "memberships")
        history = page_of(self.request, every_spell, "spells")
        selectors.cite(
            [
                *memberships,
                *(competing for spell in memberships for competing in spell.competing),
                *disputed_claims,
                *history,
            ],
            preview=preview,
        )
        for spell in memberships:
            spell.marks = footnotes.mark(spell)
            footnotes.mark_all(spell.competing)
        footnotes.mark_all(disputed_claims)
        footnotes.mark_all(history)
        agreements = selectors.agreement_list(self.on, country=country, preview=preview)
        footnotes.mark_all(agreement.current_stage for agreement in agreements)
        events = footnotes.mark_all(selectors.event_list(country=country, preview=preview))
        proposals = footnotes.mark_all(selectors.proposal_list(country=country, preview=preview))
        applications = selectors.applications_as_of(
            self.on, country=country, preview=preview, cited=False
        )
        for application in applications.pending:
            application.still_open = True
        applications = page_of(
            self.request, applications.pending + applications.decided, "applications"
        )
        selectors.cite(applications, preview=preview)
        footnotes.mark_all(applications)
        # The page's quotes alone are read (and their citations and subjects prefetched).
        quotes = page_of(
            self.request, selectors.quote_list(country=country, preview=preview), "quotes"
        )
        footnotes.mark_all(quotes)
        compare_slugs = [spell.organization.slug for spell in every_membership][:6]
        addresses = spell_fragments.Addresses(self.as_of)
        drawn = maps.country_map(country, link=lambda here: url_as_of(here, self.as_of))
        drawn.downloads = maps.download_links(
            self.request, ("SVG", "orgs:country_map_svg", [country.iso2.lower()])
        )
        context.update(
            country=country,
            memberships=memberships,
            membership_rows=spell_fragments.membership_table_rows(memberships, addresses),
            disputed_claims=disputed_claims,
            agreements=agreements,
            events=events,
            proposals=proposals,
            history=history,
            history_rows=spell_fragments.history_table_rows(history, addresses),
            applications=applications,
            quotes=quotes,
            footnotes=footnotes.notes,
            compare_slugs=",".join(dict.fromkeys(compare_slugs))
            if len(set(compare_slugs)) >= 2
            else "",
            # The spells of the history's page: the downloads below chart every spell.
            timeline=charts.timeline(
                charts.timeline_rows(history, by="organization"),
                on=self.on,
                title=_("Timeline of %(country)s's statuses in international organizations")
                % {"country": country.localized_name},
            ),
            map=drawn,
            timeline_downloads=maps.download_links(
                self.request,
                ("SVG", "orgs:country_timeline_svg", [country.iso2.lower()]),
                (_("data (CSV)"), "orgs:country_timeline_csv", [country.iso2.lower()]),
            ),
        )
        return context
