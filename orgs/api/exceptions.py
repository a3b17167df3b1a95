"""One exception handler: every error the API answers is an RFC 9457 problem (``problems.py``).

Model validation and parameter errors answer 400, a delete of a record other records still use
409, never 500.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.db.models import ProtectedError, RestrictedError
from django.utils.translation import gettext as _
from rest_framework import exceptions, serializers, status
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from orgs.params import ParameterError

from .parameters import ParameterErrors
from .problems import problem_document, slug_for_status
from .renderers import ProblemJSONRenderer


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = "precondition_failed"


def _translated(exc):
    if isinstance(exc, ParameterError):
        return ParameterErrors({exc.parameter: [exc.message]})
    if isinstance(exc, DjangoPermissionDenied) and str(exc):
        # orgs.services says which right is missing ("ask a reviewer"); keep its words.
        return exceptions.PermissionDenied(str(exc))
    if isinstance(exc, DjangoValidationError):
        return exceptions.ValidationError(serializers.as_serializer_error(exc))
    if isinstance(exc, ProtectedError | RestrictedError):
        used_by = sorted({str(record) for record in list(exc.args[1])[:5]})
        return Conflict(
            _("Other records still refer to this one: %(records)s.")
            % {"records": "; ".join(used_by)}
        )
    if isinstance(exc, IntegrityError):
        # Two writes racing past full_clean(); the database constraint had the last word.
        return exceptions.ValidationError({api_settings.NON_FIELD_ERRORS_KEY: [str(exc)[:300]]})
    return exc


def flat_errors(detail, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail as ``{"field": [...], "citations.0.source": [...]}``."""
    if isinstance(detail, dict):
        flat: dict[str, list[str]] = {}
        for key, value in detail.items():
            flat.update(flat_errors(value, f"{prefix}.{key}" if prefix else str(key)))
        return flat
    if isinstance(detail, list):
        if all(not isinstance(item, dict | list) for item in detail):
            return {prefix or api_settings.NON_FIELD_ERRORS_KEY: [str(item) for item in detail]}
        flat = {}
        for index, item in enumerate(detail):
            flat.update(flat_errors(item, f"{prefix}.{index}" if prefix else str(index)))
        return flat
    return {prefix or api_settings.NON_FIELD_ERRORS_KEY: [str(detail)]}


def _problem_slug(exc, status_code: int) -> str:
    if isinstance(exc, ParameterErrors):
        if "unknown_parameter" in exc.codes:
            return "unknown-parameter"
        if exc.codes == {"unknown_record"}:
            return "unknown-record"
        return "invalid-parameter"
    if isinstance(exc, exceptions.ValidationError):
        return "invalid-body"
    if isinstance(exc, exceptions.ParseError):
        return "malformed-request"
    return slug_for_status(status_code)


def _summary(errors: dict[str, list[str]]) -> str:
    parts = [f"{name}: {messages[0]}" for name, messages in errors.items() if messages]
    return " ".join(parts[:3])[:1000]


def exception_handler(exc, context):
    exc = _translated(exc)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # a 500, answered by Django's handler (eurasia.urls) as a problem too
    request = context.get("request")
    slug = _problem_slug(exc, response.status_code)
    if isinstance(exc, exceptions.ValidationError):
        errors = flat_errors(exc.detail)
        document = problem_document(
            request, slug, _summary(errors), errors=errors, status=response.status_code
        )
    else:
        detail = response.data.get("detail", "") if isinstance(response.data, dict) else ""
        document = problem_document(request, slug, str(detail), status=response.status_code)
    response.data = document
    if (
        request is not None
        and getattr(getattr(request, "accepted_renderer", None), "format", "") != "api"
    ):
        # Whatever was asked for (CSV included), an error is a problem document; the
        # browsable API keeps showing it in its page.
        request.accepted_renderer = ProblemJSONRenderer()
        request.accepted_media_type = ProblemJSONRenderer.media_type
    return response
