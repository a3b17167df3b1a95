"""A reader switches to Russian and back with the language switcher on the home, SCO, compare
and Belarus pages. Screenshots of each page in Russian go to test-artifacts/languages/ (not in
git)."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts" / "languages"

pytestmark = pytest.mark.browser

# (address, words the Russian page shows in its main content)
PAGES = [
    ("/", "Кто где состоит"),
    ("/organizations/sco/", "Шанхайская организация сотрудничества"),
    ("/compare/?organizations=sco,brics,eaeu", "Точные пересечения по состоянию на"),
    ("/countries/by/", "Беларусь"),
]


def test_the_switcher_turns_each_page_russian_and_back(page, live_server, seed):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    switcher = page.get_by_role("navigation", name=re.compile("Language|Язык"))
    for number, (address, russian_words) in enumerate(PAGES, start=1):
        page.goto(f"{live_server.url}{address}")
        expect(page.locator("html")).to_have_attribute("lang", "en-GB")
        switcher.get_by_role("link", name="Русский").click()

        expect(page).to_have_url(f"{live_server.url}/ru{address}")
        expect(page.locator("html")).to_have_attribute("lang", "ru")
        expect(page.locator("main")).to_contain_text(russian_words)
        expect(page.get_by_role("navigation", name="Основная навигация")).to_contain_text(
            "Организации"
        )
        page.screenshot(path=ARTIFACTS / f"{number:02d}-ru.png", full_page=True)

        switcher.get_by_role("link", name="English").click()
        expect(page).to_have_url(f"{live_server.url}{address}")
        expect(page.locator("html")).to_have_attribute("lang", "en-GB")
        expect(page.get_by_role("navigation", name="Main")).to_contain_text("Organizations")
    assert sorted(path.name for path in ARTIFACTS.glob("*-ru.png"))[-1] == "04-ru.png"
