"""Two editors saving the same record: the second gets a conflict, nothing is overwritten
(issue 8)."""

import threading

import pytest
from django.db import connection

from orgs.models import ChangeSet, Country, Membership, Organization, Source
from orgs.services import review
from orgs.services.locking import VersionConflict, record_save_checked
from tests.makers import (
    make_country,
    make_membership,
    make_organization,
    make_source,
    make_staff,
    token_client,
)


@pytest.mark.django_db
def test_the_second_of_two_editors_gets_a_conflict_and_nothing_is_overwritten():
    source = make_source("Original title")
    first = Source.objects.get(pk=source.pk)
    second = Source.objects.get(pk=source.pk)
    assert first.version == second.version == 1

    first.title = "First editor's title"
    record_save_checked(instance=first, expected_version=1)
    assert first.version == 2

    second.title = "Second editor's title"
    with pytest.raises(VersionConflict) as conflict:
        record_save_checked(instance=second, expected_version=1)
    assert conflict.value.message.startswith(
        "This record was changed by someone else since you opened it"
    )
    assert "version 1" in conflict.value.message
    assert "version 2" in conflict.value.message

    stored = Source.objects.get(pk=source.pk)
    assert stored.title == "First editor's title"
    assert stored.version == 2
    assert stored.history.count() == 2  # created, then the first editor's save


@pytest.mark.django_db
def test_saves_in_turn_each_raise_the_version():
    spell = make_membership(make_organization("sco"), make_country(), "2024-07-04")
    for expected in (1, 2, 3):
        spell = Membership.objects.get(pk=spell.pk)
        spell.note = f"edit {expected}"
        record_save_checked(instance=spell, expected_version=expected)
    stored = Membership.objects.get(pk=spell.pk)
    assert (stored.version, stored.note) == (4, "edit 3")


@pytest.mark.django_db
def test_a_save_after_someone_deleted_the_record_is_refused():
    source = make_source()
    stale = Source.objects.get(pk=source.pk)
    Source.objects.filter(pk=source.pk).delete()
    with pytest.raises(VersionConflict, match="deleted by someone else"):
        record_save_checked(instance=stale, expected_version=1)
    assert not Source.objects.filter(pk=source.pk).exists()


@pytest.mark.django_db
def test_a_new_record_is_saved_as_version_one():
    source = Source(title="New", is_published=False)
    record_save_checked(instance=source, expected_version=1)
    assert Source.objects.get(pk=source.pk).version == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrent connections need PostgreSQL"
)
def test_two_concurrent_saves_of_one_version_let_exactly_one_through():
    from django.db import connections

    source = make_source("Original title")
    barrier = threading.Barrier(2)
    outcomes = []

    def edit(title):
        try:
            stale = Source.objects.get(pk=source.pk)
            stale.title = title
            barrier.wait(timeout=10)
            record_save_checked(instance=stale, expected_version=1)
            outcomes.append(("saved", title))
        except VersionConflict:
            outcomes.append(("conflict", title))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=edit, args=(f"Editor {n}",)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(kind for kind, _ in outcomes) == ["conflict", "saved"]
    winner = next(title for kind, title in outcomes if kind == "saved")
    stored = Source.objects.get(pk=source.pk)
    assert (stored.title, stored.version) == (winner, 2)


# --- the admin: a hidden expected_version on the change form --------------------------------


def test_the_admin_change_form_carries_the_version_it_showed(editor_client):
    from tests.admin.forms import admin_url

    sco = make_organization("sco", acronym="SCO")
    Organization.objects.filter(pk=sco.pk).update(version=7)
    page = editor_client.get(admin_url("organization", "change", sco.pk)).content.decode()
    assert 'name="expected_version" value="7"' in page


