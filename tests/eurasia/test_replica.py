"""Anonymous reads from a read replica; editors, writes and fresh edits on the primary.

The tests that need a replica run against a real streaming standby of the PostgreSQL server
(``scripts/standby.sh`` starts one on port 5433), with ``DATABASE_REPLICA_URL`` pointing at it.
A standby sees only what the primary committed, so they commit (``transaction=True``), and
they wait for the standby to replay a commit rather than for a length of time.
"""

import time

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.test.utils import CaptureQueriesContext

from eurasia import routers
from eurasia.routers import LAST_WRITE_KEY, REPLICA, ReplicaRouter, parse_lsn
from orgs.models import Country, Organization
from tests.makers import make_country, make_membership, make_organization

REPLAY_TIMEOUT = 30.0


def needs_replica(test):
    """Skipped without a replica; commits, so that the standby replays what the test wrote."""
    test = pytest.mark.django_db(transaction=True, databases=[DEFAULT_DB_ALIAS, REPLICA])(test)
    return pytest.mark.skipif(
        REPLICA not in settings.DATABASES,
        reason="needs a read replica: DATABASE_URL and DATABASE_REPLICA_URL on PostgreSQL "
        "(scripts/standby.sh starts a standby on port 5433)",
    )(test)


@pytest.fixture(autouse=True)
def replica_trusted_again(monkeypatch):
    """A replica another test found unusable is not left out of this one."""
    monkeypatch.setattr(routers, "_replica", routers._ReplicaState())


def primary_position() -> int:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_insert_lsn()")
        return parse_lsn(cursor.fetchone()[0])


def replayed_position() -> int:
    with connections[REPLICA].cursor() as cursor:
        cursor.execute("SELECT pg_last_wal_replay_lsn()")
        return parse_lsn(cursor.fetchone()[0])


def wait_for_replay() -> None:
    """Until the standby has replayed everything the primary has committed so far."""
    target = primary_position()
    deadline = time.monotonic() + REPLAY_TIMEOUT
    while replayed_position() < target:
        assert time.monotonic() < deadline, "the standby did not replay the commit in time"
        time.sleep(0.02)


def replica_sql(sql: str):
    with connections[REPLICA].cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0]


class paused_replay:
    """The standby keeps answering but stops replaying: it lags behind every later commit."""

    def __enter__(self):
        replica_sql("SELECT pg_wal_replay_pause()")
        deadline = time.monotonic() + REPLAY_TIMEOUT
        while replica_sql("SELECT pg_get_wal_replay_pause_state()") != "paused":
            assert time.monotonic() < deadline, "the standby did not pause its replay"
            time.sleep(0.02)
        return self

    def __exit__(self, *exc_info):
        replica_sql("SELECT pg_wal_replay_resume()")


def data_queries(queries) -> list[str]:
    """The queries that read the atlas's tables (not the replica's position, not sessions)."""
    return [query["sql"] for query in queries if '"orgs_' in query["sql"]]


def a_member_organization():
    organization = make_organization("replicated", name="Replicated Union")
    make_membership(organization, make_country(), "2015-01-01")
    return organization


# --- against a real standby ---------------------------------------------------------------------


@needs_replica
def test_the_replica_alias_reads_the_test_database_on_the_standby():
    primary, replica = connections[DEFAULT_DB_ALIAS], connections[REPLICA]
    assert replica.settings_dict["NAME"] == primary.settings_dict["NAME"]
    assert replica.settings_dict["PORT"] != primary.settings_dict["PORT"]
    assert replica_sql("SELECT pg_is_in_recovery()") is True
    assert replica_sql("SELECT current_database()") == primary.settings_dict["NAME"]


@needs_replica
def test_committed_data_reaches_the_replica_once_replayed():
    make_organization("replicated", name="Replicated Union")
    wait_for_replay()
    assert Organization.objects.using(REPLICA).get(slug="replicated").name == "Replicated Union"


@needs_replica
def test_an_anonymous_page_and_api_answer_read_the_replica(client):
    a_member_organization()
    wait_for_replay()
    for url in ("/organizations/replicated/", "/api/v1/memberships/?organization=replicated"):
        with (
            CaptureQueriesContext(connections[REPLICA]) as on_replica,
            CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as on_primary,
        ):
            response = client.get(url)
        assert response.status_code == 200
        assert "Belarus" in response.content.decode()
        assert data_queries(on_replica), url
        assert data_queries(on_primary) == [], url


