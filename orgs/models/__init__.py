"""The atlas: organizations, countries, their membership spells, and what every fact cites.

One module per topic; everything callers need is importable from ``orgs.models``. Migrations
refer to ``orgs.models.validate_iso2`` and ``validate_iso3``, so those stay importable here.
"""

from .agreements import (
    STAGE_ORDER,
    Agreement,
    AgreementParty,
    AgreementStage,
    AgreementStageKind,
    stage_order_error,
)
from .base import (
    STATUS_ORDER,
    Assessed,
    Cited,
    Confidence,
    Curated,
    PartialDateAccessor,
    PublishableQuerySet,
    Rank,
    Status,
    citation_required_models,
    cited_models,
    partial_date,
    publishable_models,
)
from .events import Event, EventParticipant, Proposal, Quote
from .imports import ImportJob
from .member_counts import MemberCount, live_member_counts, with_summarized_member_counts
from .memberships import (
    Application,
    Membership,
    MembershipQuerySet,
    spell_as_of_q,
    spell_bounds,
    spell_certain_q,
    spells_overlap,
)
from .organizations import INSTITUTION_KINDS, Organization, OrganizationQuerySet
from .places import (
    Country,
    CountryQuerySet,
    Person,
    country_code,
    country_code_q,
    is_user_assigned,
    validate_iso2,
    validate_iso3,
)
from .review import ChangeSet, ChangeSetQuerySet, ProposedChange
from .sources import Citation, Source

__all__ = [
    "INSTITUTION_KINDS",
    "STAGE_ORDER",
    "STATUS_ORDER",
    "Agreement",
    "AgreementParty",
    "AgreementStage",
    "AgreementStageKind",
    "Application",
    "Assessed",
    "ChangeSet",
    "ChangeSetQuerySet",
    "Citation",
    "Cited",
    "Confidence",
    "Country",
    "CountryQuerySet",
    "Curated",
    "Event",
    "EventParticipant",
    "ImportJob",
    "MemberCount",
    "Membership",
    "MembershipQuerySet",
    "Organization",
    "OrganizationQuerySet",
    "PartialDateAccessor",
    "Person",
    "Proposal",
    "ProposedChange",
    "PublishableQuerySet",
    "Quote",
    "Rank",
    "Source",
    "Status",
    "citation_required_models",
    "cited_models",
    "country_code",
    "country_code_q",
    "is_user_assigned",
    "live_member_counts",
    "partial_date",
    "publishable_models",
    "spell_as_of_q",
    "spell_bounds",
    "spell_certain_q",
    "spells_overlap",
    "stage_order_error",
    "validate_iso2",
    "validate_iso3",
    "with_summarized_member_counts",
]
