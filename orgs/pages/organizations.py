"""The list of organizations and each organization's profile."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import ngettext_lazy, pgettext_lazy
from django.views.generic import TemplateView

from orgs import selectors
from orgs.models import STATUS_ORDER, Organization

from . import charts, fragments, maps, spell_fragments
from .footnotes import Footnotes
from .mixins import AtlasPageMixin, page_of

# The statuses as column headings: "members", "observers".
PLURAL_LABELS = {
    "member": pgettext_lazy("statuses", "members"),
    "associate_member": pgettext_lazy("statuses", "associate members"),
    "observer": pgettext_lazy("statuses", "observers"),
    "partner": pgettext_lazy("statuses", "partners"),
    "dialogue_partner": pgettext_lazy("statuses", "dialogue partners"),
    "participant": pgettext_lazy("statuses", "participants"),
    "signatory": pgettext_lazy("statuses", "signatories (not ratified)"),
    "suspended": pgettext_lazy("statuses", "suspended"),
}

# A number of holders of a status, in the plural form the language takes for that number:
# "1 observer", "2 observers"; "2 наблюдателя", "5 наблюдателей".
COUNTED_LABELS = {
    "member": ngettext_lazy("%(count)d member", "%(count)d members", "count"),
    "associate_member": ngettext_lazy(
        "%(count)d associate member", "%(count)d associate members", "count"
    ),
    "observer": ngettext_lazy("%(count)d observer", "%(count)d observers", "count"),
    "partner": ngettext_lazy("%(count)d partner", "%(count)d partners", "count"),
    "dialogue_partner": ngettext_lazy(
        "%(count)d dialogue partner", "%(count)d dialogue partners", "count"
    ),
    "participant": ngettext_lazy("%(count)d participant", "%(count)d participants", "count"),
    "signatory": ngettext_lazy(
        "%(count)d signatory (not ratified)", "%(count)d signatories (not ratified)", "count"
    ),
    "suspended": ngettext_lazy("%(count)d suspended", "%(count)d suspended", "count"),
}

MINOR_KINDS = {
    Organization.Kind.BODY,
    Organization.Kind.THINK_TANK,
    Organization.Kind.UNIVERSITY,
    Organization.Kind.MEDIA,
}


def counted(count: int, status: str) -> str:
    return COUNTED_LABELS[status] % {"count": count}


def status_counts(organization) -> list[tuple[str, str, int]]:
    return [
        (status, counted(getattr(organization, f"{status}_count"), status), 0)
        for status in STATUS_ORDER
        if getattr(organization, f"{status}_count")
    ]


class OrganizationListView(AtlasPageMixin, TemplateView):
    template_name = "orgs/organization_list.html"
    time_travel = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        organizations = selectors.organization_list(self.on, preview=self.preview)
        statuses = [
            status
            for status in STATUS_ORDER
            if any(getattr(o, f"{status}_count") for o in organizations)
        ]
        for organization in organizations:
            organization.cells = [getattr(organization, f"{s}_count") for s in statuses]
        context.update(
            organizations=organizations,
            status_headings=[str(PLURAL_LABELS[s]).capitalize() for s in statuses],
        )
        return context


class OrganizationDetailView(AtlasPageMixin, TemplateView):
    template_name = "orgs/organization_detail.html"
    time_travel = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        preview = self.preview
        try:
            organization = selectors.organization_get(self.kwargs["slug"], preview=preview)
        except Organization.DoesNotExist:
            raise Http404(_("No such organization.")) from None
        on = self.on
        footnotes = Footnotes()
        facts = {"record": footnotes.mark(organization, "")}
        for name in ("proposed_by", "proposed_on", "founded_on", "dissolved_on"):
            if getattr(organization, name) is not None:
                facts[name] = footnotes.mark(organization, name)
        groups = selectors.organization_members_as_of(organization, on, preview=preview)
        # Every spell, for the timeline and the competing claims: cited below only where shown.
        history = selectors.membership_history(
            organization=organization, preview=preview, cited=False
        )
        disputed_claims = selectors.membership_competing_claims(
            [spell for group in groups for spell in group.spells], history, on
        )
        selectors.cite(
            [
                *(competing for group in groups for s in group.spells for competing in s.competing),
                *disputed_claims,
            ],
            preview=preview,
        )
        country_groups, organization_groups = [], []
        for group in groups:
            for spell in group.spells:
                spell.marks = footnotes.mark(spell)
                footnotes.mark_all(spell.competing)
            countries = [s for s in group.spells if s.member_country_id]
            members = [s for s in group.spells if s.member_organization_id]
            if countries:
                country_groups.append(
                    (group.status, counted(len(countries), group.status), countries)
                )
            if members:
                organization_groups.append(
                    (group.status, counted(len(members), group.status), members)
                )
        takes_part_in = footnotes.mark_all(
            selectors.organization_memberships_as_of(organization, on, preview=preview)
        )
        # The long lists are paged, each by a parameter of its own; only what a page shows is
        # rendered and cited.
        former = footnotes.mark_all(
            page_of(
                self.request,
                selectors.organization_former_members(organization, on, preview=preview),
                "former",
            )
        )
        applications = selectors.applications_as_of(
            on, organization=organization, preview=preview, cited=False
        )
        applications.pending = page_of(self.request, applications.pending, "pending")
        applications.decided = page_of(self.request, applications.decided, "decided")
        selectors.cite([*applications.pending, *applications.decided], preview=preview)
        footnotes.mark_all(applications.pending)
        footnotes.mark_all(applications.decided)
        footnotes.mark_all(disputed_claims)
        agreements = selectors.agreement_list(on, organization=organization, preview=preview)
        footnotes.mark_all(agreement.current_stage for agreement in agreements)
        events = footnotes.mark_all(
            selectors.event_list(organization=organization, preview=preview)
        )
        proposals = footnotes.mark_all(
            selectors.proposal_list(organization=organization, preview=preview)
        )
        quotes = footnotes.mark_all(
            page_of(
                self.request,
                selectors.quote_list(organization=organization, preview=preview),
                "quotes",
            )
        )
        # Every other organization is offered for a comparison: only what the links show.
        others = list(
            Organization.objects.visible(preview)
            .international()
            .exclude(pk=organization.pk)
            .order_by("name")
            .only("name", "acronym", "name_ru", "acronym_ru", "slug", "kind")
        )
        addresses = spell_fragments.Addresses(self.as_of)
        drawn = maps.organization_map(
            organization,
            [spell for _, _, spells in country_groups for spell in spells],
            on=on,
            names=maps.country_names(preview=preview),
            link=lambda country: addresses.country(country, dated=True),
        )
        drawn.downloads = maps.download_links(
            self.request,
            ("SVG", "orgs:organization_map_svg", [organization.slug]),
            ("PNG", "orgs:organization_map_png", [organization.slug]),
            (_("data (CSV)"), "orgs:organization_map_csv", [organization.slug]),
        )
        context.update(
            organization=organization,
            review_notice=organization.may_miss_changes_on(on),
            facts=facts,
            country_groups=country_groups,
            country_sections=[
                (status, heading, spell_fragments.country_member_rows(spells, addresses))
                for status, heading, spells in country_groups
            ],
            organization_groups=organization_groups,
            organization_member_rows=spell_fragments.organization_member_rows(
                [spell for _, _, spells in organization_groups for spell in spells],
                addresses,
                by="member",
            ),
            member_total=sum(len(spells) for _, _, spells in country_groups),
            takes_part_in=takes_part_in,
            takes_part_in_rows=spell_fragments.organization_member_rows(
                takes_part_in, addresses, by="organization"
            ),
            disputed_claims=disputed_claims,
            agreements=agreements,
            events=events,
            proposals=proposals,
            former=former,
            former_rows=spell_fragments.former_member_rows(former, addresses),
            applications=applications,
            quotes=quotes,
            footnotes=footnotes.notes,
            map=drawn,
            og_image=self.request.build_absolute_uri(drawn.downloads[1][1]),
            timeline_downloads=maps.download_links(
                self.request,
                ("SVG", "orgs:organization_timeline_svg", [organization.slug]),
                (_("data (CSV)"), "orgs:organization_timeline_csv", [organization.slug]),
            ),
            timeline=charts.timeline(
                charts.timeline_rows(history, by="member"),
                on=on,
                title=_("Timeline of %(organization)s: accessions, status changes and exits")
                % {"organization": organization.localized_short_name},
            ),
            compare_links=fragments.compare_links(
                organization, others, as_of=self.as_of, skip_kinds=MINOR_KINDS
            ),
            compare_options=fragments.organization_options(others),
        )
        return context
