"""Drafts never leak: not through pages, the API (list, detail, CSV), search, the Atom feed or
error messages; a draft's address answers exactly like an address that does not exist
(issue 8)."""

import pytest
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from orgs.models import Citation, Quote
from tests.makers import make_country, make_membership, make_organization, make_source

pytestmark = pytest.mark.django_db

SECRET = "Secretdraft"
# What the drafts say; a page may echo the search words or the address, never these.
SECRETS = [
    f"{SECRET} Union",
    f"{SECRET} Kazakhstan",
    f"{SECRET} spell note",
    f"{SECRET} source title",
    f"{SECRET} quote words",
]


def assert_no_draft(body: str):
    for secret in SECRETS:
        assert secret.lower() not in body.lower(), secret


def unpublish(record):
    type(record).objects.filter(pk=record.pk).update(is_published=False)
    record.is_published = False
    return record


@pytest.fixture
def atlas():
    sco = make_organization("sco", acronym="SCO", name="Shanghai Cooperation Organisation")
    brics = make_organization("brics", acronym="BRICS")
    belarus = make_country()
    make_membership(sco, belarus, "2024-07-04")
    draft_org = unpublish(
        make_organization("secretdraft-org", name=f"{SECRET} Union", acronym="SDU")
    )
    draft_country = unpublish(make_country("KZ", "KAZ", f"{SECRET} Kazakhstan"))
    draft_spell = unpublish(
        make_membership(brics, belarus, "2025-01-01", note=f"{SECRET} spell note")
    )
    # A published spell of a draft country: the country's name must not show through it.
    draft_spell_of_draft_country = make_membership(sco, draft_country, "2024-07-04")
    draft_source = unpublish(make_source(f"{SECRET} source title"))
    quote = Quote.objects.create(
        text=f"{SECRET} quote words", speaker_organization=sco, is_published=False
    )
    quote.about_organizations.add(sco)
    # A published spell cited by a draft source: the spell shows, the source does not.
    cited = make_membership(sco, make_country("CN", "CHN", "China"), "2001-06-15", cite=False)
    Citation.objects.create(claim=cited, source=draft_source)
    return {
        "org": draft_org,
        "country": draft_country,
        "spell": draft_spell,
        "spell_of_draft_country": draft_spell_of_draft_country,
        "source": draft_source,
        "quote": quote,
    }


PUBLIC_PAGES = [
    "/",
    "/organizations/",
    "/organizations/sco/",
    "/organizations/brics/",
    "/countries/",
    "/countries/by/",
    "/countries/cn/",
    "/compare/?organizations=sco,brics",
    "/sources/",
    "/quotes/",
    "/changes/",
    "/changes.atom",
    f"/search/?q={SECRET}",
    "/search/?q=SDU",
    "/search/?q=Kazakhstan",
]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_no_public_page_shows_a_draft(client, atlas, path):
    response = client.get(path)
    assert response.status_code == 200
    assert_no_draft(response.content.decode())


API_LISTS = [
    "/api/v1/organizations/",
    "/api/v1/countries/",
    "/api/v1/memberships/",
    "/api/v1/memberships/?member=kz",
    "/api/v1/memberships/?organization=secretdraft-org",
    "/api/v1/sources/",
    "/api/v1/quotes/",
    "/api/v1/citations/",
    "/api/v1/applications/",
]


@pytest.mark.parametrize("suffix", ["", "format=csv", "drafts=1", "format=csv&drafts=1"])
@pytest.mark.parametrize("path", API_LISTS)
def test_no_api_list_or_csv_shows_a_draft(client, atlas, path, suffix):
    separator = "&" if "?" in path else "?"
    response = client.get(f"{path}{separator}{suffix}" if suffix else path)
    assert response.status_code in (200, 400)
    body = response.content.decode()
    assert_no_draft(body)
    # The draft's slug may come back only as the caller typed it, in the refusal an unknown slug
    # gets too: the answer is the unknown slug's, word for word.
    unknown = client.get(
        (f"{path}{separator}{suffix}" if suffix else path).replace("secretdraft-org", "nosuchorgxx")
    )
    assert body.replace("secretdraft-org", "X") == unknown.content.decode().replace(
        "nosuchorgxx", "X"
    )


@pytest.fixture
def reader_api():
    """A signed-in API user who is not staff: drafts=1 must not open drafts to them."""
    user = get_user_model().objects.create_user("reader")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


