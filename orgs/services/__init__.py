"""Writes beyond one-model CRUD, called by the admin and the API alike.

``publishing`` (who may publish, what needs a published source first), ``history`` (deleted
records and their restoring) and ``locking`` (a save based on an older version is refused).
"""

from .history import CASCADE_WINDOW, deleted_records, membership_restore, record_restore
from .locking import (
    CONFLICT_MESSAGE,
    DELETED_MESSAGE,
    VersionConflict,
    record_save_checked,
    record_version_check,
)
from .publishing import (
    PublishResult,
    Refusal,
    can_publish,
    citation_refusals,
    citations_removal_check,
    claims_left_uncited,
    draft_sources,
    publish_permission,
    records_publish,
    records_unpublish,
)

__all__ = [
    "CASCADE_WINDOW",
    "CONFLICT_MESSAGE",
    "DELETED_MESSAGE",
    "PublishResult",
    "Refusal",
    "VersionConflict",
    "can_publish",
    "citation_refusals",
    "citations_removal_check",
    "claims_left_uncited",
    "deleted_records",
    "draft_sources",
    "membership_restore",
    "publish_permission",
    "record_restore",
    "record_save_checked",
    "record_version_check",
    "records_publish",
    "records_unpublish",
]
