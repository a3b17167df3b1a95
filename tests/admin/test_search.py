"""Search that finds the right record first, in the admin's autocompletes and lists and on the
search page: exact code, exact name, names that start with the query, then the rest; names in
Russian and former names too (issue 15)."""

import pytest
from django.urls import reverse

from orgs import selectors
from orgs.models import Country, Organization
from orgs.selectors.search import folded, name_rank


def autocomplete(client, term, model_name="membership", field_name="member_country"):
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "orgs", "model_name": model_name, "field_name": field_name, "term": term},
    )
    assert response.status_code == 200
    return [result["text"] for result in response.json()["results"]]


@pytest.mark.parametrize(
    ("term", "first"),
    [
        ("Ind", "India"),
        ("Sudan", "Sudan"),
        ("Guinea", "Guinea"),
        ("DEU", "Germany"),
        ("BY", "Belarus"),
        ("Росс", "Russia"),
        ("Беларусь", "Belarus"),
        ("Byelorussia", "Belarus"),
        ("turkiye", "Turkey"),
    ],
)
def test_country_autocomplete_offers_the_right_country_first(seed, editor_client, term, first):
    assert autocomplete(editor_client, term)[0] == first


def test_country_autocomplete_keeps_the_other_matches_after_the_best(seed, editor_client):
    found = autocomplete(editor_client, "Sudan")
    assert found[:2] == ["Sudan", "South Sudan"]
    found = autocomplete(editor_client, "Ind")
    assert (
        found.index("India")
        < found.index("Indonesia")
        < found.index("British Indian Ocean Territory")
    )


def test_a_code_in_small_letters_ranks_with_the_names_it_starts(seed, editor_client):
    # "bel" is more often the start of Belarus than Belgium's code BEL.
    assert autocomplete(editor_client, "bel")[:2] == ["Belarus", "Belgium"]


def test_organization_autocomplete_finds_acronyms_and_russian_names(seed, editor_client):
    assert autocomplete(editor_client, "SCO", field_name="organization")[0].startswith("Shanghai")
    assert autocomplete(editor_client, "ШОС", field_name="organization")[0].startswith("Shanghai")


def test_country_list_search_ranks_too(seed, editor_client):
    response = editor_client.get(reverse("admin:orgs_country_changelist"), {"q": "Guinea"})
    names = [country.name for country in response.context["cl"].result_list]
    assert names[0] == "Guinea"
    assert set(names) >= {"Guinea-Bissau", "Equatorial Guinea", "Papua New Guinea"}


def test_country_list_sorted_by_a_column_keeps_that_order(seed, editor_client):
    changelist = reverse("admin:orgs_country_changelist")
    response = editor_client.get(changelist, {"q": "Guinea", "o": "-1"})  # ISO alpha-2, Z to A
    codes = [country.iso2 for country in response.context["cl"].result_list]
    assert codes == sorted(codes, reverse=True)


def test_search_page_finds_russia_by_its_russian_name(seed):
    results = selectors.atlas_search("Росс")
    assert [country.iso2 for country in results.countries][:1] == ["RU"]


def test_ranking_rules():
    assert name_rank("DEU", codes=["DE", "DEU"], names=["Germany"]) == 0
    assert name_rank("Sudan", names=["Sudan"]) == 1
    assert name_rank("Ind", names=["India"]) == 2
    assert name_rank("Ind", names=["British Indian Ocean Territory"]) == 3
    assert name_rank("dan", names=["Sudan"]) == 4
    assert name_rank("xyz", names=["Sudan"]) is None
    assert folded("  Türkiye  ") == "turkiye"


def test_search_selectors_keep_the_queryset_they_are_given(db):
    Country.objects.create(iso2="BY", iso3="BLR", name="Belarus", is_published=False)
    Organization.objects.create(slug="sco", name="Shanghai Cooperation Organisation", acronym="SCO")
    assert not selectors.country_search(Country.objects.published(), "Belarus").exists()
    assert selectors.country_search(Country.objects.all(), "Belarus").get().iso2 == "BY"
    assert selectors.organization_search(Organization.objects.all(), "sco").get().slug == "sco"
