"""Nothing reaches the public unreviewed: every path by which an Editor changes a published
record leaves the public pages, API (JSON and CSV), overlap, search and the Atom feed as they
were, until a Reviewer approves; then they show the change at once (the page cache included).
A rejection changes nothing public.

The record is Belarus's SCO member spell from the seed (since 4 July 2024, four citations).
"""

import re
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from orgs.models import Agreement, ChangeSet, Membership, Organization, Source
from orgs.services import review
from tests.makers import make_staff

BELARUS_SCO_MEMBER = 10

PUBLIC_URLS = [
    "/organizations/sco/",
    "/countries/by/",
    f"/api/v1/memberships/{BELARUS_SCO_MEMBER}/",
    "/api/v1/memberships/?organization=sco&format=csv",
    "/api/v1/overlap/?organizations=sco,brics",
    "/search/?q=Belarus",
    # The spells below end in November 2026, later than any change in the seed, so the end is
    # among the latest changes the feed and the changes page list.
    "/changes/?since=2026-11-01&until=2026-11-30",
    "/changes.atom",
]


def public_view() -> dict[str, str]:
    anonymous = Client()
    view = {}
    for url in PUBLIC_URLS:
        response = anonymous.get(url)
        assert response.status_code == 200, url
        view[url] = re.sub(r'nonce="[^"]*"', "", response.content.decode())
    return view


class FormValues(HTMLParser):
    """The values a browser would submit from the page's main form."""

    def __init__(self):
        super().__init__()
        self.values: dict[str, str] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button", "file"):
            if attrs.get("type") == "checkbox":
                if "checked" in attrs:
                    self.values[name] = attrs.get("value", "on")
            else:
                self.values[name] = attrs.get("value", "")
        elif tag == "select" and name:
            self._select = name
            self.values.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in attrs:
            self.values[self._select] = attrs.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.values[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] += data


def form_values(client, url) -> dict[str, str]:
    parser = FormValues()
    parser.feed(client.get(url).content.decode())
    return parser.values


@pytest.fixture
def editor(seed):
    return make_staff("Editor", "editor-paths")


@pytest.fixture
def reviewer(seed):
    return make_staff("Reviewer", "reviewer-paths")


@pytest.fixture
def editor_web(editor):
    client = Client()
    client.force_login(editor)
    return client


@pytest.fixture
def editor_api(editor):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=editor).key}")
    return client


# --- the write paths ------------------------------------------------------------------------


def end_from_the_spell_form(editor_web, editor, reviewer):
    url = f"/admin/orgs/membership/{BELARUS_SCO_MEMBER}/change/"
    values = form_values(editor_web, url)
    values.update({"end": "2026-11", "change_reason": "left, per the source"})
    response = editor_web.post(url, values, follow=True)
    assert "wait for a Reviewer" in response.content.decode()


def end_and_citation_from_the_organization_page(editor_web, editor, reviewer):
    sco = Organization.objects.get(slug="sco")
    url = f"/admin/orgs/organization/{sco.pk}/change/"
    values = form_values(editor_web, url)
    [prefix] = [
        name.removesuffix("-id")
        for name, value in values.items()
        if name.endswith("-id") and value == str(BELARUS_SCO_MEMBER) and "membership" in name
    ]
    source = Source.objects.filter(is_published=True).exclude(
        citations__object_id=BELARUS_SCO_MEMBER
    )[0]
    values.update(
        {
            f"{prefix}-end": "2026-11",
            f"{prefix}-source": str(source.pk),
            f"{prefix}-excerpt": "Belarus left in November 2026.",
        }
    )
    response = editor_web.post(url, values, follow=True)
    assert "wait for a Reviewer" in response.content.decode()


def end_through_the_api(editor_api, editor, reviewer):
    response = editor_api.patch(
        f"/api/v1/memberships/{BELARUS_SCO_MEMBER}/", {"end": "2026-11"}, format="json"
    )
    assert response.status_code == 202, response.content
    assert response.json()["url"].endswith(f"/api/v1/reviews/{response.json()['change_set']}/")


def citation_deleted_through_the_api(editor_api, editor, reviewer):
    citation = Membership.objects.get(pk=BELARUS_SCO_MEMBER).citations.first()
    response = editor_api.delete(f"/api/v1/citations/{citation.pk}/")
    assert response.status_code == 202, response.content


def end_by_import(editor_web, editor, reviewer):
    content = (
        "organization,member,member_kind,status,qualifier,start,end,note\n"
        "sco,BY,country,member,,2024-07-04,2026-11,\n"
    )
    preview = editor_web.post(
        "/admin/orgs/membership/import/",
        {"import_file": SimpleUploadedFile("end.csv", content.encode()), "format": "0"},
    )
    assert preview.status_code == 200
    form = preview.context["confirm_form"]
    done = editor_web.post("/admin/orgs/membership/process_import/", form.initial, follow=True)
    assert "wait for a Reviewer" in done.content.decode()


def revert_in_history(editor_web, editor, reviewer):
    # A Reviewer checked the spell, then ended it (both public at once); the Editor reverts
    # to the checked version, in which Belarus is still a member.
    reviewer_web = Client()
    reviewer_web.force_login(reviewer)
    url = f"/admin/orgs/membership/{BELARUS_SCO_MEMBER}/change/"
    for change in [{"change_reason": "checked"}, {"end": "2026-11", "change_reason": "ended"}]:
        values = form_values(reviewer_web, url)
        values.update(change)
        assert reviewer_web.post(url, values).status_code == 302
    spell = Membership.objects.get(pk=BELARUS_SCO_MEMBER)
    assert spell.end_partial.iso == "2026-11"
    checked = spell.history.get(history_change_reason="checked")

    revert_url = f"/admin/orgs/membership/{BELARUS_SCO_MEMBER}/history/{checked.history_id}/"
    before_revert = public_view()
    values = form_values(editor_web, revert_url)
    response = editor_web.post(revert_url, values, follow=True)
    assert "wait for a Reviewer" in response.content.decode()
    assert public_view() == before_revert


