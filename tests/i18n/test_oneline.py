"""``{% oneline %}`` treats ``{% translate %}`` and ``{% blocktranslate %}`` as words: a line
break between one and a word is a space, as between a variable and a word."""

from django.template import engines
from django.utils import translation


def render(source: str, **context) -> str:
    return engines["django"].from_string("{% load atlas i18n %}" + source).render(context)


def test_a_line_break_between_a_translation_and_a_word_is_a_space():
    source = """{% oneline %}
      <a href="/x/">{{ name }}</a>:
      {% translate "Sources" %}
      {{ day }}
      {% blocktranslate %}from {{ start }}{% endblocktranslate %}
      {% if end %}<em>{{ end }}</em>{% endif %}
    {% endoneline %}"""
    html = render(source, name="Belarus", day="2015", start="2010", end="2024")
    assert html == '<a href="/x/">Belarus</a>: Sources 2015 from 2010<em>2024</em>'
    with translation.override("ru"):
        assert render(source, name="Беларусь", day="2015", start="2010", end="") == (
            '<a href="/x/">Беларусь</a>: Источники 2015 from 2010'
        )
