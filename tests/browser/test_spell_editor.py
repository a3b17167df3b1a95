"""The spell editor in Chromium as an editor uses it (issue 15): it fits 1440 and 1024 px
screens, a spell and its citation are entered with the keyboard alone, Enter in a text box saves
nothing, a source is added from a spell row, "Ind" offers India first, and "Cite selected" cites
five spells at once."""

import pytest
from playwright.sync_api import expect

from orgs.models import Citation, Organization, Source
from tests.browser.test_editorial import log_in
from tests.makers import make_country, make_membership, make_organization, make_source, make_user

pytestmark = pytest.mark.browser

COUNTRIES = [
    ("AM", "ARM", "Armenia"),
    ("BY", "BLR", "Belarus"),
    ("KZ", "KAZ", "Kazakhstan"),
    ("KG", "KGZ", "Kyrgyzstan"),
    ("RU", "RUS", "Russia"),
    ("TJ", "TJK", "Tajikistan"),
    ("IN", "IND", "India"),
    ("IO", "IOT", "British Indian Ocean Territory"),
    ("ID", "IDN", "Indonesia"),
]


@pytest.fixture
def atlas(transactional_db):
    countries = {iso2: make_country(iso2, iso3, name) for iso2, iso3, name in COUNTRIES}
    sco = make_organization("sco", "Shanghai Cooperation Organisation", acronym="SCO")
    for iso2 in ["KZ", "KG", "RU", "TJ"]:
        make_membership(sco, countries[iso2], "2001-06-15", is_founding=True)
    make_membership(sco, countries["BY"], "2010", "2015-07", status="dialogue_partner")
    make_membership(sco, countries["BY"], "2015-07", "2024-07-04", status="observer")
    make_membership(sco, countries["BY"], "2024-07-04")
    csto = make_organization(
        "csto", "Collective Security Treaty Organization", acronym="CSTO", is_published=False
    )
    make_source("Charter of the Collective Security Treaty Organization", publisher="CSTO")
    editor, password = make_user("Editor", "elena")
    return {"countries": countries, "sco": sco, "csto": csto, "login": (editor.username, password)}


def page_scrolls_sideways(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )


@pytest.mark.parametrize("width", [1440, 1024])
def test_the_sco_and_belarus_pages_fit_the_screen(page, live_server, atlas, width):
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, live_server, *atlas["login"])
    belarus = atlas["countries"]["BY"]
    for path in [f"organization/{atlas['sco'].pk}", f"country/{belarus.pk}"]:
        page.goto(f"{live_server.url}/admin/orgs/{path}/change/")
        expect(page.locator(".compact-rows").first).to_be_visible()
        assert not page_scrolls_sideways(page), f"{path} scrolls sideways at {width} px"


def test_an_editor_enters_a_cited_spell_with_the_keyboard_alone(page, live_server, atlas):
    page.set_viewport_size({"width": 1440, "height": 900})
    log_in(page, live_server, *atlas["login"])
    page.goto(f"{live_server.url}/admin/orgs/organization/{atlas['csto'].pk}/change/")
    keyboard = page.keyboard

    page.locator("#memberships-0 .field-member_country .select2-selection").focus()
    keyboard.type("Arm")  # opens the box and searches from the first keystroke
    expect(page.locator(".select2-results__option--highlighted")).to_have_text("Armenia")
    keyboard.press("Enter")
    keyboard.press("Tab")  # to the member organization box
    keyboard.press("Tab")  # to the status
    keyboard.type("member")
    keyboard.press("Tab")  # qualifier
    keyboard.press("Tab")
    keyboard.type("2002-10-07")  # start
    keyboard.press("Enter")  # does not save the form
    keyboard.press("Tab")  # end
    keyboard.press("Tab")  # founding member
    keyboard.press("Space")
    keyboard.press("Tab")  # "Note, rank, confidence", folded
    keyboard.press("Tab")  # the source box
    keyboard.type("Charter")
    expect(page.locator(".select2-results__option--highlighted")).to_contain_text("Charter")
    keyboard.press("Enter")
    keyboard.press("Tab")  # the "+" that adds a source
    keyboard.press("Tab")
    keyboard.type("Armenia, Belarus, Kazakhstan, Kyrgyzstan, Russia, Tajikistan")  # excerpt
    keyboard.press("Tab")
    keyboard.type("Article 1")  # locator
    assert not atlas["csto"].memberships.exists()

    page.locator('input[name="_continue"]').focus()
    keyboard.press("Enter")  # a button saves

    expect(page.locator(".messagelist .success")).to_contain_text("was changed successfully")
    spell = atlas["csto"].memberships.get()
    assert (spell.member_country.iso2, spell.status, spell.start_partial.iso) == (
        "AM",
        "member",
        "2002-10-07",
    )
    assert spell.is_founding
    citation = spell.citations.get()
    assert citation.locator == "Article 1"
    expect(page.locator("#memberships-0 .kept-citations")).to_contain_text("Charter")


