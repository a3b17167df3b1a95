"""One maker per model: each saves a valid record, published unless told otherwise.

Makers take what identifies a record positionally and any other field by keyword, check the
record with ``full_clean()`` as the admin and the API do, and save it. Partial dates are text:
``"2024"``, ``"2024-07"``, ``"2024-07-04"`` or ``"≤2024-07-04"`` (on or before).

Records a reader takes as facts cannot be published without a source (spells, applications,
quotes, agreement stages): their makers add a citation unless ``cite=False``.
"""

from __future__ import annotations

import itertools
import re
from io import StringIO

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils.text import slugify
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from orgs.models import (
    Agreement,
    AgreementParty,
    AgreementStage,
    Application,
    Citation,
    Country,
    Event,
    EventParticipant,
    Membership,
    Organization,
    Person,
    Proposal,
    Quote,
    Source,
)

_counter = itertools.count(1)


def _save(record, **partial_dates):
    """Set partial dates given as text (``start="2024-07"``), check the record, save it."""
    for name, text in partial_dates.items():
        setattr(record, f"{name}_partial", text or None)
    record.full_clean()
    record.save()
    return record


def _member_fields(prefix: str, member) -> dict:
    """``{prefix}_country`` or ``{prefix}_organization`` for a Country or an Organization."""
    kind = "country" if isinstance(member, Country) else "organization"
    return {f"{prefix}_{kind}" if prefix else kind: member}


def _cite(record, cite: bool):
    if cite:
        make_citation(record, make_source(f"Source for {record._meta.model_name} {record.pk}"))


# --- places and people -------------------------------------------------------------------


def make_country(iso2="BY", iso3="BLR", name="Belarus", **fields) -> Country:
    fields.setdefault("is_published", True)
    return _save(Country(iso2=iso2, iso3=iso3, name=name, **fields))


def make_person(name="Kassym-Jomart Tokayev", slug=None, **fields) -> Person:
    fields.setdefault("is_published", True)
    return _save(Person(name=name, slug=slug or slugify(name), **fields))


# --- sources and citations ---------------------------------------------------------------


def make_source(title="A source", **fields) -> Source:
    fields.setdefault("is_published", True)
    return _save(Source(title=title, **fields))


def make_citation(claim, source=None, **fields) -> Citation:
    """A citation of ``claim`` (any cited record; ``claim_field=`` for one of its facts)."""
    citation = Citation(claim=claim, source=source or make_source(), **fields)
    return _save(citation)


# --- organizations, memberships and applications -----------------------------------------


def make_organization(slug=None, name=None, **fields) -> Organization:
    number = next(_counter)
    fields.setdefault("is_published", True)
    organization = Organization(
        slug=slug or f"org-{number}", name=name or f"Organization {number}", **fields
    )
    return _save(organization)


def make_membership(
    organization, member, start, end=None, *, status="member", cite=True, **fields
) -> Membership:
    """A spell of ``member`` (a Country or an Organization) in ``organization``."""
    fields.setdefault("is_published", True)
    spell = Membership(
        organization=organization, status=status, **_member_fields("member", member), **fields
    )
    _save(spell, start=start, end=end)
    _cite(spell, cite)
    return spell


def make_application(
    organization, applicant, filed_on=None, *, requested_status="member", cite=True, **fields
) -> Application:
    """An application (or invitation, ``kind=``) of a Country or an Organization."""
    fields.setdefault("is_published", True)
    decided_on = fields.pop("decided_on", None)
    application = Application(
        organization=organization,
        requested_status=requested_status,
        **_member_fields("applicant", applicant),
        **fields,
    )
    _save(application, filed_on=filed_on, decided_on=decided_on)
    _cite(application, cite)
    return application


# --- agreements --------------------------------------------------------------------------


def make_agreement(slug="eaeu-mongolia", title=None, **fields) -> Agreement:
    fields.setdefault("is_published", True)
    return _save(Agreement(slug=slug, title=title or slug.replace("-", " ").title(), **fields))


def make_agreement_party(agreement, party) -> AgreementParty:
    """``party`` is a Country or an Organization."""
    return _save(AgreementParty(agreement=agreement, **_member_fields("", party)))


def make_agreement_stage(agreement, stage, date, *, cite=True, **fields) -> AgreementStage:
    """A stage (``"signed"``…) the agreement reached on ``date``."""
    fields.setdefault("is_published", True)
    record = _save(AgreementStage(agreement=agreement, stage=stage, **fields), date=date)
    _cite(record, cite)
    return record


# --- events, quotes and proposals --------------------------------------------------------


def make_event(slug="kazan-summit", start="2024-10-22", end=None, **fields) -> Event:
    fields.setdefault("is_published", True)
    fields.setdefault("name", slug.replace("-", " ").title())
    organizers = fields.pop("organizers", [])
    event = _save(Event(slug=slug, **fields), start=start, end=end)
    event.organizers.set(organizers)
    return event


def make_event_participant(event, participant, role="", **fields) -> EventParticipant:
    """``participant`` is a Person, a Country or an Organization."""
    kind = {Person: "person", Country: "country", Organization: "organization"}
    return _save(
        EventParticipant(event=event, role=role, **{kind[type(participant)]: participant}, **fields)
    )


def make_quote(text="Words as the source gives them.", speaker=None, *, cite=True, **fields):
    """A quote of ``speaker`` (a Person; or ``speaker_organization=`` for an institution)."""
    fields.setdefault("is_published", True)
    if speaker is None and "speaker_organization" not in fields:
        speaker = make_person()
    said_on = fields.pop("said_on", None)
    about_organizations = fields.pop("about_organizations", [])
    about_countries = fields.pop("about_countries", [])
    quote = _save(Quote(text=text, speaker=speaker, **fields), said_on=said_on)
    quote.about_organizations.set(about_organizations)
    quote.about_countries.set(about_countries)
    _cite(quote, cite)
    return quote


def make_proposal(slug="cis-plus", title=None, **fields) -> Proposal:
    """A proposal, by ``proposed_by_person=`` or ``proposed_by_organization=`` (or neither)."""
    fields.setdefault("is_published", True)
    proposed_on = fields.pop("proposed_on", None)
    countries = fields.pop("proposed_by_countries", [])
    proposal = Proposal(slug=slug, title=title or slug.replace("-", " ").title(), **fields)
    _save(proposal, proposed_on=proposed_on)
    proposal.proposed_by_countries.set(countries)
    return proposal


# --- drafts, people who edit, and their clients ------------------------------------------


def as_draft(record):
    """Turn a made record back into a draft: the editorial workflow starts from drafts."""
    type(record).objects.filter(pk=record.pk).update(is_published=False)
    record.refresh_from_db()
    return record


def make_staff(group: str, username: str):
    """A staff account in one of the groups a migration creates (``Editor``, ``Reviewer``)."""
    user = get_user_model().objects.create_user(username, is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


def make_user(group: str, username: str | None = None):
    """(user, password) of an account made the way the README says, with ``create_editor``."""
    username = username or group.lower()
    out = StringIO()
    call_command("create_editor", username=username, group=group, stdout=out)
    password = re.search(r"Password: (\S+)", out.getvalue())[1]
    return get_user_model().objects.get(username=username), password


def token_client(user) -> APIClient:
    """An API client that sends ``user``'s token."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client