def test_the_second_admin_editor_gets_a_conflict_and_nothing_is_overwritten(editor_client):
    from tests.admin.forms import admin_url, organization_data

    # A draft, so each Editor's save applies at once (a published record's would be proposed).
    sco = make_organization("sco", name="Shanghai Five", acronym="SCO", is_published=False)
    url = admin_url("organization", "change", sco.pk)
    # Both editors opened version 1 (the form says so in its hidden field).
    assert 'name="expected_version" value="1"' in editor_client.get(url).content.decode()

    first = editor_client.post(
        url, organization_data(sco, name="First editor's name", expected_version="1")
    )
    assert first.status_code == 302
    stored = Organization.objects.get(pk=sco.pk)
    assert (stored.name, stored.version) == ("First editor's name", 2)

    second = editor_client.post(
        url, organization_data(sco, name="Second editor's name", expected_version="1")
    )
    assert second.status_code == 200
    page = second.content.decode().replace("&#x27;", "'")
    assert "This record was changed by someone else since you opened it" in page
    assert "you opened version 1; it is now at version 2" in page
    stored = Organization.objects.get(pk=sco.pk)
    assert (stored.name, stored.version) == ("First editor's name", 2)
    assert stored.history.count() == 2

    # Reloaded, the form says version 2, and the save goes through as version 3.
    assert 'name="expected_version" value="2"' in editor_client.get(url).content.decode()
    third = editor_client.post(
        url, organization_data(sco, name="Second editor's name", expected_version="2")
    )
    assert third.status_code == 302
    stored = Organization.objects.get(pk=sco.pk)
    assert (stored.name, stored.version) == ("Second editor's name", 3)


def test_a_save_racing_past_the_form_check_is_refused_with_a_message(editor_client, monkeypatch):
    """The version changes between the form's clean() and the save: the conditional UPDATE
    refuses it, the editor is sent back with the message, nothing of the save is kept."""
    from orgs.admin import forms
    from tests.admin.forms import admin_url, organization_data

    # A draft: the Editor's save is written (and checked by the conditional UPDATE), not proposed.
    sco = make_organization("sco", name="Shanghai Five", acronym="SCO", is_published=False)
    url = admin_url("organization", "change", sco.pk)
    versions = iter([1, 1])  # clean() sees version 1, as the editor opened it ...
    real = forms.stored_version

    def racing(instance):
        seen = next(versions, None)
        if seen is not None:
            # ... and meanwhile someone else saves.
            Organization.objects.filter(pk=instance.pk).update(name="Theirs", version=2)
            return 1
        return real(instance)

    monkeypatch.setattr(forms, "stored_version", racing)
    response = editor_client.post(
        url, organization_data(sco, name="Mine", expected_version="1"), follow=True
    )
    assert response.redirect_chain[-1][0].endswith(url)
    messages = [str(message) for message in response.context["messages"]]
    assert any("changed by someone else" in message for message in messages)
    stored = Organization.objects.get(pk=sco.pk)
    assert (stored.name, stored.version) == ("Theirs", 2)
    assert stored.history.count() == 1


def test_every_admin_save_raises_the_version_and_new_records_start_at_one(editor_client):
    from tests.admin.forms import admin_url, country_data

    codes = {"name": "Kazakhstan", "iso2": "KZ", "iso3": "KAZ"}
    response = editor_client.post(admin_url("country", "add"), country_data(**codes))
    assert response.status_code == 302
    kazakhstan = Country.objects.get(iso2="KZ")
    assert kazakhstan.version == 1
    for expected in (1, 2):
        response = editor_client.post(
            admin_url("country", "change", kazakhstan.pk),
            country_data(**codes, notes=f"edit {expected}", expected_version=str(expected)),
        )
        assert response.status_code == 302
    kazakhstan.refresh_from_db()
    assert (kazakhstan.notes, kazakhstan.version) == ("edit 2", 3)


# --- the API: If-Match or a version in the body ---------------------------------------------


@pytest.fixture
def editor_api(db):
    return token_client(make_staff("Editor", "editor"))


