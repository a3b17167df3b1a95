"""``manage.py generate_atlas``: a large synthetic atlas, valid by construction (issue 7).

``generate_beside_the_seed`` adds a synthetic atlas to the seed, for the tests that pin query
counts on a small (0.005) and a 20× larger (0.1) data set.
"""

import io
import random
from collections import defaultdict

import pycountry
import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from orgs.management.commands.generate_atlas import plan
from orgs.models import (
    Application,
    Citation,
    Country,
    Membership,
    Organization,
    Person,
    Quote,
    Source,
    spells_overlap,
)
from tests.makers import make_organization

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

MODELS = {
    "organizations": Organization,
    "people": Person,
    "sources": Source,
    "memberships": Membership,
    "applications": Application,
    "quotes": Quote,
}


def generate_beside_the_seed(scale: float):
    """A synthetic atlas at ``scale`` added to the seed (sco, brics, eaeu, by…) already loaded."""
    call_command(
        "generate_atlas",
        scale=scale,
        seed=1,
        force=True,
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )


def generate(scale=0.01, **options):
    call_command(
        "generate_atlas", scale=scale, stdout=io.StringIO(), stderr=io.StringIO(), **options
    )


def first_rows():
    """What a run wrote, by natural keys (ids differ between runs on PostgreSQL)."""
    spells = Membership.objects.order_by("pk").select_related(
        "organization", "member_country", "member_organization"
    )[:30]
    quotes = Quote.objects.order_by("pk").prefetch_related("about_organizations")[:10]
    return {
        "organizations": list(
            Organization.objects.order_by("slug").values_list(
                "slug", "name", "other_names", "founded_on", "parent__slug", "is_published"
            )
        ),
        "spells": [
            (
                spell.organization.slug,
                str(spell.member),
                spell.status,
                spell.start_partial,
                spell.end_partial,
                spell.is_published,
            )
            for spell in spells
        ],
        "quotes": [
            (quote.text, quote.said_on, sorted(o.slug for o in quote.about_organizations.all()))
            for quote in quotes
        ],
        "sources": list(Source.objects.order_by("key").values_list("key", "title")[:10]),
    }


def run_and_roll_back(seed):
    with transaction.atomic():
        generate(seed=seed)
        rows = first_rows()
        transaction.set_rollback(True)
    return rows


@pytest.mark.parametrize("scale", [0.01, 0.02])
def test_it_makes_rows_in_proportion_to_the_scale(scale):
    generate(scale)

    expected = plan(scale)
    assert {name: model.objects.count() for name, model in MODELS.items()} == expected
    assert expected == {
        "organizations": round(600 * scale),
        "people": round(2_000 * scale),
        "sources": round(20_000 * scale),
        "memberships": round(60_000 * scale),
        "applications": round(10_000 * scale),
        "quotes": round(30_000 * scale),
    }
    assert Country.objects.count() == len(pycountry.countries)
    # A small deterministic share of drafts; the rest is published.
    drafts = Membership.objects.filter(is_published=False).count()
    assert 0 < drafts < expected["memberships"] * 0.05


def test_every_claim_has_a_citation():
    generate()

    for model in (Organization, Membership, Application, Quote):
        cited = Citation.objects.filter(
            content_type=ContentType.objects.get_for_model(model)
        ).values("object_id")
        assert not model.objects.exclude(pk__in=cited).exists(), model.__name__


def test_spells_never_overlap_and_every_record_is_valid():
    generate()

    chains = defaultdict(list)
    for spell in Membership.objects.values_list(
        "organization_id", "member_country_id", "member_organization_id", "start", "end"
    ):
        chains[spell[:3]].append(spell[3:])
    overlaps = [
        (key, first, second)
        for key, spells in chains.items()
        for first, second in zip(sorted(spells), sorted(spells)[1:], strict=False)
        if spells_overlap(*first, *second)
    ]
    assert overlaps == []
    assert any(len(spells) > 1 for spells in chains.values()), "status changes are new spells"
    assert Membership.objects.filter(member_organization__isnull=False).exists()
    assert Organization.objects.filter(parent__isnull=False).exists()
    assert Organization.objects.exclude(other_names="").exists()
    assert set(Membership.objects.values_list("start_precision", flat=True)) == {
        "day",
        "month",
        "year",
        "by",
    }

    # Foreign keys (deferred on both databases) and every model's own clean(), on a sample.
    connection.check_constraints()
    rng = random.Random(0)
    for model in (Organization, Membership, Application, Quote, Source, Person):
        ids = list(model.objects.values_list("pk", flat=True))
        for record in model.objects.filter(pk__in=rng.sample(ids, min(40, len(ids)))):
            record.full_clean()
            if model is Membership:
                assert not record.overlapping_spells().exists()


def test_the_same_seed_makes_the_same_rows():
    first = run_and_roll_back(seed=7)
    again = run_and_roll_back(seed=7)
    other = run_and_roll_back(seed=8)

    assert first == again
    assert first["spells"]
    assert first["quotes"]
    assert other["spells"] != first["spells"]


def test_it_refuses_a_database_with_curated_data():
    make_organization("sco", "Shanghai Cooperation Organisation")

    with pytest.raises(CommandError, match=r"curated data.*--force"):
        generate()
    assert not Membership.objects.exists()

    generate(force=True)
    assert Membership.objects.count() == plan(0.01)["memberships"]


def test_it_refuses_to_generate_twice():
    generate()

    with pytest.raises(CommandError, match="already holds a generated atlas"):
        generate(force=True)


def test_the_seed_and_a_generated_atlas_load_together(seed):
    generate_beside_the_seed(0.005)

    assert Organization.objects.filter(slug__in=["sco", "brics", "eaeu"]).count() == 3
    assert Country.objects.get(iso2="BY").memberships.exists()
    largest = Organization.objects.get(slug="org-00001")
    assert (
        largest.memberships.count()
        >= Membership.objects.filter(organization__slug="org-00003").count()
    )
