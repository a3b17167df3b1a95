"""Issue 5: the "Needs attention" page lists what editors should fix, each line a link."""

import datetime

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from orgs.models import Application, Membership, Organization, Quote, Rank, Source
from orgs.selectors import attention_sections
from tests.makers import as_draft, make_country, make_membership, make_organization, make_source

DASHBOARD = "/admin/needs-attention/"


def section(sections, key):
    return next(item for item in sections if item.key == key)


def keys(items):
    return {(item.model_name, item.pk) for item in items}


@pytest.fixture
def atlas(db):
    sco = make_organization("sco", "Shanghai Cooperation Organisation", acronym="SCO")
    sco.founded_on_partial = "2001-06-15"
    sco.save()
    belarus = make_country()
    return sco, belarus


def test_the_dashboard_is_linked_from_the_admin_index(editor_client):
    page = editor_client.get(reverse("admin:index")).content.decode()

    assert reverse("admin:needs_attention") == DASHBOARD
    assert f'href="{DASHBOARD}"' in page
    # Its old address, under the spells' admin, still leads to it.
    assert editor_client.get("/admin/orgs/membership/needs-attention/").url == DASHBOARD


def test_it_lists_an_uncited_draft_and_a_disputed_claim_with_links(editor_client, atlas):
    sco, belarus = atlas
    uncited = as_draft(make_membership(sco, belarus, "2024-07-04", cite=False))
    disputed = make_membership(
        sco, make_country("SA", "SAU", "Saudi Arabia"), "2024", is_disputed=True,
        dispute_note="Saudi Arabia has not confirmed it joined.",
    )  # fmt: skip

    response = editor_client.get(DASHBOARD)

    assert response.status_code == 200
    sections = response.context["sections"]
    assert keys(section(sections, "uncited").items) == {("membership", uncited.pk)}
    assert ("membership", disputed.pk) in keys(section(sections, "disputed").items)
    page = response.content.decode()
    assert f'href="{reverse("admin:orgs_membership_change", args=[uncited.pk])}"' in page
    assert f'href="{reverse("admin:orgs_membership_change", args=[disputed.pk])}"' in page
    assert "Belarus — member of Shanghai Cooperation Organisation" in page
    assert "Saudi Arabia has not confirmed it joined." in page


def test_each_section_finds_its_records(atlas):
    sco, belarus = atlas
    now = timezone.now()
    old_draft = as_draft(make_membership(sco, make_country("AM", "ARM", "Armenia"), "2020"))
    Membership.objects.filter(pk=old_draft.pk).update(created_at=now - datetime.timedelta(days=31))
    fresh_draft = as_draft(make_membership(sco, make_country("KZ", "KAZ", "Kazakhstan"), "2020"))
    stale = Application.objects.create(
        organization=sco, applicant_country=belarus, filed_on=datetime.date(2020, 1, 1)
    )
    recent = Application.objects.create(
        organization=sco, applicant_country=make_country("LK", "LKA", "Sri Lanka"),
        filed_on=timezone.localdate() - datetime.timedelta(days=30),
    )  # fmt: skip
    before_founding = make_membership(sco, make_country("CN", "CHN", "China"), "1996")
    same_year = make_membership(
        sco, make_country("RU", "RUS", "Russia"), "2001"
    )  # not certainly early
    dissolved = make_organization("shanghai-five", "Shanghai Five")
    dissolved.founded_on_partial = "1996-04-26"
    dissolved.dissolved_on_partial = "2001-06-15"
    dissolved.save()
    outlives = make_membership(dissolved, belarus, "1997")
    ended = make_membership(dissolved, make_country("IN", "IND", "India"), "1997", "2001-06-15")
    deprecated = make_membership(
        sco, make_country("ID", "IDN", "Indonesia"), "2024", rank=Rank.DEPRECATED,
        rank_reason="Only one source says so.",
    )  # fmt: skip
    unarchived = make_source("No copy", url="https://example.org/a")
    make_source("Kept", url="https://example.org/b", archive_url="https://web.archive.org/x")
    quote = Quote.objects.create(text="We welcome it", speaker_organization=sco)

    sections = attention_sections(now=now)

    uncited = keys(section(sections, "uncited").items)
    assert {("application", stale.pk), ("application", recent.pk), ("quote", quote.pk)} <= uncited
    assert ("membership", old_draft.pk) not in uncited  # the maker cited it
    drafts = keys(section(sections, "old_drafts").items)
    assert ("membership", old_draft.pk) in drafts
    assert ("membership", fresh_draft.pk) not in drafts
    assert keys(section(sections, "stale_applications").items) == {("application", stale.pk)}
    outside = {item.pk: item.detail for item in section(sections, "outside_life").items}
    assert set(outside) == {before_founding.pk, outlives.pk}
    assert outside[before_founding.pk] == "starts before SCO was founded (15 June 2001)"
    assert outside[outlives.pk] == "continues after Shanghai Five was dissolved (15 June 2001)"
    assert same_year.pk not in outside
    assert ended.pk not in outside
    disputed = {item.pk: item.detail for item in section(sections, "disputed").items}
    assert disputed == {deprecated.pk: "Only one source says so."}
    unarchived_items = keys(section(sections, "unarchived_sources").items)
    assert ("source", unarchived.pk) in unarchived_items
    assert not any(
        Source.objects.get(pk=pk).archive_url for model, pk in unarchived_items if model == "source"
    )
    assert section(sections, "overlaps").items == []


def test_overlapping_spells_are_found_by_the_self_join(atlas):
    sco, belarus = atlas
    # The PostgreSQL constraint refuses overlaps: drop it within this test's transaction only.
    if connection.vendor == "postgresql":  # dropped inside the test's transaction only
        with connection.cursor() as cursor:
            cursor.execute(
                "ALTER TABLE orgs_membership DROP CONSTRAINT membership_no_overlapping_spells"
            )
    first = make_membership(sco, belarus, "2015-07", "2024-07-04", status="observer")
    second = make_membership(sco, belarus, "2024-07-04", cite=False)
    # The form (and the database) refuse this; the dashboard must still see it.
    Membership.objects.filter(pk=first.pk).update(end=None)
    one_day = make_membership(sco, make_country("AM", "ARM", "Armenia"), "2024-07-04", "2024-07-04")
    make_membership(sco, one_day.member_country, "2024-07-05")

    found = keys(section(attention_sections(), "overlaps").items)

    assert found == {("membership", first.pk), ("membership", second.pk)}


@pytest.mark.parametrize("copies", [1, 6])
def test_the_dashboard_makes_a_fixed_number_of_queries(
    editor_client, atlas, django_assert_num_queries, copies
):
    _sco, _ = atlas
    codes = [("AF", "AFG"), ("AL", "ALB"), ("DZ", "DZA"), ("AD", "AND"), ("AO", "AGO")]
    codes.append(("AR", "ARG"))
    for number, (iso2, iso3) in enumerate(codes[:copies]):
        organization = Organization.objects.create(slug=f"o{number}", name=f"O {number}")
        country = make_country(iso2, iso3, f"Country {iso2}")
        as_draft(make_membership(organization, country, "2024", cite=False, is_disputed=True,
                            dispute_note="Disputed."))  # fmt: skip
        make_source(f"Source {number}", url="https://example.org")
    editor_client.get(DASHBOARD)  # the session, the user and the permissions

    # session, user, the user's and the groups' permissions (for the menu), eight sections
    with django_assert_num_queries(12):
        response = editor_client.get(DASHBOARD)

    assert len(section(response.context["sections"], "disputed").items) == copies
