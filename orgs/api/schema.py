"""The OpenAPI schema as the API behaves, not as drf-spectacular guesses it.

- Reads need no login: their ``security`` includes ``{}`` wherever anonymous reads are allowed
  (``DjangoModelPermissionsOrAnonReadOnly``, ``AllowAny``), so a generated client works
  without credentials.
- Every read that answers CSV says so: the ``format`` parameter (``json``, ``csv``) and a
  ``text/csv`` response beside the JSON one; every read takes ``lang`` and Accept-Language.
- Every operation lists the errors it really answers (400, 401, 403, 404, 406, 429; and 409,
  412, 413, 415 for writes) as RFC 9457 problem details (``application/problem+json``).
- An operation's description is the one given for the API's users, never a docstring.
"""

from __future__ import annotations

from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import get_manager, get_view_model
from drf_spectacular.utils import OpenApiParameter
from rest_framework import permissions, serializers

from .parameters import LANGUAGES
from .problems import MEDIA_TYPE as PROBLEM_MEDIA_TYPE
from .renderers import CSVRenderer

ANONYMOUS_READS = (
    permissions.AllowAny,
    permissions.DjangoModelPermissionsOrAnonReadOnly,
    permissions.IsAuthenticatedOrReadOnly,
)
WRITES = ("POST", "PUT", "PATCH", "DELETE")


class ProblemSerializer(serializers.Serializer):
    """RFC 9457 problem details."""

    type = serializers.URLField(
        help_text="The kind of problem: an address under /api/v1/problems/ describing it."
    )
    title = serializers.CharField(help_text="The kind of problem, in words.")
    status = serializers.IntegerField(help_text="The HTTP status code.")
    detail = serializers.CharField(help_text="What went wrong this time.")
    errors = serializers.DictField(  # type: ignore[assignment]  # a field named like Serializer.errors
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Messages by query parameter or body field (nested fields with dots).",
    )


class OptionalURLFieldExtension(OpenApiSerializerFieldExtension):
    """A URL or an empty string, as ``anyOf``: "" matches only the second (``oneOf`` would
    refuse it, since a bare string schema matches it too)."""

    target_class = "orgs.api.serializers.base.OptionalURLField"

    def map_serializer_field(self, auto_schema, direction):
        longest = getattr(self.target, "max_length", None) or 1000
        return {
            "anyOf": [
                {"type": "string", "format": "uri", "minLength": 1, "maxLength": longest},
                {"type": "string", "maxLength": 0},
            ],
            "description": "A URL, or empty when unknown.",
        }


def nullable_references(result, generator, request, public):
    """A nullable related object as validators read it: ``anyOf`` the object or null; an
    empty-or-URL field as ``anyOf`` too.

    drf-spectacular writes ``{"allOf": [{"$ref": …}], "nullable": true}``, which OpenAPI 3.0
    validators read as "never null" (the referenced object's own type refuses null).
    """

    def visit(node):
        if isinstance(node, dict):
            choices = node.get("oneOf")
            if isinstance(choices, list) and {"type": "string", "maxLength": 0} in choices:
                # A URL or "": "" matches a bare string schema too, so oneOf would refuse it.
                node["anyOf"] = node.pop("oneOf")
            refs = node.get("allOf")
            if node.get("nullable") and isinstance(refs, list) and len(refs) == 1:
                del node["allOf"], node["nullable"]
                node["anyOf"] = [refs[0], {"type": "object", "nullable": True, "enum": [None]}]
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    visit(result)
    return result


# No address may hold a NUL character (the server refuses one before any parameter is read:
# ``eurasia.middleware.NulByteMiddleware``), so a free-text parameter says so.
WITHOUT_NUL = r"^[^\x00]*$"


def text_parameters_without_nul(result, generator, request, public):
    """Every query and path parameter that takes free text gets the pattern ``WITHOUT_NUL``."""

    def restrict(schema):
        if not isinstance(schema, dict):
            return
        if schema.get("type") == "array":
            restrict(schema.get("items"))
        elif schema.get("type") == "string" and not {"enum", "pattern", "format"} & set(schema):
            schema["pattern"] = WITHOUT_NUL

    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []) if isinstance(operation, dict) else []:
                if parameter.get("in") in ("query", "path"):
                    restrict(parameter.get("schema"))
    return result


