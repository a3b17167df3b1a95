"""A cache of rendered pages and API answers, dropped whenever an editor changes anything.

Every cache key carries the atlas's *version*, a number raised by one on each save or delete of
any record of the atlas (and on each change of a many-to-many list). Raising it makes every
cached answer unreachable at once: coarse, but an edit can never leave a stale page behind, and
edits are rare next to reads. The version lives in the same cache (Redis in production), so all
gunicorn workers and hosts agree on it.

Only anonymous GET and HEAD requests are cached (staff see drafts and their own forms), and only
200 answers that set no cookie. The admin and the health check are never cached. The middleware
sits before the session and authentication middleware, so a hit costs two cache reads and
none of the work of the layers below it.
"""

from __future__ import annotations

import hashlib

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse, JsonResponse

VERSION_KEY = "atlas:version"
PAGE_TIMEOUT = 60 * 60 * 24
UNCACHED_PREFIXES = ("/admin/", "/healthz", "/static/")
KEPT_HEADERS = (
    "Content-Type",
    "ETag",
    "Last-Modified",
    "Content-Language",
    "Content-Disposition",
    "X-Frame-Options",
    "Vary",
    "Allow",
)


def atlas_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        # add() does nothing if another worker set it meanwhile.
        cache.add(VERSION_KEY, 1, timeout=None)
        version = cache.get(VERSION_KEY) or 1
    return version


def bump_atlas_version(**kwargs) -> None:
    """Make every cached page and API answer stale. Connected to every atlas model's signals."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not set yet, or evicted
        cache.set(VERSION_KEY, 2, timeout=None)


def connect_invalidation() -> None:
    for model in apps.get_app_config("orgs").get_models():
        if model.__name__.startswith("Historical"):
            continue
        uid = f"atlas-cache-{model._meta.label_lower}"
        post_save.connect(bump_atlas_version, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(bump_atlas_version, sender=model, dispatch_uid=f"{uid}-delete")
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                bump_atlas_version,
                sender=field.remote_field.through,
                dispatch_uid=f"{uid}-{field.name}",
            )


def _api_throttle_refusal(request):
    """The API's anonymous throttle applies to cached answers too, with DRF's own counters."""
    from django.contrib.auth.models import AnonymousUser
    from rest_framework.settings import api_settings

    request.user = AnonymousUser()  # known: the request carries no session (see below)
    for throttle_class in api_settings.DEFAULT_THROTTLE_CLASSES:
        throttle = throttle_class()
        if not throttle.allow_request(request, None):
            wait = throttle.wait()
            response = JsonResponse(
                {"detail": "Request was throttled. Try again later."}, status=429
            )
            if wait is not None:
                response["Retry-After"] = str(max(1, int(wait)))
            return response
    return None


def page_cache_key(request) -> str:
    # The API answers JSON, CSV or its browsable HTML by the Accept header: it is part of the key.
    varying = f"{request.get_full_path()}\n{request.headers.get('Accept', '')}"
    digest = hashlib.sha256(varying.encode("utf-8", "surrogateescape")).hexdigest()
    return f"page:{atlas_version()}:{request.method}:{digest}"


class PageCacheMiddleware:
    """Serve anonymous reads from the cache; store what the views answer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self._cacheable_request(request):
            return self.get_response(request)
        key = page_cache_key(request)
        stored = cache.get(key)
        if stored is not None and request.path.startswith("/api/"):
            refused = _api_throttle_refusal(request)
            if refused is not None:
                return refused
        if stored is not None:
            status, headers, content = stored
            etag = dict(headers).get("ETag")
            if etag and etag in request.headers.get("If-None-Match", ""):
                response = HttpResponse(status=304)
                response["ETag"] = etag
                return response
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response[name] = value
            response["X-Atlas-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if self._cacheable_response(response):
            headers = [(name, response[name]) for name in KEPT_HEADERS if name in response]
            cache.set(key, (response.status_code, headers, response.content), PAGE_TIMEOUT)
            response["X-Atlas-Cache"] = "miss"
        return response

    @staticmethod
    def _cacheable_request(request) -> bool:
        if request.method not in ("GET", "HEAD"):
            return False
        if request.path.startswith(UNCACHED_PREFIXES):
            return False
        if "drafts" in request.GET or request.headers.get("Authorization"):
            return False
        # Anyone signed in carries a session cookie; without one the caller is anonymous, which
        # is known before the session and user are loaded (this middleware runs before them).
        return settings.SESSION_COOKIE_NAME not in request.COOKIES

    @staticmethod
    def _cacheable_response(response) -> bool:
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and "private" not in response.get("Cache-Control", "")
            and "no-store" not in response.get("Cache-Control", "")
        )