@needs_replica
def test_a_signed_in_editor_reads_the_primary_and_sees_their_own_save(editor_client):
    organization = a_member_organization()
    wait_for_replay()
    with paused_replay():
        organization.name = "Renamed Union"
        organization.save()
        assert Organization.objects.using(REPLICA).get(slug="replicated").name != "Renamed Union"
        with CaptureQueriesContext(connections[REPLICA]) as on_replica:
            page = editor_client.get("/organizations/replicated/")
            api = editor_client.get("/api/v1/organizations/replicated/")
    assert "Renamed Union" in page.content.decode()
    assert api.json()["name"] == "Renamed Union"
    assert on_replica.captured_queries == []


@needs_replica
def test_a_page_cached_after_an_edit_is_never_older_than_the_edit(client):
    organization = a_member_organization()
    wait_for_replay()
    url = "/organizations/replicated/"
    first = client.get(url)
    assert "Replicated Union" in first.content.decode()
    with paused_replay():
        organization.name = "Renamed Union"
        organization.save()
        # The standby lags behind the edit...
        assert Organization.objects.using(REPLICA).get(slug="replicated").name != "Renamed Union"
        with CaptureQueriesContext(connections[REPLICA]) as on_replica:
            filled = client.get(url)
        # ...so the page is read from the primary, and what the cache stored holds the edit.
        assert filled["X-Atlas-Cache"] == "miss"
        assert "Renamed Union" in filled.content.decode()
        assert data_queries(on_replica) == []
        cached = client.get(url)
        assert cached["X-Atlas-Cache"] == "hit"
        assert "Renamed Union" in cached.content.decode()
    wait_for_replay()
    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        answer = client.get("/api/v1/memberships/?organization=replicated")
    assert answer.json()["results"][0]["organization"]["name"] == "Renamed Union"
    assert data_queries(on_replica)


@needs_replica
def test_a_write_position_is_recorded_when_an_edit_commits():
    before = primary_position()
    make_country("KZ", "KAZ", "Kazakhstan")
    assert cache.get(LAST_WRITE_KEY) > before
    assert Country.objects.using(DEFAULT_DB_ALIAS).filter(iso2="KZ").exists()


@needs_replica
def test_a_replica_that_does_not_answer_leaves_the_primary_to_answer(client, caplog):
    a_member_organization()
    wait_for_replay()
    replica = connections[REPLICA]
    replica.close()
    port = replica.settings_dict["PORT"]
    replica.settings_dict["PORT"] = 9  # nothing listens there
    try:
        response = client.get("/organizations/replicated/")
    finally:
        replica.settings_dict["PORT"] = port
        replica.close()
    assert response.status_code == 200
    assert "Belarus" in response.content.decode()
    assert "Read replica unusable" in caplog.text


@needs_replica
def test_a_read_the_replica_fails_half_way_is_answered_from_the_primary(client):
    a_member_organization()
    wait_for_replay()

    def connection_lost_on_data(execute, sql, params, many, context):
        if '"orgs_' in sql:  # the standby goes away once the page starts reading the atlas
            return execute("SELECT pg_terminate_backend(pg_backend_pid())", None, False, context)
        return execute(sql, params, many, context)

    with connections[REPLICA].execute_wrapper(connection_lost_on_data):
        response = client.get("/organizations/replicated/")
    assert response.status_code == 200
    assert "Belarus" in response.content.decode()


# --- the router, without a database -------------------------------------------------------------


def test_writes_go_to_the_primary():
    assert ReplicaRouter().db_for_write(Organization) == DEFAULT_DB_ALIAS


def test_reads_outside_a_chosen_request_are_left_to_the_default():
    assert ReplicaRouter().db_for_read(Organization) is None


def test_objects_of_the_primary_and_the_replica_may_be_related():
    router = ReplicaRouter()
    on_primary, on_replica = Organization(), Country()
    on_primary._state.db, on_replica._state.db = DEFAULT_DB_ALIAS, REPLICA
    assert router.allow_relation(on_primary, on_replica) is True
    on_replica._state.db = "elsewhere"
    assert router.allow_relation(on_primary, on_replica) is None


def test_migrations_run_on_the_primary_only():
    router = ReplicaRouter()
    assert router.allow_migrate(DEFAULT_DB_ALIAS, "orgs") is True
    assert router.allow_migrate(REPLICA, "orgs") is False
