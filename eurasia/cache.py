"""The cache: a Redis backend that survives Redis outages, and the versions of what it holds.

``ResilientRedisCache``: Django's ``RedisCache`` raises on a refused or timed-out connection,
which would turn a Redis outage into 500s on every page that touches the cache. Here a read is
a miss and a write does nothing while Redis is down; after a failure Redis is not tried again
for ``RETRY_AFTER`` seconds, so a hung server costs one short timeout per worker, not one per
cache call.

The versions (below) let one edit make stale only the cached pages that show what it changed;
which change touches which version, and which page shows which, is ``orgs.invalidation``.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import time
from collections.abc import Iterator

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.db import transaction
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger("eurasia.faults")

REDIS_ERRORS = (RedisConnectionError, RedisTimeoutError, OSError)

# Short timeouts: a cache that takes longer than this is slower than the database it saves.
DEFAULT_OPTIONS = {"socket_connect_timeout": 0.25, "socket_timeout": 0.5}


class ResilientRedisCache(RedisCache):
    RETRY_AFTER = 5.0

    def __init__(self, server, params):
        params = {**params, "OPTIONS": {**DEFAULT_OPTIONS, **params.get("OPTIONS", {})}}
        super().__init__(server, params)
        self._down_until = 0.0

    def _guarded(self, operation, fallback, *args, **kwargs):
        if time.monotonic() < self._down_until:
            return fallback
        try:
            result = operation(*args, **kwargs)
        except REDIS_ERRORS as error:
            if not self._down_until:
                logger.warning("Redis unavailable, serving without the cache: %s", error)
            self._down_until = time.monotonic() + self.RETRY_AFTER
            return fallback
        if self._down_until:
            logger.warning("Redis is back")
            self._down_until = 0.0
        return result

    def add(self, key, value, timeout=None, version=None):
        return self._guarded(super().add, False, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._guarded(super().get, default, key, default, version)

    def set(self, key, value, timeout=None, version=None):
        self._guarded(super().set, None, key, value, timeout, version)

    def touch(self, key, timeout=None, version=None):
        return self._guarded(super().touch, False, key, timeout, version)

    def delete(self, key, version=None):
        return self._guarded(super().delete, False, key, version)

    def get_many(self, keys, version=None):
        return self._guarded(super().get_many, {}, keys, version)

    def has_key(self, key, version=None):
        return self._guarded(super().has_key, False, key, version)

    def incr(self, key, delta=1, version=None):
        result = self._guarded(super().incr, None, key, delta, version)
        if result is None:
            # What a missing key answers: callers already handle it.
            raise ValueError(f"Key '{key}' not found (the cache is unavailable).")
        return result

    def set_many(self, data, timeout=None, version=None):
        return self._guarded(super().set_many, list(data), data, timeout, version)

    def delete_many(self, keys, version=None):
        self._guarded(super().delete_many, None, keys, version)

    def clear(self):
        return self._guarded(super().clear, False)

    # Sets the key to the number unless it holds a larger one, in one step on the server.
    _RAISE_TO = (
        "local held = tonumber(redis.call('GET', KEYS[1]))"
        " if held == nil or held < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], ARGV[1]) end"
    )

    def raise_to(self, key, value: int, version=None) -> None:
        key = self.make_and_validate_key(key, version=version)

        def run():
            self._cache.get_client(key, write=True).eval(self._RAISE_TO, 1, key, int(value))

        self._guarded(run, None)


def raise_to(key: str, value: int) -> None:
    """Store ``value`` at ``key`` unless the cache holds a larger number there already.

    Atomic on Redis, so concurrent writers on every host leave the largest; other backends
    (the per-process memory cache of development and tests) compare and set.
    """
    backend = caches["default"]
    if isinstance(backend, ResilientRedisCache):
        backend.raise_to(key, value)
        return
    held = backend.get(key)
    if held is None or held < value:
        backend.set(key, value, timeout=None)


# --- the atlas's versions ----------------------------------------------------------------------

# Every cached page and API answer is stored with the *versions* of what it shows, read before
# the view ran; it is served only while each of them is unchanged. A version is a counter in
# the cache, raised by every change that touches what it names (``orgs.invalidation``):
#
# - ``org:<slug>`` and ``country:<iso2>``: a page about one organization or one country;
# - ``any``: raised by every change, for the pages that summarise the whole atlas (home,
#   compare, search, changes) and for any page that names nothing narrower;
# - ``all``: raised by the changes whose reach is not worked out narrowly (a renamed
#   organization, a source), so that they still reach every cached page.
#
# Raising a version after the change's transaction commits, as well as at once, means a page
# filled from data read before the commit is never stored under the versions after it. The
# counters live in the cache itself (Redis in production), so every worker and host agrees.

ANY = "any"
ALL = "all"
VERSION_KEY = "atlas:version"  # the counter of ``any``, which the API's Last-Modified reads


def version_key(tag: str) -> str:
    return VERSION_KEY if tag == ANY else f"atlas:version:{tag}"


def _first_version() -> int:
    # Not 1: a counter evicted and created again must never come back to a value that an
    # entry stored before the eviction still carries.
    return time.time_ns()


def versions(tags) -> dict[str, int]:
    """The current version of each tag."""
    found, _ = versions_and(tags, ())
    return found


def versions_and(tags, extra_keys) -> tuple[dict[str, int], dict]:
    """The current versions of ``tags``, and the cached values of ``extra_keys``, in one read."""
    keys = {version_key(tag): tag for tag in tags}
    stored = cache.get_many([*keys, *extra_keys])
    found = {}
    for key, tag in keys.items():
        value = stored.get(key)
        if value is None:
            # add() does nothing if another worker set it meanwhile.
            cache.add(key, _first_version(), timeout=None)
            value = cache.get(key)
        found[tag] = value
    return found, {key: stored[key] for key in extra_keys if key in stored}


def atlas_version() -> int:
    """The version every change raises."""
    return versions([ANY])[ANY]


# Set while a staff preview applies pending change sets inside a transaction it rolls back:
# those saves never reach the public, so they must not make its cached pages stale.
_invalidation_suppressed: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "atlas_invalidation_suppressed", default=False
)


@contextlib.contextmanager
def invalidation_suppressed() -> Iterator[None]:
    token = _invalidation_suppressed.set(True)
    try:
        yield
    finally:
        _invalidation_suppressed.reset(token)


def invalidation_is_suppressed() -> bool:
    """Whether saves now are kept from the public's cached pages (a rolled-back preview, or
    an import that raises the whole atlas's version once at its end)."""
    return _invalidation_suppressed.get()


def raise_versions(tags) -> None:
    """Make every cached answer that shows one of ``tags`` stale, now and again on commit."""
    if _invalidation_suppressed.get():
        return
    tags = {ANY, *tags}
    _raise(tags)
    transaction.on_commit(lambda: _committed(tags))


def _committed(tags) -> None:
    # The write's WAL position first, then the versions: a request that reads the new versions
    # then reads this position, and reads a read replica only once it has replayed the write
    # (``eurasia.routers``), so what it stores under them holds the write.
    from eurasia.routers import record_write_position

    record_write_position()
    _raise(tags)
    if settings.CACHE_PURGE_URL:  # a proxy in front drops the pages too (after the raise)
        from eurasia.purge import purge_after_commit

        purge_after_commit(tags)


def _raise(tags) -> None:
    for tag in tags:
        key = version_key(tag)
        try:
            cache.incr(key)
        except ValueError:  # not set yet, or evicted
            cache.set(key, _first_version(), timeout=None)
