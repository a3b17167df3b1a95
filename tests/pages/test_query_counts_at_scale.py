"""Every public page and API list runs a fixed number of queries whatever the data size.

The same maximum is pinned on a small generated atlas (scale 0.005) and on one 20× larger
(scale 0.1), both loaded beside the seed data. A count that grows with the data is an N+1.

Each scale is loaded once per module: ``atlas`` is a module-scoped fixture that writes the
rows inside a transaction and rolls it back at the end; every test runs in a savepoint inside
it (pytest-django's ``db``), so a test's own writes are undone as usual.
"""

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Count, Q
from rest_framework.test import APIClient

from orgs.models import Person, Source
from tests.pages.test_query_counts import on_this_database
from tests.seed.test_generate_atlas import generate_beside_the_seed

pytestmark = pytest.mark.slow

SMALL, LARGE = 0.005, 0.1  # 20×

# URL → the most queries it may run at either scale (the count measured at the larger scale).
# ``{person}`` and ``{source}`` are the generated person and source with the most claims.
PAGES = [
    # Three for what the organizations with no member today record (issue 14); one for the
    # keys of the organizations the page of cards is cut from.
    ("/", 17),
    ("/organizations/", 1),
    # One for the organizations it succeeded (issue 14).
    ("/organizations/sco/", 27),
    ("/organizations/org-00001/", 22),
    ("/countries/", 2),
    # 19 on the small atlas: no quote there is about Belarus, so the quotes' three prefetches
    # (citations, organizations and countries they are about) are skipped. Bounded, not an N+1.
    ("/countries/by/", 22),
    ("/compare/?organizations=sco,brics,eaeu", 4),
    ("/compare/?organizations=org-00001,org-00002,org-00003", 4),
    ("/quotes/", 8),
    ("/sources/", 2),  # the page, and the count for the pager
    ("/sources/1/", 11),
    # One query per kind of record that cites it: the generated source is cited by fewer kinds.
    ("/sources/{source}/", 5),
    ("/search/?q=org", 8),  # ranked search: names scanned per kind, then the records
    ("/changes/?since=2020-01-01", 10),
    # The agreements' citations and their stages' citations: one query each.
    ("/agreements/", 8),
    ("/events/", 7),
    ("/changes.atom", 10),
    ("/people/kassym-jomart-tokayev/", 6),
    ("/people/{person}/", 6),
]

# Each API answer also reads, once, when the atlas last changed (its Last-Modified header; cached
# per atlas version in production, read here because the cache was emptied for the test).
API_LISTS = [
    ("/api/v1/organizations/", 5),  # and the organizations each succeeded (issue 14)
    ("/api/v1/countries/", 3),
    ("/api/v1/memberships/", 4),
    ("/api/v1/memberships/?page_size=500", 4),
    # And one that checks the organization's slug names a record (issue 13).
    ("/api/v1/memberships/?organization=org-00001&as_of=2025-07-01", 5),
    ("/api/v1/memberships/?organization=org-00001&format=csv", 4),
    ("/api/v1/applications/", 4),
    ("/api/v1/applications/?page_size=500", 4),
    ("/api/v1/people/", 3),
    ("/api/v1/sources/", 3),
    ("/api/v1/quotes/", 6),
    ("/api/v1/quotes/?page_size=500", 6),
    ("/api/v1/citations/", 3),
    ("/api/v1/citations/?page_size=500", 3),
    ("/api/v1/agreements/", 7),
    ("/api/v1/events/", 8),
    ("/api/v1/overlap/?organizations=sco,brics,eaeu", 5),
]


@pytest.fixture(scope="module", params=[SMALL, LARGE], ids=["small", "20x"])
def atlas(request, committed_seed, django_db_blocker):
    """The seed plus a generated atlas at this scale, generated once for the module."""
    with django_db_blocker.unblock(), transaction.atomic():
        generate_beside_the_seed(request.param)
        yield {"person": busiest_person(), "source": busiest_source()}
        transaction.set_rollback(True)


def busiest_person():
    """The generated person quoted most often."""
    return (
        Person.objects.filter(slug__startswith="person-", is_published=True)
        .annotate(quoted=Count("quotes", filter=Q(quotes__is_published=True)))
        .order_by("-quoted", "pk")
        .values_list("slug", flat=True)
        .first()
    )


def busiest_source():
    """The generated source cited most often (generated sources are all on example.org)."""
    return (
        Source.objects.filter(url__contains=".example.org/", is_published=True)
        .annotate(cited=Count("citations"))
        .order_by("-cited", "pk")
        .values_list("pk", flat=True)
        .first()
    )


@pytest.fixture
def counted(atlas, db, django_assert_max_num_queries):
    """Fetch a URL of the loaded atlas, allowing at most ``maximum`` queries."""

    # Content types are cached per process after the first request; warm the cache as a
    # running server would have it, so only the page's own queries are counted.
    ContentType.objects.get_for_models(*apps.get_app_config("orgs").get_models())

    def get(client, url, maximum):
        # ``fresh_cache`` emptied the page cache before this test: the request is a miss.
        with django_assert_max_num_queries(on_this_database(url, maximum)):
            response = client.get(url.format(**atlas))
        return response

    return get


@pytest.mark.parametrize(("url", "maximum"), PAGES)
def test_each_page_runs_the_same_queries_on_a_20x_larger_atlas(client, counted, url, maximum):
    response = counted(client, url, maximum)
    assert response.status_code == 200


@pytest.mark.parametrize(("url", "maximum"), API_LISTS)
def test_each_api_list_runs_the_same_queries_on_a_20x_larger_atlas(counted, url, maximum):
    response = counted(APIClient(), url, maximum)
    assert response.status_code == 200
