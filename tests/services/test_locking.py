"""The one locking function as the API calls it: without a version, and saving through a
serializer."""

import pytest

from orgs.models import Source
from orgs.services.locking import VersionConflict, record_save_checked
from tests.makers import make_source

pytestmark = pytest.mark.django_db


def test_without_a_version_the_last_writer_wins_and_the_version_still_rises():
    source = make_source("Original title")
    Source.objects.filter(pk=source.pk).update(version=5)
    stale = Source.objects.get(pk=source.pk)
    stale.version = 1
    stale.title = "Written without a version"
    record_save_checked(instance=stale, expected_version=None)
    stored = Source.objects.get(pk=source.pk)
    assert (stored.title, stored.version, stale.version) == ("Written without a version", 6, 6)


def test_the_caller_may_save_its_own_way_inside_the_check():
    source = make_source("Original title")
    saved = []

    def save():
        source.title = "Saved by the caller"
        source.save()
        saved.append(source.version)

    record_save_checked(instance=source, expected_version=1, save=save)
    assert saved == [2]
    assert Source.objects.get(pk=source.pk).title == "Saved by the caller"


def test_a_conflict_tells_a_deleted_record_from_a_changed_one():
    changed, deleted = make_source("Changed"), make_source("Deleted")
    Source.objects.filter(pk=changed.pk).update(version=3)
    Source.objects.filter(pk=deleted.pk).delete()
    with pytest.raises(VersionConflict) as conflict:
        record_save_checked(instance=changed, expected_version=1)
    assert (conflict.value.deleted, conflict.value.current) == (False, 3)
    with pytest.raises(VersionConflict) as conflict:
        record_save_checked(instance=deleted, expected_version=None)
    assert conflict.value.deleted
