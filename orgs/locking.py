"""Optimistic locking for curated records: a save based on an older version is refused.

Every curated record carries ``version``. An editor's form or API client sends back the version
it read; ``claim_save_checked`` raises the version by one in the same statement that checks it,
so of two editors who opened version 3, the first saves version 4 and the second gets
``VersionConflict`` instead of silently overwriting the first one's work.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from .models import Curated

CONFLICT_MESSAGE = (
    "This record was changed by someone else since you opened it (you opened version "
    "{expected}; it is now at version {current}). Nothing was saved: reload it to see their "
    "changes, then make yours again."
)
DELETED_MESSAGE = "This record was deleted by someone else since you opened it. Nothing was saved."


class VersionConflict(Exception):
    def __init__(self, *, instance: Curated, expected: int, current: int | None):
        self.instance = instance
        self.expected = expected
        self.current = current
        if current is None:
            message = DELETED_MESSAGE
        else:
            message = CONFLICT_MESSAGE.format(expected=expected, current=current)
        super().__init__(message)

    @property
    def message(self) -> str:
        return self.args[0]


def claim_save_checked(*, instance: Curated, expected_version: int) -> Curated:
    """Save ``instance`` if its stored version is still ``expected_version``; raise otherwise.

    The check and the increment are one conditional UPDATE, so two concurrent saves of the same
    version cannot both pass: on PostgreSQL the second waits for the first's row lock and then
    finds the version changed; SQLite runs one writer at a time. A new record is saved as is.
    """
    if instance.pk is None:
        instance.save()
        return instance
    model = type(instance)
    with transaction.atomic():
        claimed = model.objects.filter(pk=instance.pk, version=expected_version).update(
            version=F("version") + 1
        )
        if not claimed:
            current = model.objects.filter(pk=instance.pk).values_list("version", flat=True).first()
            raise VersionConflict(instance=instance, expected=expected_version, current=current)
        instance.version = expected_version + 1
        instance.save()
    return instance
