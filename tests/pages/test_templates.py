"""The template tools the public pages share: ``{% oneline %}`` and ``url_as_of``."""

import datetime

import pytest
from django.template import engines

from tests.makers import make_country, make_organization

pytestmark = pytest.mark.django_db


def render(source: str, **context) -> str:
    return engines["django"].from_string("{% load atlas %}" + source).render(context)


def test_oneline_drops_line_breaks_next_to_tags_and_keeps_them_between_words():
    html = render(
        """<p>{% oneline %}
          <a href="/x/">{{ name }}</a>:
          {{ status }} from {{ start }}
          {% if end %} to {{ end }}{% endif %}, a claim
          the atlas does not follow
        {% endoneline %}</p>""",
        name="Belarus",
        status="observer",
        start="2015",
        end="2022",
    )
    assert html == (
        '<p><a href="/x/">Belarus</a>: observer from 2015 to 2022, a claim the atlas does not '
        "follow</p>"
    )


def test_oneline_leaves_what_variables_render_alone():
    assert render("{% oneline %}\n  {{ text }}\n{% endoneline %}", text="a\n  b") == "a\n  b"


def test_url_as_of_keeps_the_day_a_page_is_viewed_on():
    belarus, sco = make_country(), make_organization("sco")
    assert render("{{ record|url_as_of:day }}", record=belarus, day=None) == "/countries/by/"
    day = datetime.date(2016, 1, 2)
    assert render("{{ record|url_as_of:day }}", record=sco, day=day) == (
        "/organizations/sco/?as_of=2016-01-02"
    )
