"""Draft preview (issue 5): staff asking for ``?drafts=1`` see drafts, each marked, under a
banner; everyone else never sees a draft, whatever they ask for."""

import pytest
from django.contrib.auth import get_user_model

from orgs.models import Agreement, AgreementStage, Event, Membership, Proposal

pytestmark = pytest.mark.django_db

BANNER = "Draft preview: this page shows unpublished records"
MARK = "Draft — not public"


@pytest.fixture
def drafts(seed):
    """The seed with a few records turned back into drafts."""
    Membership.objects.filter(organization__slug="sco", member_country__iso2="BY", end=None).update(
        is_published=False
    )
    Agreement.objects.filter(slug="eaeu-tunisia").update(is_published=False)
    AgreementStage.objects.filter(agreement__slug="eaeu-mongolia", stage="signed").update(
        is_published=False
    )
    Event.objects.filter(slug="sco-astana-summit-belarus-admitted").update(is_published=False)
    Proposal.objects.filter(slug="unification-of-sco-and-brics-markets").update(is_published=False)


@pytest.fixture
def staff_client(client):
    client.force_login(get_user_model().objects.create_user("staff", is_staff=True))
    return client


PAGES = [
    ("/organizations/sco/?as_of=2025-07-01", "Belarus"),
    ("/countries/by/?as_of=2025-07-01", "SCO"),
    ("/agreements/?as_of=2025-07-01", "EAEU–Tunisia"),
    ("/agreements/eaeu-mongolia/?as_of=2025-07-01", "Signed"),
    ("/organizations/eaeu/?as_of=2025-07-01", "EAEU–Tunisia"),
    ("/events/", "SCO Astana summit — Belarus admitted"),
    ("/events/sco-astana-summit-belarus-admitted/", "SCO Astana summit — Belarus admitted"),
    ("/proposals/", "Unification of SCO and BRICS markets"),
    ("/search/?q=Tunisia", "EAEU–Tunisia"),
]


@pytest.mark.parametrize(("url", "draft_text"), PAGES)
def test_staff_see_drafts_marked_under_a_banner(staff_client, drafts, url, draft_text):
    separator = "&" if "?" in url else "?"
    response = staff_client.get(f"{url}{separator}drafts=1")
    html = response.content.decode()
    assert response.status_code == 200
    assert BANNER in html
    assert MARK in html
    assert draft_text in html


@pytest.mark.parametrize(("url", "draft_text"), PAGES)
def test_staff_without_drafts_1_see_the_public_page(staff_client, drafts, url, draft_text):
    response = staff_client.get(url)
    html = response.content.decode()
    assert BANNER not in html
    assert MARK not in html


@pytest.mark.parametrize("suffix", ["", "drafts=1"])
def test_anonymous_readers_never_see_drafts(client, drafts, suffix):
    def get(url):
        separator = "&" if "?" in url else "?"
        return client.get(f"{url}{separator}{suffix}" if suffix else url)

    for url, _ in PAGES:
        response = get(url)
        html = response.content.decode()
        assert BANNER not in html, url
        assert MARK not in html, url
    assert get("/agreements/eaeu-tunisia/").status_code == 404
    assert get("/events/sco-astana-summit-belarus-admitted/").status_code == 404
    assert "EAEU–Tunisia" not in get("/agreements/").content.decode()
    assert "EAEU–Tunisia" not in get("/organizations/eaeu/").content.decode()
    mongolia = get("/agreements/eaeu-mongolia/?as_of=2025-07-01").content.decode()
    assert "27 June 2025" not in mongolia
    assert "Unification of SCO and BRICS markets" not in get("/proposals/").content.decode()
    sco = get("/organizations/sco/?as_of=2025-07-01").content.decode()
    assert "Belarus</a> <span" not in sco.split('data-status="member"')[1].split("</ul>")[0]


def test_a_signed_in_reader_who_is_not_staff_sees_no_drafts(client, drafts):
    client.force_login(get_user_model().objects.create_user("reader"))
    html = client.get("/agreements/?drafts=1").content.decode()
    assert BANNER not in html
    assert "EAEU–Tunisia" not in html
