from django.urls import path

from orgs import feeds, views

app_name = "orgs"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("changes/", views.ChangesView.as_view(), name="changes"),
    path("changes.atom", feeds.ChangesFeed(), name="changes_feed"),
    path("organizations/", views.OrganizationListView.as_view(), name="organizations"),
    path("organizations/<slug:slug>/", views.OrganizationDetailView.as_view(), name="organization"),
    path("countries/", views.CountryListView.as_view(), name="countries"),
    path("countries/<str:iso2>/", views.CountryDetailView.as_view(), name="country"),
    path("compare/", views.CompareView.as_view(), name="compare"),
    path("people/<slug:slug>/", views.PersonDetailView.as_view(), name="person"),
    path("sources/", views.SourceListView.as_view(), name="sources"),
    path("sources/<int:pk>/", views.SourceDetailView.as_view(), name="source"),
    path("quotes/", views.QuoteListView.as_view(), name="quotes"),
    path("agreements/", views.AgreementListView.as_view(), name="agreements"),
    path("agreements/<slug:slug>/", views.AgreementDetailView.as_view(), name="agreement"),
    path("events/", views.EventListView.as_view(), name="events"),
    path("events/<slug:slug>/", views.EventDetailView.as_view(), name="event"),
    path("proposals/", views.ProposalListView.as_view(), name="proposals"),
    path("search/", views.SearchView.as_view(), name="search"),
]
