"""The API's serializers, one module per topic; every resource's serializer is importable here.

``base`` holds what they share: partial dates, linked records, inline citations and the save
through the model's ``full_clean()``.
"""

from .agreements import AgreementPartySerializer, AgreementSerializer, AgreementStageSerializer
from .base import (
    CitationInlineSerializer,
    MemberSerializer,
    PartialDateField,
    PublishRequestSerializer,
    PublishResultSerializer,
)
from .events import (
    EventParticipantSerializer,
    EventSerializer,
    ProposalSerializer,
    QuoteSerializer,
)
from .memberships import (
    ApplicationSerializer,
    MembershipSerializer,
    OverlapSerializer,
    TimelineSerializer,
)
from .organizations import OrganizationSerializer
from .places import CountrySerializer, PersonSerializer
from .sources import CitationSerializer, SourceSerializer

__all__ = [
    "AgreementPartySerializer",
    "AgreementSerializer",
    "AgreementStageSerializer",
    "ApplicationSerializer",
    "CitationInlineSerializer",
    "CitationSerializer",
    "CountrySerializer",
    "EventParticipantSerializer",
    "EventSerializer",
    "MemberSerializer",
    "MembershipSerializer",
    "OrganizationSerializer",
    "OverlapSerializer",
    "PartialDateField",
    "PersonSerializer",
    "ProposalSerializer",
    "PublishRequestSerializer",
    "PublishResultSerializer",
    "QuoteSerializer",
    "SourceSerializer",
    "TimelineSerializer",
]
