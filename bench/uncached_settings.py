"""The app's settings with every cache switched off: the bench's uncached instance.

Every request to it does the whole work of a cache miss, without a query string nobody asked
before (the API refuses parameters it does not know, so that would measure the refusal).
"""

from eurasia.settings import *  # noqa: F403

CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
