"""The spell editor on the organization and country pages, citing once for many, and the
warnings that keep an editor from saving by accident what they did not mean (issue 15)."""

import pytest
from django.contrib.messages import get_messages

from orgs.models import ChangeSet, Citation, Membership, ProposedChange, Status
from tests.admin.forms import (
    CITATIONS,
    admin_url,
    management_form,
    membership_data,
    organization_data,
)
from tests.makers import (
    as_draft,
    make_citation,
    make_country,
    make_membership,
    make_organization,
    make_person,
    make_quote,
    make_source,
)

SCO = {"slug": "sco", "name": "Shanghai Cooperation Organisation", "acronym": "SCO"}


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- the rows ------------------------------------------------------------------------------


def test_a_spell_row_lists_the_citations_it_keeps(editor_client):
    sco, belarus = make_organization(**SCO), make_country()
    spell = make_membership(sco, belarus, "2024-07-04", cite=False)
    make_citation(spell, make_source("Belarus joins the SCO"), excerpt="Belarus became a member")

    page = editor_client.get(admin_url("organization", "change", sco.pk)).content.decode()

    assert 'class="kept-citations"' in page
    assert "Belarus joins the SCO — “Belarus became a member”" in page
    assert "admin_atlas/compact_rows.css" in page


def test_a_spell_row_has_founding_note_and_a_plus_for_a_new_source(editor_client):
    sco = make_organization(**SCO)

    page = editor_client.get(admin_url("organization", "change", sco.pk)).content.decode()

    assert 'name="memberships-0-is_founding"' in page
    assert 'name="memberships-0-note"' in page
    assert 'id="add_id_memberships-0-source"' in page  # the "+" that adds a source in a popup
    assert 'name="cite_source"' in page  # the citation for all the rows of this save


def test_overlapping_rows_are_refused_on_the_row_that_clashes(editor_client):
    sco, belarus = make_organization(**SCO), make_country()
    spells = [
        {"member_country": belarus.pk, "status": Status.OBSERVER, "start": "2015", "end": "2024"},
        {"member_country": belarus.pk, "status": Status.MEMBER, "start": "2023", "end": ""},
    ]

    response = editor_client.post(
        admin_url("organization", "change", sco.pk), organization_data(sco, spells)
    )

    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    assert not formset.non_form_errors()
    assert "overlaps the observer spell" in str(formset.forms[1].errors["start"])
    assert not Membership.objects.exists()


# --- one citation for the rows of a save ---------------------------------------------------


def test_the_citation_for_the_save_cites_every_new_row_without_its_own(editor_client):
    sco, belarus, armenia = (
        make_organization(**SCO),
        make_country(),
        make_country("AM", "ARM", "Armenia"),
    )
    charter, own = make_source("CSTO Charter"), make_source("Belarus joins")
    spells = [
        {"member_country": belarus.pk, "status": Status.MEMBER, "start": "2024", "source": own.pk},
        {"member_country": armenia.pk, "status": Status.MEMBER, "start": "2002"},
    ]
    data = organization_data(
        sco, spells, cite_source=charter.pk, cite_excerpt="Article 4", cite_locator="art. 4"
    )

    response = editor_client.post(admin_url("organization", "change", sco.pk), data)

    assert response.status_code == 302, response.context["errors"]
    by_member = {spell.member_country.iso2: spell for spell in Membership.objects.all()}
    assert [c.source for c in by_member["BY"].citations.all()] == [own]
    cited = by_member["AM"].citations.get()
    assert (cited.source, cited.excerpt, cited.locator) == (charter, "Article 4", "art. 4")


def test_the_citation_for_the_save_leaves_unchanged_rows_alone(reviewer_client):
    sco, belarus = make_organization(**SCO), make_country()
    spell = make_membership(sco, belarus, "2024-07-04", cite=False, is_published=False)
    charter = make_source("CSTO Charter")
    row = {"id": spell.pk, "member_country": belarus.pk, "status": "member", "start": "2024-07-04"}
    data = organization_data(sco, [row], cite_source=charter.pk)
    data.update(management_form("memberships", total=1, initial=1))

    response = reviewer_client.post(admin_url("organization", "change", sco.pk), data)

    assert response.status_code == 302, response.context["errors"]
    assert not spell.citations.exists()


def test_an_excerpt_for_the_save_without_a_source_is_refused(editor_client):
    sco = make_organization(**SCO)

    response = editor_client.post(
        admin_url("organization", "change", sco.pk), organization_data(sco, cite_excerpt="x")
    )

    assert response.status_code == 200
    assert "Choose the source the excerpt comes from." in response.content.decode()


# --- saved without a citation --------------------------------------------------------------


