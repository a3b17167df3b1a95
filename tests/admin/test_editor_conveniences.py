"""Small things that add up for editors (issue 15): deleting their own mistaken drafts, readable
names of spells, the editor's guide, and create_editor printing the address it is given."""

from io import StringIO

from django.core.management import call_command

from orgs.models import Membership, Status
from tests.admin.forms import admin_url, membership_data
from tests.makers import make_country, make_membership, make_organization

SCO = {"slug": "sco", "name": "Shanghai Cooperation Organisation", "acronym": "SCO"}


def add_spell(client, organization, country):
    data = membership_data(organization, country, change_reason="typed by mistake")
    response = client.post(admin_url("membership", "add"), data)
    assert response.status_code == 302
    return Membership.objects.get()


def test_an_editor_deletes_a_draft_they_made(editor_client):
    sco, belarus = make_organization(**SCO), make_country()
    spell = add_spell(editor_client, sco, belarus)

    page = editor_client.get(admin_url("membership", "delete", spell.pk))
    response = editor_client.post(
        admin_url("membership", "delete", spell.pk), {"post": "yes", "change_reason": "mistake"}
    )

    assert page.status_code == 200
    assert response.status_code == 302
    assert not Membership.objects.exists()


def test_an_editor_cannot_delete_someone_elses_draft_or_a_published_record(editor_client):
    sco, belarus = make_organization(**SCO), make_country()
    theirs = make_membership(sco, belarus, "2015", "2016", cite=False, is_published=False)
    published = make_membership(sco, belarus, "2024")

    for spell in [theirs, published]:
        response = editor_client.get(admin_url("membership", "delete", spell.pk))
        assert response.status_code == 403


def test_a_suspended_spell_reads_suspended_in(db):
    csto = make_organization("csto", "Collective Security Treaty Organization", acronym="CSTO")
    armenia = make_country("AM", "ARM", "Armenia")
    spell = make_membership(csto, armenia, "2024-02", status=Status.SUSPENDED, cite=False)

    assert str(spell) == "Armenia — suspended in CSTO (since February 2024)"


def test_every_change_form_links_to_the_editors_guide(editor_client):
    page = editor_client.get(admin_url("membership", "add")).content.decode()
    guide = editor_client.get("/admin/guide/")

    assert 'href="/admin/guide/"' in page
    assert guide.status_code == 200
    assert "&lt;=" in guide.content.decode()  # "on or before" typed without the ≤ sign


def test_create_editor_prints_the_address_it_is_given(db):
    out = StringIO()
    call_command("create_editor", username="nina", url="https://atlas.example/admin/", stdout=out)
    assert "Log in at https://atlas.example/admin/" in out.getvalue()
