"""HTTP headers every answer under ``/api/`` carries, whichever layer answered it.

- ``ApiProblemMiddleware`` (first of all): an error under ``/api/`` that did not come from the
  API's own exception handler (an address no route matches, the database down, a body too
  large, a cached answer throttled) is answered as RFC 9457 problem details too, keeping its
  message and its Retry-After, Allow and WWW-Authenticate headers.
- ``ApiHeadersMiddleware`` (above the page cache, so cache hits get them too): 304s by
  Django's rules for whichever layer answered; the rate limit
  the throttles measured (``RateLimit-Limit``, ``RateLimit-Remaining``, ``RateLimit-Reset``);
  ``Cache-Control: public, max-age=…`` on anonymous reads and ``private`` with
  ``Vary: Authorization, Cookie`` on authenticated ones (staff may see drafts); ``no-store``
  on errors; ``Vary`` on what else changes the answer (Accept, Accept-Encoding,
  Accept-Language).
- ``ApiLanguageMiddleware`` (below ``LocaleMiddleware``, above the page cache): the API has no
  language prefix, so the locale middleware answers English there; this one activates the
  language the client asked for with ``?lang=en|ru`` or else ``Accept-Language`` (never the
  language cookie, which shared caches do not vary on) for everything below it, the page
  cache's key included, and says it in ``Content-Language``.
- ``ApiGZipMiddleware``: Django's gzip, for the API only. Static files are compressed ahead of
  time by WhiteNoise; HTML pages are left alone because they carry CSRF tokens (BREACH).
"""

from __future__ import annotations

import json

from django.conf import settings
from django.middleware.gzip import GZipMiddleware
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import parse_http_date_safe
from django.utils.translation.trans_real import parse_accept_lang_header

from .problems import MEDIA_TYPE, problem_response

API_PREFIX = "/api/"
READS = ("GET", "HEAD")


def is_api(request) -> bool:
    return request.path.startswith(API_PREFIX)


def signed_in(request) -> bool:
    """Whether the request carries credentials: a token or a session (its answers may show
    drafts and must not be shared)."""
    return bool(request.headers.get("Authorization")) or (
        settings.SESSION_COOKIE_NAME in request.COOKIES
    )


KEPT_ON_PROBLEMS = (
    "Retry-After",
    "Allow",
    "WWW-Authenticate",
    "RateLimit-Limit",
    "RateLimit-Remaining",
    "RateLimit-Reset",
)


def api_language(request) -> str:
    """The language an API answer is in: ``?lang=en|ru`` (any case; a value the API does not
    know is refused with a 400 by the view, and meanwhile ignored here), else the first
    language of ``Accept-Language`` the atlas speaks, else English. One of ``LANGUAGES``'
    codes, as Django activates it (``en-gb``, ``ru``)."""
    asked = request.GET.get("lang", "").strip().lower()
    candidates = [asked] if asked in ("en", "ru") else []
    candidates += [
        code
        for code, _quality in parse_accept_lang_header(
            request.headers.get("Accept-Language", "")[:1000]
        )
        if code != "*"
    ]
    for code in candidates:
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE


class ApiLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_api(request):
            return self.get_response(request)
        language = api_language(request)
        with translation.override(language):
            request.LANGUAGE_CODE = language
            response = self.get_response(request)
        response["Content-Language"] = language
        patch_vary_headers(response, ("Accept-Language",))
        return response


class ApiProblemMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not is_api(request) or response.status_code < 400 or response.streaming:
            return response
        content_type = response.get("Content-Type", "")
        renderer = getattr(response, "accepted_renderer", None)
        if content_type.startswith(MEDIA_TYPE) or getattr(renderer, "format", "") == "api":
            return response  # a problem already, or the browsable API's page for editors
        detail = ""
        if content_type.startswith("application/json"):
            try:
                detail = str(json.loads(response.content).get("detail", ""))
            except (ValueError, AttributeError):
                detail = ""
        problem = problem_response(request, response.status_code, detail[:1000])
        for header in KEPT_ON_PROBLEMS:
            if header in response:
                problem[header] = response[header]
        return problem


class ApiHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not is_api(request):
            return response
        rate_limit = getattr(request, "rate_limit", None)
        if rate_limit is not None:
            limit, remaining, reset = rate_limit
            response["RateLimit-Limit"] = str(limit)
            response["RateLimit-Remaining"] = str(remaining)
            response["RateLimit-Reset"] = str(reset)
        if response.status_code >= 400:
            response["Cache-Control"] = "no-store"
            return response
        if request.method not in READS:
            return response
        response = self._conditional(request, response)
        if "Cache-Control" in response:
            return response
        patch_vary_headers(response, ("Accept", "Accept-Encoding", "Accept-Language"))
        if signed_in(request):
            response["Cache-Control"] = "private, max-age=0, must-revalidate"
            patch_vary_headers(response, ("Authorization", "Cookie"))
        else:
            response["Cache-Control"] = f"public, max-age={settings.API_CACHE_MAX_AGE}"
        return response

    @staticmethod
    def _conditional(request, response):
        """304 for a client that has the answer, the page cache's hits included: If-None-Match
        (``*`` too, compared weakly) and If-Modified-Since, by Django's own rules; a 304 has no
        body and so no media type."""
        if response.status_code == 200 and ("ETag" in response or "Last-Modified" in response):
            response = get_conditional_response(
                request,
                etag=response.get("ETag"),
                last_modified=parse_http_date_safe(response.get("Last-Modified", "")),
                response=response,
            )
        if response.status_code == 304 and "Content-Type" in response:
            del response["Content-Type"]
        return response


class ApiGZipMiddleware(GZipMiddleware):
    def process_response(self, request, response):
        if not is_api(request):
            return response
        return super().process_response(request, response)
