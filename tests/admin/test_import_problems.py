"""An import tells what is wrong in the page, by the file's own line numbers and columns, without
knock-on errors; a citation names its source by key, number or URL; the citations preview shows
which spell each row cites (issue 15)."""

import pytest

from orgs.models import Citation, Membership
from tests.admin.test_imports import HEADER, upload
from tests.makers import make_country, make_membership, make_organization, make_source

CITATION_HEADER = "organization,member,member_kind,status,start,source,claim_field,excerpt\n"


@pytest.fixture
def atlas(db):
    return {
        "sco": make_organization("sco", "Shanghai Cooperation Organisation", acronym="SCO"),
        "BY": make_country(),
        "IN": make_country("IN", "IND", "India"),
    }


def test_problems_are_listed_by_line_and_column_of_the_file(editor_client, atlas):
    rows = "sco,BY,country,member,,2024-13,,\nsco,XX,country,member,,2024,,\n"

    response = upload(
        editor_client, "membership", HEADER + "sco,IN,country,member,,2017,,\n" + rows
    )

    problems = [(p.line, p.column) for p in response.context["result"].problems]
    assert problems == [(3, "start"), (4, "member")]
    page = response.content.decode()
    assert "Nothing was imported: 2 problems in the file" in page
    assert "<td>3</td>" in page
    assert not Membership.objects.exists()


def test_an_unreadable_cell_reports_no_knock_on_error(editor_client, atlas):
    response = upload(editor_client, "membership", HEADER + "sco,QQ,country,member,,2024,,\n")

    messages = [p.message for p in response.context["result"].problems]
    assert len(messages) == 1, messages
    assert "Give either a member country" not in messages[0]


def citation_rows(source_given: str) -> str:
    return CITATION_HEADER + f"sco,BY,country,member,2024-07-04,{source_given},,Belarus joins\n"


def test_a_citation_names_its_source_by_url_or_number(editor_client, atlas):
    make_membership(atlas["sco"], atlas["BY"], "2024-07-04", cite=False, is_published=False)
    by_url = make_source("Belarus joins the SCO", url="https://example.org/by-sco", key="")
    by_number = make_source("Belarus: full member", key="")

    for given in [by_url.url, str(by_number.pk)]:
        preview = upload(editor_client, "citation", citation_rows(given), name="c.csv")
        assert preview.context["result"].totals["new"] == 1, preview.context["result"].problems
        form = preview.context["confirm_form"]
        editor_client.post("/admin/orgs/citation/process_import/", form.initial)
    assert set(Citation.objects.values_list("source", flat=True)) == {by_url.pk, by_number.pk}


def test_an_unknown_source_says_what_it_looked_for(editor_client, atlas):
    make_membership(atlas["sco"], atlas["BY"], "2024-07-04", cite=False, is_published=False)

    preview = upload(editor_client, "citation", citation_rows("https://nowhere.example/x"))

    [problem] = preview.context["result"].problems
    assert (problem.line, problem.column) == (2, "source")
    assert "No source has the key, number or URL" in problem.message


def test_the_citations_preview_shows_the_spell_each_row_cites(editor_client, atlas):
    make_membership(atlas["sco"], atlas["BY"], "2024-07-04", cite=False, is_published=False)
    source = make_source("Belarus joins the SCO", key="tass-by")

    preview = upload(editor_client, "citation", citation_rows(source.key), name="c.csv")

    [row] = preview.context["result"].valid_rows()
    shown = " ".join(str(cell) for cell in row.diff)
    for spell_key in ["sco", "BY", "2024-07-04"]:
        assert spell_key in shown
