"""The admin's URLs and what its change forms post, for tests that drive the admin."""

from django.urls import reverse

from orgs.models import Status

# The prefix of the citations inline (a generic relation) on every cited record's form.
CITATIONS = "orgs-citation-content_type-object_id"


def management_form(prefix, total=0, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def membership_data(organization, member_country=None, **fields):
    data = {
        "organization": organization.pk,
        "member_country": member_country.pk if member_country else "",
        "member_organization": "",
        "status": Status.MEMBER,
        "qualifier": "",
        "start": "2024-07-04",
        "end": "",
        "rank": "normal",
        "rank_reason": "",
        "note": "",
        "dispute_note": "",
        **management_form(CITATIONS),
    }
    data.update(fields)
    return data


def organization_data(organization, spells=(), **fields):
    """The Organization change form, with ``spells`` as new rows of the member-spell inline."""
    data = {
        "name": organization.name,
        "acronym": organization.acronym,
        "slug": organization.slug,
        "other_names": organization.other_names,
        "kind": organization.kind,
        "lifecycle": organization.lifecycle,
        "parent": "",
        "proposed_by": "",
        "proposed_on": "",
        "founded_on": "",
        "dissolved_on": "",
        "headquarters": "",
        "website": "",
        "description": "",
        "dispute_note": "",
        **management_form("memberships", total=len(spells)),
        **management_form("formats"),
        **management_form(CITATIONS),
    }
    for index, spell in enumerate(spells):
        row = {
            "id": "",
            "organization": organization.pk,
            "member_country": "",
            "member_organization": "",
            "qualifier": "",
            "end": "",
            "rank": "normal",
            "rank_reason": "",
            "confidence": "high",  # as the form shows it: empty would be a change
            "source": "",
            "excerpt": "",
            "locator": "",
            **spell,
        }
        data.update({f"memberships-{index}-{name}": value for name, value in row.items()})
    data.update(fields)
    return data


def country_data(**fields):
    data = {
        "name": "Atlantis",
        "official_name": "",
        "other_names": "",
        "iso2": "XX",
        "iso3": "XXX",
        "region": "",
        "notes": "",
        "dispute_note": "",
        **management_form("memberships"),
        **management_form(CITATIONS),
    }
    data.update(fields)
    return data


def admin_url(model, view="changelist", *args):
    return reverse(f"admin:orgs_{model}_{view}", args=args)
