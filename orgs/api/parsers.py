"""Request parsers: DRF's, except that JSON nested too deeply for Python's parser is a 400."""

from __future__ import annotations

from rest_framework import parsers
from rest_framework.exceptions import ParseError


class SafeJSONParser(parsers.JSONParser):
    """``JSONParser`` answering 400 ("JSON nested too deeply") to a body like ``[[[[…]]]]``
    5,000 levels deep, which makes ``json.load`` raise RecursionError (a 500 otherwise).

    Other malformed bodies (truncated, binary, bad UTF-8) raise ValueError, which DRF's parser
    already turns into a ParseError naming what is wrong.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError("JSON nested too deeply") from None
