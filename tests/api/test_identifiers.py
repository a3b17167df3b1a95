"""Identifiers shared with other datasets: ISO numeric codes and UN M49 regions from
country-converter's table, and the Wikidata ids editors give."""

import pytest
from rest_framework.test import APIClient

from tests.makers import make_country, make_organization, make_staff, token_client

pytestmark = pytest.mark.django_db


def test_countries_carry_their_iso_numeric_code_and_un_region():
    make_country()
    make_country("KZ", "KAZ", "Kazakhstan")
    belarus = APIClient().get("/api/v1/countries/by/").json()
    assert (belarus["iso_numeric"], belarus["un_region"], belarus["un_subregion"]) == (
        "112",
        "Europe",
        "Eastern Europe",
    )
    kazakhstan = APIClient().get("/api/v1/countries/kz/").json()
    assert kazakhstan["un_subregion"] == "Central Asia"


def test_countries_by_un_region_or_sub_region_in_any_case():
    make_country()
    make_country("KZ", "KAZ", "Kazakhstan")
    api = APIClient()
    for region, codes in (("europe", ["BY"]), ("Central Asia", ["KZ"]), ("ASIA", ["KZ"])):
        rows = api.get("/api/v1/countries/", {"region": region}).json()["results"]
        assert [row["iso2"] for row in rows] == codes, region
    refused = api.get("/api/v1/countries/", {"region": "Eastern Europ"})
    assert refused.status_code == 400
    assert "Eastern Europe" in refused.json()["errors"]["region"][0]


def test_editors_give_wikidata_ids_and_a_malformed_one_is_refused():
    make_organization("csto", "Collective Security Treaty Organization")
    api = token_client(make_staff("Editor", "editor"))
    bad = api.patch("/api/v1/organizations/csto/", {"wikidata_id": "7184"})
    assert bad.status_code == 400
    assert "Q" in bad.json()["errors"]["wikidata_id"][0]
    good = api.post(
        "/api/v1/people/", {"slug": "x-person", "name": "X Person", "wikidata_id": "Q42"}
    )
    assert good.status_code == 201, good.json()
    assert good.json()["wikidata_id"] == "Q42"
