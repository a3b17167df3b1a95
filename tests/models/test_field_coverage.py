"""Every editable field of every model is in the admin form, writable in the API and a column of
the import where the model has one, or is left out on purpose with the reason written below.

A field list written three times drifts: ``Organization.proposed_by_country`` could be edited
neither in the admin nor through the API. A field added to a model without a decision about
these three places fails here.
"""

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets

from orgs.api.serializers import (
    AgreementPartySerializer,
    AgreementSerializer,
    AgreementStageSerializer,
    ApplicationSerializer,
    CitationSerializer,
    CountrySerializer,
    EventParticipantSerializer,
    EventSerializer,
    MembershipSerializer,
    OrganizationSerializer,
    PersonSerializer,
    ProposalSerializer,
    QuoteSerializer,
    SourceSerializer,
)
from orgs.models import (
    Agreement,
    AgreementParty,
    AgreementStage,
    Application,
    ChangeSet,
    Citation,
    Country,
    Event,
    EventParticipant,
    ImportJob,
    MemberCount,
    Membership,
    Organization,
    Person,
    Proposal,
    ProposedChange,
    Quote,
    Source,
)
from tests.admin.forms import admin_url, organization_data
from tests.makers import make_country, make_organization

# Models that hold no atlas data of their own, and why.
NOT_CURATED = {
    ChangeSet: "the review queue's record of an editor's save, written by the review service",
    ProposedChange: "one record's proposed values in a change set, written by the review service",
    ImportJob: "a background import's file and progress, written by the import and its worker",
    MemberCount: "today's members by status, counted from the spells by the member counts service",
}

SERIALIZERS = {
    Agreement: AgreementSerializer,
    AgreementParty: AgreementPartySerializer,
    AgreementStage: AgreementStageSerializer,
    Application: ApplicationSerializer,
    Citation: CitationSerializer,
    Country: CountrySerializer,
    Event: EventSerializer,
    EventParticipant: EventParticipantSerializer,
    Membership: MembershipSerializer,
    Organization: OrganizationSerializer,
    Person: PersonSerializer,
    Proposal: ProposalSerializer,
    Quote: QuoteSerializer,
    Source: SourceSerializer,
}

# The import resources, as the admin offers them; the other models are curated one by one.
RESOURCES = {
    resource._meta.model: resource
    for model_admin in admin.site._registry.values()
    for resource in getattr(model_admin, "resource_classes", [])
}

PUBLISHED_BY_REVIEWERS = "published only through the publishing service, by a reviewer"

# (model, field) -> why it is not there. One table per place, each reason one line.
LEFT_OUT_OF_ADMIN: dict[tuple[type, str], str] = {}

LEFT_OUT_OF_API: dict[tuple[type, str], str] = {
    (model, "is_published"): PUBLISHED_BY_REVIEWERS
    for model in [
        Agreement,
        AgreementStage,
        Application,
        Country,
        Event,
        Membership,
        Organization,
        Person,
        Proposal,
        Quote,
        Source,
    ]
}

LEFT_OUT_OF_IMPORT: dict[tuple[type, str], str] = {
    (Membership, "is_published"): "imported spells are drafts; " + PUBLISHED_BY_REVIEWERS,
    (
        Membership,
        "continues",
    ): "a reclassification links the spells it ends and opens; a file row stands alone",
    (Membership, "member_country"): "one member column (alpha-2 code or slug) with member_kind",
    (
        Membership,
        "member_organization",
    ): "one member column (alpha-2 code or slug) with member_kind",
    (Source, "is_published"): "imported sources are drafts; " + PUBLISHED_BY_REVIEWERS,
    (
        Source,
        "is_disputed",
    ): "the file carries bibliographic data; a dispute is marked in the admin",
    (
        Source,
        "dispute_note",
    ): "the file carries bibliographic data; a dispute is marked in the admin",
    (Citation, "content_type"): "a row names its spell by natural key, not by type and id",
    (Citation, "object_id"): "a row names its spell by natural key, not by type and id",
}


def atlas_models():
    """Every model of the app but those above and the history tables simple-history adds."""
    return [
        model
        for model in apps.get_app_config("orgs").get_models()
        if model not in NOT_CURATED and not model._meta.model_name.startswith("historical")
    ]


