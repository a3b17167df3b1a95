"""A founding member's spell left without a start begins on the organization's founding date,
so an editor entering an organization and its founders types that date once (issue 15)."""

import datetime

from orgs.dates import Precision
from orgs.models import Membership, Organization, Status
from tests.admin.forms import admin_url, organization_data
from tests.makers import make_country, make_organization

CSTO = {"slug": "csto", "name": "Collective Security Treaty Organization", "acronym": "CSTO"}


def founding_row(country, **fields):
    return {"member_country": country.pk, "status": Status.MEMBER, "start": "", **fields}


def row_errors(response, index=0):
    return response.context["inline_admin_formsets"][0].formset.forms[index].errors


def test_a_founding_row_without_start_takes_the_founding_date_of_the_new_organization(
    editor_client,
):
    armenia = make_country("AM", "ARM", "Armenia")
    new = Organization(**CSTO)
    spells = [{**founding_row(armenia, is_founding="on"), "organization": ""}]
    data = organization_data(new, spells, founded_on="1992-05-15")

    response = editor_client.post(admin_url("organization", "add"), data)

    assert response.status_code == 302, response.context["errors"]
    spell = Membership.objects.get()
    assert spell.organization.slug == "csto"
    assert (spell.start, spell.start_precision) == (datetime.date(1992, 5, 15), Precision.DAY)
    assert spell.is_founding


def test_the_founding_date_keeps_its_precision_and_shows_in_the_row_after_saving(editor_client):
    csto = make_organization(**CSTO, founded_on=datetime.date(1992, 1, 1))
    csto.founded_on_precision = Precision.YEAR
    csto.save()
    russia = make_country("RU", "RUS", "Russia")
    data = organization_data(
        csto, [founding_row(russia, is_founding="on")], founded_on="1992", _continue="1"
    )

    response = editor_client.post(admin_url("organization", "change", csto.pk), data)

    assert response.status_code == 302, response.context["errors"]
    spell = Membership.objects.get()
    assert (spell.start, spell.start_precision) == (datetime.date(1992, 1, 1), Precision.YEAR)
    page = editor_client.get(response.url).content.decode()
    assert 'name="memberships-0-start" value="1992"' in page


def test_a_row_that_gives_its_start_keeps_it(editor_client):
    csto = make_organization(**CSTO, founded_on=datetime.date(1992, 5, 15))
    armenia = make_country("AM", "ARM", "Armenia")
    spells = [founding_row(armenia, is_founding="on", start="2024-02-22")]

    response = editor_client.post(
        admin_url("organization", "change", csto.pk),
        organization_data(csto, spells, founded_on="1992-05-15"),
    )

    assert response.status_code == 302, response.context["errors"]
    assert Membership.objects.get().start == datetime.date(2024, 2, 22)


def test_a_row_that_is_not_founding_still_needs_its_start(editor_client):
    csto = make_organization(**CSTO, founded_on=datetime.date(1992, 5, 15))
    belarus = make_country()

    response = editor_client.post(
        admin_url("organization", "change", csto.pk),
        organization_data(csto, [founding_row(belarus)], founded_on="1992-05-15"),
    )

    assert response.status_code == 200
    assert "This field is required." in str(row_errors(response)["start"])
    assert not Membership.objects.exists()


def test_a_founding_row_without_start_needs_a_founding_date(editor_client):
    csto = make_organization(**CSTO)
    belarus = make_country()

    response = editor_client.post(
        admin_url("organization", "change", csto.pk),
        organization_data(csto, [founding_row(belarus, is_founding="on")]),
    )

    assert response.status_code == 200
    assert "no founding date" in str(row_errors(response)["start"])
    assert not Membership.objects.exists()


def test_the_start_box_says_a_founding_member_may_leave_it_empty(editor_client):
    csto = make_organization(**CSTO)

    page = editor_client.get(admin_url("organization", "change", csto.pk)).content.decode()

    assert "Left empty for a founding member, the spell begins on the organization" in page
