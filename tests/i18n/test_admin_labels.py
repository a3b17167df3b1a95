"""The admin names the atlas's models and fields in the editor's language: under /ru/admin/ the
index, the lists' column headings and the records' own names read Russian, and the English admin
reads exactly as it did when Django derived the names from the code."""

import re
from html import unescape

import pytest
from django.apps import apps
from django.utils import translation
from django.utils.text import camel_case_to_spaces

from orgs.models import Application, Citation, ImportJob
from tests.makers import (
    make_application,
    make_citation,
    make_country,
    make_membership,
    make_organization,
)

# The plurals English does not make by adding an "s".
IRREGULAR_PLURALS = {
    "country": "countries",
    "person": "people",
    "agreement party": "agreement parties",
}
CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)


def atlas_models():
    """The atlas's own models; simple-history derives its historical twins' names from them."""
    return [
        model
        for model in apps.get_app_config("orgs").get_models()
        if not model.__name__.startswith("Historical")
    ]


def labelled_fields(model):
    """The concrete fields and many-to-many fields an editor sees a label for."""
    return [
        field
        for field in [*model._meta.concrete_fields, *model._meta.many_to_many]
        if not field.auto_created
    ]


def headings(page: str, tag: str = "thead") -> list[str]:
    """The text of each column heading of the page's list."""
    head = re.search(rf"<{tag}>(.*?)</{tag}>", page, re.DOTALL)
    assert head, page[:500]
    cells = re.findall(r"<th[^>]*>(.*?)</th>", head.group(1), re.DOTALL)
    return [t for t in (unescape(re.sub(r"<[^>]+>|\s+", " ", c)).strip() for c in cells) if t]


@pytest.mark.parametrize("model", atlas_models(), ids=lambda model: model.__name__)
def test_every_model_and_field_has_a_translatable_name_that_reads_as_before_in_english(model):
    opts = model._meta
    derived = camel_case_to_spaces(model.__name__)
    assert {"verbose_name", "verbose_name_plural"} <= set(opts.original_attrs), model
    for field in labelled_fields(model):
        assert "verbose_name" in field.deconstruct()[3], f"{model.__name__}.{field.name}"
    with translation.override("en-gb"):
        assert str(opts.verbose_name) == derived
        assert str(opts.verbose_name_plural) == IRREGULAR_PLURALS.get(derived, f"{derived}s")
    with translation.override("ru"):
        assert CYRILLIC.search(str(opts.verbose_name)), opts.verbose_name
        assert CYRILLIC.search(str(opts.verbose_name_plural)), opts.verbose_name_plural
        untranslated = [
            field.name
            for field in labelled_fields(model)
            if not CYRILLIC.search(str(field.verbose_name))
            and field.name not in {"iso2", "iso3"}  # "ISO alpha-2" reads the same in Russian
        ]
        assert untranslated == [], model


@pytest.mark.django_db
def test_the_russian_admin_index_names_the_app_and_its_models_in_russian(admin_client):
    page = admin_client.get("/ru/admin/").content.decode()
    for name in (
        "Атлас",
        "Организации",
        "Периоды членства",
        "Заявки",
        "Страны",
        "Ссылки на источники",
        "Наборы изменений",
        "Задания импорта",
    ):
        assert f">{name}<" in page, name
    # No English left, and no English plural ending glued to a Russian name.
    for english in ("Memberships", "Organizations", "Import jobs", ">Atlas<", "измененийs"):
        assert english not in page, english


@pytest.mark.django_db
def test_the_english_admin_index_is_unchanged(admin_client):
    page = admin_client.get("/admin/").content.decode()
    for name in ("Atlas", "Organizations", "Memberships", "Applications", "Countries"):
        assert f">{name}<" in page, name
    assert ">Change sets<" in page
    assert "Периоды членства" not in page


@pytest.mark.django_db
def test_an_organization_list_heads_its_columns_in_the_editors_language(admin_client):
    make_organization("sco", "Shanghai Cooperation Organisation", acronym="SCO")

    russian = headings(admin_client.get("/ru/admin/orgs/organization/").content.decode())
    english = headings(admin_client.get("/admin/orgs/organization/").content.decode())

    for heading in ("Название", "Аббревиатура", "Краткий адрес", "Вид", "Жизненный цикл"):
        assert heading in russian, russian
    assert "Родительская организация" in russian
    assert not {"Name", "Acronym", "Slug", "Kind", "Lifecycle", "Parent"} & set(russian)
    for heading in ("Name", "Acronym", "Slug", "Kind", "Lifecycle", "Parent"):
        assert heading in english, english


@pytest.mark.django_db
def test_a_membership_form_labels_its_fields_in_russian(admin_client):
    page = admin_client.get("/ru/admin/orgs/membership/add/").content.decode()
    labels = [unescape(label) for label in re.findall(r"<label[^>]*>([^<]+):</label>", page)]
    for label in ("Организация", "Страна-участник", "Статус", "Уточнение", "Ранг", "Примечание"):
        assert label in labels, labels
    assert "Member country" not in labels


@pytest.mark.django_db
def test_an_application_and_a_citation_name_themselves_in_one_language():
    brics = make_organization("brics", "BRICS", acronym="BRICS")
    application = make_application(brics, make_country(), "2024-10-01")
    citation = Citation.objects.get(object_id=application.pk)
    citation.source.title = "Izvestia"
    citation.source.save()
    citation = Citation.objects.get(pk=citation.pk)

    with translation.override("ru"):
        assert str(Application.objects.get(pk=application.pk)) == "Belarus → член BRICS"
        assert str(citation) == f"Izvestia → заявка №{application.pk}"
    with translation.override("en-gb"):
        assert str(Application.objects.get(pk=application.pk)) == "Belarus → member of BRICS"
        assert str(citation) == f"Izvestia → application #{application.pk}"


@pytest.mark.django_db
def test_the_citation_list_names_the_cited_record_in_russian(admin_client):
    spell = make_membership(make_organization("sco", "SCO"), make_country(), "2024-07-04")
    make_citation(spell, claim_field="start")

    russian = admin_client.get("/ru/admin/orgs/citation/").content.decode()
    english = admin_client.get("/admin/orgs/citation/").content.decode()

    assert f"период членства #{spell.pk}</a>" in russian
    assert f"membership #{spell.pk}</a>" in english


@pytest.mark.django_db
def test_an_import_job_states_its_kind_and_state_in_russian(admin_user):
    job = ImportJob.objects.create(
        kind=ImportJob.Kind.MEMBERSHIPS, file_name="spells.csv", file_format="csv", user=admin_user
    )
    with translation.override("ru"):
        assert str(job) == "Импорт файла «spells.csv» (ждёт обработчика заданий)"
        assert job.get_kind_display() == "периоды членства"
    with translation.override("en-gb"):
        assert str(job) == "Import of spells.csv (waiting for the worker)"
