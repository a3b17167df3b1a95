from django.apps import AppConfig


class OrgsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "orgs"
    verbose_name = "Atlas"

    def ready(self):
        from eurasia.cache import connect_invalidation

        connect_invalidation()
