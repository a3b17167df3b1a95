"""Publishing keeps the rules: no published claim without a published source, whatever path."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from orgs.models import Membership, Source
from orgs.services import records_publish, records_unpublish
from tests.makers import make_citation, make_country, make_membership, make_organization
from tests.services.test_review_paths import form_values

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewer():
    user = get_user_model().objects.create_user("reviewer", is_staff=True)
    user.groups.add(Group.objects.get(name="Reviewer"))
    return user


@pytest.fixture
def draft_spell_with_draft_source():
    spell = make_membership(
        make_organization("sco"), make_country(), "2024-07-04", cite=False, is_published=False
    )
    source = Source.objects.create(title="Draft source", is_published=False)
    make_citation(spell, source)
    return spell, source


def test_a_spell_citing_only_draft_sources_is_refused_naming_them(
    reviewer, draft_spell_with_draft_source
):
    spell, source = draft_spell_with_draft_source
    result = records_publish(user=reviewer, records=[spell])
    [refusal] = result.refused
    assert refusal.blocking == (source,)
    assert "drafts" in refusal.reason
    spell.refresh_from_db()
    assert not spell.is_published


def test_publish_with_its_sources_publishes_both(reviewer, draft_spell_with_draft_source):
    spell, source = draft_spell_with_draft_source
    result = records_publish(user=reviewer, records=[spell], with_sources=True)
    assert result.changed == [spell]
    source.refresh_from_db()
    assert source.is_published
    assert Membership.objects.get(pk=spell.pk).is_published


def test_unpublishing_a_source_that_published_claims_need_is_refused_with_them(reviewer):
    spell = make_membership(make_organization("sco"), make_country(), "2024-07-04")
    source = spell.citations.get().source
    result = records_unpublish(user=reviewer, records=[source])
    [refusal] = result.refused
    assert refusal.blocking == (spell,)
    source.refresh_from_db()
    assert source.is_published


def test_unpublishing_a_source_with_its_claims_unpublishes_them_too(reviewer):
    spell = make_membership(make_organization("sco"), make_country(), "2024-07-04")
    source = spell.citations.get().source
    result = records_unpublish(user=reviewer, records=[source], with_claims=True)
    assert set(result.changed) == {spell, source}
    spell.refresh_from_db()
    assert not spell.is_published


def test_the_published_box_cannot_publish_an_uncited_spell(client, reviewer):
    spell = make_membership(
        make_organization("sco"), make_country(), "2024-07-04", cite=False, is_published=False
    )
    client.force_login(reviewer)
    url = f"/admin/orgs/membership/{spell.pk}/change/"
    values = form_values(client, url)
    values["is_published"] = "on"

    response = client.post(url, values, follow=True)

    assert "it cites no source" in response.content.decode()
    spell.refresh_from_db()
    assert not spell.is_published


def test_the_published_box_publishes_a_cited_spell(client, reviewer):
    spell = make_membership(make_organization("sco"), make_country(), "2024-07-04")
    Membership.objects.filter(pk=spell.pk).update(is_published=False)
    client.force_login(reviewer)
    url = f"/admin/orgs/membership/{spell.pk}/change/"
    values = form_values(client, url)
    values["is_published"] = "on"

    client.post(url, values)

    spell.refresh_from_db()
    assert spell.is_published
