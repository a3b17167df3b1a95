"""/api/v1/: a router for the resources, the computed answers (overlap, timeline), the change
feed, the problem types, the schema and its offline docs."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from . import analysis, feeds, reviews, views


class AtlasRouter(DefaultRouter):
    APIRootView = feeds.AtlasRootView


# Explicit basenames: the default ones (organization-detail…) would collide with page URL names.
router = AtlasRouter()
router.register("organizations", views.OrganizationViewSet, basename="api-organization")
router.register("countries", views.CountryViewSet, basename="api-country")
router.register("memberships", views.MembershipViewSet, basename="api-membership")
router.register("applications", views.ApplicationViewSet, basename="api-application")
router.register("people", views.PersonViewSet, basename="api-person")
router.register("sources", views.SourceViewSet, basename="api-source")
router.register("quotes", views.QuoteViewSet, basename="api-quote")
router.register("citations", views.CitationViewSet, basename="api-citation")
router.register("agreements", views.AgreementViewSet, basename="api-agreement")
router.register("agreement-stages", views.AgreementStageViewSet, basename="api-agreement-stage")
router.register("agreement-parties", views.AgreementPartyViewSet, basename="api-agreement-party")
router.register("events", views.EventViewSet, basename="api-event")
router.register(
    "event-participants", views.EventParticipantViewSet, basename="api-event-participant"
)
router.register("proposals", views.ProposalViewSet, basename="api-proposal")
router.register("reviews", reviews.ReviewViewSet, basename="api-review")

urlpatterns = [
    path("overlap/", analysis.OverlapView.as_view(), name="api-overlap"),
    path(
        "organizations/<str:slug>/timeline/",
        analysis.TimelineView.as_view(),
        name="api-organization-timeline",
    ),
    path("changes/", feeds.ChangesView.as_view(), name="api-changes"),
    path("problems/", feeds.ProblemTypesView.as_view(), name="api-problems"),
    path("problems/<slug:slug>/", feeds.ProblemTypeView.as_view(), name="api-problem"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    *router.urls,
]
