"""Request parsers: DRF's JSON parser, refusing with a 400 what would otherwise be a 500 later.

- JSON nested too deeply for Python's parser (``[[[[…]]]]`` 5,000 levels deep makes
  ``json.load`` raise RecursionError).
- Text no field of the atlas may hold, found in any string of the body, keys included:
  a NUL (PostgreSQL refuses it in text with an error, wherever it is looked up: a slug, a
  code, a filter) and a lone surrogate (``"\\ud800"`` is valid JSON, but not text: it cannot be
  encoded as UTF-8, so neither stored nor echoed in an error message).

Other malformed bodies (truncated, binary, bad UTF-8) raise ValueError, which DRF's parser
already turns into a ParseError naming what is wrong.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy
from rest_framework import parsers
from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.settings import api_settings

NUL = gettext_lazy("The text holds a NUL character, which no field takes.")
SURROGATE = gettext_lazy(
    "The text holds a lone surrogate (such as \\ud800), which is not a character."
)


def _unwritable(text: str) -> str | None:
    if "\x00" in text:
        return str(NUL)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return str(SURROGATE)
    return None


def _first_problem(value) -> str | None:
    """What is wrong with the first string in ``value`` that no field may take, if any."""
    if isinstance(value, str):
        return _unwritable(value)
    if isinstance(value, dict):
        for key, item in value.items():
            problem = _unwritable(key) or _first_problem(item)
            if problem:
                return problem
    elif isinstance(value, list):
        for item in value:
            problem = _first_problem(item)
            if problem:
                return problem
    return None


def check_text(data) -> None:
    """A 400 naming the field (the top-level key) whose value holds a NUL or lone surrogate."""
    if isinstance(data, dict):
        for key, value in data.items():
            problem = _first_problem(key) or _first_problem(value)
            if problem:
                name = key if _unwritable(key) is None else api_settings.NON_FIELD_ERRORS_KEY
                raise ValidationError({name: [problem]})
        return
    problem = _first_problem(data)
    if problem:
        raise ValidationError({api_settings.NON_FIELD_ERRORS_KEY: [problem]})


class SafeJSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(gettext_lazy("JSON nested too deeply")) from None
        try:
            check_text(data)
        except RecursionError:
            raise ParseError(gettext_lazy("JSON nested too deeply")) from None
        return data
