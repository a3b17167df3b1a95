from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.http import HttpResponse
from django.urls import include, path
from django.views.decorators.cache import never_cache


@never_cache
def healthz(request):
    """Liveness for load balancers, and the benchmark's floor: the stack with no database."""
    return HttpResponse("ok", content_type="text/plain")


# The API, the health check and the downloads speak one language at one address (the API picks
# its names' language from Accept-Language or ?lang=); the pages and the admin are in English at
# their addresses without a prefix and in Russian under /ru/.
urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/", include("orgs.api.urls")),
    path("downloads/", include("orgs.snapshot.urls")),
    *i18n_patterns(
        path("admin/", admin.site.urls),
        path("", include("orgs.pages.urls")),
        prefix_default_language=False,
    ),
]