def editable_fields(model) -> list[str]:
    """Names an editor or client can write. A partial date's ``*_precision`` column is written
    with its date (one text box, one cell, one API value), so it is checked as the date."""
    fields = [*model._meta.concrete_fields, *model._meta.many_to_many]
    names = [field.name for field in fields if field.editable and not field.auto_created]
    return [
        name
        for name in names
        if not (name.endswith("_precision") and name.removesuffix("_precision") in names)
    ]


def admin_fields(model, request) -> set[str]:
    """Fields of the model's admin form; for a model edited only in an inline (agreement
    parties, event participants), the inline's fields and the key to the record it is in."""
    model_admin = admin.site._registry.get(model)
    if model_admin is not None:
        form = model_admin.get_form(request)
        fieldsets = model_admin.get_fieldsets(request)
        return {*form.base_fields, *flatten_fieldsets(fieldsets)}
    names = set()
    for parent_admin in admin.site._registry.values():
        for inline in parent_admin.get_inline_instances(request):
            if inline.model is model:
                formset = inline.get_formset(request)
                names |= {*formset.form.base_fields, formset.fk.name}
    return names


def api_fields(model) -> set[str]:
    """Model fields the model's serializer writes, by name or by ``source``."""
    names = set()
    for name, field in SERIALIZERS[model]().fields.items():
        if field.read_only:
            continue
        source = field.source.split(".")[0].removesuffix("_partial")
        names |= {name, source}
    return names


def import_fields(model) -> set[str]:
    """Model fields the model's import resource reads, by column or by attribute."""
    names = set()
    for name, field in RESOURCES[model]().fields.items():
        if field.readonly:
            continue
        attribute = (field.attribute or "").split("__")[0].removesuffix("_partial")
        names |= {name, attribute}
    return names


def missing(model, covered: set[str], left_out: dict[tuple[type, str], str]) -> list[str]:
    return [
        name
        for name in editable_fields(model)
        if name not in covered and (model, name) not in left_out
    ]


@pytest.fixture
def superuser_request(rf, admin_user):
    request = rf.get("/admin/")
    request.user = admin_user
    return request


def test_every_model_has_a_serializer_in_this_test():
    unmapped = [model.__name__ for model in atlas_models() if model not in SERIALIZERS]

    assert unmapped == [], "add the model's API serializer to SERIALIZERS"


@pytest.mark.parametrize("model", atlas_models(), ids=lambda model: model.__name__)
def test_every_editable_field_is_in_the_admin_form(model, superuser_request):
    assert missing(model, admin_fields(model, superuser_request), LEFT_OUT_OF_ADMIN) == []


@pytest.mark.parametrize("model", atlas_models(), ids=lambda model: model.__name__)
def test_every_editable_field_is_writable_in_the_api(model):
    assert missing(model, api_fields(model), LEFT_OUT_OF_API) == []


@pytest.mark.parametrize("model", list(RESOURCES), ids=lambda model: model.__name__)
def test_every_editable_field_is_a_column_of_the_import(model):
    assert missing(model, import_fields(model), LEFT_OUT_OF_IMPORT) == []


@pytest.mark.parametrize(
    ("table", "place"),
    [(LEFT_OUT_OF_ADMIN, "admin"), (LEFT_OUT_OF_API, "api"), (LEFT_OUT_OF_IMPORT, "import")],
)
def test_every_omission_names_an_editable_field_and_says_why(table, place):
    """An omission outlives its field: a renamed or removed field must leave the table too."""
    for (model, name), reason in table.items():
        assert name in editable_fields(model), f"{place}: {model.__name__}.{name} is not a field"
        assert reason.strip(), f"{place}: say why {model.__name__}.{name} is left out"


def test_an_editor_credits_a_country_with_proposing_an_organization(editor_client):
    """The field this test was written for: it could not be edited in the admin. A draft, so
    the Editor's save applies at once."""
    kazakhstan = make_country("KZ", "KAZ", "Kazakhstan")
    cis_plus = make_organization("cis-plus", "CIS Plus", is_published=False)

    response = editor_client.post(
        admin_url("organization", "change", cis_plus.pk),
        organization_data(cis_plus, proposed_by_country=kazakhstan.pk),
    )

    assert response.status_code == 302
    cis_plus.refresh_from_db()
    assert cis_plus.proposed_by_country == kazakhstan
