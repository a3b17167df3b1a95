"""What every read of the API shares at the HTTP level: validators and conditional answers,
links without ``?format=``.

- ``ConditionalGetMixin``: a strong ``ETag`` (a digest of the body and its media type, hex
  only, so valid per RFC 9110) and ``Last-Modified`` (the atlas's last change) on every
  successful read; ``If-None-Match`` (``*`` included) and ``If-Modified-Since`` answer 304 with
  no body and no media type, through Django's own ``get_conditional_response``.
- ``LinkRequest``: the request as the serializers see it, without ``?format=``, so that URLs in
  a CSV (or JSON) answer point at the records, not at their CSV.
"""

from __future__ import annotations

import hashlib

from django.utils.cache import get_conditional_response
from django.utils.http import http_date, quote_etag
from rest_framework.response import Response
from rest_framework.settings import api_settings

from eurasia.cache import atlas_version
from orgs.selectors.feed import atlas_last_modified


class ConditionalGetMixin:
    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        if not isinstance(response, Response):
            return response
        response.render()
        digest = hashlib.sha256(response.content, usedforsecurity=False)
        digest.update(response.get("Content-Type", "").encode())
        etag = quote_etag(digest.hexdigest()[:40])
        response["ETag"] = etag
        last_modified = atlas_last_modified(atlas_version())
        timestamp = last_modified.timestamp() if last_modified else None
        if timestamp is not None:
            response["Last-Modified"] = http_date(timestamp)
        conditional = get_conditional_response(
            request._request, etag=etag, last_modified=timestamp, response=response
        )
        return conditional


class LinkRequest:
    """A request whose ``GET`` lacks the format override; everything else is the request's."""

    def __init__(self, request):
        self._wrapped = request
        self.GET = request._request.GET.copy()
        self.GET.pop(api_settings.URL_FORMAT_OVERRIDE, None)

    @property
    def query_params(self):
        return self.GET

    def __getattr__(self, name):
        return getattr(self._wrapped, name)
