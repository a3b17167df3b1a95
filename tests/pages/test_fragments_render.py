"""The profile rows rendered in Python (orgs/pages/spell_fragments.py) read as the templates
they replaced did: the same markup, in English and in Russian, with every value escaped.

Each reference below is the template markup the profiles used for the row (its small includes,
``_marks.html``, ``_spell.html``, ``_competing.html``, ``_application.html``, still render the
other pages); both are rendered with the objects the page itself prepared, and compared with
runs of whitespace made one space and the whitespace beside block tags dropped.
"""

import re

import pytest
from django.contrib.auth import get_user_model
from django.template import engines
from django.utils import translation

from orgs.models import Membership, Rank
from orgs.pages import spell_fragments
from tests.makers import (
    make_application,
    make_citation,
    make_country,
    make_membership,
    make_organization,
    make_person,
    make_quote,
    make_source,
)
from tests.page_text import section, text_of

pytestmark = pytest.mark.django_db

HOSTILE = "<script>alert(\"x\")</script> & 'quoted'"

COUNTRY_ROWS = """{% load atlas i18n %}{% for status, heading, spells in country_groups %}
  <ul class="member-list" data-status="{{ status }}">
    {% for spell in spells %}
      <li>{% oneline %}
        {% with country=spell.member_country %}
          <a href="{{ country|url_as_of:as_of }}">{{ country.localized_name|lang_marked }}</a> <span class="since">{% blocktranslate with start=spell.start_partial.display %}since {{ start }}{% endblocktranslate %}</span>
        {% endwith %}
        {% include "orgs/_marks.html" with marks=spell.marks %}
        {% include "orgs/_spell.html" with check_certainty=True %}
        {% include "orgs/_competing.html" %}
      {% endoneline %}</li>
    {% endfor %}
  </ul>
{% endfor %}"""

ORGANIZATION_ROWS = """{% load atlas i18n %}{% for status, heading, spells in organization_groups %}{% for spell in spells %}
  <li>{% oneline %}
    <a href="{{ spell.member_organization.get_absolute_url }}">{{ spell.member_organization }}</a>:
    {{ spell.get_status_display }} <span class="since">{% blocktranslate with start=spell.start_partial.display %}since {{ start }}{% endblocktranslate %}</span>
    {% include "orgs/_marks.html" with marks=spell.marks %}
    {% include "orgs/_spell.html" with check_certainty=True %}
    {% include "orgs/_competing.html" %}
  {% endoneline %}</li>
{% endfor %}{% endfor %}"""

TAKES_PART_IN_ROWS = """{% load atlas i18n %}{% for spell in takes_part_in %}
  <li>{% oneline %}
    <a href="{{ spell.organization.get_absolute_url }}">{{ spell.organization }}</a>:
    {{ spell.get_status_display }} <span class="since">{% blocktranslate with start=spell.start_partial.display %}since {{ start }}{% endblocktranslate %}</span>
    {% include "orgs/_marks.html" with marks=spell.marks %}
    {% include "orgs/_spell.html" with check_certainty=True %}
    {% include "orgs/_competing.html" %}
  {% endoneline %}</li>
{% endfor %}"""

FORMER_ROWS = """{% load atlas i18n %}{% for spell in former %}
  <li>{% oneline %}
    <a href="{{ spell.member.get_absolute_url }}">{{ spell.member }}</a>:
    {% blocktranslate with status=spell.get_status_display period=spell.period end=spell.end_partial.display %}{{ status }} {{ period }}, left {{ end }}{% endblocktranslate %}
    {% include "orgs/_marks.html" with marks=spell.marks %}
    {% include "orgs/_spell.html" %}
  {% endoneline %}</li>
{% endfor %}"""

APPLICATION_ROWS = """{% load i18n %}{% for application in applications %}
  <li>{% include "orgs/_application.html" %}</li>
{% endfor %}"""

