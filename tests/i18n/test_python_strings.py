"""Words written in Python follow the active language: model labels, form errors, admin
messages, counted statuses and the API's refusals come out in Russian when Russian is asked for,
and exactly as before in English."""

import pytest
from django.utils import translation
from rest_framework.test import APIClient

from orgs.admin.forms import MembershipForm
from orgs.dates import PartialDate, since
from orgs.models import Membership, Organization, Status
from orgs.pages.organizations import counted
from tests.makers import make_country, make_membership, make_organization, make_source


def test_model_labels_and_choices_are_russian_under_russian():
    with translation.override("ru"):
        assert Membership._meta.get_field("is_founding").verbose_name == "член-основатель"
        assert Organization._meta.get_field("reviewed_through").verbose_name == "проверено по"
        assert Status.DIALOGUE_PARTNER.label == "партнёр по диалогу"
        assert Membership._meta.get_field("start_precision").verbose_name == "начало: точность"
    with translation.override("en-gb"):
        assert Membership._meta.get_field("is_founding").verbose_name == "founding member"
        assert Status.DIALOGUE_PARTNER.label == "dialogue partner"
        assert Membership._meta.get_field("start_precision").verbose_name == "start precision"


@pytest.mark.parametrize(
    ("count", "status", "russian", "english"),
    [
        (1, "observer", "1 наблюдатель", "1 observer"),
        (2, "observer", "2 наблюдателя", "2 observers"),
        (5, "observer", "5 наблюдателей", "5 observers"),
        (11, "observer", "11 наблюдателей", "11 observers"),
        (21, "member", "21 государство-член", "21 members"),
        (3, "member", "3 государства-члена", "3 members"),
        (14, "dialogue_partner", "14 партнёров по диалогу", "14 dialogue partners"),
        (22, "dialogue_partner", "22 партнёра по диалогу", "22 dialogue partners"),
    ],
)
def test_counted_statuses_take_the_plural_form_of_the_number(count, status, russian, english):
    with translation.override("ru"):
        assert counted(count, status) == russian
    with translation.override("en-gb"):
        assert counted(count, status) == english


@pytest.mark.django_db
def test_an_invalid_partial_date_is_refused_in_the_editors_language():
    organization = make_organization("sco", "Shanghai Cooperation Organisation", acronym="SCO")
    belarus = make_country()
    data = {
        "organization": organization.pk,
        "member_country": belarus.pk,
        "status": "member",
        "start": "2023-02-30",
        "rank": "normal",
        "confidence": "high",
    }
    with translation.override("ru"):
        form = MembershipForm(data)
        assert not form.is_valid()
        assert form.errors["start"] == ["Февраль 2023: нет 30-го числа."]  # noqa: RUF001
    with translation.override("en-gb"):
        form = MembershipForm(data)
        assert not form.is_valid()
        assert form.errors["start"] == ["February 2023 has no day 30."]


@pytest.mark.django_db
def test_typed_text_with_a_percent_sign_is_quoted_not_formatted():
    # Issue 19: a message %-formatted with what was typed answered 500 on a "%".
    with translation.override("ru"):
        form = MembershipForm({"start": "100%s%(x)s"})
        assert not form.is_valid()
        assert form.errors["start"][0].startswith("«100%s%(x)s» — не дата")


@pytest.mark.django_db
def test_the_admin_reports_publishing_in_russian(reviewer_client):
    sco = make_organization("sco", "Shanghai Cooperation Organisation", acronym="SCO")
    belarus = make_country()
    armenia = make_country("AM", "ARM", "Armenia")
    cited = make_membership(sco, belarus, "2024-07-04", is_published=False)
    uncited = make_membership(sco, armenia, "2024", is_published=False, cite=False)
    for citation in cited.citations.all():
        citation.source.is_published = True
        citation.source.save()

    response = reviewer_client.post(
        "/ru/admin/orgs/membership/",
        {"action": "publish_selected", "_selected_action": [cited.pk, uncited.pk]},
        follow=True,
    )

    assert response.status_code == 200
    text = [str(message) for message in response.context["messages"]]
    assert any(message.startswith("Опубликовано (1): Belarus") for message in text), text
    assert any(
        message.startswith("Не опубликовано (1):")
        and "у неё нет ссылки на источник; сначала добавьте ссылку" in message
        for message in text
    ), text
    page = response.content.decode()
    assert "Атлас Евразии — редакция" in page
    assert "Опубликовать выбранные записи" in page


@pytest.mark.django_db
def test_the_admin_speaks_english_without_the_prefix(reviewer_client):
    make_source("A source")
    page = reviewer_client.get("/admin/").content.decode()
    assert "Eurasia Atlas — curation" in page
    assert "Атлас Евразии" not in page


@pytest.mark.django_db
def test_an_api_refusal_is_russian_when_the_client_asks_for_russian():
    answer = APIClient(headers={"Accept-Language": "ru"}).get(
        "/api/v1/memberships/", {"as_of": "2024-13-01"}
    )
    assert answer.status_code == 400
    problem = answer.json()
    assert problem["title"] == "Неверный параметр запроса"
    assert problem["errors"]["as_of"] == [
        "«2024-13-01» — неверная дата; используйте ГГГГ-ММ-ДД, например 2025-07-01."
    ]


@pytest.mark.django_db
def test_an_api_refusal_stays_english_by_default():
    answer = APIClient().get("/api/v1/memberships/", {"as_of": "2024-13-01"})
    assert answer.status_code == 400
    problem = answer.json()
    assert problem["title"] == "Invalid query parameter"
    assert problem["errors"]["as_of"] == [
        "“2024-13-01” is not a valid date; use YYYY-MM-DD, for example 2025-07-01."
    ]


@pytest.mark.django_db
def test_every_admin_list_and_add_form_renders_in_russian(admin_client):
    from django.contrib import admin

    sco = make_organization("sco", "Shanghai Cooperation Organisation", acronym="SCO")
    spell = make_membership(sco, make_country(), "2024-07-04")
    for model in admin.site._registry:
        opts = model._meta
        for view in ("changelist", "add"):
            url = f"/ru/admin/{opts.app_label}/{opts.model_name}/"
            if view == "add":
                url += "add/"
            response = admin_client.get(url)
            assert response.status_code in (200, 302, 403), (url, response.status_code)
    for record in (spell, sco):
        change = admin_client.get(f"/ru/admin/orgs/{record._meta.model_name}/{record.pk}/change/")
        assert change.status_code == 200
        assert "Причина изменения" in change.content.decode()
    dashboard = admin_client.get("/ru/admin/needs-attention/")
    assert dashboard.status_code == 200
    assert "Утверждения без ссылки на источник" in dashboard.content.decode()


@pytest.mark.parametrize(
    ("typed", "russian", "english"),
    [
        ("2024", "с 2024", "since 2024"),
        ("2024-07", "с июля 2024", "since July 2024"),
        ("2024-07-04", "с 4 июля 2024", "since 4 July 2024"),
        ("≤2025-06-09", "уже к 9 июня 2025", "since by 9 June 2025"),
    ],
)
def test_an_open_spell_reads_since_its_start_in_either_language(typed, russian, english):
    start = PartialDate.parse(typed)
    with translation.override("ru"):
        assert since(start) == russian
    with translation.override("en-gb"):
        assert since(start) == english
