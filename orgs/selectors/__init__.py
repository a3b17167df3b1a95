"""Reads that pages, the API, feeds and the admin share, one module per topic.

Every public function is named ``<entity>_<what>`` (``organization_get``, ``event_list``,
``memberships_as_of``) and answers with a fixed number of queries, whatever the size of the
atlas. Each takes one keyword, ``preview``: False (the default) shows what the public sees,
True shows drafts too. Callers decide it once per request (``orgs.params.preview_requested``);
the selectors turn it into querysets with ``Model.objects.visible(preview)`` and hand those
down, so no helper below the entry point asks again.
"""

from .agreements import (
    agreement_get,
    agreement_list,
    agreement_party_list,
    agreement_party_options,
    agreement_stage_as_of,
    agreement_stage_list,
)
from .attention import AttentionItem, AttentionSection, attention_sections
from .changes import AgreementChange, Change, changes_between, changes_recent
from .events import (
    event_get,
    event_list,
    event_participant_list,
    event_participant_options,
    proposal_list,
    proposal_queryset,
)
from .memberships import (
    ApplicationsAsOf,
    StatusGroup,
    application_list,
    applications_as_of,
    country_memberships_as_of,
    membership_competing_claims,
    membership_history,
    membership_history_queryset,
    membership_list,
    memberships_as_of,
    organization_former_members,
    organization_members_as_of,
    organization_memberships_as_of,
)
from .organizations import (
    OrganizationRecords,
    country_get,
    organization_get,
    organization_keys,
    organization_list,
    organization_list_proposed,
    organization_records,
)
from .overlap import Intersection, Overlap, OverlapMember, organizations_overlap
from .search import (
    SearchResults,
    atlas_search,
    country_search,
    organization_search,
    person_search,
)
from .sources import (
    citation_prefetch,
    citation_values,
    cite,
    quote_list,
    source_claims,
    source_list,
)

__all__ = [
    "AgreementChange",
    "ApplicationsAsOf",
    "AttentionItem",
    "AttentionSection",
    "Change",
    "Intersection",
    "OrganizationRecords",
    "Overlap",
    "OverlapMember",
    "SearchResults",
    "StatusGroup",
    "agreement_get",
    "agreement_list",
    "agreement_party_list",
    "agreement_party_options",
    "agreement_stage_as_of",
    "agreement_stage_list",
    "application_list",
    "applications_as_of",
    "atlas_search",
    "attention_sections",
    "changes_between",
    "changes_recent",
    "citation_prefetch",
    "citation_values",
    "cite",
    "country_get",
    "country_memberships_as_of",
    "country_search",
    "event_get",
    "event_list",
    "event_participant_list",
    "event_participant_options",
    "membership_competing_claims",
    "membership_history",
    "membership_history_queryset",
    "membership_list",
    "memberships_as_of",
    "organization_former_members",
    "organization_get",
    "organization_keys",
    "organization_list",
    "organization_list_proposed",
    "organization_members_as_of",
    "organization_memberships_as_of",
    "organization_records",
    "organization_search",
    "organizations_overlap",
    "person_search",
    "proposal_list",
    "proposal_queryset",
    "quote_list",
    "source_claims",
    "source_list",
]
