"""The review queue in the admin: Reviewers see every pending set with its diff and decide;
Editors see their own sets, pending and rejected."""

import pytest

from orgs.dates import PartialDate
from orgs.models import ChangeSet, Citation, Membership
from orgs.services import review
from tests.makers import make_country, make_membership, make_organization, make_source, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return make_staff("Editor", "editor")


@pytest.fixture
def reviewer():
    return make_staff("Reviewer", "reviewer")


@pytest.fixture
def change_set(editor):
    spell = make_membership(make_organization("sco", acronym="SCO"), make_country(), "2024-07-04")
    collector = review.ChangeCollector(user=editor, reason="Belarus left, says the source")
    edited = Membership.objects.get(pk=spell.pk)
    edited.end_partial = PartialDate.parse("2025-01")
    collector.save(edited)
    return collector.change_set


def test_the_index_shows_reviewers_the_queue_with_its_count(client, reviewer, change_set):
    client.force_login(reviewer)
    page = client.get("/admin/").content.decode()
    assert "Review queue" in page
    assert "1 change set waiting for review" in page
    assert "Recent changes by everyone" in page


def test_the_index_shows_editors_their_own_sets(client, editor, change_set):
    client.force_login(editor)
    page = client.get("/admin/").content.decode()
    assert "Your change sets" in page
    assert "1 waiting for review, 0 rejected" in page


def test_the_queue_lists_the_set_and_its_page_shows_the_diff(client, reviewer, change_set):
    client.force_login(reviewer)
    listing = client.get("/admin/orgs/changeset/?state__exact=pending").content.decode()
    assert f"Change set #{change_set.pk}" in listing
    assert "Belarus left, says the source" in listing

    page = client.get(f"/admin/orgs/changeset/{change_set.pk}/change/").content.decode()
    assert 'data-field="end"' in page
    assert "January 2025" in page
    assert "Approve and publish" in page


def test_a_reviewer_approves_from_the_page(client, reviewer, change_set):
    client.force_login(reviewer)
    response = client.post(
        f"/admin/orgs/changeset/{change_set.pk}/change/", {"_approve": "1", "reason": "checked"}
    )
    assert response.status_code == 302
    change_set.refresh_from_db()
    assert change_set.state == ChangeSet.State.APPROVED
    assert Membership.objects.get().end_partial.iso == "2025-01"


def test_rejecting_without_a_reason_is_refused_with_a_message(client, reviewer, change_set):
    client.force_login(reviewer)
    response = client.post(
        f"/admin/orgs/changeset/{change_set.pk}/change/",
        {"_reject": "1", "reason": ""},
        follow=True,
    )
    assert "Say why the set is rejected" in response.content.decode()
    change_set.refresh_from_db()
    assert change_set.state == ChangeSet.State.PENDING


def test_an_editor_sees_their_set_but_cannot_decide_it(client, editor, change_set):
    client.force_login(editor)
    page = client.get(f"/admin/orgs/changeset/{change_set.pk}/change/").content.decode()
    assert 'data-field="end"' in page
    assert "Approve and publish" not in page
    response = client.post(f"/admin/orgs/changeset/{change_set.pk}/change/", {"_approve": "1"})
    assert response.status_code == 403
    change_set.refresh_from_db()
    assert change_set.state == ChangeSet.State.PENDING


def test_an_editor_does_not_see_another_editors_set(client, change_set):
    other = make_staff("Editor", "other")
    client.force_login(other)
    assert client.get(f"/admin/orgs/changeset/{change_set.pk}/change/").status_code == 404


def test_an_organizations_history_shows_the_changes_to_its_spells(client, reviewer):
    sco = make_organization("sco", acronym="SCO")
    spell = make_membership(sco, make_country(), "2024-07-04")
    spell.note = "Checked against the summit declaration"
    spell._change_reason = "checked"
    spell.save()
    client.force_login(reviewer)

    history = client.get(f"/admin/orgs/organization/{sco.pk}/history/").content.decode()

    assert 'id="related-changes"' in history
    assert "Checked against the summit declaration" in history  # the note's old → new
    assert "checked" in history


def test_deleting_asks_for_a_reason_and_keeps_it(client, reviewer):
    spell = make_membership(make_organization("sco", acronym="SCO"), make_country(), "2024-07-04")
    second = Citation.objects.create(claim=spell, source=make_source("A second source"))
    client.force_login(reviewer)
    url = f"/admin/orgs/citation/{second.pk}/delete/"
    assert 'name="change_reason"' in client.get(url).content.decode()

    client.post(url, {"post": "yes", "change_reason": "duplicate"})

    assert not Citation.objects.filter(pk=second.pk).exists()
    deletion = Citation.history.get(id=second.pk, history_type="-")
    assert deletion.history_change_reason == "duplicate"


def test_a_record_with_a_pending_change_says_so_on_its_form(client, reviewer, change_set):
    spell = Membership.objects.get()
    client.force_login(reviewer)
    page = client.get(f"/admin/orgs/membership/{spell.pk}/change/").content.decode()
    assert 'id="pending-changes"' in page
    assert f"change set #{change_set.pk}" in page
    organization_page = client.get(
        f"/admin/orgs/organization/{spell.organization_id}/change/"
    ).content.decode()
    assert f"change set #{change_set.pk}" in organization_page
