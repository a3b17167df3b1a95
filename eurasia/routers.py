"""Anonymous reads from a read replica, when ``DATABASE_REPLICA_URL`` configures one.

What goes where:

- The reads of an anonymous GET or HEAD request go to the ``replica`` database, when the
  replica has replayed the last write that changed what the public sees (below).
- Everything else reads and writes the primary (``default``): writes, and every read after a
  write in the same request; any read inside a transaction; signed-in users (editors see
  their own changes at once: the admin, the review workflow) and API calls with a token;
  the admin's addresses; management commands, workers and anything outside a request.

Never older than an edit: after a change to what the public sees commits, the primary's WAL
position is recorded in the shared cache as the *last write* (``record_write_position``, called
by ``eurasia.cache.raise_versions`` on commit, before the cached pages' versions are raised).
A request reads the replica only if the replica has replayed at least that position
(``pg_last_wal_replay_lsn()``: one query on the replica per anonymous read that misses the
page cache).
So a page filled into the cache after an edit was read from data that holds the edit: the
page cache reads the versions before the view runs, and a version raised after the position
was recorded means the request reads a position at least as new.

A replica that fails or is not a standby sends the requests to the primary, with a warning,
and is tried again after ``RETRY_AFTER`` seconds; a request that failed on it mid-way is
answered again from the primary. Without ``DATABASE_REPLICA_URL`` neither the router nor the
middleware is installed: nothing changes and no query is added.
"""

from __future__ import annotations

import contextvars
import functools
import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import MiddlewareNotUsed
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

from eurasia.cache import raise_to

logger = logging.getLogger("eurasia.faults")

REPLICA = "replica"
LAST_WRITE_KEY = "atlas:last-write-lsn"
RETRY_AFTER = 5.0
READ_ONLY_METHODS = ("GET", "HEAD")


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


# --- WAL positions ------------------------------------------------------------------------------


def parse_lsn(lsn: str) -> int:
    """A PostgreSQL WAL position (``pg_lsn``, ``16/B374D848``) as a number that orders the same."""
    high, low = lsn.split("/")
    return (int(high, 16) << 32) + int(low, 16)


def record_write_position() -> int | None:
    """Record the primary's WAL position now as the last write readers must see; return it.

    The insert position, not the write position: with ``synchronous_commit = off`` a commit
    returns before its record is written, and the insert position is past it either way. The
    cache keeps the largest position ever recorded, so a writer that records late never moves
    it back. If the primary cannot say, the record is dropped: the next anonymous request asks
    the primary itself, which is never wrong.
    """
    if not replica_configured():
        return None
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_insert_lsn()")
            position = parse_lsn(cursor.fetchone()[0])
    except DatabaseError as error:
        logger.warning("Could not read the primary's WAL position: %s", error)
        cache.delete(LAST_WRITE_KEY)
        return None
    raise_to(LAST_WRITE_KEY, position)
    return position


@dataclass
class _ReplicaState:
    down_until: float = 0.0
    warned: bool = False


_replica = _ReplicaState()


def _replica_failed(message: str, *args) -> None:
    if not _replica.warned:
        logger.warning(f"Read replica unusable, reading the primary: {message}", *args)
        _replica.warned = True
    _replica.down_until = time.monotonic() + RETRY_AFTER


@functools.cache
def _unreachable() -> tuple[type[Exception], ...]:
    """The errors that make the replica unusable for now. In tests, also the test framework's
    refusal: a test that did not ask for the replica (pytest-django's ``databases``) may not
    reach it, and reads the primary as if it were down."""
    if settings.TESTING:
        from django.test.testcases import DatabaseOperationForbidden  # type: ignore[attr-defined]

        return (DatabaseError, DatabaseOperationForbidden)
    return (DatabaseError,)


def replica_is_current() -> bool:
    """Whether the replica has replayed the last recorded write (and answers at all)."""
    if time.monotonic() < _replica.down_until:
        return False
    last_write = cache.get(LAST_WRITE_KEY)
    if last_write is None:
        # Nothing recorded since the cache was emptied: what the primary holds now.
        last_write = record_write_position()
        if last_write is None:
            return False
    connection = connections[REPLICA]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_last_wal_replay_lsn()")
            (replayed,) = cursor.fetchone()
    except _unreachable() as error:
        connection.close_if_unusable_or_obsolete()
        _replica_failed("%s", error)
        return False
    if replayed is None:
        _replica_failed("it is not a standby (pg_last_wal_replay_lsn() is null)")
        return False
    if _replica.warned:
        logger.warning("Read replica is back")
        _replica.warned = False
    return parse_lsn(replayed) >= last_write


# --- the router --------------------------------------------------------------------------------


@dataclass
class _Reads:
    alias: str


# Set by ``ReadReplicaMiddleware`` for the requests whose reads may go to the replica; unset
# (the primary) everywhere else: management commands, workers, shells, tests outside requests.
_reads: contextvars.ContextVar[_Reads | None] = contextvars.ContextVar("atlas_reads", default=None)


class ReplicaRouter:
    """Reads to the replica inside a request the middleware chose; writes to the primary."""

    def db_for_read(self, model, **hints):
        reads = _reads.get()
        if reads is None or reads.alias != REPLICA:
            return None
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return None  # a transaction reads what it wrote, and reads it consistently
        return REPLICA

    def db_for_write(self, model, **hints):
        reads = _reads.get()
        if reads is not None:
            reads.alias = DEFAULT_DB_ALIAS  # the rest of the request reads its own write
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the primary's very rows: objects from either may be related.
        if {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, REPLICA}:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # A standby is read-only: it gets the primary's schema by replaying its WAL.
        return db == DEFAULT_DB_ALIAS


# --- the middleware ----------------------------------------------------------------------------


def _anonymous_read(request) -> bool:
    from eurasia.middleware import unprefixed_path

    if request.method not in READ_ONLY_METHODS or request.headers.get("Authorization"):
        return False
    if unprefixed_path(request.path).startswith("/admin/"):
        return False
    user = getattr(request, "user", None)
    return user is None or not user.is_authenticated


class ReadReplicaMiddleware:
    """Send an anonymous read's queries to the replica when it holds the last write.

    After ``AuthenticationMiddleware``, which tells who is signed in. The page cache sits
    above it, so a cache hit never gets here; a miss reads the replica and is stored.
    """

    def __init__(self, get_response):
        if not replica_configured():
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request):
        if (
            not _anonymous_read(request)
            or connections[DEFAULT_DB_ALIAS].in_atomic_block
            or not replica_is_current()
        ):
            return self.get_response(request)
        reads = _Reads(REPLICA)
        token = _reads.set(reads)
        try:
            response = self.get_response(request)
        finally:
            _reads.reset(token)
        replica = connections[REPLICA]
        if response.status_code >= 500 and replica.errors_occurred:
            # The replica failed this read half-way (the error became a 503 or a 500 below):
            # the same read again from the primary, as a GET or HEAD changes nothing.
            replica.close_if_unusable_or_obsolete()
            _replica_failed("a request failed on it (%s %s)", request.method, request.path)
            request.database_unavailable = False
            response = self.get_response(request)
        return response
