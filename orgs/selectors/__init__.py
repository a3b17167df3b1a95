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
    membership_list,
    memberships_as_of,
    organization_former_members,
    organization_members_as_of,
    organization_memberships_as_of,
)
from .organizations import (
    country_get,
    organization_get,
    organization_list,
    organization_list_proposed,
)
from .overlap import Intersection, Overlap, OverlapMember, organizations_overlap
from .search import SearchResults, atlas_search
from .sources import citation_prefetch, quote_list, source_claims, source_list

__all__ = [
    "AgreementChange",
    "ApplicationsAsOf",
    "AttentionItem",
    "AttentionSection",
    "Change",
    "Intersection",
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
    "country_get",
    "country_memberships_as_of",
    "event_get",
    "event_list",
    "event_participant_list",
    "event_participant_options",
    "membership_competing_claims",
    "membership_history",
    "membership_list",
    "memberships_as_of",
    "organization_former_members",
    "organization_get",
    "organization_list",
    "organization_list_proposed",
    "organization_members_as_of",
    "organization_memberships_as_of",
    "organizations_overlap",
    "proposal_list",
    "proposal_queryset",
    "quote_list",
    "source_claims",
    "source_list",
]


# Old names for the callers not yet moved to the ones above; removed once none is left.
def _renamed(new, **fixed):  # type: ignore[no-untyped-def]
    def call(*args, published_only=True, **kwargs):  # type: ignore[no-untyped-def]
        return new(*args, preview=not published_only, **fixed, **kwargs)

    return call


def _visible_spells(*, published_only=True):  # type: ignore[no-untyped-def]
    from .memberships import _visible_memberships

    return _visible_memberships(not published_only)


needs_attention = attention_sections
citations_prefetch = _renamed(citation_prefetch)
spells = _renamed(membership_list)
visible_spells = _visible_spells
visible_applications = _renamed(application_list)
quotes = _renamed(quote_list)
agreement_as_of = _renamed(agreement_get)
agreements_as_of = _renamed(agreement_list)
visible_agreement_stages = _renamed(agreement_stage_list)
visible_agreement_parties = _renamed(agreement_party_list)
visible_events = _renamed(event_list, detail=True)
visible_event_participants = _renamed(event_participant_list)
visible_proposals = _renamed(proposal_queryset)
overlap = _renamed(organizations_overlap)
