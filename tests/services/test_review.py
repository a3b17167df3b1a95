"""Change sets as a service: an Editor's change to a published record waits for a Reviewer."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from eurasia.cache import atlas_version
from orgs.dates import PartialDate
from orgs.models import ChangeSet, Citation, Membership, ProposedChange
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
def spell():
    return make_membership(make_organization("sco", acronym="SCO"), make_country(), "2024-07-04")


def propose_end(spell, user, end="2025-01", reason="left"):
    collector = review.ChangeCollector(user=user, reason=reason)
    edited = Membership.objects.get(pk=spell.pk)
    edited.end_partial = PartialDate.parse(end)
    assert collector.save(edited) is True
    return collector.change_set


def test_an_editors_change_to_a_published_spell_is_only_proposed(spell, editor):
    version_before = atlas_version()
    change_set = propose_end(spell, editor)

    spell.refresh_from_db()
    assert spell.end is None
    assert change_set.state == ChangeSet.State.PENDING
    change = change_set.changes.get()
    assert change.action == ProposedChange.Action.UPDATE
    assert change.after["end"] == "2025-01-01"
    assert atlas_version() == version_before  # proposing leaves cached pages valid


def test_approving_applies_the_change_with_the_editor_in_history(spell, editor, reviewer):
    change_set = propose_end(spell, editor)
    version_before = atlas_version()

    review.change_set_approve(change_set=change_set, user=reviewer, reason="checked")

    spell.refresh_from_db()
    assert spell.end_partial.iso == "2025-01"
    change_set.refresh_from_db()
    assert change_set.state == ChangeSet.State.APPROVED
    assert change_set.reviewer == reviewer
    latest = spell.history.latest()
    assert latest.history_user == editor
    assert "approved by reviewer" in latest.history_change_reason
    assert atlas_version() > version_before
    assert not ProposedChange.objects.filter(is_open=True).exists()


def test_the_diff_names_each_changed_field_old_and_new(spell, editor):
    change_set = propose_end(spell, editor)
    [diff] = review.change_set_diff(change_set)
    by_name = {field.name: field for field in diff.fields}
    assert by_name["end"].old == "—"
    assert by_name["end"].new == "January 2025"
    assert diff.conflict == ""


def test_a_reviewers_own_change_and_a_change_to_a_draft_apply_at_once(spell, editor, reviewer):
    assert review.ChangeCollector(user=reviewer).save(spell) is False
    draft = make_membership(make_organization("brics"), spell.member_country, "2025", cite=False)
    Membership.objects.filter(pk=draft.pk).update(is_published=False)
    draft.refresh_from_db()
    assert review.ChangeCollector(user=editor).save(draft) is False


def test_a_second_edit_joins_the_editors_pending_set(spell, editor):
    first = propose_end(spell, editor, end="2025-01")
    collector = review.ChangeCollector(user=editor)
    edited = Membership.objects.get(pk=spell.pk)
    edited.end_partial = PartialDate.parse("2025-02")
    collector.save(edited)

    assert collector.change_sets == [first]
    assert first.changes.get().after["end"] == "2025-02-01"
    assert ChangeSet.objects.count() == 1


def test_another_editor_cannot_propose_a_change_to_the_same_record(spell, editor):
    first = propose_end(spell, editor)
    other = make_staff("Editor", "other-editor")
    with pytest.raises(ValidationError, match=f"change set #{first.pk}"):
        propose_end(spell, other)


def test_a_set_that_conflicts_with_a_later_change_is_refused_whole(spell, editor, reviewer):
    citation_source = make_source("A second source")
    collector = review.ChangeCollector(user=editor)
    edited = Membership.objects.get(pk=spell.pk)
    edited.end_partial = PartialDate.parse("2025-01")
    collector.save(edited)
    collector.save(Citation(claim=spell, source=citation_source, excerpt="left in January"))
    change_set = collector.change_set
    # Meanwhile a Reviewer edits the spell directly.
    Membership.objects.filter(pk=spell.pk).update(note="checked again")

    with pytest.raises(review.ChangeConflict, match="changed by someone else"):
        review.change_set_approve(change_set=change_set, user=reviewer)

    spell.refresh_from_db()
    assert spell.end is None
    assert spell.citations.count() == 1  # the proposed citation was not added either
    change_set.refresh_from_db()
    assert change_set.state == ChangeSet.State.PENDING


def test_a_set_that_would_make_memberships_overlap_is_refused_with_the_overlap(
    spell, editor, reviewer
):
    spell.end_partial = PartialDate.parse("2025-01")
    spell.save()
    later = make_membership(spell.organization, spell.member_country, "2025-06", status="observer")
    collector = review.ChangeCollector(user=editor)
    edited = Membership.objects.get(pk=later.pk)
    edited.start_partial = PartialDate.parse("2024-08")
    collector.save(edited)

    with pytest.raises(ValidationError, match="overlap"):
        review.change_set_approve(change_set=collector.change_set, user=reviewer)
    later.refresh_from_db()
    assert later.start_partial.iso == "2025-06"


def test_approving_the_removal_of_the_last_citation_is_refused(spell, editor, reviewer):
    collector = review.ChangeCollector(user=editor)
    collector.delete(spell.citations.get())

    with pytest.raises(ValidationError, match="last published citation"):
        review.change_set_approve(change_set=collector.change_set, user=reviewer)
    assert spell.citations.count() == 1


def test_rejecting_needs_a_reason_and_changes_nothing(spell, editor, reviewer):
    change_set = propose_end(spell, editor)
    with pytest.raises(ValidationError):
        review.change_set_reject(change_set=change_set, user=reviewer, reason="  ")
    review.change_set_reject(change_set=change_set, user=reviewer, reason="no source says so")

    spell.refresh_from_db()
    assert spell.end is None
    change_set.refresh_from_db()
    assert change_set.state == ChangeSet.State.REJECTED
    assert change_set.decision_reason == "no source says so"
    # The record is free for a new proposal.
    assert propose_end(spell, editor).pk != change_set.pk


def test_only_reviewers_decide(spell, editor):
    change_set = propose_end(spell, editor)
    with pytest.raises(PermissionDenied):
        review.change_set_approve(change_set=change_set, user=editor)
    with pytest.raises(PermissionDenied):
        review.change_set_reject(change_set=change_set, user=editor, reason="mine")


def test_a_preview_shows_pending_values_and_leaves_nothing_behind(spell, editor):
    propose_end(spell, editor)
    version_before = atlas_version()
    with review.pending_changes_applied():
        assert Membership.objects.get(pk=spell.pk).end_partial.iso == "2025-01"
    assert Membership.objects.get(pk=spell.pk).end is None
    assert atlas_version() == version_before


def test_a_reviewer_cannot_remove_the_last_citation_of_a_published_spell(spell, reviewer):
    with pytest.raises(ValidationError, match="last published citation"):
        review.ChangeCollector(user=reviewer).delete(spell.citations.get())