WRITE_PATHS = [
    end_from_the_spell_form,
    end_and_citation_from_the_organization_page,
    end_through_the_api,
    citation_deleted_through_the_api,
    end_by_import,
    revert_in_history,
]


def client_for(path, editor_web, editor_api):
    return editor_api if "api" in path.__name__ else editor_web


@pytest.mark.parametrize("write", WRITE_PATHS, ids=lambda write: write.__name__)
def test_the_public_sees_an_editors_change_only_after_approval(
    write, editor, reviewer, editor_web, editor_api
):
    write_client = client_for(write, editor_web, editor_api)
    before = public_view()
    write(write_client, editor, reviewer)

    change_set = ChangeSet.objects.get(author=editor)
    assert change_set.state == ChangeSet.State.PENDING
    if write is not revert_in_history:  # it checks after the Reviewer's own, public, edits
        assert public_view() == before

    pending = public_view()
    review.change_set_approve(change_set=change_set, user=reviewer, reason="checked")
    approved = public_view()

    assert approved["/organizations/sco/"] != pending["/organizations/sco/"]
    detail = f"/api/v1/memberships/{BELARUS_SCO_MEMBER}/"
    assert approved[detail] != pending[detail]
    if write is not citation_deleted_through_the_api:  # a citation is no event of its own
        for changes in ["/changes/?since=2026-11-01&until=2026-11-30", "/changes.atom"]:
            assert approved[changes] != pending[changes], changes


@pytest.mark.parametrize(
    "write",
    [end_from_the_spell_form, end_through_the_api, end_by_import],
    ids=lambda write: write.__name__,
)
def test_a_rejected_change_leaves_the_public_view_as_it_was(
    write, editor, reviewer, editor_web, editor_api
):
    before = public_view()
    write(client_for(write, editor_web, editor_api), editor, reviewer)
    change_set = ChangeSet.objects.get(author=editor)

    review.change_set_reject(change_set=change_set, user=reviewer, reason="no source says so")

    assert public_view() == before
    assert Membership.objects.get(pk=BELARUS_SCO_MEMBER).end is None


def test_after_approval_the_pages_show_the_new_end_date(editor, reviewer, editor_api):
    end_through_the_api(editor_api, editor, reviewer)
    review.change_set_approve(change_set=ChangeSet.objects.get(), user=reviewer)
    body = APIClient().get(f"/api/v1/memberships/{BELARUS_SCO_MEMBER}/").json()
    assert body["end"]["display"] == "November 2026"


def test_an_editor_adding_a_party_to_a_published_agreement_waits_for_review(
    editor_api, editor, reviewer
):
    agreement = Agreement.objects.filter(is_published=True).first()
    parties_before = set(agreement.parties.values_list("pk", flat=True))
    response = editor_api.post(
        "/api/v1/agreement-parties/",
        {"agreement": agreement.slug, "country": "by"},
        format="json",
    )
    assert response.status_code == 202, response.content
    assert set(agreement.parties.values_list("pk", flat=True)) == parties_before

    review.change_set_approve(change_set=ChangeSet.objects.get(), user=reviewer)
    assert agreement.parties.filter(country__iso2="BY").exists()


def test_a_staff_preview_shows_pending_values_with_the_banner(editor, editor_web, editor_api):
    end_through_the_api(editor_api, editor, None)
    change_set = ChangeSet.objects.get()

    preview = editor_web.get("/countries/by/?drafts=1").content.decode()
    assert "waiting for" in preview
    assert f"#{change_set.pk}</a>" in preview
    assert "4 July 2024 – November 2026" in preview

    public = Client().get("/countries/by/").content.decode()
    assert "4 July 2024 – November 2026" not in public
    assert "waiting for" not in public
    assert Membership.objects.get(pk=BELARUS_SCO_MEMBER).end is None


def test_moving_a_citation_off_a_published_spell_waits_for_review(editor_api, editor):
    spell = Membership.objects.get(pk=BELARUS_SCO_MEMBER)
    citation = spell.citations.first()
    draft = Membership.objects.create(
        organization=spell.organization,
        member_organization=Organization.objects.get(slug="brics"),
        status="observer",
        start=spell.start,
        is_published=False,
    )
    response = editor_api.patch(
        f"/api/v1/citations/{citation.pk}/",
        {"claim_type": "membership", "claim_id": draft.pk},
        format="json",
    )
    assert response.status_code == 202, response.content
    citation.refresh_from_db()
    assert citation.object_id == BELARUS_SCO_MEMBER


def test_a_reviewers_published_box_in_a_spell_row_goes_through_the_service(reviewer, seed):
    sco = Organization.objects.get(slug="sco")
    uncited = Membership.objects.create(
        organization=sco,
        member_organization=Organization.objects.get(slug="brics"),
        status="observer",
        start=Membership.objects.get(pk=BELARUS_SCO_MEMBER).start,
        is_published=False,
    )
    client = Client()
    client.force_login(reviewer)
    url = f"/admin/orgs/organization/{sco.pk}/change/"
    values = form_values(client, url)
    [prefix] = [
        name.removesuffix("-id")
        for name, value in values.items()
        if name.endswith("-id") and value == str(uncited.pk) and "membership" in name
    ]
    values[f"{prefix}-is_published"] = "on"

    response = client.post(url, values, follow=True)

    assert "it cites no source" in response.content.decode()
    uncited.refresh_from_db()
    assert not uncited.is_published
