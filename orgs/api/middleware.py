"""HTTP headers every answer under ``/api/`` carries, whichever layer answered it.

- ``ApiHeadersMiddleware`` (above the page cache, so cache hits get them too): the rate limit
  the throttles measured (``RateLimit-Limit``, ``RateLimit-Remaining``, ``RateLimit-Reset``);
  ``Cache-Control: public, max-age=…`` on anonymous reads and ``private`` with
  ``Vary: Authorization, Cookie`` on authenticated ones (staff may see drafts); ``no-store``
  on errors; ``Vary`` on what else changes the answer (Accept, Accept-Encoding,
  Accept-Language).
- ``ApiGZipMiddleware``: Django's gzip, for the API only. Static files are compressed ahead of
  time by WhiteNoise; HTML pages are left alone because they carry CSRF tokens (BREACH).
"""

from __future__ import annotations

from django.conf import settings
from django.middleware.gzip import GZipMiddleware
from django.utils.cache import patch_vary_headers

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
        if request.method not in READS or "Cache-Control" in response:
            return response
        patch_vary_headers(response, ("Accept", "Accept-Encoding", "Accept-Language"))
        if signed_in(request):
            response["Cache-Control"] = "private, max-age=0, must-revalidate"
            patch_vary_headers(response, ("Authorization", "Cookie"))
        else:
            response["Cache-Control"] = f"public, max-age={settings.API_CACHE_MAX_AGE}"
        return response


class ApiGZipMiddleware(GZipMiddleware):
    def process_response(self, request, response):
        if not is_api(request):
            return response
        return super().process_response(request, response)
