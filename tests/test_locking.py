"""Two editors saving the same record: the second gets a conflict, nothing is overwritten
(issue 8)."""

import threading

import pytest
from django.db import connection

from orgs.locking import VersionConflict, claim_save_checked
from orgs.models import Membership, Source
from tests.makers import make_country, make_organization, make_source, make_spell


@pytest.mark.django_db
def test_the_second_of_two_editors_gets_a_conflict_and_nothing_is_overwritten():
    source = make_source("Original title")
    first = Source.objects.get(pk=source.pk)
    second = Source.objects.get(pk=source.pk)
    assert first.version == second.version == 1

    first.title = "First editor's title"
    claim_save_checked(instance=first, expected_version=1)
    assert first.version == 2

    second.title = "Second editor's title"
    with pytest.raises(VersionConflict) as conflict:
        claim_save_checked(instance=second, expected_version=1)
    assert conflict.value.message.startswith(
        "This record was changed by someone else since you opened it"
    )
    assert "version 1" in conflict.value.message and "version 2" in conflict.value.message

    stored = Source.objects.get(pk=source.pk)
    assert stored.title == "First editor's title"
    assert stored.version == 2
    assert stored.history.count() == 2  # created, then the first editor's save


@pytest.mark.django_db
def test_saves_in_turn_each_raise_the_version():
    spell = make_spell(make_organization("sco"), make_country(), "2024-07-04")
    for expected in (1, 2, 3):
        spell = Membership.objects.get(pk=spell.pk)
        spell.note = f"edit {expected}"
        claim_save_checked(instance=spell, expected_version=expected)
    stored = Membership.objects.get(pk=spell.pk)
    assert (stored.version, stored.note) == (4, "edit 3")


@pytest.mark.django_db
def test_a_save_after_someone_deleted_the_record_is_refused():
    source = make_source()
    stale = Source.objects.get(pk=source.pk)
    Source.objects.filter(pk=source.pk).delete()
    with pytest.raises(VersionConflict, match="deleted by someone else"):
        claim_save_checked(instance=stale, expected_version=1)
    assert not Source.objects.filter(pk=source.pk).exists()


@pytest.mark.django_db
def test_a_new_record_is_saved_as_version_one():
    source = Source(title="New", is_published=False)
    claim_save_checked(instance=source, expected_version=1)
    assert Source.objects.get(pk=source.pk).version == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrent connections need PostgreSQL"
)
def test_two_concurrent_saves_of_one_version_let_exactly_one_through():
    from django.db import connections

    source = make_source("Original title")
    barrier = threading.Barrier(2)
    outcomes = []

    def edit(title):
        try:
            stale = Source.objects.get(pk=source.pk)
            stale.title = title
            barrier.wait(timeout=10)
            claim_save_checked(instance=stale, expected_version=1)
            outcomes.append(("saved", title))
        except VersionConflict:
            outcomes.append(("conflict", title))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=edit, args=(f"Editor {n}",)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(kind for kind, _ in outcomes) == ["conflict", "saved"]
    winner = next(title for kind, title in outcomes if kind == "saved")
    stored = Source.objects.get(pk=source.pk)
    assert (stored.title, stored.version) == (winner, 2)
