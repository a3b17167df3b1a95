"""The list of publishable models comes from the models, and drafts are shown in one place."""

import importlib

import pytest

from orgs.models import (
    AgreementStage,
    Application,
    Membership,
    Organization,
    Quote,
    citation_required_models,
    publishable_models,
)
from tests.makers import make_organization


def test_every_publishable_model_got_its_publish_permission_from_the_migration():
    migration = importlib.import_module("orgs.migrations.0005_editorial_groups")
    names = {model._meta.model_name for model in publishable_models()}
    assert names == set(migration.CLAIM_MODELS)


def test_the_models_that_need_a_citation_before_publishing():
    assert set(citation_required_models()) == {Membership, Application, Quote, AgreementStage}


@pytest.mark.django_db
def test_visible_shows_drafts_only_when_previewing():
    published = make_organization(name="Published")
    draft = Organization.objects.create(name="Draft", slug="draft")
    assert list(Organization.objects.visible()) == [published]
    assert set(Organization.objects.visible(preview=True)) == {published, draft}
