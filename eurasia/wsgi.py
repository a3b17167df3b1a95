import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eurasia.settings")

application = get_wsgi_application()

# The map outlines take about a second to prepare: a server pays it at start, not a reader.
from orgs.geo.shapes import prepare  # noqa: E402

prepare()
