"""Events with their participants and the quotes said there, and proposals, through the API
(issue 6)."""

import csv
import io

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from orgs.models import Citation, Event, EventParticipant, Person, Proposal, Quote
from tests.makers import (
    make_country,
    make_event,
    make_organization,
    make_source,
    make_staff,
    token_client,
)

pytestmark = pytest.mark.django_db

KAZAN = "xvi-brics-summit-kazan-with-outreachbrics-meeting"


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def editor_api():
    return token_client(make_staff("Editor", "editor"))


def slugs(response) -> list[str]:
    assert response.status_code == 200, response.json()
    return [row["slug"] for row in response.json()["results"]]


def test_the_kazan_summit_is_found_by_belarus_with_lukashenkos_participation_cited(seed, api):
    response = api.get("/api/v1/events/", {"participant": "by"})
    assert slugs(response) == [KAZAN]
    [kazan] = response.json()["results"]
    lukashenko = next(p for p in kazan["participants"] if (p["country"] or {}).get("iso2") == "BY")
    assert lukashenko["person"]["slug"] == "alexander-lukashenko"
    assert lukashenko["role"] == "leader of a CIS country"
    assert lukashenko["citations"]
    assert lukashenko["citations"][0]["title"]
    assert {o["slug"] for o in kazan["organizers"]} == {"brics", "brics-plus"}
    assert kazan["start"]["display"] == "22 October 2024"
    assert kazan["end"]["display"] == "24 October 2024"
    assert kazan["citations"]


def test_events_by_participant_person_organization_and_alpha_3(seed, api):
    assert slugs(api.get("/api/v1/events/", {"participant": "alexander-lukashenko"})) == [KAZAN]
    assert slugs(api.get("/api/v1/events/", {"participant": "BLR"})) == [KAZAN]
    assert KAZAN in slugs(api.get("/api/v1/events/", {"participant": "cis"}))
    unknown = api.get("/api/v1/events/", {"participant": "zz"})
    assert unknown.status_code == 400
    assert "zz" in unknown.json()["errors"]["participant"][0]


def test_events_by_organizer_date_range_kind_and_words(seed, api):
    brics = slugs(api.get("/api/v1/events/", {"organization": "brics"}))
    assert KAZAN in brics
    assert len(brics) == len(set(brics))
    in_october_2024 = slugs(
        api.get("/api/v1/events/", {"start_after": "2024-10-01", "start_before": "2024-10-31"})
    )
    assert KAZAN in in_october_2024
    assert all(
        slug in in_october_2024 for slug in slugs(api.get("/api/v1/events/", {"q": "Kazan"}))
    )
    assert "sco-astana-summit-belarus-admitted" not in in_october_2024
    summits = api.get("/api/v1/events/", {"kind": "summit", "page_size": 100}).json()["results"]
    assert summits
    assert all(row["kind"] == "summit" for row in summits)


def test_an_event_lists_the_quotes_said_there(api):
    event = make_event(end="2024-10-24")
    tokayev = Person.objects.create(slug="tokayev", name="Tokayev", is_published=True)
    said = Quote.objects.create(text="CIS Plus", speaker=tokayev, event=event, is_published=True)
    Quote.objects.create(text="A draft", speaker=tokayev, event=event, is_published=False)
    row = api.get(f"/api/v1/events/{event.slug}/").json()
    assert [quote["id"] for quote in row["quotes"]] == [said.pk]
    assert row["quotes"][0]["url"].endswith(f"/api/v1/quotes/{said.pk}/")


def test_draft_events_and_unpublished_participants_are_hidden(api):
    event = make_event(end="2024-10-24")
    hidden = make_country("KZ", "KAZ", "Kazakhstan")
    hidden.is_published = False
    hidden.save()
    EventParticipant.objects.create(event=event, country=hidden)
    assert api.get(f"/api/v1/events/{event.slug}/").json()["participants"] == []
    assert api.get("/api/v1/event-participants/").json()["count"] == 0
    event.is_published = False
    event.save()  # save(), not update(): the page cache is dropped on save signals
    assert api.get("/api/v1/events/").json()["count"] == 0
    api.force_authenticate(get_user_model().objects.create_user("staff", is_staff=True))
    [row] = api.get("/api/v1/events/", {"drafts": "1"}).json()["results"]
    assert row["participants"][0]["country"]["iso2"] == "KZ"


def test_events_answer_csv(seed, api):
    response = api.get("/api/v1/events/", {"participant": "by", "format": "csv"})
    [row] = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert row["slug"] == KAZAN
    assert row["start"] == "2024-10-22"
    assert row["start_precision"] == "day"
    assert row["participants_count"] == "6"


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/api/v1/events/?start_after=2024", "start_after"),
        ("/api/v1/events/?start_before=yesterday", "start_before"),
        ("/api/v1/events/?kind=party", "kind"),
        ("/api/v1/events/?ordering=bogus", "ordering"),
        ("/api/v1/events/?page=x", "page"),
    ],
)
def test_bad_parameters_answer_400_naming_the_parameter(api, url, parameter):
    response = api.get(url)
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [parameter]


# --- writes --------------------------------------------------------------------------------


