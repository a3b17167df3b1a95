"""Issue 5: memberships, sources and citations import from CSV and XLSX with a preview; one bad
row refuses the file; importing the same file twice changes nothing."""

from pathlib import Path

import pytest
import tablib
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from orgs.admin.imports import CitationResource, MembershipResource, SourceResource
from orgs.models import ChangeSet, Citation, Membership
from orgs.services import review
from tests.makers import make_country, make_membership, make_organization, make_source

HEADER = "organization,member,member_kind,status,qualifier,start,end,note\n"
SAMPLE = Path(settings.BASE_DIR) / "fixtures" / "sample_memberships.csv"


@pytest.fixture
def atlas(db):
    sco = make_organization("sco", "Shanghai Cooperation Organisation", acronym="SCO")
    brics = make_organization("brics", "BRICS", acronym="BRICS")
    return {
        "sco": sco,
        "brics": brics,
        "BY": make_country(),
        "IN": make_country("IN", "IND", "India"),
        "IR": make_country("IR", "IRN", "Iran"),
    }


def upload(client, model, content: bytes | str, name="spells.csv", file_format=0):
    if isinstance(content, str):
        content = content.encode()
    return client.post(
        reverse(f"admin:orgs_{model}_import"),
        {"import_file": SimpleUploadedFile(name, content), "format": str(file_format)},
    )


def confirm(client, model, preview):
    form = preview.context["confirm_form"]
    return client.post(reverse(f"admin:orgs_{model}_process_import"), form.initial, follow=True)


def row_errors(response) -> dict[int, str]:
    result = response.context["result"]
    errors = {}
    for row in result.invalid_rows:
        errors[row.number] = " ".join(
            message for messages in row.error_dict.values() for message in messages
        )
    for number, row_errors in result.row_errors():
        errors[number] = " ".join(str(error.error) for error in row_errors)
    return errors


GOOD_ROWS = (
    "sco,IN,country,observer,,2005,2017-06-09,Observer from 2005\n"
    "sco,IN,country,member,,2017-06-09,,Astana summit\n"
    "sco,IR,country,member,,2023-07-04,,\n"
)


# --- one bad row refuses the whole file ----------------------------------------------------


@pytest.mark.parametrize(
    ("bad_row", "message"),
    [
        # XX is in ISO's user-assigned range, which the atlas takes for unlisted territories.
        ("sco,ZY,country,member,,2024,,\n", "Unknown ISO code “ZY”"),
        ("sco,BY,country,member,,2024-13,,\n", "Bad date “2024-13”: Month 13 does not exist"),
        ("nato,BY,country,member,,2024,,\n", "No organization has the slug “nato”"),
        ("sco,BY,country,member,,2024-07-04,2020,\n", "The end (2020) is before the start"),
        ("sco,BY,country,champion,,2024,,\n", "The status “champion” is not one of: member,"),
    ],
)
def test_a_file_with_one_bad_row_imports_nothing_and_names_the_row(
    editor_client, atlas, bad_row, message
):
    response = upload(editor_client, "membership", HEADER + GOOD_ROWS + bad_row)

    assert response.status_code == 200
    assert "confirm_form" not in response.context
    errors = row_errors(response)
    assert list(errors) == [4]
    assert message.replace("“", "").replace("”", "") in errors[4].replace("“", "").replace("”", "")
    assert not Membership.objects.exists()


def test_overlap_with_an_existing_spell_is_reported_naming_it(editor_client, atlas):
    make_membership(atlas["sco"], atlas["BY"], "2015-07", status="observer")

    response = upload(editor_client, "membership", HEADER + "sco,BY,country,member,,2024-07-04,,\n")

    assert (
        "overlaps another spell of Belarus in SCO: observer since July 2015"
        in row_errors(response)[1]
    )
    assert Membership.objects.count() == 1


def test_rows_that_overlap_each_other_are_refused(editor_client, atlas):
    rows = "sco,BY,country,observer,,2015-07,,\nsco,BY,country,member,,2024-07-04,,\n"

    response = upload(editor_client, "membership", HEADER + rows)

    assert "overlaps another spell of Belarus" in row_errors(response)[2]
    assert not Membership.objects.exists()


