"""Telling a proxy or CDN in front which cached pages an edit made stale.

Anonymous pages and API answers carry ``Surrogate-Key``/``Cache-Tag`` headers naming the
versions they depend on (``eurasia.middleware``), and a shared cache may keep them until
midnight. When an edit commits and raises versions (``eurasia.cache``), this module sends the
proxy one request naming the raised keys, so it drops exactly those pages:

    PURGE <CACHE_PURGE_URL>
    Surrogate-Key: any country-by org-sco
    xkey-purge: any country-by org-sco
    Authorization: Bearer <CACHE_PURGE_TOKEN>     (only when a token is set)

which Varnish with the xkey module understands (its VCL copies each page's ``Surrogate-Key``
into ``xkey``, README), as do proxies that follow Fastly's ``Surrogate-Key`` convention. Fastly's and Cloudflare's own purge APIs want a request of their
own shape (Fastly: one ``POST /service/<id>/purge`` with a ``Surrogate-Key`` header and a
``Fastly-Key``; Cloudflare: a JSON body of ``tags``): a small adapter in front of them, or a
change to ``_request`` here, not a setting.

Off unless ``CACHE_PURGE_URL`` is set (``eurasia.cache`` imports this module only then).
The keys of one request, or of one commit outside a request, go in one purge, sent after the
versions are raised (a page the proxy fetches again is then never the old one). A proxy that
is down or refuses costs the editor at most ``TIMEOUT`` seconds and a warning in the log,
never an error; the purge is then queued as a task (``manage.py db_worker`` runs it), which
tries again a few times and is recorded as failed if the proxy still refuses.
"""

from __future__ import annotations

import logging
import threading
import time
import urllib.error
import urllib.request

from django.conf import settings
from django.core.signals import request_finished, request_started
from django_tasks import task

logger = logging.getLogger("eurasia.purge")

TIMEOUT = 2.0  # seconds; the editor's request waits this long at most for a proxy that hangs
ATTEMPTS = 3  # tries of the background task
BACKOFF = 2.0  # seconds before the task's second try, doubled before each one after

ALL_KEY = "all"  # every cached page carries it


class PurgeFailed(Exception):
    pass


def header_keys(tags) -> list[str]:
    """The keys the cached pages carry for these versions, as their headers name them."""
    keys = {tag.replace(":", "-") for tag in tags}
    if ALL_KEY in keys:
        return [ALL_KEY]  # every page goes: naming the others too would purge nothing more
    return sorted(keys)


# The keys raised during the current request, sent once when it ends: a request that saves
# several things (an approval, an admin form with inlines) sends one purge, not one per save.
_state = threading.local()


def _on_request_started(**kwargs) -> None:
    _state.in_request = True
    _state.pending = set()


def _on_request_finished(**kwargs) -> None:
    pending: set[str] = getattr(_state, "pending", set())
    _state.in_request = False
    _state.pending = set()
    if pending:
        send_or_queue(pending)


request_started.connect(_on_request_started, dispatch_uid="eurasia-purge-request-started")
request_finished.connect(_on_request_finished, dispatch_uid="eurasia-purge-request-finished")


def purge_after_commit(tags) -> None:
    """The versions of ``tags`` were raised by a commit: have the proxy drop their pages."""
    if not settings.CACHE_PURGE_URL:
        return
    if getattr(_state, "in_request", False):
        _state.pending.update(tags)
    else:  # a task, a management command, a shell: no end of request to wait for
        send_or_queue(tags)


def send_or_queue(tags) -> None:
    """Send the purge now; if the proxy fails, log it and leave it to the background task."""
    keys = header_keys(tags)
    try:
        send(keys)
    except PurgeFailed as error:
        logger.warning("Cache purge of %s failed, queued to retry: %s", " ".join(keys), error)
        try:
            purge_keys.enqueue(keys)
        except Exception:
            logger.exception("Cache purge of %s could not be queued", " ".join(keys))


def _request(keys: list[str]) -> urllib.request.Request:
    named = " ".join(keys)
    headers = {"Surrogate-Key": named, "xkey-purge": named}
    if settings.CACHE_PURGE_TOKEN:
        headers["Authorization"] = f"Bearer {settings.CACHE_PURGE_TOKEN}"
    return urllib.request.Request(
        settings.CACHE_PURGE_URL, method=settings.CACHE_PURGE_METHOD, headers=headers
    )


def send(keys: list[str]) -> None:
    """One request naming ``keys``; raises ``PurgeFailed`` unless the proxy answers 2xx."""
    try:
        with urllib.request.urlopen(_request(keys), timeout=TIMEOUT) as response:
            status = response.status
    except urllib.error.HTTPError as error:
        raise PurgeFailed(f"the proxy answered {error.code}") from None
    except (urllib.error.URLError, OSError) as error:
        raise PurgeFailed(str(getattr(error, "reason", error))) from None
    if not 200 <= status < 300:
        raise PurgeFailed(f"the proxy answered {status}")


@task()
def purge_keys(keys: list[str]) -> None:
    """The background retry of a purge the proxy failed: a few tries, then a failed task."""
    for attempt in range(ATTEMPTS):
        try:
            send(keys)
            return
        except PurgeFailed as error:
            if attempt == ATTEMPTS - 1:
                raise
            logger.warning("Cache purge of %s failed again: %s", " ".join(keys), error)
            time.sleep(BACKOFF * 2**attempt)
