"""RFC 9457 problem details: the one shape of every error the API answers.

``{"type", "title", "status", "detail", "errors"}`` as ``application/problem+json``. ``type`` is
the address of the problem's description under ``/api/v1/problems/``; ``errors`` maps each
refused query parameter or body field (nested fields with dots: ``citations.0.source``) to its
messages. The DRF exception handler (``orgs.api.exceptions``), the middleware that answer before
DRF (database down, body too large, throttled cache hits) and the 404/500 handlers under
``/api/`` all build their body here.
"""

from __future__ import annotations

from django.http import JsonResponse
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy, pgettext_lazy

StrOrPromise = str | Promise

MEDIA_TYPE = "application/problem+json"

# slug: (status, title, what it means and what to do)
PROBLEMS: dict[str, tuple[int, StrOrPromise, StrOrPromise]] = {
    "unknown-parameter": (
        400,
        pgettext_lazy("problem title", "Unknown query parameter"),
        gettext_lazy(
            "The request gave a query parameter this address does not take, perhaps "
            "misspelt (organisation for organization). errors names it and lists the "
            "ones it takes; nothing was filtered."
        ),
    ),
    "unknown-record": (
        400,
        pgettext_lazy("problem title", "No such record"),
        gettext_lazy(
            "A slug or code given in a parameter names no record you may see. errors "
            "names the parameter and, where names match, suggests the slugs or codes "
            "meant."
        ),
    ),
    "invalid-parameter": (
        400,
        pgettext_lazy("problem title", "Invalid query parameter"),
        gettext_lazy(
            "A query parameter's value cannot be read: a day that is not YYYY-MM-DD, a "
            "status or an ordering that does not exist, a page that is not a whole "
            "number. errors says which and why."
        ),
    ),
    "invalid-body": (
        400,
        pgettext_lazy("problem title", "Invalid request body"),
        gettext_lazy(
            "The record written is refused: errors names each field (nested ones with "
            "dots) and why; nothing was saved."
        ),
    ),
    "malformed-request": (
        400,
        pgettext_lazy("problem title", "Malformed request"),
        gettext_lazy(
            "The request body or a header cannot be read (JSON that does not parse, an "
            "If-Match that is not a quoted version)."
        ),
    ),
    "not-authenticated": (
        401,
        pgettext_lazy("problem title", "Not authenticated"),
        gettext_lazy("Writing needs a token: Authorization: Token <key>. Reading needs none."),
    ),
    "permission-denied": (
        403,
        pgettext_lazy("problem title", "Permission denied"),
        gettext_lazy(
            "Your account lacks the right for this (an Editor's group, or a Reviewer's to publish)."
        ),
    ),
    "not-found": (
        404,
        pgettext_lazy("problem title", "Not found"),
        gettext_lazy("No record you may see is at this address."),
    ),
    "method-not-allowed": (
        405,
        pgettext_lazy("problem title", "Method not allowed"),
        gettext_lazy(
            "This address does not take this HTTP method; the Allow header lists those it takes."
        ),
    ),
    "not-acceptable": (
        406,
        pgettext_lazy("problem title", "Not acceptable"),
        gettext_lazy(
            "None of the media types in Accept can be answered; ask for "
            "application/json or text/csv (or give ?format=json or ?format=csv)."
        ),
    ),
    "conflict": (
        409,
        pgettext_lazy("problem title", "Conflict"),
        gettext_lazy(
            "The write conflicts with the atlas as it is: a stale version, a change "
            "waiting for review, a record other records still use, or a claim left "
            "without a published source."
        ),
    ),
    "precondition-failed": (
        412,
        pgettext_lazy("problem title", "Precondition failed"),
        gettext_lazy(
            "If-Match named a version of the record that is no longer current; read it again."
        ),
    ),
    "payload-too-large": (
        413,
        pgettext_lazy("problem title", "Request too large"),
        gettext_lazy("The request body is too large."),
    ),
    "unsupported-media-type": (
        415,
        pgettext_lazy("problem title", "Unsupported media type"),
        gettext_lazy("Send request bodies as application/json."),
    ),
    "throttled": (
        429,
        pgettext_lazy("problem title", "Too many requests"),
        gettext_lazy(
            "The rate limit for your client was reached; Retry-After and "
            "RateLimit-Reset say how many seconds to wait. The bulk download "
            "(/downloads/) needs no request per record."
        ),
    ),
    "server-error": (
        500,
        pgettext_lazy("problem title", "Server error"),
        gettext_lazy("The atlas failed to answer; the error was logged. Try again later."),
    ),
    "unavailable": (
        503,
        pgettext_lazy("problem title", "Service unavailable"),
        gettext_lazy(
            "The atlas cannot reach its database just now; Retry-After says when to try again."
        ),
    ),
}

BY_STATUS = {status: slug for slug, (status, _title, _text) in reversed(PROBLEMS.items())}


def problem_type(request, slug: str) -> str:
    path = reverse("api-problem", kwargs={"slug": slug})
    return request.build_absolute_uri(path) if request is not None else path


def problem_document(
    request, slug: str, detail: str = "", *, errors: dict | None = None, status: int | None = None
) -> dict:
    code, title, _text = PROBLEMS[slug]
    document = {
        "type": problem_type(request, slug),
        "title": str(title),
        "status": status or code,
        "detail": detail or f"{title}.",
    }
    if errors:
        document["errors"] = errors
    return document


def slug_for_status(status: int) -> str:
    if status in BY_STATUS:
        return BY_STATUS[status]
    return "server-error" if status >= 500 else "malformed-request"


def problem_response(
    request, status: int, detail: str = "", *, slug: str | None = None
) -> JsonResponse:
    """A problem response built without DRF: for middleware and Django's error handlers."""
    slug = slug or slug_for_status(status)
    response = JsonResponse(
        problem_document(request, slug, detail, status=status),
        status=status,
        content_type=MEDIA_TYPE,
        json_dumps_params={"ensure_ascii": False},
    )
    response["Cache-Control"] = "no-store"
    return response