def test_an_editor_creates_an_event_and_adds_a_cited_participant(editor_api):
    make_organization("brics", "BRICS")
    make_country()
    Person.objects.create(slug="alexander-lukashenko", name="Alexander Lukashenko")
    response = editor_api.post(
        "/api/v1/events/",
        {
            "slug": "kazan-summit",
            "name": "XVI BRICS summit",
            "start": "2024-10-22",
            "end": "2024-10-24",
            "place": "Kazan, Russia",
            "organizers": ["brics"],
        },
    )
    assert response.status_code == 201, response.json()
    assert [o["slug"] for o in response.json()["organizers"]] == ["brics"]
    added = editor_api.post(
        "/api/v1/event-participants/",
        {
            "event": "kazan-summit",
            "person": "alexander-lukashenko",
            "country": "by",
            "role": "head of delegation",
        },
    )
    assert added.status_code == 201, added.json()
    participant = EventParticipant.objects.get()
    cited = editor_api.post(
        "/api/v1/citations/",
        {
            "claim_type": "eventparticipant",
            "claim_id": participant.pk,
            "source": make_source("Kremlin").pk,
        },
    )
    assert cited.status_code == 201, cited.json()
    row = editor_api.get("/api/v1/events/kazan-summit/", {"drafts": "1"}).json()
    assert row["participants"][0]["name"] == "Alexander Lukashenko (Belarus)"
    assert row["participants"][0]["citations"][0]["title"] == "Kremlin"
    twice = editor_api.post(
        "/api/v1/event-participants/",
        {"event": "kazan-summit", "person": "alexander-lukashenko", "country": "BY"},
    )
    assert twice.status_code == 400
    assert "already listed as a participant" in twice.json()["errors"]["person"][0]
    nobody = editor_api.post("/api/v1/event-participants/", {"event": "kazan-summit"})
    assert nobody.status_code == 400
    assert "person" in nobody.json()["errors"]
    assert EventParticipant.objects.count() == 1


def test_an_event_ending_before_it_starts_is_refused_and_nothing_written(editor_api):
    response = editor_api.post(
        "/api/v1/events/",
        {"slug": "backwards", "name": "Backwards", "start": "2024-10-22", "end": "2024-10-20"},
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "end": ["The event cannot end (20 October 2024) before it starts (22 October 2024)."]
    }
    assert not Event.objects.exists()
    make_event(end="2024-10-24")
    patched = editor_api.patch("/api/v1/events/kazan-summit/", {"end": "2023"})
    assert patched.status_code == 400
    assert "cannot end" in patched.json()["errors"]["end"][0]
    assert Event.objects.get().end_partial.display == "24 October 2024"


def test_bad_events_answer_400_per_field(editor_api):
    response = editor_api.post(
        "/api/v1/events/",
        {"slug": "x", "name": "X", "start": "2024-02-30", "organizers": ["nowhere"]},
    )
    assert response.status_code == 400
    assert {"start", "organizers"} <= response.json()["errors"].keys()
    assert not Event.objects.exists()


# --- proposals -----------------------------------------------------------------------------


def test_cis_plus_was_proposed_by_tokayev(seed, api):
    rows = api.get("/api/v1/proposals/", {"proposer": "andrey-sazonov"}).json()["results"]
    assert all(row["proposed_by_person"]["slug"] == "andrey-sazonov" for row in rows)
    charter = api.get("/api/v1/proposals/", {"proposer": "by"}).json()["results"]
    assert [row["title"] for row in charter] == [
        "Eurasian Charter on (of) Diversity and Multipolarity in the 21st Century"
    ]
    assert {c["iso2"] for c in charter[0]["proposed_by_countries"]} == {"BY", "RU"}
    assert api.get("/api/v1/proposals/", {"proposer": "RUS"}).json()["count"] == 1
    by_organization = api.get("/api/v1/proposals/", {"organization": "cis"}).json()["results"]
    assert all(row["organization"]["slug"] == "cis" for row in by_organization)
    assert all(row["citations"] for row in api.get("/api/v1/proposals/").json()["results"])


def test_an_editor_writes_a_proposal(editor_api):
    make_organization("cis")
    make_country("KZ", "KAZ", "Kazakhstan")
    response = editor_api.post(
        "/api/v1/proposals/",
        {
            "slug": "cis-plus",
            "title": "CIS Plus",
            "proposed_by_countries": ["kz"],
            "proposed_on": "2024-10-08",
            "organization": "cis",
        },
    )
    assert response.status_code == 201, response.json()
    assert [c.iso2 for c in Proposal.objects.get().proposed_by_countries.all()] == ["KZ"]
    bad = editor_api.patch("/api/v1/proposals/cis-plus/", {"proposed_on": "2024-10-32"})
    assert bad.status_code == 400
    assert "proposed_on" in bad.json()["errors"]


# --- a fixed number of queries -------------------------------------------------------------


def make_many_events(count):
    brics = make_organization("brics")
    belarus = make_country()
    person = Person.objects.create(slug="someone", name="Someone", is_published=True)
    source = make_source("Shared")
    for number in range(count):
        event = make_event(f"event-{number}", end="2024-10-24")
        event.organizers.add(brics)
        Citation.objects.create(claim=event, source=source)
        participant = EventParticipant.objects.create(event=event, person=person, country=belarus)
        Citation.objects.create(claim=participant, source=source)
        Quote.objects.create(text="Words", speaker=person, event=event, is_published=True)
        proposal = Proposal.objects.create(
            slug=f"proposal-{number}", title="P", proposed_by_person=person, is_published=True
        )
        proposal.proposed_by_countries.add(belarus)
        Citation.objects.create(claim=proposal, source=source)


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/events/?page_size=100",
        "/api/v1/events/?participant=by&organization=brics&start_after=2020-01-01&page_size=100",
        "/api/v1/events/?format=csv",
        "/api/v1/event-participants/?page_size=100",
        "/api/v1/proposals/?proposer=by&page_size=100",
    ],
)
@pytest.mark.parametrize("rows", [3, 30])
def test_an_event_list_costs_the_same_queries_for_3_or_30_rows(
    api, django_assert_max_num_queries, url, rows
):
    make_many_events(rows)
    # +1 for the atlas's last change (Last-Modified), +1 for each slug or code checked.
    with django_assert_max_num_queries(10):
        response = api.get(url)
    assert response.status_code == 200
