"""Curation in the admin: pages, search, filters, partial dates, spells and their citations, history."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse

from orgs.admin.forms import MembershipForm, PartialDateFormField
from orgs.dates import PartialDate, Precision
from orgs.models import (
    ChangeSet,
    Citation,
    Country,
    Membership,
    Organization,
    Status,
    spells_overlap,
)
from orgs.services import review
from tests.admin.forms import (
    CITATIONS,
    admin_url,
    country_data,
    management_form,
    membership_data,
    organization_data,
)
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

MODELS = [
    "country",
    "organization",
    "person",
    "source",
    "citation",
    "membership",
    "application",
    "quote",
]


# --- the records most tests start from -----------------------------------------------------


SCO = {
    "slug": "sco",
    "name": "Shanghai Cooperation Organisation",
    "acronym": "SCO",
    "other_names": "ШОС\nШанхайская организация сотрудничества",
}
TASS = {"title": "Belarus becomes a full member of the SCO", "publisher": "TASS"}


# --- the editor account --------------------------------------------------------------------


def test_create_editor_makes_a_staff_editor_once(db):
    out = StringIO()
    call_command("create_editor", username="anna", stdout=out)
    assert "http://127.0.0.1:8000/admin/" in out.getvalue()
    assert "Password: " in out.getvalue()
    anna = get_user_model().objects.get(username="anna")
    password_hash = anna.password
    assert anna.is_staff
    assert not anna.is_superuser
    assert anna.groups.filter(name="Editor").exists()
    assert anna.has_perm("orgs.change_membership")
    # Issue 5: editors write drafts; deleting a claim, like publishing it, is a reviewer's job.
    assert not anna.has_perm("orgs.delete_membership")
    assert not anna.has_perm("orgs.publish_membership")
    assert anna.has_perm("orgs.delete_citation")
    assert anna.has_perm("orgs.view_historicalmembership")
    assert not anna.has_perm("orgs.delete_country")
    assert not anna.has_perm("orgs.change_historicalmembership")

    again = StringIO()
    call_command("create_editor", username="anna", stdout=again)
    assert "already exists" in again.getvalue()
    assert "Password" not in again.getvalue()
    anna.refresh_from_db()
    assert anna.password == password_hash
    assert get_user_model().objects.filter(username="anna").count() == 1


# --- every page answers --------------------------------------------------------------------


@pytest.mark.parametrize("model", MODELS)
def test_editor_sees_changelist_and_add_page(editor_client, model):
    sco = make_organization(**SCO)
    belarus = make_country()
    spell = make_membership(sco, belarus, "2024-07-04", cite=False)
    make_citation(spell, make_source(**TASS))
    make_application(sco, make_country("AM", "ARM", "Armenia"), cite=False)
    make_quote("Welcome", make_person("A. Person"), cite=False)

    assert editor_client.get(admin_url(model)).status_code == 200
    assert editor_client.get(admin_url(model, "add")).status_code == 200


def test_change_pages_show_partial_dates_at_their_precision(editor_client):
    sco = make_organization(**SCO)
    spell = make_membership(
        sco, make_country(), "2015-07", "2024-07-04", status=Status.OBSERVER, cite=False
    )

    response = editor_client.get(admin_url("membership", "change", spell.pk))
    assert response.status_code == 200
    assert 'name="start" value="2015-07"' in response.content.decode()
    assert 'name="start_precision"' not in response.content.decode()

    response = editor_client.get(admin_url("organization", "change", sco.pk))
    assert response.status_code == 200
    assert 'name="memberships-0-start" value="2015-07"' in response.content.decode()
    assert (
        editor_client.get(admin_url("country", "change", spell.member_country_id)).status_code
        == 200
    )


# --- search and filters --------------------------------------------------------------------


def test_cyrillic_search_finds_the_sco(editor_client):
    make_organization(**SCO)
    make_organization("brics", "BRICS", acronym="BRICS", other_names="БРИКС")

    response = editor_client.get(admin_url("organization"), {"q": "ШОС"})

    assert response.status_code == 200
    assert list(response.context["cl"].result_list.values_list("slug", flat=True)) == ["sco"]


def test_country_search_finds_iso_codes(editor_client):
    make_country()
    make_country("AM", "ARM", "Armenia")

    response = editor_client.get(admin_url("country"), {"q": "BLR"})

    assert [country.iso2 for country in response.context["cl"].result_list] == ["BY"]


def test_membership_search_finds_member_and_organization(editor_client):
    sco, brics = make_organization(**SCO), make_organization("brics", "BRICS", acronym="BRICS")
    belarus, armenia = make_country(), make_country("AM", "ARM", "Armenia")
    make_membership(sco, belarus, "2024-07-04", cite=False)
    make_membership(brics, armenia, "2024-07-04", cite=False)

    by_member = editor_client.get(admin_url("membership"), {"q": "BY"}).context["cl"].result_list
    by_org = editor_client.get(admin_url("membership"), {"q": "BRICS"}).context["cl"].result_list

    assert [spell.member_country for spell in by_member] == [belarus]
    assert [spell.organization for spell in by_org] == [brics]


def test_current_filter_shows_current_spells_and_hides_ended_ones(editor_client):
    sco = make_organization(**SCO)
    belarus = make_country()
    ended = make_membership(
        sco, belarus, "2015-07", "2024-07-04", status=Status.OBSERVER, cite=False
    )
    current = make_membership(sco, belarus, "2024-07-04", cite=False)

    shown = editor_client.get(admin_url("membership"), {"current": "yes"}).context["cl"].result_list
    hidden = editor_client.get(admin_url("membership"), {"current": "no"}).context["cl"].result_list

    assert list(shown) == [current]
    assert list(hidden) == [ended]


@pytest.mark.parametrize("spell_count", [3, 30])
def test_membership_changelist_query_count_does_not_grow(
    editor_client, django_assert_max_num_queries, spell_count
):
    sco = make_organization(**SCO)
    source = make_source(**TASS)
    for number in range(spell_count):
        letters = chr(65 + number // 26) + chr(65 + number % 26)
        country = Country.objects.create(
            name=f"Country {letters}", iso2=letters, iso3=f"Z{letters}"
        )
        spell = make_membership(sco, country, "2001", cite=False)
        Citation.objects.create(claim=spell, source=source)
    editor_client.get(admin_url("membership"))  # warm the session and content types

    with django_assert_max_num_queries(8):
        response = editor_client.get(
            admin_url("membership"), {"current": "yes", "member_kind": "country"}
        )

    assert response.status_code == 200
    assert response.context["cl"].result_count == spell_count


# --- the membership form -------------------------------------------------------------------


def test_nonexistent_month_is_refused_and_nothing_written(editor_client):
    sco, belarus = make_organization(**SCO), make_country()

    response = editor_client.post(
        admin_url("membership", "add"), membership_data(sco, belarus, start="2024-13")
    )

    assert response.status_code == 200
    assert "Month 13 does not exist" in response.content.decode()
    assert not Membership.objects.exists()


def test_membership_add_stores_the_precision(editor_client):
    sco, belarus = make_organization(**SCO), make_country()

    response = editor_client.post(
        admin_url("membership", "add"),
        membership_data(sco, belarus, status=Status.OBSERVER, start="2015-07", end="≤2024-07-04"),
    )

    assert response.status_code == 302
    spell = Membership.objects.get()
    assert spell.start_partial == PartialDate(spell.start, Precision.MONTH)
    assert spell.end_partial.iso == "≤2024-07-04"


def test_end_before_start_is_refused_and_nothing_written(editor_client):
    sco, belarus = make_organization(**SCO), make_country()

    response = editor_client.post(
        admin_url("membership", "add"),
        membership_data(sco, belarus, start="2024-07-04", end="2020"),
    )

    assert response.status_code == 200
    assert "The end (2020) is before the start (4 July 2024)." in response.content.decode()
    assert not Membership.objects.exists()


def test_overlapping_spell_is_refused_naming_the_clash(editor_client):
    sco, belarus = make_organization(**SCO), make_country()
    make_membership(sco, belarus, "2015-07", status=Status.OBSERVER, cite=False)

    response = editor_client.post(
        admin_url("membership", "add"), membership_data(sco, belarus, start="2024-07-04")
    )

    assert response.status_code == 200
    assert (
        "overlaps another spell of Belarus in SCO: observer since July 2015"
        in response.content.decode()
    )
    assert Membership.objects.count() == 1


def test_organization_cannot_be_its_own_member(editor_client):
    sco = make_organization(**SCO)

    response = editor_client.post(
        admin_url("membership", "add"), membership_data(sco, member_organization=sco.pk)
    )

    assert response.status_code == 200
    assert "An organization cannot be a member of itself." in response.content.decode()
    assert not Membership.objects.exists()


def test_unknown_iso_code_is_refused(editor_client):
    response = editor_client.post(admin_url("country", "add"), country_data(iso2="XX", iso3="XXX"))

    assert response.status_code == 200
    assert "“XX” is not an ISO 3166-1 alpha-2 country code." in response.content.decode()
    assert not Country.objects.exists()


def test_country_codes_are_taken_in_any_case(editor_client):
    response = editor_client.post(
        admin_url("country", "add"), country_data(name="Belarus", iso2="by", iso3="blr")
    )

    assert response.status_code == 302
    assert Country.objects.get().iso2 == "BY"


# --- spells and their citations from the organization page --------------------------------


BELARUS_IN_THE_SCO = [
    {"status": Status.DIALOGUE_PARTNER, "start": "2010", "end": "2015-07", "locator": "para. 3"},
    {"status": Status.OBSERVER, "start": "2015-07", "end": "2024-07-04", "locator": "para. 4"},
    {"status": Status.MEMBER, "start": "2024-07-04", "end": "", "locator": "para. 1"},
]


def test_editor_records_and_cites_belarus_spells_from_the_organization_page(editor_client):
    sco, belarus = make_organization(**SCO), make_country()
    tass, izvestia = make_source(**TASS), make_source("СНГ плюс", publisher="Izvestia")
    spells = [
        {
            **spell,
            "member_country": belarus.pk,
            "source": source.pk,
            "excerpt": f"Belarus: {spell['status']}",
        }
        for spell, source in zip(BELARUS_IN_THE_SCO, [izvestia, izvestia, tass], strict=True)
    ]

    response = editor_client.post(
        admin_url("organization", "change", sco.pk), organization_data(sco, spells)
    )

    assert response.status_code == 302, response.context["errors"]
    saved = list(Membership.objects.filter(organization=sco).order_by("start"))
    assert [(spell.status, spell.period) for spell in saved] == [
        ("dialogue_partner", "2010 – July 2015"),
        ("observer", "July 2015 – 4 July 2024"),
        ("member", "since 4 July 2024"),
    ]
    assert Citation.objects.count() == 3
    for spell, expected in zip(saved, spells, strict=True):
        citation = spell.citations.get()
        assert citation.source_id == expected["source"]
        assert citation.locator == expected["locator"]
        assert citation.excerpt == expected["excerpt"]

    page = editor_client.get(admin_url("organization", "change", sco.pk)).content.decode()
    assert "1 citation</a>" in page
    assert admin_url("membership", "change", saved[0].pk) in page


def test_overlapping_spells_in_one_formset_are_refused(editor_client):
    sco, belarus = make_organization(**SCO), make_country()
    spells = [
        {
            "member_country": belarus.pk,
            "status": Status.OBSERVER,
            "start": "2015",
            "end": "2024-07-04",
        },
        {"member_country": belarus.pk, "status": Status.MEMBER, "start": "2024-01", "end": ""},
    ]

    response = editor_client.post(
        admin_url("organization", "change", sco.pk), organization_data(sco, spells)
    )

    assert response.status_code == 200
    assert (
        "The member spell since January 2024 of Belarus overlaps the observer spell "
        "2015 – 4 July 2024 given in the same form." in response.content.decode()
    )
    assert not Membership.objects.exists()


def test_excerpt_without_source_is_refused(editor_client):
    sco, belarus = make_organization(**SCO), make_country()
    spells = [
        {
            "member_country": belarus.pk,
            "status": Status.MEMBER,
            "start": "2024-07-04",
            "excerpt": "x",
        }
    ]

    response = editor_client.post(
        admin_url("organization", "change", sco.pk), organization_data(sco, spells)
    )

    assert response.status_code == 200
    assert "Choose the source the excerpt comes from." in response.content.decode()
    assert not Membership.objects.exists()
    assert not Citation.objects.exists()


def test_country_page_records_a_cited_spell(editor_client):
    sco, belarus = make_organization(**SCO), make_country()
    source = make_source(**TASS)
    data = country_data(
        name="Belarus", iso2="BY", iso3="BLR", **management_form("memberships", total=1)
    )
    row = {"id": "", "member_country": belarus.pk, "organization": sco.pk, "status": Status.MEMBER}
    row |= {"qualifier": "", "start": "2024-07-04", "end": "", "rank": "normal", "rank_reason": ""}
    row |= {"source": source.pk, "excerpt": "", "locator": ""}
    data.update({f"memberships-0-{name}": value for name, value in row.items()})

    response = editor_client.post(admin_url("country", "change", belarus.pk), data)

    assert response.status_code == 302, response.context["errors"]
    assert Membership.objects.get().citations.get().source == source


def test_citation_inline_cites_a_membership(editor_client):
    sco, belarus = make_organization(**SCO), make_country()
    source = make_source(**TASS)
    data = membership_data(sco, belarus, **management_form(CITATIONS, total=1))
    data.update(
        {
            f"{CITATIONS}-0-source": source.pk,
            f"{CITATIONS}-0-claim_field": "start",
            f"{CITATIONS}-0-excerpt": "became a full member on 4 July 2024",
            f"{CITATIONS}-0-locator": "para. 1",
            f"{CITATIONS}-0-position": "0",
        }
    )

    response = editor_client.post(admin_url("membership", "add"), data)

    assert response.status_code == 302
    assert Membership.objects.get().citations.get().claim_field == "start"


# --- history -------------------------------------------------------------------------------


def test_admin_change_is_kept_in_history_and_can_be_reverted(editor_client):
    # A draft: an Editor's change to a published record would wait for review instead.
    sco = make_organization(**{**SCO, "name": "Shanghai Five"}, is_published=False)
    first = sco.history.get()

    response = editor_client.post(
        admin_url("organization", "change", sco.pk),
        organization_data(sco, name="Shanghai Cooperation Organisation"),
    )
    assert response.status_code == 302
    assert sco.history.count() == 2
    assert sco.history.latest().history_user.username == "editor"

    assert editor_client.get(admin_url("organization", "history", sco.pk)).status_code == 200
    revert_url = admin_url("organization", "simple_history", sco.pk, first.history_id)
    assert editor_client.get(revert_url).status_code == 200

    response = editor_client.post(revert_url, organization_data(sco, name="Shanghai Five"))
    assert response.status_code == 302
    sco.refresh_from_db()
    assert sco.name == "Shanghai Five"
    assert sco.history.count() == 3


def test_membership_history_pages_answer(editor_client):
    spell = make_membership(
        make_organization(**SCO), make_country(), "2024-07-04", cite=False, is_published=False
    )
    response = editor_client.post(
        admin_url("membership", "change", spell.pk),
        membership_data(spell.organization, spell.member_country, qualifier="de jure"),
    )
    assert response.status_code == 302
    record = spell.history.earliest()

    assert spell.history.count() == 2
    assert editor_client.get(admin_url("membership", "history", spell.pk)).status_code == 200
    page = editor_client.get(admin_url("membership", "simple_history", spell.pk, record.history_id))
    assert page.status_code == 200
    assert 'name="start" value="2024-07-04"' in page.content.decode()


# --- the form pieces -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("2024", "2024"),
        ("2024-01", "2024-01"),
        ("2024-01-15", "2024-01-15"),
        ("≤2025-06-09", "≤2025-06-09"),
    ],
)
def test_partial_date_field_reads_every_precision(text, iso):
    assert PartialDateFormField().clean(text).iso == iso


def test_partial_date_field_gives_the_parser_message():
    field = PartialDateFormField()
    with pytest.raises(Exception, match="Month 13 does not exist"):
        field.clean("2024-13")
    assert PartialDateFormField(required=False).clean("") is None


def test_form_limited_to_some_fields_keeps_one_box_per_date(db):
    from django.forms import modelform_factory

    form_class = modelform_factory(
        Membership, form=MembershipForm, fields=["organization", "status", "start"]
    )

    assert list(form_class.base_fields) == ["organization", "status", "start"]
    assert isinstance(form_class.base_fields["start"], PartialDateFormField)
    assert form_class.base_fields["start"].required


def test_spells_overlap_uses_half_open_ranges():
    def d(text):
        return PartialDate.parse(text).earliest if text else None

    assert not spells_overlap(d("2010"), d("2015-07"), d("2015-07"), d("2024-07-04"))
    assert spells_overlap(d("2010"), d("2015-08"), d("2015-07"), None)
    assert spells_overlap(d("2020"), None, d("2024-07-04"), d("2024-07-04"))
    assert not spells_overlap(d("2024-07-04"), d("2024-07-04"), d("2024-07-05"), None)
    assert spells_overlap(d("2024-07-04"), d("2024-07-04"), d("2024-07-04"), None)


def test_source_box_in_spell_rows_autocompletes(editor_client):
    sco = make_organization(**SCO)
    make_source(**TASS)
    make_source("Something else", publisher="RIA")

    page = editor_client.get(admin_url("organization", "change", sco.pk)).content.decode()
    response = editor_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "orgs", "model_name": "citation", "field_name": "source", "term": "TASS"},
    )

    assert 'data-model-name="citation" data-field-name="source"' in page
    assert response.status_code == 200
    assert [result["text"] for result in response.json()["results"]] == [
        "TASS: Belarus becomes a full member of the SCO"
    ]


def test_unchanged_spell_rows_are_not_saved_again(reviewer_client):
    # A Reviewer's save applies at once, so a row saved again would show in its history.
    sco, belarus = make_organization(**SCO), make_country()
    observer = make_membership(
        sco, belarus, "2015-07", "2024-07-04", status=Status.OBSERVER, cite=False
    )
    rows = [
        {
            "id": observer.pk,
            "member_country": belarus.pk,
            "status": Status.OBSERVER,
            "start": "2015-07",
            "end": "2024-07-04",
            "is_published": "on",  # as the Reviewer's form shows it
        }
    ]
    data = organization_data(sco, rows, description="Founded in 2001.")
    data.update(management_form("memberships", total=1, initial=1))

    response = reviewer_client.post(admin_url("organization", "change", sco.pk), data)

    assert response.status_code == 302, response.context["errors"]
    assert observer.history.count() == 1
    assert Organization.objects.get().description == "Founded in 2001."


def test_an_editor_can_end_a_spell_and_add_the_next_in_one_save(editor_client):
    """Regression: the new spell was checked against the stored, still open, observer spell.
    Drafts, so the Editor's save applies at once."""
    sco, belarus = make_organization(**SCO, is_published=False), make_country()
    observer = make_membership(
        sco, belarus, "2015-07", status=Status.OBSERVER, cite=False, is_published=False
    )
    existing = {"id": observer.pk, "member_country": belarus.pk, "status": "observer"}
    existing.update(start="2015-07", end="2024-07-04")
    following = {"member_country": belarus.pk, "status": "member", "start": "2024-07-04"}
    data = organization_data(sco, [existing, following])
    data["memberships-INITIAL_FORMS"] = "1"

    response = editor_client.post(admin_url("organization", "change", sco.pk), data)

    assert response.status_code == 302, response.context["errors"] if response.context else response
    observer.refresh_from_db()
    assert observer.end_partial.iso == "2024-07-04"
    spells = sco.memberships.order_by("start")
    assert [(spell.status, spell.period) for spell in spells] == [
        ("observer", "July 2015 – 4 July 2024"),
        ("member", "since 4 July 2024"),
    ]