def test_the_real_import_also_refuses_a_file_that_went_bad_after_the_preview(atlas):
    dataset = tablib.Dataset().load(HEADER + GOOD_ROWS + "sco,XX,country,member,,2024,,\n", "csv")

    result = MembershipResource().import_data(dataset, dry_run=False)

    assert result.has_validation_errors()
    assert not Membership.objects.exists()


# --- preview, confirm, and the second time -------------------------------------------------


def test_preview_then_confirm_creates_drafts_and_a_second_import_changes_nothing(
    editor_client, atlas
):
    preview = upload(editor_client, "membership", HEADER + GOOD_ROWS)
    assert preview.status_code == 200
    assert preview.context["result"].totals["new"] == 3
    assert not Membership.objects.exists()  # the preview writes nothing

    done = confirm(editor_client, "membership", preview)

    assert "Import finished: 3 new, 0 updated, 0 deleted and 0 skipped" in done.content.decode()
    spells = Membership.objects.order_by("start")
    assert [(spell.status, spell.period) for spell in spells] == [
        ("observer", "2005 – 9 June 2017"),
        ("member", "since 9 June 2017"),
        ("member", "since 4 July 2023"),
    ]
    assert not any(spell.is_published for spell in spells)
    history = spells[0].history.latest()
    assert history.history_user.username == "editor"
    assert history.history_change_reason == "imported from spells.csv"

    again = upload(editor_client, "membership", HEADER + GOOD_ROWS)
    totals = again.context["result"].totals
    assert (totals["new"], totals["update"], totals["skip"]) == (0, 0, 3)
    confirm(editor_client, "membership", again)
    assert Membership.objects.count() == 3
    assert spells[0].history.count() == 1


def test_a_changed_note_of_a_published_spell_waits_for_review(editor_client, reviewer, atlas):
    spell = make_membership(atlas["sco"], atlas["IR"], "2023-07-04")

    preview = upload(
        editor_client, "membership", HEADER + "sco,IR,country,member,,2023-07-04,,New\n"
    )
    totals = preview.context["result"].totals
    assert (totals["new"], totals["update"]) == (0, 1)
    assert not ChangeSet.objects.exists()  # the preview proposes nothing either
    done = confirm(editor_client, "membership", preview)

    assert Membership.objects.get().note == ""  # the public still sees the spell as it was
    change_set = ChangeSet.objects.pending().get()
    assert change_set.origin == ChangeSet.Origin.IMPORT
    assert change_set.get_absolute_url() in done.content.decode()
    [change] = change_set.changes.all()
    assert (change.object_id, change.action, change.after["note"]) == (spell.pk, "update", "New")

    review.change_set_approve(change_set=change_set, user=reviewer[0])
    assert Membership.objects.get().note == "New"


def test_the_sample_file_changes_nothing_in_the_seeded_atlas(seed):
    dataset = tablib.Dataset().load(SAMPLE.read_text(encoding="utf-8"), "csv")

    result = MembershipResource().import_data(dataset, dry_run=True)

    assert not result.has_errors()
    assert not result.has_validation_errors()
    assert result.totals["skip"] == len(dataset) > 0
    assert result.totals["new"] == result.totals["update"] == 0


def test_xlsx_imports_like_csv(editor_client, atlas):
    dataset = tablib.Dataset().load(HEADER + GOOD_ROWS, "csv")
    xlsx_index = [
        file_format().get_title() for file_format in _admin("membership").get_import_formats()
    ].index("xlsx")

    preview = upload(
        editor_client, "membership", dataset.export("xlsx"), "spells.xlsx", file_format=xlsx_index
    )

    assert preview.context["result"].totals["new"] == 3, row_errors(preview)
    confirm(editor_client, "membership", preview)
    assert Membership.objects.count() == 3


def test_a_file_over_the_size_limit_is_refused_plainly(editor_client, atlas):
    big = HEADER + "x" * (10 * 1024 * 1024)

    response = upload(editor_client, "membership", big)

    assert response.status_code == 200
    assert "an import takes files up to 5 MB" in response.content.decode()
    assert not Membership.objects.exists()