COUNTRY_APPLICATION_ROWS = """{% load i18n %}{% for application in applications %}
  <li>{% include "orgs/_application.html" with show_organization=True %}{% if application.still_open %} <span class="tag">{% translate "pending" %}</span>{% endif %}</li>
{% endfor %}"""

MEMBERSHIP_TABLE_ROWS = """{% load atlas i18n %}{% for spell in memberships %}
  <tr>
    <th scope="row"><a href="{{ spell.organization|url_as_of:as_of }}">{{ spell.organization }}</a></th>
    <td>{% oneline %}
      <span class="swatch status-{{ spell.status }}" aria-hidden="true"></span>
      {{ spell.get_status_display }}
      {% include "orgs/_spell.html" with check_certainty=True %}
      {% include "orgs/_competing.html" %}
    {% endoneline %}</td>
    <td>{{ spell.start_partial.display }}</td>
    <td>{% include "orgs/_marks.html" with marks=spell.marks %}</td>
  </tr>
{% endfor %}"""

HISTORY_TABLE_ROWS = """{% load atlas i18n %}{% for spell in history %}
  <tr{% if spell.rank == "deprecated" %} class="deprecated"{% endif %}>
    <th scope="row"><a href="{{ spell.organization.get_absolute_url }}">{{ spell.organization.localized_short_name|lang_marked }}</a></th>
    <td>{% oneline %}
      {{ spell.get_status_display }}
      {% include "orgs/_spell.html" %}
      {% if spell.rank == "deprecated" %} <span class="tag">{% translate "competing claim:" %}
        {{ spell.rank_reason }}</span>{% endif %}
    {% endoneline %}</td>
    <td>{{ spell.period }}</td>
    <td>{% include "orgs/_marks.html" with marks=spell.marks %}</td>
  </tr>
{% endfor %}"""

QUOTES = """{% for quote in quotes %}{% include "orgs/_quote.html" %}{% endfor %}"""

FOOTNOTES = """{% load atlas i18n %}{% for note in footnotes %}{% with source=note.citation.source %}
    <li id="fn-{{ note.number }}">
      {% oneline %}
        {% if source.publisher %}{{ source.publisher }}, {% endif %}
        <cite><a href="{{ source.get_absolute_url }}">{{ source.title }}</a></cite>
        {% if source.published_on_partial %}, {{ source.published_on_partial.display }}{% endif %}.
      {% endoneline %}
      {% oneline %}
        {% if source.url %}<a href="{{ source.url }}" rel="noopener external">{% translate "Original" %}</a>{% endif %}
        {% if source.archive_url %} · <a href="{{ source.archive_url }}"
          rel="noopener external">{% translate "Archived copy" %}</a>{% endif %}
      {% endoneline %}
      {% if source.translation_note %}<span class="translation-note">({{ source.translation_note }})</span>{% endif %}
      {% if note.citation.excerpt %}<blockquote>{{ note.citation.excerpt }}</blockquote>{% endif %}
      {% if note.citation.locator %}<span class="locator">{{ note.citation.locator }}</span>{% endif %}
    </li>
    {% endwith %}{% endfor %}"""

BLOCK_TAG = r"</?(?:li|ul|p|blockquote|figure|figcaption|tr|th|td)\b[^>]*>"


def normalized(html: str) -> str:
    html = re.sub(r"\s+", " ", str(html)).strip()
    return re.sub(rf" ?({BLOCK_TAG}) ?", r"\1", html)


def reference(template: str, context: dict) -> str:
    return normalized(engines["django"].from_string(template).render(context))


def fragment(html: str) -> str:
    return normalized(html)


def page_context(response) -> dict:
    names = ("as_of", "country_groups", "organization_groups", "takes_part_in", "former")
    names += ("memberships", "history", "footnotes", "quotes")
    return {name: response.context.get(name) for name in names}


