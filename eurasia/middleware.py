"""Middleware that keeps the site answering sensibly under abuse and faults.

- ``DatabaseUnavailableMiddleware``: a lost database answers 503 with ``Retry-After``, never a
  500 traceback; connection health checks reconnect on the next request.
- ``RequestBodyLimitMiddleware``: a request body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` answers 413,
  for JSON too (Django checks only form posts; DRF streams JSON bodies past the check).
- ``NulByteMiddleware``: a NUL in the address or its query string answers 400 before any view
  passes it to PostgreSQL, which refuses NUL in text with an error.
- ``TrailingSlashMiddleware``: a write to an address missing its trailing slash is sent on with
  308, which keeps the method and the body (Django's 301 would lose the body).
- ``LoginRateLimitMiddleware``: failed admin logins are counted per client IP, and per username
  from that IP, in the cache; over the limit the login answers 429 with ``Retry-After``.
- ``PageCacheMiddleware``: anonymous reads of pages and the API are served from the cache, which
  an editor's change drops at once when it shows what changed (``orgs.invalidation``); misses
  are throttled per client address.

Every rule that looks at an address reads it without its language prefix (``/ru/admin/`` is
``/admin/``): Russian pages live under /ru/, English ones at the same addresses unprefixed.
The messages of the plain pages are translated; ``LocaleMiddleware`` has activated the
address's language before any of these but the first answers.
"""

from __future__ import annotations

import datetime
import gzip
import hashlib
import logging
import re
import sys
import time
from importlib import import_module

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.dispatch import receiver
from django.http import HttpResponse, JsonResponse
from django.middleware.common import CommonMiddleware
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.html import escape
from django.utils.text import compress_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from eurasia.cache import ALL, versions_and
from orgs.api.middleware import api_language
from orgs.invalidation import page_tags

logger = logging.getLogger("eurasia.faults")

DATABASE_ERRORS = (OperationalError, InterfaceError)
DATABASE_RETRY_AFTER = 5
DATABASE_UNAVAILABLE = gettext_lazy("The database is unavailable; try again shortly.")
DATABASE_BUSY = gettext_lazy("The database is busy with other writes; try again in a moment.")

_PAGE = """<!doctype html>
<html lang="{language}">
<head><meta charset="utf-8"><title>{title} · {site}</title></head>
<body>
<h1>{title}</h1>
<p>{message}</p>
<p><a href="{retry}">{try_again}</a></p>
</body>
</html>
"""


def unprefixed_path(path: str) -> str:
    """``path`` without its language prefix: ``/ru/admin/`` is ``/admin/``, ``/ru`` is ``/``.

    English, the default language, has no prefix; every other language of ``LANGUAGES`` does.
    """
    for code, _name in settings.LANGUAGES:
        if code == settings.LANGUAGE_CODE:
            continue
        prefix = f"/{code}"
        if path == prefix:
            return "/"
        if path.startswith(f"{prefix}/"):
            return path[len(prefix) :]
    return path


def plain_page(title: str, message: str, *, status: int, retry_after: int, retry: str = ""):
    """A page that needs neither the database nor a template: it is served when they fail."""
    response = HttpResponse(
        _PAGE.format(
            language=escape(translation.get_language() or settings.LANGUAGE_CODE),
            title=title,
            site=_("Eurasia Atlas"),
            message=message,
            retry=retry or ".",
            try_again=_("Try again"),
        ),
        status=status,
        content_type="text/html; charset=utf-8",
    )
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response


def wants_json(request) -> bool:
    return request.path.startswith("/api/")


def database_busy(error) -> bool:
    """SQLite's lock held past the busy timeout: the database is up, only busy."""
    return "database is locked" in str(error) or "database table is locked" in str(error)


