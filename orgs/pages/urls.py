from django.urls import path

from . import (
    agreements,
    changes,
    compare,
    countries,
    downloads,
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
    # Each chart as a file, and the data behind it: same selectors and parameters as the page.
    path(
        "organizations/<slug:slug>/map.svg",
        downloads.OrganizationMapDownload.as_view(kind="svg"),
        name="organization_map_svg",
    ),
    path(
        "organizations/<slug:slug>/map.png",
        downloads.OrganizationMapDownload.as_view(kind="png"),
        name="organization_map_png",
    ),
    path(
        "organizations/<slug:slug>/map.csv",
        downloads.OrganizationMapDownload.as_view(kind="csv"),
        name="organization_map_csv",
    ),
    path(
        "organizations/<slug:slug>/timeline.svg",
        downloads.OrganizationTimelineDownload.as_view(kind="svg"),
        name="organization_timeline_svg",
    ),
    path(
        "organizations/<slug:slug>/timeline.csv",
        downloads.OrganizationTimelineDownload.as_view(kind="csv"),
        name="organization_timeline_csv",
    ),
    path(
        "countries/<str:iso2>/map.svg",
        downloads.CountryMapDownload.as_view(),
        name="country_map_svg",
    ),
    path(
        "countries/<str:iso2>/timeline.svg",
        downloads.CountryTimelineDownload.as_view(kind="svg"),
        name="country_timeline_svg",
    ),
    path(
        "countries/<str:iso2>/timeline.csv",
        downloads.CountryTimelineDownload.as_view(kind="csv"),
        name="country_timeline_csv",
    ),
    path("compare/map.svg", downloads.CompareDownload.as_view(kind="map"), name="compare_map_svg"),
    path(
        "compare/venn.svg", downloads.CompareDownload.as_view(kind="venn"), name="compare_venn_svg"
    ),
    path(
        "compare/upset.svg",
        downloads.CompareDownload.as_view(kind="upset"),
        name="compare_upset_svg",
    ),
    path(
        "compare/overlap.csv",
        downloads.CompareDownload.as_view(kind="csv"),
        name="compare_overlap_csv",
    ),
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
