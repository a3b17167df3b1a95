"""Issue 5: editors write drafts, reviewers publish; nothing is published without a source."""

from io import StringIO

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.urls import reverse

from orgs import services
from orgs.models import ChangeSet, Citation, Country, Curated, Membership, Organization, Source
from orgs.services import review
from tests.makers import (
    as_draft,
    make_country,
    make_membership,
    make_organization,
    make_source,
    make_user,
)

CITATIONS = "orgs-citation-content_type-object_id"


def draft_spell(*, cite=True, source_published=True) -> Membership:
    sco = Organization.objects.filter(slug="sco").first() or make_organization(
        "sco", "Shanghai Cooperation Organisation", acronym="SCO"
    )
    belarus = Country.objects.filter(iso2="BY").first() or make_country()
    spell = as_draft(make_membership(sco, belarus, "2024-07-04", cite=False))
    if cite:
        source = make_source("Belarus joins the SCO")
        if not source_published:
            as_draft(source)
        Citation.objects.create(claim=spell, source=source, excerpt="became a full member")
    return spell


def changelist(model):
    return reverse(f"admin:orgs_{model}_changelist")


def change_page(record):
    return reverse(f"admin:orgs_{record._meta.model_name}_change", args=[record.pk])


def membership_form(spell, **fields):
    data = {
        "organization": spell.organization_id,
        "member_country": spell.member_country_id or "",
        "member_organization": spell.member_organization_id or "",
        "status": spell.status,
        "qualifier": spell.qualifier,
        "start": spell.start_partial.iso,
        "end": spell.end_partial.iso if spell.end_partial else "",
        "rank": spell.rank,
        "rank_reason": spell.rank_reason,
        "note": spell.note,
        "dispute_note": spell.dispute_note,
        "change_reason": "",
        f"{CITATIONS}-TOTAL_FORMS": "0",
        f"{CITATIONS}-INITIAL_FORMS": "0",
        f"{CITATIONS}-MIN_NUM_FORMS": "0",
        f"{CITATIONS}-MAX_NUM_FORMS": "1000",
    }
    data.update(fields)
    return data


# --- the groups ----------------------------------------------------------------------------


def test_migration_creates_both_groups_with_the_publish_permissions(db):
    editor_perms = set(
        Group.objects.get(name="Editor").permissions.values_list("codename", flat=True)
    )
    reviewer_perms = set(
        Group.objects.get(name="Reviewer").permissions.values_list("codename", flat=True)
    )

    assert Permission.objects.filter(codename="publish_membership").exists()
    assert {"add_membership", "change_membership", "view_historicalmembership"} <= editor_perms
    assert "publish_membership" not in editor_perms
    assert "delete_membership" not in editor_perms
    assert "delete_citation" in editor_perms
    assert editor_perms < reviewer_perms
    assert {"publish_membership", "publish_source", "delete_membership"} <= reviewer_perms
    assert not any(codename.startswith("change_historical") for codename in reviewer_perms)


def test_the_command_makes_a_reviewer_and_refuses_unknown_groups(db):
    user, _ = make_user("Reviewer", "rita")

    assert user.is_staff
    assert not user.is_superuser
    assert user.has_perm("orgs.publish_membership")
    assert user.has_perm("orgs.delete_membership")
    with pytest.raises(CommandError):
        call_command("create_editor", username="x", group="Admin", stdout=StringIO())


# --- the service ---------------------------------------------------------------------------


def test_an_editor_cannot_publish_through_the_service(editor):
    spell = draft_spell()

    with pytest.raises(PermissionDenied):
        services.records_publish(user=editor[0], records=[spell])

    spell.refresh_from_db()
    assert not spell.is_published


def test_a_reviewer_publishes_a_cited_spell_and_history_says_who(reviewer):
    spell = draft_spell()

    result = services.records_publish(user=reviewer[0], records=[spell])

    assert result.changed == [spell]
    assert not result.refused
    spell.refresh_from_db()
    assert spell.is_published
    latest = spell.history.latest()
    assert latest.history_user == reviewer[0]
    assert latest.history_change_reason == "published"


@pytest.mark.parametrize(
    ("cite", "source_published", "reason"),
    [
        (False, True, "it cites no source"),
        (True, False, "its sources are all drafts"),
    ],
)
def test_publishing_an_uncited_spell_is_refused_with_the_reason(
    reviewer, cite, source_published, reason
):
    spell = draft_spell(cite=cite, source_published=source_published)

    result = services.records_publish(user=reviewer[0], records=[spell])

    assert not result.changed
    assert [refusal.record for refusal in result.refused] == [spell]
    assert reason in result.refused[0].reason
    spell.refresh_from_db()
    assert not spell.is_published


def test_records_that_need_no_citation_publish_without_one(reviewer):
    source = as_draft(make_source("A draft source"))

    result = services.records_publish(user=reviewer[0], records=[source])

    assert result.changed == [source]


def test_unpublish_turns_a_record_back_into_a_draft(reviewer, editor):
    spell = draft_spell()
    services.records_publish(user=reviewer[0], records=[spell])

    with pytest.raises(PermissionDenied):
        services.records_unpublish(user=editor[0], records=[spell])
    result = services.records_unpublish(user=reviewer[0], records=[spell], reason="wrong date")

    assert result.changed == [spell]
    spell.refresh_from_db()
    assert not spell.is_published
    assert spell.history.latest().history_change_reason == "wrong date"


# --- the admin: actions --------------------------------------------------------------------


