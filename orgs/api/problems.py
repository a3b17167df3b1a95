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

MEDIA_TYPE = "application/problem+json"

# slug: (status, title, what it means and what to do)
PROBLEMS: dict[str, tuple[int, str, str]] = {
    "unknown-parameter": (
        400,
        "Unknown query parameter",
        "The request gave a query parameter this address does not take, perhaps misspelt "
        "(organisation for organization). errors names it and lists the ones it takes; "
        "nothing was filtered.",
    ),
    "unknown-record": (
        400,
        "No such record",
        "A slug or code given in a parameter names no record you may see. errors names the "
        "parameter and, where names match, suggests the slugs or codes meant.",
    ),
    "invalid-parameter": (
        400,
        "Invalid query parameter",
        "A query parameter's value cannot be read: a day that is not YYYY-MM-DD, a status or "
        "an ordering that does not exist, a page that is not a whole number. errors says which "
        "and why.",
    ),
    "invalid-body": (
        400,
        "Invalid request body",
        "The record written is refused: errors names each field (nested ones with dots) and "
        "why; nothing was saved.",
    ),
    "malformed-request": (
        400,
        "Malformed request",
        "The request body or a header cannot be read (JSON that does not parse, an If-Match "
        "that is not a quoted version).",
    ),
    "not-authenticated": (
        401,
        "Not authenticated",
        "Writing needs a token: Authorization: Token <key>. Reading needs none.",
    ),
    "permission-denied": (
        403,
        "Permission denied",
        "Your account lacks the right for this (an Editor's group, or a Reviewer's to publish).",
    ),
    "not-found": (404, "Not found", "No record you may see is at this address."),
    "method-not-allowed": (
        405,
        "Method not allowed",
        "This address does not take this HTTP method; the Allow header lists those it takes.",
    ),
    "not-acceptable": (
        406,
        "Not acceptable",
        "None of the media types in Accept can be answered; ask for application/json or "
        "text/csv (or give ?format=json or ?format=csv).",
    ),
    "conflict": (
        409,
        "Conflict",
        "The write conflicts with the atlas as it is: a stale version, a change waiting for "
        "review, a record other records still use, or a claim left without a published source.",
    ),
    "precondition-failed": (
        412,
        "Precondition failed",
        "If-Match named a version of the record that is no longer current; read it again.",
    ),
    "payload-too-large": (413, "Request too large", "The request body is too large."),
    "unsupported-media-type": (
        415,
        "Unsupported media type",
        "Send request bodies as application/json.",
    ),
    "throttled": (
        429,
        "Too many requests",
        "The rate limit for your client was reached; Retry-After and RateLimit-Reset say how "
        "many seconds to wait. The bulk download (/downloads/) needs no request per record.",
    ),
    "server-error": (
        500,
        "Server error",
        "The atlas failed to answer; the error was logged. Try again later.",
    ),
    "unavailable": (
        503,
        "Service unavailable",
        "The atlas cannot reach its database just now; Retry-After says when to try again.",
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
        "title": title,
        "status": status or code,
        "detail": detail or title + ".",
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
