"""An edit that commits tells the proxy in front which cached pages to drop (eurasia.purge).

The proxy here is a real HTTP server on a local port that records what it is sent.
"""

import logging
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from unittest import mock

import pytest
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from orgs.models import Membership

pytestmark = pytest.mark.django_db


class Proxy:
    """A local HTTP server that records every request and answers ``status``."""

    def __init__(self):
        self.received: list[dict] = []
        self.status = 200
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def _record(self):
                proxy.received.append(
                    {"method": self.command, "path": self.path, "headers": self.headers}  # any case
                )
                self.send_response(proxy.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            do_PURGE = do_POST = do_GET = _record

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/purge"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def keys(self, index=0) -> set[str]:
        return set(self.received[index]["headers"]["Surrogate-Key"].split())

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def proxy():
    running = Proxy()
    with override_settings(CACHE_PURGE_URL=running.url):
        yield running
    running.close()


@pytest.fixture
def warnings_logged(caplog):
    # The app's loggers do not propagate to the root logger, where caplog listens.
    logger = logging.getLogger("eurasia.purge")
    logger.addHandler(caplog.handler)
    caplog.set_level(logging.WARNING, logger="eurasia.purge")
    yield caplog
    logger.removeHandler(caplog.handler)


def _belarus_in_the_sco():
    return Membership.objects.get(
        organization__slug="sco", member_country__iso2="BY", status="member"
    )


def edit_the_spell():
    spell = _belarus_in_the_sco()
    spell.qualifier = "newly admitted"
    spell.save()


def test_a_committed_edit_sends_one_purge_naming_its_pages(
    seed, proxy, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        edit_the_spell()
    assert proxy.received == []  # nothing before the commit
    for callback in callbacks:
        callback()

    assert len(proxy.received) == 1
    sent = proxy.received[0]
    assert (sent["method"], sent["path"]) == ("PURGE", "/purge")
    assert proxy.keys() == {"org-sco", "country-by", "any"}
    assert sent["headers"]["xkey-purge"] == sent["headers"]["Surrogate-Key"]
    assert "Authorization" not in sent["headers"]
    assert _belarus_in_the_sco().qualifier == "newly admitted"


def test_the_keys_sent_are_the_ones_the_cached_pages_carry(
    client, seed, proxy, django_capture_on_commit_callbacks
):
    showing = ["/organizations/sco/", "/countries/by/", "/"]
    not_showing = ["/organizations/eaeu/", "/countries/kz/"]
    carried = {url: set(client.get(url)["Surrogate-Key"].split()) for url in showing + not_showing}
    assert carried["/organizations/sco/"] == {"all", "org-sco"}
    with django_capture_on_commit_callbacks(execute=True):
        edit_the_spell()

    purged = proxy.keys()
    for url in showing:
        assert carried[url] - {"all"} <= purged, url
    for url in not_showing:
        assert not carried[url] & purged, url


def test_method_and_token_come_from_the_settings(seed, proxy, django_capture_on_commit_callbacks):
    with (
        override_settings(CACHE_PURGE_METHOD="POST", CACHE_PURGE_TOKEN="s3cret"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        edit_the_spell()
    assert proxy.received[0]["method"] == "POST"
    assert proxy.received[0]["headers"]["Authorization"] == "Bearer s3cret"


def test_a_change_not_worked_out_narrowly_purges_every_page(
    seed, proxy, django_capture_on_commit_callbacks
):
    from orgs.models import Organization

    with django_capture_on_commit_callbacks(execute=True):
        sco = Organization.objects.get(slug="sco")
        sco.save()
    assert [request["headers"]["Surrogate-Key"] for request in proxy.received] == ["all"]


def test_one_request_that_saves_several_spells_sends_one_purge(
    seed, proxy, django_capture_on_commit_callbacks
):
    # The signals a request sends, without the recycling of connections the test client leaves
    # out too (it would close the test's own connection).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        saves_in_one_request(proxy, django_capture_on_commit_callbacks)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def saves_in_one_request(proxy, django_capture_on_commit_callbacks):
    request_started.send(sender=None)
    with django_capture_on_commit_callbacks(execute=True):
        edit_the_spell()
    other = Membership.objects.filter(organization__slug="eaeu").exclude(member_country=None)[0]
    with django_capture_on_commit_callbacks(execute=True):
        other.save()
    assert proxy.received == []  # sent when the request ends
    request_finished.send(sender=None)

    assert len(proxy.received) == 1
    assert {
        "org-sco",
        "country-by",
        "org-eaeu",
        f"country-{other.member_country.iso2.lower()}",
    } <= proxy.keys()


def test_nothing_is_sent_when_the_transaction_rolls_back(
    seed, proxy, django_capture_on_commit_callbacks
):
    def abandoned_edit():
        with transaction.atomic():
            edit_the_spell()
            raise RuntimeError("the edit is abandoned")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        abandoned_edit()
    assert proxy.received == []
    assert _belarus_in_the_sco().qualifier != "newly admitted"


def test_nothing_is_sent_without_a_purge_url(seed, proxy, django_capture_on_commit_callbacks):
    with override_settings(CACHE_PURGE_URL=""), django_capture_on_commit_callbacks(execute=True):
        edit_the_spell()
    assert proxy.received == []


def run_worker():
    """What ``manage.py db_worker`` does, in this process (see tests/admin/test_import_jobs.py)."""
    with mock.patch(
        "django_tasks_db.management.commands.db_worker.close_old_connections", return_value=None
    ):
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval", "0")


def test_a_proxy_that_is_down_logs_a_warning_and_the_purge_is_retried_later(
    seed, warnings_logged, django_capture_on_commit_callbacks
):
    with socket.socket() as unused:  # a port nothing listens on
        unused.bind(("127.0.0.1", 0))
        closed_port = unused.getsockname()[1]
    with (
        override_settings(CACHE_PURGE_URL=f"http://127.0.0.1:{closed_port}/purge"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        edit_the_spell()

    assert _belarus_in_the_sco().qualifier == "newly admitted"
    assert "Cache purge of any country-by org-sco failed" in warnings_logged.text
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "eurasia.purge.purge_keys"
    assert queued.args_kwargs["args"] == [["any", "country-by", "org-sco"]]

    proxy = Proxy()  # the proxy is back (at another address: the queued task reads the setting)
    try:
        with override_settings(CACHE_PURGE_URL=proxy.url):
            run_worker()
    finally:
        proxy.close()
    assert proxy.keys() == {"any", "country-by", "org-sco"}
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_a_proxy_that_answers_500_logs_a_warning_and_the_save_stands(
    client, seed, proxy, warnings_logged, django_capture_on_commit_callbacks
):
    proxy.status = 500
    with django_capture_on_commit_callbacks(execute=True):
        edit_the_spell()

    assert len(proxy.received) == 1
    assert "the proxy answered 500" in warnings_logged.text
    assert "org-sco" in warnings_logged.text
    assert DBTaskResult.objects.count() == 1
    assert "newly admitted" in client.get("/organizations/sco/?as_of=2025-07-01").content.decode()
