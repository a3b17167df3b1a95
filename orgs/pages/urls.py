from django.urls import path

from . import (
    agreements,
    changes,
    compare,
    countries,
    events,
    feeds,
    home,
    organizations,
    people,
    search,
    sources,
)

app_name = "orgs"

urlpatterns = [
    path("", home.HomeView.as_view(), name="home"),
    path("changes/", changes.ChangesView.as_view(), name="changes"),
    path("changes.atom", feeds.ChangesFeed(), name="changes_feed"),
    path(
        "organizations/",
        organizations.OrganizationListView.as_view(),
        name="organizations",
    ),
    path(
        "organizations/<slug:slug>/",
        organizations.OrganizationDetailView.as_view(),
        name="organization",
    ),
    path("countries/", countries.CountryListView.as_view(), name="countries"),
    path("countries/<str:iso2>/", countries.CountryDetailView.as_view(), name="country"),
    path("compare/", compare.CompareView.as_view(), name="compare"),
    path("people/<slug:slug>/", people.PersonDetailView.as_view(), name="person"),
    path("sources/", sources.SourceListView.as_view(), name="sources"),
    path("sources/<int:pk>/", sources.SourceDetailView.as_view(), name="source"),
    path("quotes/", sources.QuoteListView.as_view(), name="quotes"),
    path("agreements/", agreements.AgreementListView.as_view(), name="agreements"),
    path("agreements/<slug:slug>/", agreements.AgreementDetailView.as_view(), name="agreement"),
    path("events/", events.EventListView.as_view(), name="events"),
    path("events/<slug:slug>/", events.EventDetailView.as_view(), name="event"),
    path("proposals/", events.ProposalListView.as_view(), name="proposals"),
    path("search/", search.SearchView.as_view(), name="search"),
]
