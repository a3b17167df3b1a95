"""Template tags and filters the public pages share."""

import re

from django import template
from django.template.base import TextNode, VariableNode
from django.template.defaulttags import IfNode
from django.templatetags.i18n import BlockTranslateNode, TranslateNode
from django.utils.html import conditional_escape, format_html

register = template.Library()

LINE_BREAK = re.compile(r"[ \t]*\n\s*")


def join_lines(text: str, *, variable_before: bool, variable_after: bool) -> str:
    """``text`` with each line break, and the indentation around it, made a space between two
    words and nothing next to a tag. The text's neighbours in the template say whether its
    ends touch a word (a ``{{ variable }}``) or a tag."""

    def replacement(match: re.Match) -> str:
        start, end = match.span()
        word_on_left = text[start - 1] != ">" if start else variable_before
        word_on_right = text[end] != "<" if end < len(text) else variable_after
        return " " if word_on_left and word_on_right else ""

    return LINE_BREAK.sub(replacement, text)


def _child_nodelists(node):
    if isinstance(node, IfNode):
        # Its ``nodelist`` runs every branch together; each branch has its own neighbours.
        return [nodelist for _condition, nodelist in node.conditions_nodelists]
    return [getattr(node, name) for name in node.child_nodelists if getattr(node, name, None)]


# Nodes that render words: a line break between one and a word is a space.
WORD_NODES = (VariableNode, TranslateNode, BlockTranslateNode)


def _join_lines_in(nodelist) -> None:
    for index, node in enumerate(nodelist):
        if isinstance(node, TextNode):
            before = nodelist[index - 1] if index else None
            after = nodelist[index + 1] if index + 1 < len(nodelist) else None
            node.s = join_lines(
                node.s,
                variable_before=isinstance(before, WORD_NODES),
                variable_after=isinstance(after, WORD_NODES),
            )
        else:
            for child in _child_nodelists(node):
                _join_lines_in(child)


class OneLineNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        return self.nodelist.render(context)


@register.tag
def oneline(parser, token):
    """``{% oneline %}…{% endoneline %}``: write a long inline run on several template lines.

    Inside, a line break between two words (text, ``{{ variables }}`` or ``{% translate %}``
    and ``{% blocktranslate %}``) is a space; a line break
    next to a tag, HTML or template, is nothing. So a sentence assembled from conditional pieces
    can be written one piece a line without gaining spaces (``Belarus, 2015`` must not become
    ``Belarus , 2015``); a space wanted next to a tag is written inside a line. What variables
    and included templates render is left as it is.
    """
    nodelist = parser.parse(("endoneline",))
    parser.delete_first_token()
    _join_lines_in(nodelist)
    return OneLineNode(nodelist)


@register.filter
def lang_marked(name) -> str:
    """A record's name for the page, marked when English stands in for a name missing in the
    page's language: ``<span lang="en" class="untranslated">``, so screen readers say it in
    English and the page's style can show it. Other text is only escaped."""
    if getattr(name, "is_fallback", False):
        return format_html('<span lang="{}" class="untranslated">{}</span>', name.lang, name)
    return conditional_escape(name)


@register.filter
def url_as_of(record, day) -> str:
    """``record``'s page as it was on ``day`` (``?as_of=``); its page today when no day is given.

    Pages viewed as of a past date link to the same date, so a reader stays in that past.
    """
    url = record.get_absolute_url()
    if not day:
        return url
    return f"{url}?as_of={day:%Y-%m-%d}"


# Long lists of a profile rendered in Python (orgs/pages/spell_fragments.py): hundreds of rows,
# each of which took several small templates. Imported on use: that module uses the filters above.


@register.filter
def application_rows(applications, show_organization: bool = False):
    """``<li>`` rows of applications and invitations (``|application_rows:True`` names the
    organization applied to, on a country's page)."""
    from orgs.pages import spell_fragments

    return spell_fragments.application_rows(
        applications, spell_fragments.Addresses(), show_organization=bool(show_organization)
    )


@register.filter
def footnote_items(notes):
    """The ``<li>`` of each of a page's footnotes."""
    from orgs.pages import spell_fragments

    return spell_fragments.footnote_items(notes)


@register.filter
def quote_figures(quotes):
    """Each quote as a ``<figure>``: its words, speaker, date, marks and subjects."""
    from orgs.pages import spell_fragments

    return spell_fragments.quote_figures(quotes)