def test_import_needs_the_right_to_add_and_change(client, atlas):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission

    viewer = get_user_model().objects.create_user("viewer", password="x", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_membership"))
    client.force_login(viewer)

    assert client.get(reverse("admin:orgs_membership_import")).status_code == 403
    assert client.get(reverse("admin:orgs_membership_export")).status_code == 200


# --- export: the same columns back out -----------------------------------------------------


def test_export_writes_the_columns_import_reads(atlas):
    make_membership(atlas["sco"], atlas["BY"], "2015-07", "2024-07-04", status="observer")
    make_membership(atlas["brics"], atlas["sco"], "≤2025-06-09", status="participant")

    exported = MembershipResource().export()

    assert exported.headers[:7] == [
        "organization",
        "member",
        "member_kind",
        "status",
        "qualifier",
        "start",
        "end",
    ]
    rows = {(row[0], row[1]): row for row in exported}
    assert rows["sco", "BY"][5:7] == ("2015-07", "2024-07-04")
    assert rows["brics", "sco"][2] == "organization"
    assert rows["brics", "sco"][5] == "≤2025-06-09"
    again = MembershipResource().import_data(
        tablib.Dataset().load(exported.csv, "csv"), dry_run=True
    )
    assert again.totals["skip"] == 2
    assert not again.has_validation_errors()


def test_admin_export_page_answers(editor_client, atlas):
    response = editor_client.get(reverse("admin:orgs_membership_export"))

    assert response.status_code == 200
    assert "xlsx" in response.content.decode().lower()


# --- sources and citations -----------------------------------------------------------------


def test_sources_import_by_key_and_twice_changes_nothing(editor_client, db):
    csv = (
        "key,kind,title,publisher,url,published_on\n"
        "TASS-1,news_article,Belarus joins,TASS,https://tass.com/1,2024-07-04\n"
    )

    confirm(editor_client, "source", upload(editor_client, "source", csv, "sources.csv"))
    again = upload(editor_client, "source", csv, "sources.csv")

    source = SourceResource._meta.model.objects.get(key="TASS-1")
    assert source.published_on_partial.iso == "2024-07-04"
    assert not source.is_published
    assert (again.context["result"].totals["new"], again.context["result"].totals["skip"]) == (
        0,
        1,
    )


def test_a_source_without_a_key_is_refused(editor_client, db):
    response = upload(editor_client, "source", "key,kind,title\n,news_article,No key\n")

    assert "Give every imported source a key" in row_errors(response)[1]


def test_citations_import_against_spells_by_natural_key(editor_client, atlas):
    # A draft spell: citing a published one is a change that waits for review.
    spell = make_membership(atlas["sco"], atlas["BY"], "2024-07-04", cite=False, is_published=False)
    make_source("TASS", key="TASS-1")
    csv = (
        "organization,member,member_kind,status,start,source,claim_field,excerpt,locator\n"
        "sco,BY,country,member,2024-07-04,TASS-1,,became a full member,para. 1\n"
    )

    confirm(editor_client, "citation", upload(editor_client, "citation", csv, "cites.csv"))
    again = upload(editor_client, "citation", csv, "cites.csv")

    citation = spell.citations.get()
    assert (citation.source.key, citation.locator) == ("TASS-1", "para. 1")
    assert again.context["result"].totals["skip"] == 1
    exported = CitationResource().export()
    assert list(exported[0][:6]) == ["sco", "BY", "country", "member", "2024-07-04", "TASS-1"]


def test_a_citation_of_an_unknown_spell_or_source_is_refused(editor_client, atlas):
    csv = (
        "organization,member,member_kind,status,start,source,claim_field,excerpt,locator\n"
        "sco,BY,country,member,2024-07-04,NOPE,,x,\n"
    )

    errors = row_errors(upload(editor_client, "citation", csv, "cites.csv"))

    assert "No spell matches this organization, member, status and start" in errors[1]
    assert "No source has the key, number or URL “NOPE”" in errors[1]
    assert not Citation.objects.exists()


def _admin(model_name):
    from django.contrib import admin

    return next(
        model_admin
        for model, model_admin in admin.site._registry.items()
        if model._meta.model_name == model_name and model._meta.app_label == "orgs"
    )
