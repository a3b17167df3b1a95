"""Issue 5: every change keeps who, when and why; versions compare; deleted records come back."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from orgs import services
from orgs.models import Citation, Membership, Quote
from tests.admin.test_publishing import change_page, membership_form
from tests.makers import make_country, make_membership, make_organization, make_source, make_user


def cited_spell(*, published=True):
    """Belarus's SCO spell citing two sources. An Editor's change to it applies at once only
    while it is a draft; once published, the change waits for review."""
    sco = make_organization("sco", "Shanghai Cooperation Organisation", acronym="SCO")
    spell = make_membership(sco, make_country(), "2024-07-04", cite=False, is_published=published)
    first = Citation.objects.create(
        claim=spell, source=make_source("TASS"), excerpt="full member", locator="para. 1"
    )
    second = Citation.objects.create(
        claim=spell, source=make_source("Izvestia"), excerpt="10th member", position=1
    )
    return spell, [first, second]


# --- reason for change, compare, revert ----------------------------------------------------


def test_the_reason_for_a_change_is_kept_and_shown_in_the_history(editor_client):
    spell, _ = cited_spell(published=False)

    response = editor_client.post(
        change_page(spell),
        membership_form(spell, qualifier="de jure", change_reason="TASS says de jure"),
    )

    assert response.status_code == 302
    latest = spell.history.latest()
    assert latest.history_change_reason == "TASS says de jure"
    assert latest.history_user.username == "editor"
    page = editor_client.get(reverse("admin:orgs_membership_history", args=[spell.pk]))
    assert "TASS says de jure" in page.content.decode()


def test_the_compare_page_lists_the_changed_fields_old_and_new(editor_client):
    spell, _ = cited_spell(published=False)
    editor_client.post(change_page(spell), membership_form(spell, qualifier="de jure"))
    older, newer = spell.history.order_by("history_date")[:2]

    url = reverse("admin:orgs_membership_history_compare", args=[spell.pk])
    response = editor_client.get(url, {"from": older.history_id, "to": newer.history_id})

    assert response.status_code == 200
    changes = response.context["changes"]
    assert [(change["field"], change["old"], change["new"]) for change in changes] == [
        ("Qualifier", "", "de jure")
    ]
    assert 'data-field="Qualifier"' in response.content.decode()
    # Without parameters it compares the last two versions.
    assert editor_client.get(url).context["changes"] == changes


def test_the_history_page_links_to_the_compare_page(editor_client):
    spell, _ = cited_spell(published=False)
    editor_client.post(change_page(spell), membership_form(spell, qualifier="de jure"))

    page = editor_client.get(reverse("admin:orgs_membership_history", args=[spell.pk]))

    compare_url = reverse("admin:orgs_membership_history_compare", args=[spell.pk])
    assert f'action="{compare_url}"' in page.content.decode()


def test_an_editor_reverts_to_an_earlier_version_with_a_reason(editor_client):
    spell, _ = cited_spell(published=False)
    editor_client.post(change_page(spell), membership_form(spell, qualifier="de jure"))
    first = spell.history.earliest()
    revert_url = reverse("admin:orgs_membership_simple_history", args=[spell.pk, first.history_id])

    page = editor_client.get(revert_url)
    assert 'value="de jure"' not in page.content.decode()
    response = editor_client.post(
        revert_url, membership_form(spell, qualifier="", change_reason="revert: not in source")
    )

    assert response.status_code == 302
    spell.refresh_from_db()
    assert spell.qualifier == ""
    assert spell.history.latest().history_change_reason == "revert: not in source"


def test_reverting_to_a_published_version_does_not_publish_for_an_editor(editor_client):
    spell, _ = cited_spell()  # published by the maker
    Membership.objects.filter(pk=spell.pk).update(is_published=False)
    spell.refresh_from_db()
    editor_client.post(change_page(spell), membership_form(spell, note="draft again"))
    published_version = spell.history.earliest()
    assert published_version.is_published

    revert_url = reverse(
        "admin:orgs_membership_simple_history", args=[spell.pk, published_version.history_id]
    )
    response = editor_client.post(revert_url, membership_form(spell, note=""))

    assert response.status_code == 302
    spell.refresh_from_db()
    assert not spell.is_published


# --- delete and restore --------------------------------------------------------------------


def test_a_deleted_cited_spell_is_restored_with_its_citations(reviewer):
    spell, citations = cited_spell()
    spell_pk = spell.pk
    citation_pks = sorted(citation.pk for citation in citations)
    spell.delete()
    assert not Citation.objects.filter(pk__in=citation_pks).exists()

    deletion = services.deleted_records(Membership).get(id=spell_pk)
    restored = services.membership_restore(history_id=deletion.history_id, user=reviewer[0])

    assert restored.pk == spell_pk
    found = Membership.objects.get(pk=spell_pk)
    assert found.period == "since 4 July 2024"
    assert sorted(found.citations.values_list("pk", flat=True)) == citation_pks
    assert found.citations.get(locator="para. 1").excerpt == "full member"
    assert found.history.latest().history_change_reason.startswith("restored from history")
    assert Citation.history.filter(id=citation_pks[0]).latest().history_type == "+"
    assert not services.deleted_records(Membership).exists()


def test_citations_removed_before_the_deletion_stay_removed(reviewer):
    spell, citations = cited_spell()
    removed_pk = citations[1].pk
    citations[1].delete()
    removal = Citation.history.filter(id=removed_pk).latest()
    Citation.history.filter(pk=removal.pk).update(
        history_date=removal.history_date - 2 * services.CASCADE_WINDOW
    )
    spell.delete()

    deletion = services.deleted_records(Membership).get()
    restored = services.membership_restore(history_id=deletion.history_id, user=reviewer[0])

    assert list(restored.citations.values_list("pk", flat=True)) == [citations[0].pk]


def test_a_restore_that_would_overlap_a_newer_spell_is_refused(reviewer):
    spell, _ = cited_spell()
    organization, member = spell.organization, spell.member_country
    spell.delete()
    make_membership(organization, member, "2024-07-04")

    deletion = services.deleted_records(Membership).get()
    with pytest.raises(ValidationError, match="overlaps another spell of Belarus"):
        services.membership_restore(history_id=deletion.history_id, user=reviewer[0])


def test_an_editor_restores_as_a_draft(editor):
    spell, _ = cited_spell()
    assert spell.is_published
    spell.delete()

    deletion = services.deleted_records(Membership).get()
    restored = services.membership_restore(history_id=deletion.history_id, user=editor[0])

    assert not restored.is_published
    assert restored.citations.count() == 2


def test_restore_needs_the_add_permission(db):
    spell, _ = cited_spell()
    spell.delete()
    nobody = make_user("Editor", "nobody")[0]
    nobody.groups.clear()

    deletion = services.deleted_records(Membership).get()
    with pytest.raises(PermissionDenied):
        services.membership_restore(history_id=deletion.history_id, user=nobody)


def test_a_quote_comes_back_with_the_countries_it_was_about(reviewer):
    from orgs.models import Person

    speaker = Person.objects.create(name="A. Speaker", slug="a-speaker")
    quote = Quote.objects.create(text="Welcome", speaker=speaker)
    belarus = make_country()
    quote.about_countries.set([belarus])
    quote.delete()

    deletion = services.deleted_records(Quote).get()
    restored = services.record_restore(
        model=Quote, history_id=deletion.history_id, user=reviewer[0]
    )

    assert list(restored.about_countries.all()) == [belarus]


def test_the_admin_lists_deleted_spells_and_restores_one(reviewer_client):
    spell, _citations = cited_spell()
    delete_url = reverse("admin:orgs_membership_delete", args=[spell.pk])
    assert reviewer_client.post(delete_url, {"post": "yes"}).status_code == 302

    changelist = reviewer_client.get(reverse("admin:orgs_membership_changelist"))
    deleted_url = reverse("admin:orgs_membership_deleted")
    assert deleted_url in changelist.content.decode()
    page = reviewer_client.get(deleted_url)
    assert page.status_code == 200
    deletion = page.context["deleted"][0]
    assert "Belarus" in page.content.decode()

    response = reviewer_client.post(
        reverse("admin:orgs_membership_restore", args=[deletion.history_id]), follow=True
    )

    assert response.redirect_chain[-1][0] == change_page(spell)
    assert "with 2 citations" in response.content.decode()
    assert Membership.objects.get(pk=spell.pk).citations.count() == 2
