"""Curation in the Django admin: every model with history and revert, citations on every claim,
spells where editors need them (on the organization and on the country), the editorial workflow
(``editorial``), the review queue of change sets (``review``), imports (``imports``), and the site-wide "Needs attention" page (``site``).

Importing the topic modules registers their ModelAdmins on ``admin.site``, which is the atlas's
own ``AtlasAdminSite``.
"""

from . import (
    agreements,
    events,
    import_jobs,
    memberships,
    organizations,
    places,
    review,
    sources,
)

__all__ = [
    "agreements",
    "events",
    "import_jobs",
    "memberships",
    "organizations",
    "places",
    "review",
    "sources",
]
