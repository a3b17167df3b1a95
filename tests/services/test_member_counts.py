"""The member counts summary: today's members of each organization by status, counted once by
the rule the pages count with live (``with_member_counts``), and read by the home page and the
list of organizations instead of counting every spell on each request."""

import datetime
from unittest import mock

import pytest
from django.core.cache import cache
from django.utils import timezone

from orgs.dates import PartialDate
from orgs.models import STATUS_ORDER, ChangeSet, MemberCount, Membership, Organization
from orgs.services import records_publish, review
from orgs.services.member_counts import (
    refresh_member_counts,
    stale_organization_ids,
    valid_until,
)
from tests.makers import (
    make_country,
    make_membership,
    make_organization,
    make_source,
    make_staff,
)
from tests.seed.test_generate_atlas import generate_beside_the_seed

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def live_counts(on=None) -> dict[str, dict[str, int]]:
    return {
        organization.slug: {s: getattr(organization, f"{s}_count") for s in STATUS_ORDER}
        for organization in Organization.objects.with_member_counts(on)
    }


def stored_counts() -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = {}
    for row in MemberCount.objects.select_related("organization"):
        counts.setdefault(row.organization.slug, {})[row.status] = row.count
    return counts


def shown(client, url: str) -> dict[str, dict[str, int]]:
    """The members by status each organization on the page is shown with, as rendered now
    (not a copy the page cache kept)."""
    cache.clear()
    response = client.get(url)
    assert response.status_code == 200
    return {
        organization.slug: {s: getattr(organization, f"{s}_count") for s in STATUS_ORDER}
        for organization in response.context["organizations"]
    }


def members(client, url: str, slug: str) -> int:
    return shown(client, url)[slug]["member"]


@pytest.fixture
def sco():
    sco = make_organization("sco", "Shanghai Cooperation Organisation", acronym="SCO")
    make_membership(sco, make_country("RU", "RUS", "Russia"), "2001-06-15")
    make_membership(sco, make_country("KZ", "KAZ", "Kazakhstan"), "2001-06-15")
    make_membership(sco, make_country("MN", "MNG", "Mongolia"), "2004", status="observer")
    return sco


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what waits for the commit (the recount), as the end of a request's transaction would."""

    def run(change, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return change(*args, **kwargs)

    return run


def test_the_summary_equals_the_live_count_of_every_organization_and_status_on_the_seed(
    seed, client
):
    assert refresh_member_counts() == Organization.objects.count()

    assert stored_counts() == live_counts()
    assert stale_organization_ids() == []
    live = live_counts()
    for url in ("/organizations/", "/"):
        for slug, counts in shown(client, url).items():
            assert counts == live[slug], (url, slug)


@pytest.mark.slow
def test_a_generated_atlas_ends_with_its_summary_counted(seed):
    generate_beside_the_seed(0.005)

    assert stale_organization_ids() == []
    assert stored_counts() == live_counts()


def test_pages_read_todays_counts_from_the_summary_and_other_days_live(sco, client):
    refresh_member_counts()
    # The summary is a cache of the live rule: what it holds is what today's pages show.
    MemberCount.objects.filter(organization=sco, status="member").update(count=99)

    assert members(client, "/organizations/", "sco") == 99
    assert members(client, "/", "sco") == 99
    assert members(client, f"/organizations/?as_of={TODAY.isoformat()}", "sco") == 99
    past = (TODAY - 365 * DAY).isoformat()
    assert members(client, f"/organizations/?as_of={past}", "sco") == 2
    assert members(client, f"/?as_of={past}", "sco") == 2


def test_an_organization_without_a_summary_is_counted_live(sco, client):
    MemberCount.objects.all().delete()

    assert shown(client, "/organizations/")["sco"] == live_counts()["sco"]
    assert members(client, "/", "sco") == 2


def test_ending_a_spell_shows_on_the_pages_at_once(sco, client, committed):
    refresh_member_counts()
    spell = Membership.objects.get(organization=sco, member_country__iso2="KZ")
    spell.end_partial = PartialDate.parse(TODAY.isoformat())  # left today

    committed(spell.save)

    assert members(client, "/organizations/", "sco") == 1
    assert members(client, "/", "sco") == 1
    assert stale_organization_ids() == []  # recounted after the commit
    assert stored_counts()["sco"] == live_counts()["sco"]


def test_a_count_is_not_read_inside_the_transaction_that_changed_it(sco, client):
    refresh_member_counts()
    # The commit has not happened yet (the recount waits for it): the rows are gone.
    make_membership(sco, make_country("UZ", "UZB", "Uzbekistan"), "2001-06-15")

    assert not MemberCount.objects.filter(organization=sco).exists()
    assert members(client, "/organizations/", "sco") == 3


def test_adding_and_deleting_a_member_show_on_the_pages_at_once(sco, client, committed):
    refresh_member_counts()
    uzbekistan = make_country("UZ", "UZB", "Uzbekistan")

    spell = committed(make_membership, sco, uzbekistan, "2001-06-15")
    assert members(client, "/organizations/", "sco") == 3
    assert members(client, "/", "sco") == 3

    committed(spell.delete)
    assert members(client, "/organizations/", "sco") == 2
    assert members(client, "/", "sco") == 2
    assert stored_counts()["sco"] == live_counts()["sco"]


def test_publishing_a_draft_spell_counts_it(sco, client, committed):
    reviewer = make_staff("Reviewer", "reviewer")
    india = make_country("IN", "IND", "India")
    draft = committed(make_membership, sco, india, "2017", is_published=False)
    assert members(client, "/organizations/", "sco") == 2

    committed(records_publish, user=reviewer, records=[draft])

    assert members(client, "/organizations/", "sco") == 3
    assert MemberCount.objects.get(organization=sco, status="member").count == 3


def test_a_change_waiting_for_review_does_not_change_the_count(sco, client, committed):
    refresh_member_counts()
    editor = make_staff("Editor", "editor")
    collector = review.ChangeCollector(user=editor, reason="left")
    spell = Membership.objects.get(organization=sco, member_country__iso2="KZ")
    spell.end_partial = PartialDate.parse((TODAY - 30 * DAY).isoformat())

    assert committed(collector.save, spell) is True

    assert collector.change_set.state == ChangeSet.State.PENDING
    assert members(client, "/organizations/", "sco") == 2
    assert MemberCount.objects.get(organization=sco, status="member").count == 2
    assert stale_organization_ids() == []


def today_is(day: datetime.date):
    """Move "today" (``timezone.localdate``) to ``day``, at noon."""
    noon = datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC)
    return mock.patch("django.utils.timezone.now", return_value=noon)