def test_ending_a_published_spell_and_adding_the_next_waits_for_review_as_one(editor_client):
    """The new spell fits only beside the proposed end: both wait, and both apply together."""
    sco, belarus = make_organization(**SCO), make_country()
    observer = make_membership(sco, belarus, "2015-07", status=Status.OBSERVER)
    existing = {"id": observer.pk, "member_country": belarus.pk, "status": "observer"}
    existing.update(start="2015-07", end="2024-07-04")
    following = {"member_country": belarus.pk, "status": "member", "start": "2024-07-04"}
    data = organization_data(sco, [existing, following])
    data["memberships-INITIAL_FORMS"] = "1"

    response = editor_client.post(admin_url("organization", "change", sco.pk), data)

    assert response.status_code == 302
    assert sco.memberships.count() == 1  # nothing new in the database, and no overlap
    observer.refresh_from_db()
    assert observer.end is None
    change_set = ChangeSet.objects.get()
    assert sorted(change_set.changes.values_list("action", flat=True)) == ["create", "update"]

    reviewer = get_user_model().objects.create_user("reviewer-one-save", is_staff=True)
    reviewer.groups.add(Group.objects.get(name="Reviewer"))
    review.change_set_approve(change_set=change_set, user=reviewer)
    spells = sco.memberships.order_by("start")
    assert [(spell.status, spell.period) for spell in spells] == [
        ("observer", "July 2015 – 4 July 2024"),
        ("member", "since 4 July 2024"),
    ]
