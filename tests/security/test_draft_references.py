"""A draft is never named to the public: not through a published record that points at it (a
parent, an agreement party, a quote's organization, a proposal), not through a citation of a
draft claim, not through a filter by its slug."""

import pytest
from django.test import Client

from orgs.models import (
    Agreement,
    AgreementParty,
    Citation,
    Event,
    Membership,
    Organization,
    Proposal,
    Quote,
)

SECRET_NAME = "Secret Draft Alliance"
SECRET_SLUG = "secret-draft-alliance"
SECRET_EXCERPT = "An excerpt only a draft claim cites"

LISTS = [
    "/api/v1/organizations/",
    "/api/v1/countries/",
    "/api/v1/memberships/",
    "/api/v1/applications/",
    "/api/v1/people/",
    "/api/v1/sources/",
    "/api/v1/quotes/",
    "/api/v1/citations/",
    "/api/v1/agreements/",
    "/api/v1/agreement-stages/",
    "/api/v1/agreement-parties/",
    "/api/v1/events/",
    "/api/v1/event-participants/",
    "/api/v1/proposals/",
]


@pytest.fixture
def secret(seed):
    """A draft organization that published records point at, and a draft spell citing a
    published source."""
    draft = Organization.objects.create(name=SECRET_NAME, slug=SECRET_SLUG, is_published=False)
    brics_plus = Organization.objects.get(slug="brics")
    Organization.objects.filter(pk=brics_plus.pk).update(parent=draft)
    agreement = Agreement.objects.filter(is_published=True).first()
    AgreementParty.objects.create(agreement=agreement, organization=draft)
    Quote.objects.filter(pk=Quote.objects.filter(is_published=True).first().pk).update(
        speaker_organization=draft
    )
    Proposal.objects.filter(pk=Proposal.objects.filter(is_published=True).first().pk).update(
        organization=draft
    )
    spell = Membership.objects.filter(is_published=True).first()
    draft_spell = Membership.objects.create(
        organization=draft,
        member_country=spell.member_country,
        status="member",
        start=spell.start,
        is_published=False,
    )
    Citation.objects.create(
        claim=draft_spell, source=spell.citations.first().source, excerpt=SECRET_EXCERPT
    )
    return draft


def details(client, listing: str) -> list[str]:
    body = client.get(listing + "?page_size=500").json()
    return [row["url"] for row in body["results"] if "url" in row][:400]


def test_no_list_names_a_draft_or_shows_a_draft_claims_citation(secret):
    client = Client()
    for listing in LISTS:
        for answer in [client.get(listing + "?page_size=500"), client.get(listing + "?format=csv")]:
            assert answer.status_code == 200, listing
            text = answer.content.decode()
            assert SECRET_NAME not in text, listing
            assert SECRET_SLUG not in text, listing
            assert SECRET_EXCERPT not in text, listing


@pytest.mark.parametrize(
    "listing",
    ["/api/v1/organizations/", "/api/v1/quotes/", "/api/v1/agreements/", "/api/v1/proposals/"],
)
def test_no_detail_names_a_draft(secret, listing):
    client = Client()
    for url in details(client, listing):
        text = client.get(url).content.decode()
        assert SECRET_NAME not in text, url
        assert SECRET_SLUG not in text, url


@pytest.mark.parametrize(
    "listing",
    [
        "/api/v1/memberships/?organization={}",
        "/api/v1/events/?organization={}",
        "/api/v1/agreements/?party={}",
        "/api/v1/quotes/?organization={}",
    ],
)
def test_a_filter_by_a_draft_slug_answers_as_for_an_unknown_slug(secret, listing):
    client = Client()
    draft = client.get(listing.format(SECRET_SLUG))
    unknown = client.get(listing.format("no-such-organization"))
    assert draft.status_code == unknown.status_code
    assert draft.content.decode().replace(SECRET_SLUG, "no-such-organization") == (
        unknown.content.decode()
    )


def test_staff_previewing_see_the_draft_named(secret, admin_client):
    text = admin_client.get("/api/v1/organizations/brics/?drafts=1").content.decode()
    assert SECRET_NAME in text
    assert Event.objects.exists()