def test_a_spell_that_starts_tomorrow_is_counted_from_tomorrow(sco, client, committed):
    tomorrow = TODAY + DAY
    with today_is(TODAY):
        committed(make_membership, sco, make_country("IR", "IRN", "Iran"), tomorrow.isoformat())
        assert members(client, "/organizations/", "sco") == 2
        row = MemberCount.objects.get(organization=sco, status="member")
        assert (row.count, row.valid_until) == (2, tomorrow)

    with today_is(tomorrow):
        # Nobody edited anything: the row no longer holds, and the page counts live.
        assert stale_organization_ids() == [sco.pk]
        assert members(client, "/organizations/", "sco") == 3
        assert members(client, "/", "sco") == 3
        refresh_member_counts(stale_organization_ids())
        assert MemberCount.objects.get(organization=sco, status="member").count == 3
        assert members(client, "/organizations/", "sco") == 3


@pytest.mark.parametrize(
    ("end", "status"),
    [
        ("2026-07", "member"),
        ("2026", "observer"),
        ("2027-01-01", "member"),
        ("2026-12", "partner"),
    ],
)
def test_a_count_holds_every_day_until_its_valid_until(end, status):
    """The days ``valid_until`` gives agree with the "as of" rule, day by day, for ends known to
    the day, the month or the year and a one-day spell."""
    organization = make_organization("o", "O")
    make_membership(
        organization, make_country("RU", "RUS", "Russia"), "2025-03", end, status=status
    )
    make_membership(organization, make_country("BY", "BLR", "Belarus"), "2026-05-10", "2026-05-10")
    make_membership(organization, make_country("KZ", "KAZ", "Kazakhstan"), "2026-09-15")
    day = datetime.date(2025, 12, 20)
    while day < datetime.date(2028, 1, 10):
        counted = live_counts(day)["o"]
        until = valid_until(day, [organization.pk]).get(organization.pk)
        stop = until or datetime.date(2028, 1, 10)
        while day < stop:
            assert live_counts(day)["o"] == counted, day
            day += DAY


def test_the_organizations_list_costs_one_query_more_only_while_the_summary_is_stale(
    sco, client, django_assert_max_num_queries
):
    make_source("A source")
    refresh_member_counts()
    with django_assert_max_num_queries(1):
        client.get("/organizations/")

    MemberCount.objects.all().delete()
    with django_assert_max_num_queries(2):
        client.get("/organizations/")