@pytest.mark.parametrize("path", API_LISTS)
def test_a_signed_in_non_staff_user_sees_no_drafts(reader_api, atlas, path):
    separator = "&" if "?" in path else "?"
    response = reader_api.get(f"{path}{separator}drafts=1")
    assert_no_draft(response.content.decode())


def draft_addresses(atlas):
    return {
        "page-organization": ("/organizations/secretdraft-org/", "/organizations/no-such-org/"),
        "page-country": ("/countries/kz/", "/countries/zz/"),
        "page-source": (f"/sources/{atlas['source'].pk}/", "/sources/999999/"),
        "api-organization": (
            "/api/v1/organizations/secretdraft-org/",
            "/api/v1/organizations/no-such-org/",
        ),
        "api-country": ("/api/v1/countries/kz/", "/api/v1/countries/zz/"),
        "api-spell": (f"/api/v1/memberships/{atlas['spell'].pk}/", "/api/v1/memberships/999999/"),
        "api-source": (f"/api/v1/sources/{atlas['source'].pk}/", "/api/v1/sources/999999/"),
        "api-quote": (f"/api/v1/quotes/{atlas['quote'].pk}/", "/api/v1/quotes/999999/"),
        "api-csv-spell": (
            f"/api/v1/memberships/{atlas['spell'].pk}/?format=csv",
            "/api/v1/memberships/999999/?format=csv",
        ),
    }


@pytest.mark.parametrize(
    "kind",
    [
        "page-organization",
        "page-country",
        "page-source",
        "api-organization",
        "api-country",
        "api-spell",
        "api-source",
        "api-quote",
        "api-csv-spell",
    ],
)
def test_a_draft_answers_404_exactly_like_a_missing_record(client, atlas, kind):
    draft_path, missing_path = draft_addresses(atlas)[kind]
    draft = client.get(draft_path)
    missing = client.get(missing_path)
    assert draft.status_code == missing.status_code == 404
    assert_no_draft(draft.content.decode())
    # Same words, apart from the address itself.
    normalise = lambda response, path: response.content.decode().replace(path, "PATH")  # noqa: E731
    if kind.startswith("api"):
        assert draft.content == missing.content
    else:
        assert len(normalise(draft, draft_path)) == pytest.approx(
            len(normalise(missing, missing_path)), abs=40
        )


def test_the_overlap_api_refuses_a_draft_like_an_unknown_slug(client, atlas):
    draft = client.get("/api/v1/overlap/?organizations=sco,secretdraft-org")
    missing = client.get("/api/v1/overlap/?organizations=sco,nosuchorgxx")
    assert draft.status_code == missing.status_code == 400
    assert draft.content.decode().replace("secretdraft-org", "X") == (
        missing.content.decode().replace("nosuchorgxx", "X")
    )


def test_the_compare_page_refuses_a_draft_like_an_unknown_slug(client, atlas):
    draft = client.get("/compare/?organizations=sco,secretdraft-org")
    missing = client.get("/compare/?organizations=sco,nosuchorgxx")
    assert draft.status_code == missing.status_code
    assert_no_draft(draft.content.decode())


def test_anonymous_drafts_1_opens_nothing(client, atlas):
    for path in ["/organizations/secretdraft-org/?drafts=1", "/countries/kz/?drafts=1"]:
        assert client.get(path).status_code == 404
    assert_no_draft(client.get("/organizations/?drafts=1").content.decode())


def test_staff_preview_does_show_drafts(client, atlas):
    """The marker is really in the data: staff asking for drafts see it."""
    staff = get_user_model().objects.create_user("staff", is_staff=True)
    client.force_login(staff)
    assert client.get("/organizations/secretdraft-org/?drafts=1").status_code == 200
    api = client.get("/api/v1/sources/?drafts=1").content.decode()
    assert SECRET in api


@pytest.mark.parametrize(
    "path",
    ["/organizations/?drafts=1", "/api/v1/sources/?drafts=1", "/search/?q=Secretdraft&drafts=1"],
)
def test_a_staff_preview_is_never_served_to_the_public_from_a_cache(client, atlas, path):
    staff = get_user_model().objects.create_user("staff", is_staff=True)
    client.force_login(staff)
    client.get(path)
    client.logout()
    assert_no_draft(client.get(path).content.decode())
