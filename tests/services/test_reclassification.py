"""An organization merging its categories of status is one cited, reviewed reclassification,
not its members leaving and joining (issue 14: the SCO's Tianjin merger)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from orgs import selectors
from orgs.models import ChangeSet, Citation, Membership
from orgs.services import review
from orgs.services.reclassification import statuses_reclassify
from tests.makers import make_country, make_membership, make_organization, make_source, make_staff

pytestmark = pytest.mark.django_db

TIANJIN = datetime.date(2025, 9, 1)


@pytest.fixture
def sco():
    sco = make_organization("sco", "Shanghai Cooperation Organisation", acronym="SCO")
    make_membership(sco, make_country("MN", "MNG", "Mongolia"), "2004-06-17", status="observer")
    make_membership(sco, make_country("TR", "TUR", "Turkey"), "2013", status="dialogue_partner")
    make_membership(sco, make_country("IN", "IND", "India"), "2017-06-09", status="member")
    return sco


def reclassify(user, sco, source):
    return statuses_reclassify(
        user=user,
        organization=sco,
        statuses=["observer", "dialogue_partner"],
        new_status="partner",
        on=TIANJIN,
        source=source,
        excerpt="merge the statuses into a single status of SCO Partner",
    )


def assert_reclassified(sco, source):
    partners = Membership.objects.filter(organization=sco, status="partner").order_by("pk")
    assert [spell.member.name for spell in partners] == ["Mongolia", "Turkey"]
    for spell in partners:
        assert spell.is_published
        assert spell.start == TIANJIN
        assert spell.end is None
        assert spell.continues.end == TIANJIN
        assert Citation.objects.filter(object_id=spell.pk, source=source).exists()
    members = selectors.organization_members_as_of(sco, TIANJIN)
    assert [group.status for group in members] == ["member", "partner"]
    changes = selectors.changes_between(TIANJIN, TIANJIN)
    assert {change.kind for change in changes} == {"reclassified"}
    assert "Mongolia: observer became partner when the SCO reclassified its statuses" in {
        change.sentence for change in changes
    }


def test_a_reviewers_reclassification_applies_at_once(sco):
    source = make_source("Tianjin Declaration")

    result = reclassify(make_staff("Reviewer", "reviewer"), sco, source)

    assert not result.proposed
    assert len(result.opened) == 2
    assert_reclassified(sco, source)


def test_an_editors_reclassification_is_one_change_set_applied_whole(sco):
    source = make_source("Tianjin Declaration")

    result = reclassify(make_staff("Editor", "editor"), sco, source)

    assert result.proposed
    assert ChangeSet.objects.pending().count() == 1
    assert not Membership.objects.filter(status="partner").exists()  # nothing public yet
    review.change_set_approve(change_set=result.change_set, user=make_staff("Reviewer", "r"))
    assert_reclassified(sco, source)


def test_nothing_to_reclassify_is_refused(sco):
    with pytest.raises(ValidationError, match="No spell of"):
        statuses_reclassify(
            user=make_staff("Reviewer", "reviewer"),
            organization=sco,
            statuses=["suspended"],
            new_status="partner",
            on=TIANJIN,
            source=make_source(),
        )


def test_the_admin_page_reclassifies_through_the_service(client, sco):
    client.force_login(make_staff("Reviewer", "reviewer"))
    source = make_source("Tianjin Declaration")
    url = f"/admin/orgs/organization/{sco.pk}/reclassify/"

    assert (
        "Reclassify statuses"
        in client.get(f"/admin/orgs/organization/{sco.pk}/change/").content.decode()
    )
    response = client.post(
        url,
        {
            "statuses": ["observer", "dialogue_partner"],
            "new_status": "partner",
            "on": "2025-09-01",
            "source": source.pk,
            "excerpt": "merge the statuses into a single status of SCO Partner",
        },
    )

    assert response.status_code == 302
    assert_reclassified(sco, source)
