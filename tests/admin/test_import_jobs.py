"""Files larger than a preview takes are imported by a background job (Django's tasks framework,
database backend): the upload queues a job, the task worker (``manage.py db_worker``) runs it,
its page shows progress, and the file is imported whole or not at all, under the same review
rules as the admin's own import. Files over the hard cap are refused with nothing written."""

import itertools
from unittest import mock

import pycountry
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from orgs.admin.imports import MAX_IMPORT_ROWS, SYNC_IMPORT_ROWS
from orgs.models import ChangeSet, Country, ImportJob, Membership, Organization
from orgs.services import import_jobs
from tests.makers import make_membership, make_user

HEADER = "organization,member,member_kind,status,qualifier,start,end,note\n"


@pytest.fixture
def grid(db):
    """100 organizations and 200 countries (real ISO codes): 20,000 distinct spells."""
    codes = sorted(
        (c.alpha_2, c.alpha_3, c.name) for c in pycountry.countries if c.alpha_2 not in {"XK"}
    )[:200]
    Country.objects.bulk_create(
        Country(iso2=iso2, iso3=iso3, name=name, is_published=True) for iso2, iso3, name in codes
    )
    Organization.objects.bulk_create(
        Organization(slug=f"grid-{n:03}", name=f"Grid organization {n}", is_published=True)
        for n in range(100)
    )
    return {"countries": [iso2 for iso2, _, _ in codes], "organizations": 100}


def spell_rows(grid, count, *, bad_line=None):
    """``count`` rows of new spells, one per organization and country; the row on the file's
    line ``bad_line`` (the header being line 1) names a month that does not exist."""
    pairs = itertools.product(range(grid["organizations"]), grid["countries"])
    lines = []
    for line, (organization, iso2) in enumerate(itertools.islice(pairs, count), start=2):
        start = "2024-13" if line == bad_line else "2001-02-03"
        lines.append(f"grid-{organization:03},{iso2},country,member,,{start},2009,Grid row\n")
    return HEADER + "".join(lines)


def upload(client, content, name="spells.csv"):
    return client.post(
        reverse("admin:orgs_membership_import"),
        {"import_file": SimpleUploadedFile(name, content.encode()), "format": "0"},
    )


@pytest.fixture
def small_jobs(monkeypatch):
    """Files over 50 rows go to the background: the rules below hold for any threshold, and
    small files keep these tests fast (the 20,000-row test uses the real one)."""
    monkeypatch.setattr("orgs.admin.imports.SYNC_IMPORT_ROWS", 50)
    return 50


def run_worker():
    """What ``manage.py db_worker`` does, in this process: run every queued task, then stop.

    The worker recycles old connections between tasks, as a request does; inside a test's
    transaction that would close the test's own connection (PostgreSQL), so it is left out
    here, as Django's test client leaves it out of requests.
    """
    with mock.patch(
        "django_tasks_db.management.commands.db_worker.close_old_connections", return_value=None
    ):
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval", "0")


@pytest.mark.slow
def test_a_20000_row_file_imports_as_a_job_with_progress(editor_client, editor, grid):
    response = upload(editor_client, spell_rows(grid, 20_000), name="grid.csv")

    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:orgs_importjob_change", args=[job.pk])
    assert (job.state, job.rows_total, job.user) == (ImportJob.State.QUEUED, 20_000, editor[0])
    assert not Membership.objects.exists()  # nothing until the worker runs it
    page = editor_client.get(response["Location"])
    assert page.status_code == 200
    assert '<meta http-equiv="refresh"' in page.content.decode()
    assert "0 of 20000 rows read" in page.content.decode()

    run_worker()

    job.refresh_from_db()
    assert job.state == ImportJob.State.DONE, job.problems
    assert (job.rows_done, job.rows_total) == (20_000, 20_000)
    assert job.totals == {"new": 20_000}
    assert Membership.objects.filter(note="Grid row", is_published=False).count() == 20_000
    page = editor_client.get(response["Location"]).content.decode()
    assert "20000 of 20000 rows read" in page
    assert "Imported: 20000 new" in page
    assert '<meta http-equiv="refresh"' not in page  # finished: no more reloading


def test_progress_is_read_from_the_shared_cache_while_the_job_runs(editor_client, grid, small_jobs):
    upload(editor_client, spell_rows(grid, 200))
    job = ImportJob.objects.get()
    ImportJob.objects.filter(pk=job.pk).update(state=ImportJob.State.RUNNING)
    import_jobs.report_progress(job.pk, 125)

    page = editor_client.get(job.get_absolute_url()).content.decode()

    assert "125 of 200 rows read" in page
    assert '<meta http-equiv="refresh" content="2">' in page


def test_one_bad_row_in_the_middle_writes_nothing_and_the_job_names_its_line(
    editor_client, grid, small_jobs
):
    upload(editor_client, spell_rows(grid, 200, bad_line=101))
    run_worker()

    job = ImportJob.objects.get()
    assert job.state == ImportJob.State.FAILED
    assert not Membership.objects.exists()
    [problem] = job.problems
    assert (problem["line"], problem["column"]) == (101, "start")
    assert problem["message"].startswith("Bad date “2024-13”: Month 13 does not exist")
    page = editor_client.get(job.get_absolute_url()).content.decode()
    assert "Nothing was imported: 1 problem in the file" in page
    assert "<td>101</td><td>start</td><td>Bad date “2024-13”: Month 13 does not exist" in page


