"""Every word a reader sees in a template is marked for translation.

The templates are read with Django's own lexer: text outside ``{% translate %}`` and
``{% blocktranslate %}``, and the attributes a reader sees or hears (``title``, ``alt``,
``placeholder``, ``aria-label``, ``label``, a button's ``value``), must hold no English word, and
neither may the literal strings passed to an included template (``with caption="…"``) or to a
filter (``default:"…"``) unless wrapped in ``_()``.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.template.base import Lexer, TokenType

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# Words that are the same in every language: the brand's own acronym-free names stay translated,
# so only codes and format names are allowed.
ALLOWED = re.compile(r"\b(?:ISO|CSV|SVG|PNG|JSON|NDJSON|SQLite|API|UpSet)\b")
WORD = re.compile(r"[A-Za-z]{2,}")
VISIBLE_ATTRIBUTES = {"title", "alt", "placeholder", "aria-label", "label"}
# What a tag or a variable leaves in the text: a space, so that markup around it still parses.
PLACEHOLDER = " "
# Blocks whose content is markup, not text: the admin's body classes.
MARKUP_BLOCKS = {"bodyclass"}


def english(text: str) -> bool:
    return bool(WORD.search(ALLOWED.sub("", text)))


class VisibleText(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.hidden = 0  # inside <script> or <style>

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.hidden += 1
        values = dict(attrs)
        for name, value in attrs:
            if value and name in VISIBLE_ATTRIBUTES and english(value):
                self.found.append(f'{name}="{value}"')
        button = tag == "input" and values.get("type") in ("submit", "button", "reset")
        if button and english(values.get("value") or ""):
            self.found.append(f'value="{values["value"]}"')

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self.hidden:
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden and english(data):
            self.found.append(" ".join(data.split()))


LITERAL = re.compile(r"""(_\()?(["'])(.*?)\2""")
KWARG_LITERAL = re.compile(r"""\w+=(_\()?(["'])(.*?)\2""")
FILTER_LITERAL = re.compile(r"""\|(\w+):(_\()?(["'])(.*?)\3""")
TEXTUAL_DATE = re.compile(r"[FMNbDlEPAa]")


def unmarked_literals(token) -> list[str]:
    """Literal strings in a tag or a variable that render as words without ``_()``."""
    found = []
    for name, translated, _quote, value in FILTER_LITERAL.findall(token.contents):
        if translated:
            continue
        if name == "date" and TEXTUAL_DATE.search(value):
            found.append(f"|date:{value!r} (month or day names: use _())")
        elif name in ("default", "default_if_none") and english(value):
            found.append(f"|{name}:{value!r}")
    if token.token_type == TokenType.BLOCK and token.contents.split()[0] in ("include", "with"):
        for translated, _quote, value in KWARG_LITERAL.findall(token.contents):
            if not translated and english(value) and (" " in value or value[:1].isupper()):
                found.append(f"with …={value!r}")
    return found


def problems(source: str) -> list[str]:
    found: list[str] = []
    pieces: list[str] = []
    skipping: list[str] = []  # the end tags awaited: endblocktranslate, endcomment
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.COMMENT:
            continue
        if token.token_type == TokenType.BLOCK:
            name = token.contents.split()[0]
            if skipping:
                if name == skipping[-1]:
                    skipping.pop()
                pieces.append(PLACEHOLDER)
                continue
            if name in ("blocktranslate", "blocktrans"):
                skipping.append(f"end{name}")
            elif name == "comment":
                skipping.append("endcomment")
            elif name == "verbatim":
                skipping.append("endverbatim")
            elif name == "block" and set(token.contents.split()[1:2]) & MARKUP_BLOCKS:
                skipping.append("endblock")
            found.extend(unmarked_literals(token))
            pieces.append(PLACEHOLDER)
        elif token.token_type == TokenType.VAR:
            if not skipping:
                found.extend(unmarked_literals(token))
            pieces.append(PLACEHOLDER)
        elif not skipping:
            pieces.append(token.contents)
    parser = VisibleText()
    parser.feed(re.sub(r"<!--.*?-->", "", "".join(pieces), flags=re.S))
    parser.close()
    return found + parser.found


TEMPLATE_FILES = sorted(TEMPLATES.rglob("*.html"))


def test_every_template_is_checked():
    assert len(TEMPLATE_FILES) > 40
    assert {"base.html", "404.html", "500.html"} <= {path.name for path in TEMPLATE_FILES}


@pytest.mark.parametrize(
    "path", TEMPLATE_FILES, ids=[str(p.relative_to(TEMPLATES)) for p in TEMPLATE_FILES]
)
def test_no_visible_english_outside_translation_tags(path):
    assert problems(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("<p>Members</p>", ["Members"]),
        ('<p>{% translate "Members" %}</p>', []),
        ("<p>{% blocktranslate %}Since {{ day }}{% endblocktranslate %}</p>", []),
        ('<button title="Save it">{% translate "Save" %}</button>', ['title="Save it"']),
        ('<input type="submit" value="Reject">', ['value="Reject"']),
        ('<input type="hidden" name="action" value="cite_selected">', []),
        (
            '{% include "x.html" with caption="Agreements and stages" %}',
            ["with …='Agreements and stages'"],
        ),
        ('{% include "x.html" with caption=_("Agreements and stages") %}', []),
        ('{{ note|default:"sources disagree" }}', ["|default:'sources disagree'"]),
        ('{{ on|date:"j F Y" }}', ["|date:'j F Y' (month or day names: use _())"]),
        ("{{ on|date:'Y-m-d' }}", []),
        ("{% comment %}Notes for developers{% endcomment %}<p>–</p>", []),
        ("<script>let x = 1;</script><p>1 · 2</p>", []),
        ('<a href="/x/">{{ name }}</a>, since', [", since"]),
        ('<tr{% if old %} class="old"{% endif %}><td>{{ x }}</td></tr>', []),
        ("{% block bodyclass %}{{ block.super }} app-orgs{% endblock %}", []),
        ("<p>ISO 3166-1 · CSV</p>", []),
    ],
)
def test_the_check_finds_english_and_only_english(source, expected):
    assert problems(source) == expected