def test_enter_in_a_text_box_saves_nothing(page, live_server, atlas):
    page.set_viewport_size({"width": 1440, "height": 900})
    log_in(page, live_server, *atlas["login"])
    url = f"{live_server.url}/admin/orgs/organization/{atlas['csto'].pk}/change/"
    page.goto(url)

    page.fill("#id_memberships-0-qualifier", "half-typed")
    page.press("#id_memberships-0-qualifier", "Enter")
    page.press("#id_memberships-0-start", "Enter")
    page.press("#id_name", "Enter")

    page.wait_for_timeout(300)
    assert page.url == url
    assert not atlas["csto"].memberships.exists()
    assert Organization.objects.get(slug="csto").history.count() == 1


def test_typing_ind_offers_india_first(page, live_server, atlas):
    page.set_viewport_size({"width": 1440, "height": 900})
    log_in(page, live_server, *atlas["login"])
    page.goto(f"{live_server.url}/admin/orgs/organization/{atlas['csto'].pk}/change/")

    page.locator("#memberships-0 .field-member_country .select2-selection").focus()
    page.keyboard.type("Ind")

    options = page.locator(".select2-results__option")
    expect(options.first).to_have_text("India")
    expect(options).to_have_count(3)


def test_a_new_source_is_created_from_a_spell_row(page, live_server, atlas):
    page.set_viewport_size({"width": 1440, "height": 900})
    log_in(page, live_server, *atlas["login"])
    page.goto(f"{live_server.url}/admin/orgs/organization/{atlas['csto'].pk}/change/")

    with page.expect_popup() as popup_info:
        page.click("#add_id_memberships-0-source")
    popup = popup_info.value
    popup.fill("#id_title", "Armenia freezes its participation in the CSTO")
    popup.fill("#id_publisher", "TASS")
    popup.fill("#id_change_reason", "source for Armenia's suspension")
    popup.click('input[name="_save"]')
    popup.wait_for_event("close")

    source = Source.objects.get(publisher="TASS")
    expect(page.locator("#id_memberships-0-source")).to_have_value(str(source.pk))
    expect(page.locator("#memberships-0 .field-source .select2-selection")).to_contain_text(
        "Armenia freezes"
    )


def test_cite_selected_cites_five_spells_at_once(page, live_server, atlas):
    page.set_viewport_size({"width": 1440, "height": 900})
    csto, countries = atlas["csto"], atlas["countries"]
    spells = [
        make_membership(csto, countries[iso2], "2002-10-07", cite=False, is_published=False)
        for iso2 in ["AM", "BY", "KZ", "KG", "RU"]
    ]
    log_in(page, live_server, *atlas["login"])
    page.goto(f"{live_server.url}/admin/orgs/membership/?organization__id__exact={csto.pk}")

    for spell in spells:
        page.locator(f'input[name="_selected_action"][value="{spell.pk}"]').check()
    page.select_option('select[name="action"]', "cite_selected")
    page.click('button[name="index"]')
    page.click("#id_source + .select2 .select2-selection")
    page.keyboard.type("Charter")
    page.locator(".select2-results__option", has_text="Charter").first.click()
    page.fill("#id_excerpt", "The member States of the Organization are")
    page.fill("#id_locator", "Article 1")
    page.click('input[name="cite"]')

    expect(page.locator(".messagelist .success")).to_contain_text("for 5:")
    assert Citation.objects.filter(locator="Article 1").count() == 5