def test_a_file_over_the_hard_cap_is_refused_with_nothing_written(editor_client, grid):
    rows = "".join(
        f"grid-000,BY,country,member,,{1000 + n},,\n" for n in range(MAX_IMPORT_ROWS + 1)
    )

    response = upload(editor_client, HEADER + rows)

    assert response.status_code == 200
    assert f"The file has {MAX_IMPORT_ROWS + 1:,} rows; an import takes up to" in (
        response.content.decode()
    )
    assert not ImportJob.objects.exists()
    assert not Membership.objects.exists()


def test_a_file_a_preview_takes_is_previewed_not_queued(editor_client, grid):
    response = upload(editor_client, spell_rows(grid, 3))

    assert response.status_code == 200
    assert response.context["confirm_form"] is not None
    assert not ImportJob.objects.exists()


def test_the_import_page_states_the_limits(editor_client, db):
    page = editor_client.get(reverse("admin:orgs_membership_import")).content.decode()

    assert f"A file of up to {SYNC_IMPORT_ROWS:,} rows is previewed here" in page
    assert f"up to {MAX_IMPORT_ROWS:,} rows and 5 MB, is imported in the background" in page
    assert f'href="{reverse("admin:orgs_importjob_changelist")}"' in page


def test_an_editors_job_on_published_spells_proposes_a_change_set(
    editor_client, editor, grid, small_jobs
):
    country = Country.objects.get(iso2=grid["countries"][0])
    published = make_membership(Organization.objects.get(slug="grid-000"), country, "2001-02-03")
    content = spell_rows(grid, 200).replace(
        f"grid-000,{country.iso2},country,member,,2001-02-03,2009,Grid row",
        f"grid-000,{country.iso2},country,member,,2001-02-03,2009,Changed by the job",
    )
    upload(editor_client, content)
    run_worker()

    job = ImportJob.objects.get()
    assert job.state == ImportJob.State.DONE, job.problems
    published.refresh_from_db()
    assert published.note != "Changed by the job"  # the live record waits for review
    change_set = ChangeSet.objects.get(author=editor[0], state=ChangeSet.State.PENDING)
    assert list(job.change_sets.all()) == [change_set]
    assert change_set.changes.get().after["note"] == "Changed by the job"
    assert Membership.objects.filter(is_published=False).count() == 199  # the new rows: drafts
    page = editor_client.get(job.get_absolute_url()).content.decode()
    assert f"change set #{change_set.pk}" in page


def test_an_editor_sees_only_their_own_jobs(client, editor_client, grid, small_jobs):
    upload(editor_client, spell_rows(grid, 200))
    job = ImportJob.objects.get()
    jobs = reverse("admin:orgs_importjob_changelist")
    assert "0 / 200" in editor_client.get(jobs).content.decode()  # the owner's list
    other, password = make_user("Editor", username="other-editor")
    client.logout()
    assert client.login(username=other.username, password=password)

    assert client.get(job.get_absolute_url()).status_code == 404
    assert "0 / 200" not in client.get(jobs).content.decode()
    assert client.get(reverse("admin:orgs_importjob_change", args=["abc"])).status_code in (
        302,
        404,
    )


# --- the public's cached pages ---------------------------------------------------------------


def test_an_import_shows_on_the_next_request_and_a_preview_changes_nothing(client, reviewer, seed):
    """An import makes the cached pages stale once, at its end; a preview, rolled back, leaves
    them cached."""
    import tablib
    from django.test import Client

    from orgs.admin.imports import MembershipResource

    url = "/organizations/sco/?as_of=2025-07-01"
    client.get(url)
    assert client.get(url)["X-Atlas-Cache"] == "hit"
    belarus = Membership.objects.filter(
        organization__slug="sco", member_country__iso2="BY", status="member"
    )
    exported = MembershipResource().export(queryset=belarus)
    row = exported.dict[0]
    row["qualifier"] = "admitted at Astana"
    edited = tablib.Dataset(headers=exported.headers)
    edited.append([row[header] for header in exported.headers])
    staff = Client()
    assert staff.login(username=reviewer[0].username, password=reviewer[1])

    preview = upload(staff, edited.csv)

    assert preview.context["confirm_form"] is not None
    assert client.get(url)["X-Atlas-Cache"] == "hit"  # a preview writes nothing
    form = preview.context["confirm_form"]
    staff.post(reverse("admin:orgs_membership_process_import"), form.initial)
    assert belarus.get().qualifier == "admitted at Astana"
    response = client.get(url)
    assert response["X-Atlas-Cache"] == "miss"
    assert "admitted at Astana" in response.content.decode()


# --- what an import reads once ---------------------------------------------------------------


def test_a_citations_file_naming_one_citation_twice_keeps_one(db, editor):
    """Rows find spells, sources and citations among those read at the start and those saved
    since: the second row finds the citation the first made."""
    from orgs.admin.imports import CitationResource, SafeCSV
    from tests.makers import make_country, make_organization, make_source

    spell = make_membership(
        make_organization("sco"), make_country(), "2015-07-10", cite=False, is_published=False
    )
    make_source("Ufa declaration", key="ufa", url="https://example.org/ufa")
    rows = (
        "organization,member,member_kind,status,start,source,claim_field,excerpt\n"
        "sco,BY,country,member,2015-07-10,ufa,,first\n"
        "sco,BY,country,member,2015-07-10,https://example.org/ufa,,second\n"
    )

    result = CitationResource().import_data(
        SafeCSV().create_dataset(rows), dry_run=False, user=editor[0], file_name="c.csv"
    )

    assert result.problems == []
    assert (result.totals["new"], result.totals["update"]) == (1, 1)
    assert [citation.excerpt for citation in spell.citations.all()] == ["second"]
