import os

import pytest

from tests.makers import make_user
from tests.seeding import committed, load_seed, wants_seed

# Playwright's sync API runs an event loop in the test thread; without this every browser test
# against live_server fails with SynchronousOnlyOperation.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_EXECUTABLE = os.environ.get("CHROMIUM_EXECUTABLE", "/usr/bin/chromium")
SKIPPED_BROWSER_TESTS = pytest.StashKey[int]()
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def chromium_missing() -> bool:
    return not os.access(CHROMIUM_EXECUTABLE, os.X_OK)


def running_in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Launch Debian's Chromium instead of a browser downloaded by Playwright."""
    if chromium_missing():
        pytest.fail(
            f"CI=true and no Chromium at {CHROMIUM_EXECUTABLE}: the browser tests must run."
        )
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM_EXECUTABLE,
        "args": [*browser_type_launch_args.get("args", []), *CHROMIUM_ARGS],
    }


# --- the seed data set ----------------------------------------------------------------------


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database; the seed is committed to it later, by the first test that asks."""
    committed.blocker = django_db_blocker
    yield
    committed.blocker = None


@pytest.fixture(scope="session")
def committed_seed(django_db_setup):
    """The seed committed to the test database, for fixtures built on it (tests use ``seed``).

    Session-scoped, so it is set up before the test's transaction starts and the insert commits;
    after a flush, ``pytest_runtest_teardown`` below commits it again for the next test.
    """
    committed.commit_seed()


@pytest.fixture
def seed(committed_seed, db):
    """The seed data set (fixtures/seed.json): committed once, each test's changes roll back."""
    if not committed.has_seed:
        # The committed copy is gone (a flush the hooks below did not foresee): load it into
        # this test's transaction, so the test still starts from the seed.
        load_seed()


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    # After pytest-django's order (database tests, then transactional ones): the tests that use
    # the seed run last, so it is committed once instead of once per switch.
    items.sort(key=wants_seed)
    if chromium_missing() and not running_in_ci():
        browser_tests = [item for item in items if item.get_closest_marker("browser")]
        for item in browser_tests:
            item.add_marker(pytest.mark.skip(reason=f"no Chromium at {CHROMIUM_EXECUTABLE}"))
        config.stash[SKIPPED_BROWSER_TESTS] = len(browser_tests)


def pytest_itemcollected(item):
    # Every browser test is slow; marked here, before ``-m "not slow"`` deselects.
    if item.get_closest_marker("browser"):
        item.add_marker(pytest.mark.slow)


def pytest_terminal_summary(terminalreporter, config):
    skipped = config.stash.get(SKIPPED_BROWSER_TESTS, 0)
    if skipped:
        terminalreporter.write_line(
            f"{skipped} browser {'test was' if skipped == 1 else 'tests were'} skipped: "
            f"Chromium is not installed at {CHROMIUM_EXECUTABLE}. To run them, install it "
            "(as root: `make browser`, or "
            "`apt-get install chromium`) or point CHROMIUM_EXECUTABLE at a Chromium binary.",
            yellow=True,
            bold=True,
        )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    try:
        return (yield)
    finally:
        committed.after(item, nextitem)


# --- clients and data ------------------------------------------------------------------------


@pytest.fixture
def editor(db):
    """(user, password) of an Editor."""
    return make_user("Editor")


@pytest.fixture
def reviewer(db):
    """(user, password) of a Reviewer."""
    return make_user("Reviewer")


@pytest.fixture
def editor_client(client, editor):
    """A client logged in as an Editor, with the password ``create_editor`` printed."""
    user, password = editor
    assert client.login(username=user.username, password=password)
    return client


@pytest.fixture
def reviewer_client(client, reviewer):
    user, password = reviewer
    assert client.login(username=user.username, password=password)
    return client


@pytest.fixture(autouse=True)
def fresh_cache():
    """Each test starts with an empty cache: cached pages, throttles and login attempts are
    kept in it, and the database is rolled back between tests while the cache is not."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