def test_editor_sees_no_publish_action_and_cannot_post_it(editor_client):
    spell = draft_spell()

    page = editor_client.get(changelist("membership"))
    assert page.status_code == 200
    assert "publish_selected" not in page.content.decode()

    response = editor_client.post(
        changelist("membership"),
        {"action": "publish_selected", "_selected_action": [spell.pk]},
        follow=True,
    )

    assert response.status_code == 200
    spell.refresh_from_db()
    assert not spell.is_published


def test_reviewer_publishes_from_the_changelist_and_is_told_what_was_refused(reviewer_client):
    cited = draft_spell()
    armenia = make_country("AM", "ARM", "Armenia")
    uncited = as_draft(make_membership(cited.organization, armenia, "2024", cite=False))

    page = reviewer_client.get(changelist("membership"))
    assert "publish_selected" in page.content.decode()
    response = reviewer_client.post(
        changelist("membership"),
        {"action": "publish_selected", "_selected_action": [cited.pk, uncited.pk]},
        follow=True,
    )

    cited.refresh_from_db()
    uncited.refresh_from_db()
    assert cited.is_published
    assert not uncited.is_published
    text = [str(message) for message in response.context["messages"]]
    assert any(message.startswith("Published 1: Belarus") for message in text)
    assert f"Not published (1): {uncited} — it cites no source; add a citation first." in text


def test_publish_actions_exist_on_every_claim_admin_but_not_on_citations(rf, reviewer, editor):
    for user, expected in [(reviewer[0], True), (editor[0], False)]:
        request = rf.get("/admin/")
        request.user = user
        for model, model_admin in admin.site._registry.items():
            if model._meta.app_label != "orgs":
                continue
            actions = model_admin.get_actions(request)
            is_claim = issubclass(model, Curated)
            assert ("publish_selected" in actions) == (expected and is_claim), model
            assert ("unpublish_selected" in actions) == (expected and is_claim), model


# --- the admin: the change form ------------------------------------------------------------


def test_editor_sees_the_published_box_read_only_and_cannot_tick_it(editor_client):
    spell = draft_spell()

    page = editor_client.get(change_page(spell)).content.decode()
    assert 'name="is_published"' not in page
    assert 'name="_publish"' not in page
    assert 'name="change_reason"' in page

    response = editor_client.post(
        change_page(spell), membership_form(spell, is_published="on", qualifier="de jure")
    )

    assert response.status_code == 302
    spell.refresh_from_db()
    assert spell.qualifier == "de jure"
    assert not spell.is_published


def test_editor_edit_of_a_published_record_waits_for_review_and_keeps_it_published(
    editor_client, reviewer
):
    spell = draft_spell()
    Membership.objects.filter(pk=spell.pk).update(is_published=True)
    spell.refresh_from_db()

    response = editor_client.post(
        change_page(spell), membership_form(spell, note="checked"), follow=True
    )

    spell.refresh_from_db()
    # The public still sees the record as it was.
    assert spell.is_published
    assert spell.note == ""
    change_set = ChangeSet.objects.pending().get()
    assert change_set.author.username == "editor"
    assert [change.after["note"] for change in change_set.changes.all()] == ["checked"]
    text = [str(message) for message in response.context["messages"]]
    assert any(change_set.get_absolute_url() in message for message in text), text

    review.change_set_approve(change_set=change_set, user=reviewer[0])

    spell.refresh_from_db()
    assert spell.is_published
    assert spell.note == "checked"


def test_editor_cannot_publish_with_the_button(editor_client):
    spell = draft_spell()

    response = editor_client.post(change_page(spell), membership_form(spell, _publish="Publish"))

    assert response.status_code == 403
    spell.refresh_from_db()
    assert not spell.is_published


def test_reviewer_publishes_with_the_button_on_the_change_form(reviewer_client):
    spell = draft_spell()
    page = reviewer_client.get(change_page(spell)).content.decode()
    assert 'name="_publish"' in page
    assert 'name="is_published"' in page

    response = reviewer_client.post(
        change_page(spell), membership_form(spell, _publish="Save and publish"), follow=True
    )

    spell.refresh_from_db()
    assert spell.is_published
    assert response.redirect_chain[-1][0] == change_page(spell)
    assert 'name="_unpublish"' in response.content.decode()


def test_the_button_refuses_an_uncited_spell_naming_it(reviewer_client):
    spell = draft_spell(cite=False)

    response = reviewer_client.post(
        change_page(spell), membership_form(spell, _publish="Save and publish"), follow=True
    )

    spell.refresh_from_db()
    assert not spell.is_published
    assert (
        f"Not published (1): {spell} — it cites no source; add a citation first."
        in response.content.decode()
    )


def test_new_records_start_as_drafts_even_from_a_reviewer(reviewer_client):
    response = reviewer_client.post(
        reverse("admin:orgs_source_add"),
        {"key": "", "kind": "news_article", "title": "New", "published_on": "2024"},
    )

    assert response.status_code == 302
    assert Source.objects.get(title="New").is_published is False


def test_editor_cannot_delete_a_spell_but_a_reviewer_can(editor_client, reviewer):
    spell = draft_spell()
    delete_url = reverse("admin:orgs_membership_delete", args=[spell.pk])

    assert editor_client.post(delete_url, {"post": "yes"}).status_code == 403
    assert Membership.objects.filter(pk=spell.pk).exists()

    editor_client.logout()
    editor_client.login(username=reviewer[0].username, password=reviewer[1])
    assert editor_client.post(delete_url, {"post": "yes"}).status_code == 302
    assert not Membership.objects.filter(pk=spell.pk).exists()
