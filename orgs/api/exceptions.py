"""One exception handler: model validation and parameter errors answer 400, a delete of a record
other records still use 409, never 500."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.db.models import ProtectedError, RestrictedError
from rest_framework import exceptions, serializers, status
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from orgs.params import ParameterError


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = "precondition_failed"


def exception_handler(exc, context):
    if isinstance(exc, ParameterError):
        exc = exceptions.ValidationError({exc.parameter: [exc.message]})
    elif isinstance(exc, DjangoPermissionDenied) and str(exc):
        # orgs.services says which right is missing ("ask a reviewer"); keep its words.
        exc = exceptions.PermissionDenied(str(exc))
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(serializers.as_serializer_error(exc))
    elif isinstance(exc, ProtectedError | RestrictedError):
        used_by = sorted({str(record) for record in list(exc.args[1])[:5]})
        exc = Conflict(f"Other records still refer to this one: {'; '.join(used_by)}.")
    elif isinstance(exc, IntegrityError):
        # Two writes racing past full_clean(); the database constraint had the last word.
        exc = exceptions.ValidationError({api_settings.NON_FIELD_ERRORS_KEY: [str(exc)[:300]]})
    return drf_exception_handler(exc, context)