def test_saving_an_uncited_draft_spell_warns(editor_client):
    sco, belarus = make_organization(**SCO), make_country()
    spells = [{"member_country": belarus.pk, "status": Status.MEMBER, "start": "2015"}]

    response = editor_client.post(
        admin_url("organization", "change", sco.pk), organization_data(sco, spells)
    )

    assert response.status_code == 302
    assert Membership.objects.get().is_published is False
    assert any("Saved as a draft without a citation: " in m for m in messages_of(response))


def test_saving_a_cited_spell_does_not_warn(editor_client):
    sco, belarus = make_organization(**SCO), make_country()
    source = make_source("Belarus joins")
    spells = [
        {"member_country": belarus.pk, "status": "member", "start": "2015", "source": source.pk}
    ]

    response = editor_client.post(
        admin_url("organization", "change", sco.pk), organization_data(sco, spells)
    )

    assert not any("without a citation" in m for m in messages_of(response))


# --- "Fact" on a citation ------------------------------------------------------------------


def test_fact_is_a_choice_of_the_records_facts(editor_client):
    sco, belarus = make_organization(**SCO), make_country()
    source = make_source("Belarus joins")
    data = membership_data(sco, belarus, **management_form(CITATIONS, total=1))
    data.update({f"{CITATIONS}-0-source": source.pk, f"{CITATIONS}-0-claim_field": "founded"})
    data[f"{CITATIONS}-0-position"] = "0"

    response = editor_client.post(admin_url("membership", "add"), data)

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    page = editor_client.get(admin_url("membership", "add")).content.decode()
    assert '<option value="" selected>the whole record</option>' in page
    assert '<option value="start">start</option>' in page


def test_a_citation_refuses_a_fact_its_record_does_not_have(db):
    from django.core.exceptions import ValidationError

    spell = make_membership(make_organization(**SCO), make_country(), "2024", cite=False)
    citation = Citation(claim=spell, source=make_source(), claim_field="founded")
    with pytest.raises(ValidationError, match="not a fact of a membership"):
        citation.full_clean()
    citation.claim_field = "start"
    citation.full_clean()


# --- "Cite selected" -----------------------------------------------------------------------


def cite_selected(client, model, records, **form):
    data = {"action": "cite_selected", "_selected_action": [r.pk for r in records], **form}
    return client.post(admin_url(model), data)


def test_cite_selected_asks_for_the_source_first(editor_client):
    sco = as_draft(make_organization(**SCO))
    spells = [
        make_membership(sco, make_country(*codes), "2024", cite=False)
        for codes in [("AM", "ARM", "Armenia"), ("BY", "BLR", "Belarus")]
    ]

    response = cite_selected(editor_client, "membership", spells)

    assert response.status_code == 200
    assert b'name="cite"' in response.content
    assert not Citation.objects.exists()


def test_cite_selected_cites_five_draft_spells_at_once(editor_client):
    sco = make_organization(**SCO)
    countries = [("AM", "ARM"), ("BY", "BLR"), ("KZ", "KAZ"), ("KG", "KGZ"), ("RU", "RUS")]
    spells = [
        as_draft(make_membership(sco, make_country(iso2, iso3, iso2), "2024", cite=False))
        for iso2, iso3 in countries
    ]
    charter = make_source("CSTO Charter")

    response = cite_selected(
        editor_client, "membership", spells, cite="1", source=charter.pk, excerpt="Art. 4"
    )

    assert response.status_code == 302
    for spell in spells:
        citation = spell.citations.get()
        assert (citation.source, citation.excerpt) == (charter, "Art. 4")
        assert citation.history.count() == 1
    assert not ChangeSet.objects.exists()


def test_cite_selected_on_published_records_proposes_one_change_set(editor_client):
    speaker = make_person()
    quotes = [make_quote(f"Words {n}.", speaker) for n in range(3)]
    charter = make_source("CSTO Charter")

    response = cite_selected(editor_client, "quote", quotes, cite="1", source=charter.pk)

    assert response.status_code == 302
    change_set = ChangeSet.objects.get()
    assert change_set.origin == ChangeSet.Origin.BULK
    assert change_set.changes.filter(action=ProposedChange.Action.CREATE).count() == 3
    assert not Citation.objects.filter(source=charter).exists()


def test_cite_selected_skips_records_that_already_cite_the_source(editor_client):
    sco = make_organization(**SCO)
    charter = make_source("CSTO Charter")
    spell = as_draft(make_membership(sco, make_country(), "2024", cite=False))
    make_citation(spell, charter)

    cite_selected(editor_client, "membership", [spell], cite="1", source=charter.pk)

    assert spell.citations.count() == 1
