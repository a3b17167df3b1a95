"""Public pages: thin class-based views over ``orgs.selectors``.

Every page shares ``AtlasPageMixin``: it parses ``?as_of`` (a bad value is a 400 page naming the
parameter, never a 500), lets staff preview drafts with ``?drafts=1``, and numbers the footnotes
of the facts a page shows.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView

from . import charts, selectors
from .models import (
    STATUS_ORDER,
    Agreement,
    Citation,
    Country,
    Event,
    Organization,
    Person,
    Source,
    Status,
)
from .params import ParameterError, parse_date, parse_slugs, parse_statuses

PLURAL_LABELS = {
    "member": "members",
    "associate_member": "associate members",
    "observer": "observers",
    "partner": "partners",
    "dialogue_partner": "dialogue partners",
    "participant": "participants",
    "suspended": "suspended",
}


MINOR_KINDS = {
    Organization.Kind.BODY,
    Organization.Kind.THINK_TANK,
    Organization.Kind.UNIVERSITY,
    Organization.Kind.MEDIA,
}


def counted(count: int, status: str) -> str:
    label = Status(status).label if count == 1 else PLURAL_LABELS[status]
    return f"{count} {label}"


def bad_parameter(request, error: ParameterError):
    return render(request, "400.html", {"error": error}, status=400)


# --- footnotes -------------------------------------------------------------------------------


@dataclass
class Footnote:
    number: int
    citation: Citation


class Footnotes:
    """Numbers citations in the order a page shows the facts they support.

    The same source with the same excerpt gets one number however many facts it supports.
    Records must come with their citations prefetched (the selectors do this).
    """

    def __init__(self):
        self.notes: list[Footnote] = []
        self._numbers: dict[tuple, int] = {}

    def mark(self, record, claim_field: str | None = None) -> list[int]:
        """Footnote numbers for ``record`` (or one fact of it); an empty list means unsourced.

        For one fact, citations of that fact are used, else those of the whole record.
        """
        citations = list(record.citations.all())
        if claim_field is not None:
            specific = [c for c in citations if c.claim_field == claim_field]
            citations = specific or [c for c in citations if not c.claim_field]
        numbers = []
        for citation in citations:
            key = (citation.source_id, citation.excerpt.strip(), citation.locator)
            if key not in self._numbers:
                self._numbers[key] = len(self.notes) + 1
                self.notes.append(Footnote(self._numbers[key], citation))
            if self._numbers[key] not in numbers:
                numbers.append(self._numbers[key])
        return numbers

    def mark_all(self, records, claim_field: str | None = None):
        """Give each record (``None`` entries are skipped) its ``marks``; returns ``records``."""
        for record in records:
            if record is not None:
                record.marks = self.mark(record, claim_field)
        return records


# --- shared behaviour ------------------------------------------------------------------------


class AtlasPageMixin:
    """``?as_of`` parsing with a date picker, draft preview for staff, and footnotes."""

    time_travel = False

    def dispatch(self, request, *args, **kwargs):
        try:
            self.as_of = parse_date(request.GET.get("as_of"), "as_of")
            return super().dispatch(request, *args, **kwargs)
        except ParameterError as error:
            return bad_parameter(request, error)

    @property
    def on(self) -> datetime.date:
        return self.as_of or timezone.localdate()

    @property
    def published_only(self) -> bool:
        user = self.request.user
        wants_drafts = self.request.GET.get("drafts") == "1"
        return not (wants_drafts and user.is_authenticated and user.is_staff)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        kept = [
            (name, value)
            for name, values in self.request.GET.lists()
            if name != "as_of"
            for value in values
        ]
        context.update(
            as_of=self.as_of,
            on=self.on,
            today=timezone.localdate(),
            time_travel=self.time_travel,
            kept_params=kept,
            preview=not self.published_only,
        )
        return context


def _member_href(member) -> str:
    if isinstance(member, Country):
        return reverse("orgs:country", args=[member.iso2.lower()])
    return reverse("orgs:organization", args=[member.slug])


def _status_counts(organization) -> list[tuple[str, str, int]]:
    return [
        (status, counted(getattr(organization, f"{status}_count"), status), 0)
        for status in STATUS_ORDER
        if getattr(organization, f"{status}_count")
    ]


PAGE_SIZE = 50


def paginate(request, items):
    """One page of a long list (``?page=``); a page number out of range gives the last page."""
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))


# --- pages -----------------------------------------------------------------------------------


class HomeView(AtlasPageMixin, TemplateView):
    template_name = "orgs/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        organizations = selectors.organizations_with_counts(
            self.on, published_only=self.published_only
        )
        for organization in organizations:
            organization.status_counts = _status_counts(organization)
        changes = selectors.recent_changes_with_agreements(10, published_only=self.published_only)
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


class OrganizationListView(AtlasPageMixin, TemplateView):
    template_name = "orgs/organization_list.html"
    time_travel = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        organizations = selectors.organizations_with_counts(
            self.on, published_only=self.published_only
        )
        statuses = [
            status
            for status in STATUS_ORDER
            if any(getattr(o, f"{status}_count") for o in organizations)
        ]
        for organization in organizations:
            organization.cells = [getattr(organization, f"{s}_count") for s in statuses]
        context.update(
            organizations=organizations,
            status_headings=[PLURAL_LABELS[s].capitalize() for s in statuses],
        )
        return context


class OrganizationDetailView(AtlasPageMixin, TemplateView):
    template_name = "orgs/organization_detail.html"
    time_travel = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        published_only = self.published_only
        try:
            organization = selectors.organization_profile(
                self.kwargs["slug"], published_only=published_only
            )
        except Organization.DoesNotExist:
            raise Http404("No such organization.") from None
        on = self.on
        footnotes = Footnotes()
        facts = {"record": footnotes.mark(organization, "")}
        for name in ("proposed_by", "proposed_on", "founded_on", "dissolved_on"):
            if getattr(organization, name) is not None:
                facts[name] = footnotes.mark(organization, name)
        groups = selectors.members_as_of(organization, on, published_only=published_only)
        history = selectors.spell_history(organization=organization, published_only=published_only)
        disputed_claims = selectors.competing_claims(
            [spell for group in groups for spell in group.spells], history, on
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
            selectors.organization_memberships_as_of(
                organization, on, published_only=published_only
            )
        )
        former = footnotes.mark_all(
            selectors.former_members(organization, on, published_only=published_only)
        )
        applications = selectors.applications_as_of(
            on, organization=organization, published_only=published_only
        )
        footnotes.mark_all(applications.pending)
        footnotes.mark_all(applications.decided)
        footnotes.mark_all(disputed_claims)
        agreements = selectors.agreements_for(
            on, organization=organization, published_only=published_only
        )
        footnotes.mark_all(agreement.current_stage for agreement in agreements)
        events = footnotes.mark_all(
            selectors.events_for(organization=organization, published_only=published_only)
        )
        proposals = footnotes.mark_all(
            selectors.proposals_for(organization=organization, published_only=published_only)
        )
        quotes = footnotes.mark_all(
            list(selectors.quotes(organization=organization, published_only=published_only))
        )
        map_entries = [
            charts.MapEntry(
                spell.member_country.iso2,
                spell.member_country.name,
                spell.status,
                spell.is_certain,
                spell.qualifier,
            )
            for _, _, spells in country_groups
            for spell in spells
        ]
        countries = Country.objects.published() if published_only else Country.objects.all()
        names = dict(countries.values_list("iso2", "name"))
        on_text = on.strftime("%-d %B %Y")
        others = Organization.objects.exclude(pk=organization.pk).order_by("name")
        if published_only:
            others = others.published()
        context.update(
            organization=organization,
            facts=facts,
            country_groups=country_groups,
            organization_groups=organization_groups,
            member_total=sum(len(spells) for _, _, spells in country_groups),
            takes_part_in=takes_part_in,
            disputed_claims=disputed_claims,
            agreements=agreements,
            events=events,
            proposals=proposals,
            former=former,
            applications=applications,
            quotes=quotes,
            footnotes=footnotes.notes,
            world_map=charts.world_map(
                map_entries,
                names=names,
                title=f"World map of {organization.short_name} members and partners by status "
                f"as of {on_text}",
            ),
            off_map=charts.countries_not_on_map(map_entries),
            timeline=charts.timeline(
                charts.timeline_rows(history, by="member"),
                on=on,
                title=f"Timeline of {organization.short_name}: accessions, status changes and exits",
            ),
            other_organizations=list(others),
            minor_kinds=MINOR_KINDS,
        )
        return context


class CountryListView(AtlasPageMixin, TemplateView):
    template_name = "orgs/country_list.html"
    time_travel = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        spells = selectors.spells_as_of(self.on, published_only=self.published_only).filter(
            member_country__isnull=False
        )
        by_country: dict[int, list] = {}
        for spell in spells.order_by("organization__name").prefetch_related(None):
            by_country.setdefault(spell.member_country_id, []).append(spell)
        countries = Country.objects.order_by("name")
        if self.published_only:
            countries = countries.published()
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
        published_only = self.published_only
        try:
            country = selectors.country_profile(self.kwargs["iso2"], published_only=published_only)
        except Country.DoesNotExist:
            raise Http404("No such country.") from None
        footnotes = Footnotes()
        memberships = selectors.country_memberships_as_of(
            country, self.on, published_only=published_only
        )
        history = selectors.spell_history(country=country, published_only=published_only)
        disputed_claims = selectors.competing_claims(memberships, history, self.on)
        for spell in memberships:
            spell.marks = footnotes.mark(spell)
            footnotes.mark_all(spell.competing)
        footnotes.mark_all(disputed_claims)
        footnotes.mark_all(history)
        agreements = selectors.agreements_for(
            self.on, country=country, published_only=published_only
        )
        footnotes.mark_all(agreement.current_stage for agreement in agreements)
        events = footnotes.mark_all(
            selectors.events_for(country=country, published_only=published_only)
        )
        proposals = footnotes.mark_all(
            selectors.proposals_for(country=country, published_only=published_only)
        )
        applications = selectors.applications_as_of(
            self.on, country=country, published_only=published_only
        )
        footnotes.mark_all(applications.pending)
        footnotes.mark_all(applications.decided)
        quotes = footnotes.mark_all(
            list(selectors.quotes(country=country, published_only=published_only))
        )
        compare_slugs = [spell.organization.slug for spell in memberships][:6]
        context.update(
            country=country,
            memberships=memberships,
            disputed_claims=disputed_claims,
            agreements=agreements,
            events=events,
            proposals=proposals,
            history=history,
            applications=applications,
            quotes=quotes,
            footnotes=footnotes.notes,
            compare_slugs=",".join(dict.fromkeys(compare_slugs))
            if len(set(compare_slugs)) >= 2
            else "",
            timeline=charts.timeline(
                charts.timeline_rows(history, by="organization"),
                on=self.on,
                title=f"Timeline of {country.name}'s statuses in international organizations",
            ),
        )
        return context


class CompareView(AtlasPageMixin, TemplateView):
    template_name = "orgs/compare.html"
    time_travel = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        published_only = self.published_only
        choices = Organization.objects.order_by("name")
        if published_only:
            choices = choices.published()
        choices = list(choices)
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
        result = selectors.overlap(
            organizations, self.on, statuses=statuses, published_only=published_only
        )
        footnotes = Footnotes()
        rows = []
        for entry in result.members:
            cells = [footnotes.mark_all(entry.spells_in(o)) for o in organizations]
            rows.append((entry, _member_href(entry.member), cells))
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


class PersonDetailView(AtlasPageMixin, TemplateView):
    template_name = "orgs/person_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        people = Person.objects.all() if not self.published_only else Person.objects.published()
        try:
            person = people.get(slug=self.kwargs["slug"])
        except Person.DoesNotExist:
            raise Http404("No such person.") from None
        footnotes = Footnotes()
        quotes = footnotes.mark_all(
            list(selectors.quotes(speaker=person, published_only=self.published_only))
        )
        proposed = person.proposed_organizations.order_by("name")
        if self.published_only:
            proposed = proposed.published()
        context.update(
            person=person,
            quotes=quotes,
            proposed=list(proposed),
            roles=list(dict.fromkeys(q.speaker_role for q in quotes if q.speaker_role)),
            footnotes=footnotes.notes,
        )
        return context


class SourceListView(AtlasPageMixin, TemplateView):
    template_name = "orgs/source_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = paginate(
            self.request, selectors.sources_with_counts(published_only=self.published_only)
        )
        context.update(sources=page.object_list, page_obj=page)
        return context


class SourceDetailView(AtlasPageMixin, TemplateView):
    template_name = "orgs/source_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        sources = Source.objects.all() if not self.published_only else Source.objects.published()
        try:
            source = sources.get(pk=self.kwargs["pk"])
        except Source.DoesNotExist:
            raise Http404("No such source.") from None
        groups = selectors.source_claims(source, published_only=self.published_only)
        context.update(
            source=source,
            groups=groups,
            claim_count=sum(len(citations) for _, citations in groups),
        )
        return context


class QuoteListView(AtlasPageMixin, TemplateView):
    template_name = "orgs/quote_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        published_only = self.published_only
        people = Person.objects.filter(quotes__isnull=False).distinct().order_by("name")
        organizations = Organization.objects.order_by("name")
        countries = Country.objects.filter(quotes_about__isnull=False).distinct().order_by("name")
        if published_only:
            people, organizations, countries = (
                people.published(),
                organizations.published(),
                countries.published(),
            )
        people, organizations, countries = list(people), list(organizations), list(countries)
        params = self.request.GET
        filters = {}
        for parameter, options, key in (
            ("speaker", people, "slug"),
            ("organization", organizations, "slug"),
            ("country", countries, "iso2"),
        ):
            value = (params.get(parameter) or "").strip()
            if not value:
                continue
            match = next(
                (o for o in options if getattr(o, key).lower() == value.lower()),
                None,
            )
            if match is None:
                raise ParameterError(parameter, f"nothing called “{value[:40]}” has quotes here.")
            filters[parameter] = match
        footnotes = Footnotes()
        page = paginate(self.request, selectors.quotes(published_only=published_only, **filters))
        quotes = footnotes.mark_all(list(page.object_list))
        context.update(
            page_obj=page,
            quotes=quotes,
            people=people,
            organizations=organizations,
            countries=countries,
            selected={
                name: (params.get(name) or "").strip().lower()
                for name in ("speaker", "organization", "country")
            },
            filters=filters,
            footnotes=footnotes.notes,
        )
        return context


class SearchView(AtlasPageMixin, TemplateView):
    template_name = "orgs/search.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.get("q", "")
        context["results"] = selectors.search(query, published_only=self.published_only)
        return context


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
            raise ParameterError("since", "the start of the period is after its end (until).")
        changes = selectors.changes_between_with_agreements(
            since, until, published_only=self.published_only
        )
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


# --- agreements, events, proposals -------------------------------------------------------------


def _pick(options, value: str, key, parameter: str, what: str):
    """The option whose ``key(option)`` is ``value`` (any case), or a 400 naming the parameter."""
    match = next((option for option in options if key(option).lower() == value.lower()), None)
    if match is None:
        raise ParameterError(parameter, f"no {what} is called “{value[:40]}”.")
    return match


def _party_code(party) -> str:
    return party.iso2.lower() if isinstance(party, Country) else party.slug


class AgreementListView(AtlasPageMixin, TemplateView):
    template_name = "orgs/agreement_list.html"
    time_travel = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        published_only = self.published_only
        organizations, countries = selectors.agreement_parties(published_only=published_only)
        party = (self.request.GET.get("party") or "").strip()
        chosen = None
        if party:
            chosen = _pick([*organizations, *countries], party, _party_code, "party", "party")
        agreements = selectors.agreements_for(
            self.on,
            organization=chosen if isinstance(chosen, Organization) else None,
            country=chosen if isinstance(chosen, Country) else None,
            published_only=published_only,
        )
        footnotes = Footnotes()
        footnotes.mark_all(agreement.current_stage for agreement in agreements)
        context.update(
            agreements=agreements,
            party_organizations=organizations,
            party_countries=countries,
            chosen_party=chosen,
            chosen_code=_party_code(chosen) if chosen else "",
            footnotes=footnotes.notes,
        )
        return context


class AgreementDetailView(AtlasPageMixin, TemplateView):
    template_name = "orgs/agreement_detail.html"
    time_travel = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        try:
            agreement = selectors.agreement_profile(
                self.kwargs["slug"], self.on, published_only=self.published_only
            )
        except Agreement.DoesNotExist:
            raise Http404("No such agreement.") from None
        footnotes = Footnotes()
        record_marks = footnotes.mark(agreement)
        footnotes.mark_all(agreement.stage_list)
        context.update(
            agreement=agreement,
            record_marks=record_marks,
            footnotes=footnotes.notes,
            stage_chart=charts.stage_timeline(
                agreement.stage_list,
                on=self.on,
                title=f"Stages of the {agreement.title} on a time axis, "
                f"as of {self.on.strftime('%-d %B %Y')}",
            ),
        )
        return context


class EventListView(AtlasPageMixin, TemplateView):
    template_name = "orgs/event_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        published_only = self.published_only
        params = self.request.GET
        organizations, countries, people = selectors.event_participants(
            published_only=published_only
        )
        filters = {}
        organization = (params.get("organization") or "").strip()
        if organization:
            filters["organization"] = _pick(
                organizations, organization, lambda o: o.slug, "organization", "organization"
            )
        participant = (params.get("participant") or "").strip()
        if participant:
            chosen = _pick(
                [*countries, *people, *organizations],
                participant,
                lambda p: p.iso2.lower() if isinstance(p, Country) else p.slug,
                "participant",
                "participant",
            )
            name = {Country: "country", Person: "person", Organization: "organization"}[
                type(chosen)
            ]
            if name in filters and filters[name] != chosen:
                raise ParameterError(
                    "participant", "give one organization, either as organizer or participant."
                )
            filters[name] = chosen
        start_after = parse_date(params.get("from"), "from")
        start_before = parse_date(params.get("until"), "until")
        if start_after and start_before and start_after > start_before:
            raise ParameterError("from", "the start of the period is after its end (until).")
        footnotes = Footnotes()
        events = footnotes.mark_all(
            selectors.events_for(
                start_after=start_after,
                start_before=start_before,
                published_only=published_only,
                **filters,
            )
        )
        context.update(
            events=events,
            organizations=organizations,
            countries=countries,
            people=people,
            selected={
                "organization": organization.lower(),
                "participant": participant.lower(),
                "from": start_after,
                "until": start_before,
            },
            filtered=bool(filters or start_after or start_before),
            footnotes=footnotes.notes,
        )
        return context


class EventDetailView(AtlasPageMixin, TemplateView):
    template_name = "orgs/event_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        try:
            event = selectors.event_profile(self.kwargs["slug"], published_only=self.published_only)
        except Event.DoesNotExist:
            raise Http404("No such event.") from None
        footnotes = Footnotes()
        record_marks = footnotes.mark(event)
        participants = footnotes.mark_all(list(event.participants.all()))
        quotes = footnotes.mark_all(event.quote_list)
        context.update(
            event=event,
            record_marks=record_marks,
            participants=participants,
            quotes=quotes,
            footnotes=footnotes.notes,
        )
        return context


class ProposalListView(AtlasPageMixin, TemplateView):
    template_name = "orgs/proposal_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        footnotes = Footnotes()
        organizations = selectors.proposed_organizations(published_only=self.published_only)
        for organization in organizations:
            organization.marks = footnotes.mark(organization, "proposed_by")
        proposals = footnotes.mark_all(selectors.proposals_for(published_only=self.published_only))
        context.update(
            proposed_organizations=organizations,
            proposals=proposals,
            footnotes=footnotes.notes,
        )
        return context