@pytest.fixture
def hostile(seed):
    """An organization with a hostile-named member country and organization, spells with every
    mark (qualifier, founding, medium confidence, unsourced part, uncertain, draft, disputed,
    a competing claim, former), applications and a source whose every field is hostile."""
    organization = make_organization(slug="hostile", name=f"Union {HOSTILE}", acronym="U&I")
    country = make_country(iso2="XS", iso3="XSS", name=f"Land {HOSTILE}", iso_unlisted=True)
    neighbour = make_country(iso2="XT", iso3="XTT", name="Quiet Land", iso_unlisted=True)
    member_organization = make_organization(slug="member-org", name=f"Bloc {HOSTILE}")
    source = make_source(
        title=f"Report {HOSTILE}",
        publisher=f"Press {HOSTILE}",
        url="https://example.org/a?b=1&c='2'",
        archive_url="https://archive.example.org/a?b=1&c=2",
        translation_note=f"translated {HOSTILE}",
    )
    source.published_on_partial = "2020-05"
    source.save()
    spell = make_membership(
        organization,
        country,
        "2010",
        cite=False,
        qualifier=f"de jure {HOSTILE}",
        is_founding=True,
        confidence="medium",
        unsourced=f"day {HOSTILE}",
        is_disputed=True,
        dispute_note=f"one two three four five six seven eight nine ten eleven {HOSTILE}",
    )
    make_citation(spell, source, excerpt=f"Excerpt {HOSTILE}", locator=f"p. {HOSTILE}")
    make_membership(
        organization,
        country,
        "2008",
        "2012",
        status="observer",
        rank=Rank.DEPRECATED,
        rank_reason=f"another source {HOSTILE}",
    )
    make_membership(organization, neighbour, "2001", "2005", status="observer", cite=False)
    make_membership(organization, neighbour, "2015", confidence="low", is_published=False)
    make_membership(organization, member_organization, "2016-03", status="partner")
    make_membership(member_organization, organization, "2019", status="observer")
    make_application(organization, neighbour, "2021-02-03", kind="invitation")
    make_application(
        organization,
        country,
        "2003",
        requested_status="observer",
        outcome="granted",
        decided_on="2004-06",
        confidence="medium",
        is_disputed=True,
        dispute_note=HOSTILE,
    )
    make_application(
        member_organization, country, "2022", kind="prospect", unsourced=f"year {HOSTILE}"
    )
    make_quote(
        f"Words {HOSTILE}",
        make_person(name=f"Speaker {HOSTILE}", slug="hostile-speaker"),
        speaker_organization=member_organization,
        speaker_role=f"envoy {HOSTILE}",
        original_text=f"Слова {HOSTILE}",
        original_language="ru",
        kind="reported",
        said_on="2020-03",
        about_organizations=[organization, member_organization],
        about_countries=[country, neighbour],
        is_disputed=True,
        dispute_note=f"who said it {HOSTILE}",
    )
    make_quote(
        "An institutional statement.",
        speaker_organization=organization,
        about_countries=[country],
        is_published=False,
        cite=False,
    )
    return organization


@pytest.fixture
def staff_client(client):
    client.force_login(get_user_model().objects.create_user("staff", is_staff=True))
    return client


ORGANIZATION_PAGES = [
    "/organizations/sco/",
    "/organizations/sco/?as_of=2025-07-01",
    "/organizations/brics/?as_of=2025-07-01",
    "/organizations/cis/",
    "/organizations/eaeu/?as_of=2015-06-01",
    "/organizations/hostile/?drafts=1",
    "/organizations/hostile/?as_of=2010-06-01&drafts=1",
    "/organizations/member-org/?drafts=1",
    "/organizations/cis-plus/",
]


