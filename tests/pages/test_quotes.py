"""The quotes page, filtered by speaker, organization or country."""

import pytest

from orgs.models import Person, Quote
from tests.makers import make_country

pytestmark = pytest.mark.django_db


def test_it_lists_every_published_quote_with_footnotes(client, seed):
    html = client.get("/quotes/").content.decode()
    assert f"{Quote.objects.published().count()} quotes" in html
    assert 'href="#fn-1"' in html
    assert 'class="unsourced"' not in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("speaker=andrey-sazonov", Quote.objects.filter(speaker__slug="andrey-sazonov")),
        ("organization=sco", Quote.objects.filter(about_organizations__slug="sco")),
    ],
)
def test_it_filters_by_speaker_organization_and_country(client, seed, query, expected):
    html = client.get(f"/quotes/?{query}").content.decode()
    count = expected.count()
    assert f"{count} quote{'s' if count != 1 else ''} matching the filter" in html


def test_it_filters_by_the_country_a_quote_is_about(client):
    speaker = Person.objects.create(name="Speaker", slug="speaker", is_published=True)
    about_belarus = Quote.objects.create(text="About Minsk", speaker=speaker, is_published=True)
    about_belarus.about_countries.add(make_country())
    Quote.objects.create(text="About nothing", speaker=speaker, is_published=True)
    html = client.get("/quotes/?country=by").content.decode()
    assert "About Minsk" in html
    assert "About nothing" not in html
    assert "1 quote matching the filter" in html


def test_an_unknown_filter_value_is_a_400_naming_the_parameter(client, seed):
    response = client.get("/quotes/?speaker=nobody")
    assert response.status_code == 400
    assert "The speaker parameter is invalid" in response.content.decode()


def test_draft_quotes_are_not_shown(client, seed):
    quote = Quote.objects.filter(speaker__slug="andrey-sazonov").first()
    quote.is_published = False
    quote.save()
    html = client.get("/quotes/").content.decode()
    assert quote.text[:60] not in html


def test_long_lists_are_paged(client, db):
    from orgs.models import Person, Quote

    speaker = Person.objects.create(name="A speaker", slug="a-speaker", is_published=True)
    Quote.objects.bulk_create(
        Quote(text=f"Words number {n}.", speaker=speaker, is_published=True) for n in range(60)
    )
    first = client.get("/quotes/").content.decode()
    assert "60 quotes" in first
    assert "Page 1 of 2" in first
    assert 'rel="next"' in first
    assert first.count("Words number") == 50
    second = client.get("/quotes/?page=2").content.decode()
    assert second.count("Words number") == 10
    assert client.get("/quotes/?page=abc").status_code == 200
    assert client.get("/sources/?page=99").status_code == 200
