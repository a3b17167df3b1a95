import os
import re
from io import StringIO

import pytest
from django.core.management import call_command

# Playwright's sync API runs an event loop in the test thread; without this every browser test
# against live_server fails with SynchronousOnlyOperation.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_EXECUTABLE = os.environ.get("CHROMIUM_EXECUTABLE", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Launch Debian's Chromium instead of a browser downloaded by Playwright."""
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM_EXECUTABLE,
        "args": [*browser_type_launch_args.get("args", []), *CHROMIUM_ARGS],
    }


@pytest.fixture
def editor_client(client, db):
    """A client logged in as a member of the Editor group, made the way the README says."""
    out = StringIO()
    call_command("create_editor", username="editor", stdout=out)
    password = re.search(r"Password: (\S+)", out.getvalue())[1]
    assert client.login(username="editor", password=password)
    return client


@pytest.fixture
def generated_atlas(db):
    """``generated_atlas(0.005)`` loads the seed plus a synthetic atlas of that scale."""
    from tests.test_generate_atlas import load_atlas

    return load_atlas


@pytest.fixture(autouse=True)
def fresh_cache():
    """Each test starts with an empty cache: cached pages, throttles and login attempts are
    kept in it, and the database is rolled back between tests while the cache is not."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
