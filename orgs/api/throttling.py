"""Throttles that read their rate from the settings at request time, and tell the client.

DRF's own classes copy ``DEFAULT_THROTTLE_RATES`` when first imported, so a rate changed with
``override_settings`` (or a test) would be ignored. Each check leaves the limit, what is left of
it and the seconds until the window frees a request on the request, as ``rate_limit``, which
``orgs.api.middleware.ApiHeadersMiddleware`` answers as ``RateLimit-Limit``,
``RateLimit-Remaining`` and ``RateLimit-Reset`` (IETF draft "RateLimit header fields for HTTP").
"""

import math
from typing import Any

from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class _RateFromSettings:
    # Set by the DRF throttle this is mixed into.
    scope: Any
    history: Any
    now: Any
    duration: Any
    num_requests: Any

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_ident(self, request):
        # The one rule for a client's address, the login limiter's and the page throttle's:
        # only what the configured proxies appended to X-Forwarded-For is believed.
        from eurasia.middleware import client_ip

        return client_ip(request)

    def allow_request(self, request, view):
        self._http_request = getattr(request, "_request", request)
        return super().allow_request(request, view)

    def _remember(self, remaining: int) -> None:
        """Keep the tightest of the limits that apply (DRF's user throttle counts anonymous
        clients by address too)."""
        oldest = self.history[-1] if self.history else self.now
        reset = max(0, math.ceil(self.duration - (self.now - oldest)))
        measured = (self.num_requests, max(0, remaining), reset)
        before = getattr(self._http_request, "rate_limit", None)
        if before is None or (measured[1], measured[0]) < (before[1], before[0]):
            self._http_request.rate_limit = measured

    def throttle_success(self):
        allowed = super().throttle_success()
        self._remember(self.num_requests - len(self.history))
        return allowed

    def throttle_failure(self):
        self._remember(0)
        return super().throttle_failure()


class AnonThrottle(_RateFromSettings, AnonRateThrottle):
    pass


class UserThrottle(_RateFromSettings, UserRateThrottle):
    def get_cache_key(self, request, view):
        # An anonymous client is counted once, by ``AnonThrottle`` (the tighter rate): DRF's
        # user throttle would count it again by address, two more cache round trips per
        # answer, cache hits included, for a limit it can never reach first.
        if not (request.user and request.user.is_authenticated):
            return None
        return super().get_cache_key(request, view)