def database_unavailable_response(request, busy: bool = False):
    retry_after = 1 if busy else DATABASE_RETRY_AFTER
    if wants_json(request):
        response = JsonResponse(
            {"detail": str(DATABASE_BUSY if busy else DATABASE_UNAVAILABLE)}, status=503
        )
        response["Retry-After"] = str(retry_after)
        response["Cache-Control"] = "no-store"
        return response
    if busy:
        return plain_page(
            _("Busy"),
            _("The atlas is busy saving other changes. Try again in a moment."),
            status=503,
            retry_after=retry_after,
        )
    return plain_page(
        _("Temporarily unavailable"),
        _("The atlas cannot reach its database just now. Try again in a few seconds."),
        status=503,
        retry_after=retry_after,
    )


@receiver(got_request_exception)
def _mark_database_error(sender, request=None, **kwargs):
    """Remember that an uncaught exception was a database error, whichever layer raised it.

    Django turns an exception in a middleware or a view into a 500 response before outer
    middleware see it; this flag lets ``DatabaseUnavailableMiddleware`` replace that 500.
    """
    error = sys.exc_info()[1]
    if request is not None and isinstance(error, DATABASE_ERRORS):
        request.database_unavailable = "busy" if database_busy(error) else "down"


class DatabaseUnavailableMiddleware:
    """Answer 503 (HTML page, or JSON under /api/) with ``Retry-After`` when the database is down.

    Put it first in ``MIDDLEWARE``: ``process_exception`` handles errors raised by views and
    templates; the 500 that any inner middleware (sessions, say) turned a database error into
    is replaced on the way out.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 500 and getattr(request, "database_unavailable", False):
            replacement = database_unavailable_response(
                request, busy=request.database_unavailable == "busy"
            )
            # Keep the security headers inner middleware already put on the 500.
            for header, value in response.items():
                if header.lower() not in ("content-type", "content-length", "cache-control"):
                    replacement.headers.setdefault(header, value)
            return replacement
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_ERRORS):
            busy = database_busy(exception)
            logger.warning(
                "Database %s on %s %s: %s",
                "busy" if busy else "unavailable",
                request.method,
                request.path,
                exception,
            )
            return database_unavailable_response(request, busy=busy)
        return None


class RequestBodyLimitMiddleware:
    """413 for a declared body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` that is not a file upload.

    Multipart uploads (the importer) are limited by the importer's own form instead.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        content_type = request.META.get("CONTENT_TYPE", "")
        if limit is not None and not content_type.startswith("multipart/form-data"):
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > limit:
                return self.too_large(request, limit)
        return self.get_response(request)

    @staticmethod
    def too_large(request, limit):
        message = _("The request body is larger than %(size)d KiB.") % {"size": limit // 1024}
        if wants_json(request):
            return JsonResponse({"detail": message}, status=413)
        response = plain_page(_("Request too large"), message, status=413, retry_after=0)
        del response["Retry-After"]
        return response


def bad_request(request, message: str):
    if wants_json(request):
        return JsonResponse({"detail": message}, status=400)
    response = plain_page(_("Bad request"), message, status=400, retry_after=0)
    del response["Retry-After"]
    return response


class NulByteMiddleware:
    """400 for a NUL in the path or the query string, on every page, the API and the admin.

    PostgreSQL refuses NUL in text with an error, so a NUL that reached a lookup (a slug, an
    ISO code, a search term, an admin filter) was a 500 there and a quiet miss on SQLite. No
    name, code or date of the atlas holds one. Bodies are checked where they are read: forms
    refuse NUL in text fields, the API's JSON parser and its fields do too.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or "\x00" in _decoded_query(request):
            return bad_request(request, _("The address holds a NUL character."))
        return self.get_response(request)


def _decoded_query(request) -> str:
    return "".join(f"{key}{value}" for key, values in request.GET.lists() for value in values)


class TrailingSlashMiddleware:
    """308 to the address with its slash for a POST, PUT, PATCH or DELETE that left it off.

    ``APPEND_SLASH`` answers these with a 301, which clients follow with a GET and no body (and
    under DEBUG it raises instead); 308 tells them to repeat the same request there.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.common = CommonMiddleware(get_response)

    def __call__(self, request):
        if request.method not in ("GET", "HEAD") and self.common.should_redirect_with_slash(
            request
        ):
            response = HttpResponse(status=308)
            path = f"{request.path}/"
            query = request.META.get("QUERY_STRING", "")
            response["Location"] = f"{path}?{query}" if query else path
            return response
        return self.get_response(request)


def client_ip(request) -> str:
    """The client's address: REMOTE_ADDR, or the one the last of ``NUM_PROXIES`` trusted proxies
    saw. Each proxy appends the address it was called from, so only the last ``NUM_PROXIES``
    entries of X-Forwarded-For are the proxies' own; whatever a client sent is further left and
    never read."""
    proxies = getattr(settings, "NUM_PROXIES", 0)
    if proxies:
        forwarded = [ip.strip() for ip in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [ip for ip in forwarded if ip]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def is_login_path(path: str) -> bool:
    """Whether ``path`` is the admin's login page, in any language (/admin/login/,
    /ru/admin/login/): one limit counts failures at every one of them."""
    login_paths = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            login_paths.add(reverse("admin:login"))
    return path in login_paths


def _key(kind: str, value: str) -> str:
    digest = hashlib.sha256(value.strip().lower().encode("utf-8", "replace")).hexdigest()[:32]
    return f"login-failures:{kind}:{digest}"


class LoginRateLimitMiddleware:
    """Count failed admin logins per IP and per (IP, username); refuse with 429 over the limit.

    The username is counted per address, so guessing an editor's password from one address
    locks out that address only: nobody can lock an editor out of the admin from elsewhere. An
    address that tries many names is stopped by the per-IP limit.

    A failed login is a POST to the login page answered by the form again (200); a success
    (a redirect) clears the username's count from that address. Counts live in the cache for
    ``LOGIN_RATE_LIMIT_WINDOW`` seconds from the first failure. When the cache is down the
    limiter lets logins through rather than lock every editor out.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method != "POST" or not is_login_path(request.path):
            return self.get_response(request)
        username = request.POST.get("username", "")[:150].strip().lower()
        ip = client_ip(request)
        keys = [(_key("ip", ip), settings.LOGIN_RATE_LIMIT_PER_IP)]
        if username:
            keys.append((_key("user", f"{ip} {username}"), settings.LOGIN_RATE_LIMIT_PER_USERNAME))
        for key, limit in keys:
            if (cache.get(key) or 0) >= limit:
                return self.refuse(key)
        response = self.get_response(request)
        if response.status_code == 200:
            for key, _limit in keys:
                self.count_failure(key)
        elif response.status_code in (301, 302, 303) and username:
            key = _key("user", f"{ip} {username}")
            cache.delete_many([key, f"{key}:since"])
        return response

    @staticmethod
    def count_failure(key):
        window = settings.LOGIN_RATE_LIMIT_WINDOW
        cache.add(f"{key}:since", time.time(), window)
        cache.add(key, 0, window)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr, or the cache is down
            cache.add(key, 1, window)

    @staticmethod
    def refuse(key):
        window = settings.LOGIN_RATE_LIMIT_WINDOW
        since = cache.get(f"{key}:since") or time.time()
        retry_after = max(1, int(since + window - time.time()))
        minutes = max(1, round(retry_after / 60))
        response = plain_page(
            _("Too many failed logins"),
            ngettext(
                "There have been too many failed attempts to log in with this name or from "
                "this address. Wait about %(minutes)d minute and try again; if you forgot your "
                "password, ask an administrator to reset it.",
                "There have been too many failed attempts to log in with this name or from "
                "this address. Wait about %(minutes)d minutes and try again; if you forgot your "
                "password, ask an administrator to reset it.",
                minutes,
            )
            % {"minutes": minutes},
            status=429,
            retry_after=retry_after,
        )
        logger.warning("Admin login refused: %s over the limit", key.split(":")[1])
        return response


# --- the page cache ----------------------------------------------------------------------------

PAGE_TIMEOUT = 60 * 60 * 24
UNCACHED_PREFIXES = ("/admin/", "/healthz", "/static/")
KEPT_HEADERS = (
    "Content-Type",
    "Cache-Control",
    "Surrogate-Key",
    "Cache-Tag",
    "ETag",
    "Last-Modified",
    "Content-Language",
    "Content-Disposition",
    "X-Frame-Options",
    "Vary",
    "Allow",
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


def _page_throttle_refusal(request):
    """Anonymous page misses per client address and minute, past ``PAGE_THROTTLE_PER_MINUTE``.

    Only misses count: a hit costs two cache reads, a miss the whole page (a hundred times
    more), and a query string nobody asked before is always a miss.
    """
    limit = settings.PAGE_THROTTLE_PER_MINUTE
    if not limit:
        return None
    now = time.time()
    key = f"page-throttle:{_key('ip', client_ip(request))}:{int(now // 60)}"
    cache.add(key, 0, 120)
    try:
        count = cache.incr(key)
    except ValueError:  # the cache is down: no throttle rather than no pages
        return None
    if count <= limit:
        return None
    response = plain_page(
        _("Too many requests"),
        _(
            "This address has asked for more pages than the atlas serves to one reader in a "
            "minute. Wait a moment and try again."
        ),
        status=429,
        retry_after=max(1, 60 - int(now % 60)),
    )
    return response


# A proxy or CDN in front may keep anonymous answers until the day ends (at most a day) and
# serve them while it fetches a fresh one, as long as it drops them by key when an edit raises
# one of their versions (``Surrogate-Key``/``Cache-Tag`` name them). Pages without ``as_of``
# show the atlas as of today, which changes at midnight with no edit: so does the page cache's
# key, and a shared cache's copy expires then. Browsers revalidate every time (ETag, 304), so a
# reader sees an edit on the next request.
SHARED_CACHE_CONTROL = "public, max-age=0, s-maxage={seconds}, stale-while-revalidate=60"


def seconds_until_tomorrow() -> int:
    now = timezone.localtime()
    midnight = datetime.datetime.combine(
        now.date() + datetime.timedelta(days=1), datetime.time(), tzinfo=now.tzinfo
    )
    return max(1, min(86400, int((midnight - now).total_seconds())))


def add_shared_cache_headers(response, tags) -> None:
    if "Cache-Control" not in response:
        response["Cache-Control"] = SHARED_CACHE_CONTROL.format(seconds=seconds_until_tomorrow())
    keys = " ".join(tag.replace(":", "-") for tag in tags)
    response["Surrogate-Key"] = keys
    response["Cache-Tag"] = keys.replace(" ", ",")


# Cached bodies are kept gzipped, compressed once when the page is stored: a hit sends fewer
# bytes from Redis and, to the clients that accept gzip (every browser), over the network, with
# no compression per request. Only anonymous answers are cached, and they hold no secret (no
# CSRF token, no session): gzip cannot leak one through their length (BREACH). Signed-in pages
# are never cached, so never compressed. Bodies below ``GZIP_MIN_LENGTH`` are kept as they are.
GZIP_MIN_LENGTH = 200
_accepts_gzip = re.compile(r"\bgzip\b")


def accepts_gzip(request) -> bool:
    return bool(_accepts_gzip.search(request.headers.get("Accept-Encoding", "")))


def stored_body(content: bytes) -> tuple[bytes, bool]:
    """The body as the cache keeps it, and whether that is gzipped."""
    if len(content) < GZIP_MIN_LENGTH:
        return content, False
    compressed = compress_string(content)
    if len(compressed) >= len(content):
        return content, False
    return compressed, True


def send_compressed(response, body: bytes) -> None:
    """Send the stored gzipped body as it is, with the headers Django's GZipMiddleware would
    set (a weak ETag: the bytes differ from the plain answer's)."""
    response.content = body
    response["Content-Length"] = str(len(body))
    response["Content-Encoding"] = "gzip"
    patch_vary_headers(response, ("Accept-Encoding",))
    etag = response.get("ETag")
    if etag and etag.startswith('"'):
        response["ETag"] = "W/" + etag


def page_cache_key(request) -> str:
    # The host is part of the key: the pages' absolute links (the feed's, the API's ``next``)
    # are built from it. The API answers JSON, CSV or its browsable HTML by the Accept header:
    # that is part of the key too, and so is the language its names are in, which it reads
    # from Accept-Language (or ?lang=, part of the path). Pages take theirs from the address.
    language = ""
    if request.path.startswith("/api/"):
        language = api_language(request)
    varying = (
        f"{request.get_host()}\n{request.get_full_path()}\n{request.headers.get('Accept', '')}"
        f"\n{language}\n{timezone.localdate().isoformat()}"
    )
    digest = hashlib.sha256(varying.encode("utf-8", "surrogateescape")).hexdigest()
    return f"page:{request.method}:{digest}"


def _staff_session(session_key: str) -> bool:
    """Whether a session cookie belongs to a signed-in, active staff member (who sees drafts
    and their own forms). One session read, and one query for a signed-in user."""
    from django.contrib.auth import get_user_model

    store = import_module(settings.SESSION_ENGINE).SessionStore(session_key[:64])
    user_id = store.get(SESSION_KEY)
    if user_id is None:
        return False
    return (
        get_user_model()._default_manager.filter(pk=user_id, is_staff=True, is_active=True).exists()
    )


class PageCacheMiddleware:
    """Serve anonymous reads from the cache; store what the views answer.

    Only anonymous GET and HEAD requests are cached (staff see drafts and their own forms), and
    only 200 answers that set no cookie. The admin and the health check are never cached. The
    middleware sits before the session and authentication middleware, so a hit costs two cache
    reads and none of the work of the layers below it. A session cookie bypasses the cache only
    when it is a signed-in staff member's: a made-up one is served from the cache like anyone.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self._cacheable_request(request):
            return self.get_response(request)
        key = page_cache_key(request)
        # The versions of what the page shows, read before the view reads the data: an edit
        # committed meanwhile raises one of them, so what is stored below is never served.
        tags = [ALL, *page_tags(request)]
        dependencies, found = versions_and(tags, [key])
        stored = found.get(key)
        if stored is not None and (len(stored) != 5 or stored[0] != dependencies):
            stored = None  # something it shows has changed since it was stored
        if stored is not None and request.path.startswith("/api/"):
            refused = _api_throttle_refusal(request)
            if refused is not None:
                return refused
        if stored is not None:
            _, status, headers, body, compressed = stored
            etag = dict(headers).get("ETag")
            if etag and etag in request.headers.get("If-None-Match", ""):
                response = HttpResponse(status=304)
                response["ETag"] = etag
                return response
            gzipped = compressed and accepts_gzip(request)
            response = HttpResponse(
                gzip.decompress(body) if compressed and not gzipped else body, status=status
            )
            for name, value in headers:
                response[name] = value
            if gzipped:
                send_compressed(response, body)
            response["X-Atlas-Cache"] = "hit"
            return response
        if not request.path.startswith("/api/"):
            refused = _page_throttle_refusal(request)
            if refused is not None:
                return refused
        response = self.get_response(request)
        if self._cacheable_response(response):
            add_shared_cache_headers(response, tags)
            body, compressed = stored_body(response.content)
            if compressed:
                patch_vary_headers(response, ("Accept-Encoding",))
            headers = [(name, response[name]) for name in KEPT_HEADERS if name in response]
            stored = (dependencies, response.status_code, headers, body, compressed)
            cache.set(key, stored, PAGE_TIMEOUT)
            if compressed and accepts_gzip(request):
                send_compressed(response, body)
            response["X-Atlas-Cache"] = "miss"
        return response

    @staticmethod
    def _cacheable_request(request) -> bool:
        if request.method not in ("GET", "HEAD"):
            return False
        if unprefixed_path(request.path).startswith(UNCACHED_PREFIXES):
            return False
        if request.headers.get("Authorization"):
            return False
        # Anyone signed in carries a session cookie; without one the caller is anonymous, which
        # is known before the session and user are loaded (this middleware runs before them).
        session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        return not session_key or not _staff_session(session_key)

    @staticmethod
    def _cacheable_response(response) -> bool:
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and "private" not in response.get("Cache-Control", "")
            and "no-store" not in response.get("Cache-Control", "")
        )