@pytest.mark.django_db
def test_the_api_shows_the_version_and_every_write_raises_it(editor_api):
    source = make_source("Original title", is_published=False)  # an Editor's write applies
    url = f"/api/v1/sources/{source.pk}/"
    assert editor_api.get(url, {"drafts": "1"}).json()["version"] == 1
    response = editor_api.patch(url, {"title": "Edited"}, format="json")  # no version: proceeds
    assert response.status_code == 200, response.json()
    assert response.json()["version"] == 2
    # The version is read-only: a client cannot set it.
    response = editor_api.patch(url, {"title": "Again", "version": 2}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["version"] == 3
    assert Source.objects.get(pk=source.pk).version == 3


@pytest.mark.django_db
def test_two_api_patches_of_one_version_the_second_gets_409(editor_api):
    source = make_source("Original title", is_published=False)  # an Editor's write applies
    url = f"/api/v1/sources/{source.pk}/"
    first = editor_api.patch(url, {"title": "First", "version": 1}, format="json")
    assert first.status_code == 200, first.json()
    second = editor_api.patch(url, {"title": "Second", "version": 1}, format="json")
    assert second.status_code == 409
    assert second.json()["status"] == 409
    assert second.json()["detail"] == (
        "This record was changed by someone else since you read it (version 2 is current)."
    )
    stored = Source.objects.get(pk=source.pk)
    assert (stored.title, stored.version) == ("First", 2)
    assert stored.history.count() == 2


@pytest.mark.django_db
def test_a_stale_if_match_gets_412_and_a_current_one_waits_for_review(editor_api):
    """A published spell: the Editor's change is only proposed, but a stale one is still
    refused; the version goes up when a Reviewer applies the change."""
    spell = make_membership(make_organization("sco"), make_country(), "2024-07-04")
    url = f"/api/v1/memberships/{spell.pk}/"
    Membership.objects.filter(pk=spell.pk).update(version=5)
    stale = editor_api.patch(url, {"note": "stale"}, format="json", HTTP_IF_MATCH='"4"')
    assert stale.status_code == 412
    assert stale.json()["detail"].endswith("(version 5 is current).")
    assert Membership.objects.get(pk=spell.pk).note == ""
    assert not ChangeSet.objects.exists()

    current = editor_api.patch(url, {"note": "current"}, format="json", HTTP_IF_MATCH='"5"')
    assert current.status_code == 202, current.json()
    change_set = ChangeSet.objects.pending().get()
    assert current.json()["change_set"] == change_set.pk
    stored = Membership.objects.get(pk=spell.pk)
    assert (stored.note, stored.version) == ("", 5)

    reviewer = make_staff("Reviewer", "reviewer")
    review.change_set_approve(change_set=change_set, user=reviewer)
    stored = Membership.objects.get(pk=spell.pk)
    assert (stored.note, stored.version) == ("current", 6)


@pytest.mark.django_db
def test_a_put_with_a_stale_version_and_a_bad_if_match_are_refused(editor_api):
    make_organization("sco", acronym="SCO", is_published=False)  # an Editor's write applies
    url = "/api/v1/organizations/sco/"
    body = editor_api.get(url, {"drafts": "1"}).json()
    body = {k: v for k, v in body.items() if v is not None and k not in ("citations",)}
    editor_api.patch(url, {"description": "someone else"}, format="json")
    response = editor_api.put(url, {**body, "description": "mine"}, format="json")
    assert response.status_code == 409, response.json()
    assert Organization.objects.get(slug="sco").description == "someone else"

    bad = editor_api.patch(url, {"description": "x"}, format="json", HTTP_IF_MATCH='"abc"')
    assert bad.status_code == 400
    bad = editor_api.patch(url, {"description": "x", "version": "two"}, format="json")
    assert bad.status_code == 400
    assert Organization.objects.get(slug="sco").version == 2


@pytest.mark.django_db
def test_a_refused_write_does_not_raise_the_version(editor_api):
    source = make_source("Original title")
    url = f"/api/v1/sources/{source.pk}/"
    response = editor_api.patch(url, {"title": "", "version": 1}, format="json")
    assert response.status_code == 400
    assert Source.objects.get(pk=source.pk).version == 1