class AtlasFilterExtension(DjangoFilterExtension):
    """The FilterSets' parameters, and their other names (``statuses`` for ``status``, the
    events' ``from`` and ``until``) marked deprecated: accepted, not advertised."""

    target_class = "orgs.api.parameters.AtlasFilterBackend"
    priority = 1

    def get_schema_operation_parameters(self, auto_schema, *args, **kwargs):
        parameters = super().get_schema_operation_parameters(auto_schema, *args, **kwargs)
        model = get_view_model(auto_schema.view)
        filterset_class = model and self.target.get_filterset_class(
            auto_schema.view, get_manager(model).none()
        )
        if not filterset_class:
            return parameters
        by_name = {parameter["name"]: parameter for parameter in parameters}
        for alias, name in sorted(filterset_class.all_aliases().items()):
            if name in by_name and alias not in by_name:
                parameters.append(
                    {
                        **by_name[name],
                        "name": alias,
                        "deprecated": True,
                        "description": f"The other name of {name}; {name} wins when both "
                        "are given.",
                    }
                )
        return parameters


LANG = OpenApiParameter(
    "lang",
    str,
    enum=list(LANGUAGES),
    description="The language of the answer's display names (display_name, the name of a "
    "linked record or member) and of dates' display: en or ru. Wins over Accept-Language; "
    "English by default. A record without a name in that language shows its English one; "
    "names (and acronyms, titles) give every language, null where there is none. The "
    "answer's Content-Language says which language it is in. CSV headers stay English.",
)
ACCEPT_LANGUAGE = OpenApiParameter(
    "Accept-Language",
    str,
    location=OpenApiParameter.HEADER,
    description="The languages the client reads, as browsers send them (ru, en;q=0.8): the "
    "first the atlas speaks (en, ru) is the answer's language unless lang is given.",
)


class AtlasAutoSchema(AutoSchema):
    def map_renderers(self, attribute):
        # Response bodies are described as JSON; CSV is added to reads by _get_response_bodies.
        found = super().map_renderers(attribute)
        return [item for item in found if item not in ("text/csv", "csv")] or found

    def _answers_csv(self) -> bool:
        return self.method == "GET" and CSVRenderer in getattr(self.view, "renderer_classes", [])

    def _get_format_parameters(self):
        if not self._answers_csv():
            return []
        return [
            {
                "in": "query",
                "name": "format",
                "schema": {"type": "string", "enum": ["json", "csv"]},
                "description": "The answer's format: json (default) or csv. Wins over the "
                "Accept header.",
            }
        ]

    def _get_parameters(self):
        parameters = super()._get_parameters()
        for parameter in parameters:
            if parameter.get("in") != "query":
                continue
            if not parameter.get("required"):
                # An empty value means "not given", as when a form leaves a field blank.
                parameter["allowEmptyValue"] = True
            if parameter.get("schema", {}).get("type") == "array":
                # Lists are one parameter, comma-separated: status=member,observer.
                parameter["style"], parameter["explode"] = "form", False
        return parameters

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        if self.method == "GET" and not any(
            isinstance(p, OpenApiParameter) and p.name == "lang" for p in parameters
        ):
            parameters.append(LANG)
        if self.method == "GET" and not any(
            isinstance(p, OpenApiParameter) and p.name == "Accept-Language" for p in parameters
        ):
            parameters.append(ACCEPT_LANGUAGE)
        return parameters

    def get_auth(self):
        auths = super().get_auth()
        anonymous = any(isinstance(p, ANONYMOUS_READS) for p in self.view.get_permissions())
        if anonymous and self.method in permissions.SAFE_METHODS and {} not in auths:
            auths.append({})
        return auths

    def get_description(self):
        # Descriptions come from extend_schema, written for the API's users; a docstring is for
        # the code's readers and stays out of the schema.
        return ""

    def _error_codes(self) -> list[str]:
        codes = ["400", "401", "403", "404", "429"]
        if self.method == "GET":
            codes.append("406")
        if self.method in WRITES:
            codes += ["409", "413", "415"]
            if self.method in ("PUT", "PATCH"):
                codes.append("412")
        return sorted(codes)

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if self._answers_csv() and "200" in responses and "content" in responses["200"]:
            responses["200"]["content"]["text/csv"] = {
                "schema": {
                    "type": "string",
                    "description": "The rows as CSV with a header row: see the API section "
                    "of the README for the columns.",
                }
            }
        problem = self.resolve_serializer(ProblemSerializer, "response").ref
        for code in self._error_codes():
            responses.setdefault(
                code,
                {
                    "description": "A problem (RFC 9457): type, title, status, detail and, "
                    "for refused parameters or fields, errors.",
                    "content": {PROBLEM_MEDIA_TYPE: {"schema": problem}},
                },
            )
        return responses
