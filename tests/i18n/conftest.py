import pytest
from django.core.cache import cache
from django.utils import translation


@pytest.fixture(autouse=True)
def english_after_each_test():
    """A request under /ru/ leaves Russian active in the thread; the next test starts in
    English, as a fresh request would, and with an empty page cache and login counts."""
    cache.clear()
    yield
    translation.activate("en-gb")
    cache.clear()
