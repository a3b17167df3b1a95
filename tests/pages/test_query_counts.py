"""Every public page runs a fixed number of queries: the same maximum on a tiny atlas and on
the seed data set."""

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from orgs.models import Application, Citation, Person, Quote, Source
from orgs.services.member_counts import refresh_member_counts
from tests.makers import make_country, make_membership, make_organization, make_source

pytestmark = pytest.mark.django_db


def make_small_atlas():
    sco = make_organization("sco", "Shanghai Cooperation Organisation", acronym="SCO")
    brics = make_organization("brics", "BRICS", acronym="BRICS")
    belarus = make_country()
    russia = make_country("RU", "RUS", "Russia")
    make_membership(sco, belarus, "2015-07", "2024-07-04", status="observer")
    make_membership(sco, belarus, "2024-07-04")
    make_membership(sco, russia, "2001-06-15")
    make_membership(brics, russia, "2006")
    person = Person.objects.create(
        name="Kassym-Jomart Tokayev", slug="kassym-jomart-tokayev", is_published=True
    )
    quote = Quote.objects.create(text="Words", speaker=person, is_published=True)
    quote.about_organizations.add(sco)
    Citation.objects.create(claim=quote, source=make_source("Quote source"))
    application = Application.objects.create(
        organization=brics, applicant_country=belarus, requested_status="partner", is_published=True
    )
    Citation.objects.create(claim=application, source=make_source("Application source"))


@pytest.fixture
def small_atlas(django_capture_on_commit_callbacks):
    # As committed: the member counts summary is refreshed once the spells' saves commit.
    with django_capture_on_commit_callbacks(execute=True):
        make_small_atlas()


@pytest.fixture(autouse=True)
def warm_content_types():
    # Content types are cached per process after the first request; warm the cache as a
    # running server would have it, so only the page's own queries are counted.
    ContentType.objects.get_for_models(*apps.get_app_config("orgs").get_models())


PAGES = [
    # The organizations with no member today say what the atlas records of them: their events,
    # the events they took part in, their members before (three queries; issue 14). The cards
    # are paged: the page's organizations are read first, then counted (one query more).
    ("/", 17),
    ("/organizations/", 1),
    # The organizations it succeeded (the Shanghai Five) are one query more (issue 14).
    ("/organizations/sco/", 27),
    ("/organizations/sco/?as_of=2023-01-01", 27),
    ("/countries/", 2),
    # Belarus's BRICS invitation (issue 14) brings its application's citations: one query more.
    ("/countries/by/", 19),
    ("/compare/?organizations=sco,brics&as_of=2025-07-01", 4),
    ("/people/kassym-jomart-tokayev/", 6),
    ("/sources/", 2),  # the page, and the count for the pager
    # One query per kind of citable record, whatever the number of claims.
    ("/sources/{source}/", 13),
    ("/quotes/", 8),
    # The filter checks that the slug names a published organization (an unknown one is a 400).
    ("/quotes/?organization=sco", 9),
    # Ranked search: a light scan of names and codes per kind, then the records it ranked first.
    ("/search/?q=ШОС", 7),
    ("/changes/?since=2000-01-01", 10),
    ("/changes.atom", 10),
    ("/agreements/", 8),
    ("/events/", 8),
    ("/proposals/", 5),
]


def on_this_database(url: str, maximum: int) -> int:
    """The maximum on the database the tests run on: on PostgreSQL the search also looks for
    near misses (trigram similarity) among organizations and among countries when it ranked
    fewer than a page of either, one query each at most."""
    if url.startswith("/search/") and connection.vendor == "postgresql":
        return maximum + 2
    return maximum


def get_counted(client, url, maximum, django_assert_max_num_queries):
    source = Source.objects.filter(citations__isnull=False).order_by("pk").first()
    with django_assert_max_num_queries(on_this_database(url, maximum)):
        response = client.get(url.format(source=source.pk))
    assert response.status_code == 200


@pytest.mark.parametrize(("url", "maximum"), PAGES)
def test_each_page_runs_at_most_its_queries_on_a_tiny_atlas(
    client, small_atlas, url, maximum, django_assert_max_num_queries
):
    get_counted(client, url, maximum, django_assert_max_num_queries)


@pytest.mark.parametrize(("url", "maximum"), PAGES)
def test_each_page_runs_at_most_the_same_queries_on_the_seed(
    client, seed, url, maximum, django_assert_max_num_queries
):
    refresh_member_counts()  # as loading the seed leaves it (the summary is counted at commit)
    get_counted(client, url, maximum, django_assert_max_num_queries)
