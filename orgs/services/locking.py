"""Optimistic locking for curated records: a save based on an older version is refused.

Every curated record carries ``version``. An editor's form or an API client sends back the
version it read; ``record_save_checked`` raises the version by one in the same statement that
checks it, so of two editors who opened version 3, the first saves version 4 and the second gets
``VersionConflict`` instead of silently overwriting the first one's work. The admin and the API
both save through it; each tells its user about a conflict in its own words.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext_lazy

from ..models import Curated

CONFLICT_MESSAGE = gettext_lazy(
    "This record was changed by someone else since you opened it (you opened version "
    "{expected}; it is now at version {current}). Nothing was saved: reload it to see their "
    "changes, then make yours again."
)
DELETED_MESSAGE = gettext_lazy(
    "This record was deleted by someone else since you opened it. Nothing was saved."
)


class VersionConflict(Exception):
    """The stored record is no longer the version the caller read, or no longer exists."""

    def __init__(self, *, instance: Curated, expected: int | None, current: int | None):
        self.instance = instance
        self.expected = expected
        self.current = current
        if current is None:
            message = str(DELETED_MESSAGE)
        else:
            message = CONFLICT_MESSAGE.format(expected=expected, current=current)
        super().__init__(message)

    @property
    def deleted(self) -> bool:
        return self.current is None

    @property
    def message(self) -> str:
        return str(self.args[0])


def record_save_checked(
    *,
    instance: Curated,
    expected_version: int | None,
    save: Callable[[], object] | None = None,
) -> Curated:
    """Save ``instance`` if its stored version is still ``expected_version``; raise otherwise.

    The check and the increment are one conditional UPDATE, so two concurrent saves of the same
    version cannot both pass: on PostgreSQL the second waits for the first's row lock and then
    finds the version changed; SQLite runs one writer at a time.

    ``expected_version=None`` skips the check (the last writer wins: an API client that sent no
    version) but still raises the version. ``save`` writes the record, ``instance.save`` unless
    given: the API passes its serializer's save, so many-to-many lists are written in the same
    transaction as the check. A new record is saved as is. Raises ``VersionConflict``, having
    written nothing, when the record changed or was deleted since it was read.
    """
    save = save or instance.save
    if instance.pk is None:
        save()
        return instance
    model = type(instance)
    stored = model._default_manager.filter(pk=instance.pk)
    with transaction.atomic():
        checked = stored if expected_version is None else stored.filter(version=expected_version)
        if not checked.update(version=F("version") + 1):
            current = stored.values_list("version", flat=True).first()
            raise VersionConflict(instance=instance, expected=expected_version, current=current)
        if expected_version is None:
            instance.version = stored.values_list("version", flat=True).get()
        else:
            instance.version = expected_version + 1
        save()
    return instance


def record_version_check(*, instance: Curated, expected_version: int | None) -> None:
    """Raise ``VersionConflict`` when the stored record is no longer ``expected_version``.

    For a change that is only proposed (it waits for review): nothing is written, so there is
    no version to raise; the review itself refuses a set whose records changed since.
    """
    if instance.pk is None or expected_version is None:
        return
    current = (
        type(instance)._default_manager.filter(pk=instance.pk).values_list("version", flat=True)
    ).first()
    if current != expected_version:
        raise VersionConflict(instance=instance, expected=expected_version, current=current)