@pytest.mark.parametrize("language", ["en-gb", "ru"])
@pytest.mark.parametrize("url", ORGANIZATION_PAGES)
def test_organization_rows_read_as_the_templates_did(staff_client, hostile, url, language):
    prefix = "" if language == "en-gb" else f"/{language}"
    response = staff_client.get(f"{prefix}{url}")
    assert response.status_code == 200
    context = response.context
    rendered = page_context(response)
    with translation.override(language):
        addresses = spell_fragments.Addresses(context["as_of"])
        assert fragment(
            "".join(
                f'<ul class="member-list" data-status="{status}">{rows}</ul>'
                for status, _heading, rows in context["country_sections"]
            )
        ) == reference(COUNTRY_ROWS, rendered)
        assert fragment(context["organization_member_rows"]) == reference(
            ORGANIZATION_ROWS, rendered
        )
        assert fragment(context["takes_part_in_rows"]) == reference(TAKES_PART_IN_ROWS, rendered)
        assert fragment(context["former_rows"]) == reference(FORMER_ROWS, rendered)
        applications = context["applications"]
        for rows in (applications.pending, applications.decided):
            assert fragment(spell_fragments.application_rows(rows, addresses)) == reference(
                APPLICATION_ROWS, {"applications": rows}
            )
        assert fragment(spell_fragments.footnote_items(context["footnotes"])) == reference(
            FOOTNOTES, rendered
        )
        assert fragment(spell_fragments.quote_figures(context["quotes"])) == reference(
            QUOTES, rendered
        )


@pytest.mark.parametrize("language", ["en-gb", "ru"])
@pytest.mark.parametrize(
    "url",
    [
        "/countries/by/",
        "/countries/ir/",
        "/countries/sa/?as_of=2025-07-01",
        "/countries/xs/?drafts=1",
        "/countries/xs/?as_of=2010-06-01&drafts=1",
    ],
)
def test_country_rows_read_as_the_templates_did(staff_client, hostile, url, language):
    prefix = "" if language == "en-gb" else f"/{language}"
    response = staff_client.get(f"{prefix}{url}")
    assert response.status_code == 200
    context = response.context
    rendered = page_context(response)
    with translation.override(language):
        applications = context["applications"]
        assert fragment(
            spell_fragments.application_rows(
                applications, spell_fragments.Addresses(), show_organization=True
            )
        ) == reference(COUNTRY_APPLICATION_ROWS, {"applications": applications})
        assert fragment(context["membership_rows"]) == reference(MEMBERSHIP_TABLE_ROWS, rendered)
        assert fragment(context["history_rows"]) == reference(HISTORY_TABLE_ROWS, rendered)
        assert fragment(spell_fragments.footnote_items(context["footnotes"])) == reference(
            FOOTNOTES, rendered
        )
        assert fragment(spell_fragments.quote_figures(context["quotes"])) == reference(
            QUOTES, rendered
        )


def test_the_hostile_page_escapes_every_value_and_shows_every_mark(staff_client, hostile):
    html = staff_client.get("/organizations/hostile/?as_of=2010-06-01&drafts=1").content.decode()
    assert "<script>" not in html.replace('<script type="application/ld+json">', "")
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;quoted&#x27;" in html
    for mark in (
        'class="qualifier"',
        '<span class="tag">founding</span>',
        "medium confidence",
        "unsourced: day",
        'class="uncertain"',
        "Draft — not public",
        'class="dispute-note"',
        'class="competing"',
        '<p class="original" lang="ru">Слова',
        "envoy &lt;script&gt;",
        '<span class="tag">reported speech</span>',
        "applied for observer status, 2003; granted June 2004",
    ):
        assert mark in html, mark


def test_the_russian_rows_leave_no_english_behind(client, hostile):
    Membership.objects.filter(organization__slug="hostile").update(is_published=True)
    html = client.get("/ru/organizations/hostile/?as_of=2010-06-01").content.decode()
    rows = section(html, "members-heading") + section(html, "former-heading")
    assert "Source " not in rows
    for english in ("since ", "founding", "confidence", "disputed:", "left ", "unsourced"):
        assert english not in text_of(rows), english
