from django.contrib import admin
from django.http import HttpResponse
from django.urls import include, path
from django.views.decorators.cache import never_cache


@never_cache
def healthz(request):
    """Liveness for load balancers, and the benchmark's floor: the stack with no database."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("orgs.api.urls")),
    path("downloads/", include("orgs.snapshot.urls")),
    path("", include("orgs.pages.urls")),
]
