from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "orgs"
    verbose_name = _("Atlas")

    def ready(self):
        from orgs.invalidation import connect_invalidation
        from orgs.services.member_counts import connect_member_counts

        connect_invalidation()
        connect_member_counts()


class AtlasAdminConfig(AdminConfig):
    """Django's admin, with the atlas's own site as ``admin.site`` (it owns the site-wide pages)."""

    default = False  # installed by its path in INSTALLED_APPS, never picked for "orgs"
    default_site = "orgs.admin.site.default_site"
