"""The cache: a Redis backend that survives Redis outages, and the atlas's cache version.

``ResilientRedisCache``: Django's ``RedisCache`` raises on a refused or timed-out connection,
which would turn a Redis outage into 500s on every page that touches the cache. Here a read is
a miss and a write does nothing while Redis is down; after a failure Redis is not tried again
for ``RETRY_AFTER`` seconds, so a hung server costs one short timeout per worker, not one per
cache call.

The atlas's *version* is a number raised by one on each save or delete of any record of the
atlas (and on each change of a many-to-many list). Every key of the page cache
(``eurasia.middleware.PageCacheMiddleware``) carries it, so raising it makes every cached
answer unreachable at once: coarse, but an edit can never leave a stale page behind, and edits
are rare next to reads. The version lives in the same cache (Redis in production), so all
gunicorn workers and hosts agree on it.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import time
from collections.abc import Iterator

from django.apps import apps
from django.core.cache import cache
from django.core.cache.backends.redis import RedisCache
from django.db.models.signals import m2m_changed, post_delete, post_save
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


# --- the atlas's version ---------------------------------------------------------------------

VERSION_KEY = "atlas:version"


def atlas_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        # add() does nothing if another worker set it meanwhile.
        cache.add(VERSION_KEY, 1, timeout=None)
        version = cache.get(VERSION_KEY) or 1
    return version


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


def bump_atlas_version(**kwargs) -> None:
    """Make every cached page and API answer stale. Connected to every atlas model's signals."""
    if _invalidation_suppressed.get():
        return
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not set yet, or evicted
        cache.set(VERSION_KEY, 2, timeout=None)


def connect_invalidation() -> None:
    for model in apps.get_app_config("orgs").get_models():
        if model.__name__.startswith("Historical"):
            continue
        if not getattr(model, "shown_to_public", True):
            continue  # change sets: proposing a change leaves every public page as it is
        uid = f"atlas-cache-{model._meta.label_lower}"
        post_save.connect(bump_atlas_version, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(bump_atlas_version, sender=model, dispatch_uid=f"{uid}-delete")
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                bump_atlas_version,
                sender=field.remote_field.through,
                dispatch_uid=f"{uid}-{field.name}",
            )
