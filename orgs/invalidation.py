"""Which cached pages a change makes stale, and which versions a page depends on.

The two halves of one rule, kept side by side so they can be read against each other
(the versions themselves are ``eurasia.cache``):

- *What a change touches*: a spell (``Membership``) is shown on its organization's page, its
  member's page (a country's, or an organization taking part as such) and the atlas-wide
  pages; a citation of a spell, wherever the spell is. Every other change (an organization
  renamed, a source, an agreement) is not worked out narrowly and reaches every cached page.
- *What a page shows*: an organization's page and its chart downloads, a country's page and
  its downloads, the API's spells of one organization and the overlap of some organizations.
  Any other address depends on every change.

A page listed here must show nothing about spells of other organizations or countries than
the ones it names; tests/eurasia/test_page_cache.py checks the organization and country pages.
"""

from __future__ import annotations

from collections.abc import Callable

from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.urls import Resolver404, resolve

from eurasia.cache import ALL, ANY, invalidation_is_suppressed, raise_versions

# --- what a change touches ---------------------------------------------------------------------


def organization_tag(slug: str) -> str:
    return f"org:{slug.lower()}"


def country_tag(iso2: str) -> str:
    return f"country:{iso2.lower()}"


def spell_tags(spell_ids) -> set[str]:
    """The versions of the pages that show these spells, as they are stored now."""
    from orgs.models import Membership

    rows = Membership.objects.filter(pk__in=spell_ids).values_list(
        "organization__slug", "member_country__iso2", "member_organization__slug"
    )
    tags = set()
    for organization, country, member_organization in rows:
        tags.add(organization_tag(organization))
        if country:
            tags.add(country_tag(country))
        if member_organization:
            tags.add(organization_tag(member_organization))
    return tags


def _spell_saving(sender, instance, **kwargs):
    if invalidation_is_suppressed():
        return  # nothing would be raised: spare the query that finds the pages
    # A spell moved to another organization or member leaves its old pages stale too.
    instance._shown_before = spell_tags([instance.pk]) if instance.pk else set()


def _spell_saved(sender, instance, **kwargs):
    if invalidation_is_suppressed():
        return
    raise_versions(getattr(instance, "_shown_before", set()) | spell_tags([instance.pk]))


def _spell_deleted(sender, instance, **kwargs):
    raise_versions(getattr(instance, "_shown_before", set()))


def _citation_changed(sender, instance, **kwargs):
    if invalidation_is_suppressed():
        return
    from django.contrib.contenttypes.models import ContentType

    from orgs.models import Membership

    if ContentType.objects.get_for_id(instance.content_type_id).model_class() is Membership:
        raise_versions(spell_tags([instance.object_id]))
    else:
        raise_versions({ALL})


def _anything_changed(**kwargs):
    raise_versions({ALL})


def connect_invalidation() -> None:
    from orgs.models import Citation, Membership

    for model in apps.get_app_config("orgs").get_models():
        if model.__name__.startswith("Historical"):
            continue
        if not getattr(model, "shown_to_public", True):
            continue  # change sets: proposing a change leaves every public page as it is
        uid = f"atlas-cache-{model._meta.label_lower}"
        saved: Callable[..., None] = _anything_changed
        deleted: Callable[..., None] = _anything_changed
        if model is Membership:
            pre_save.connect(_spell_saving, sender=model, dispatch_uid=f"{uid}-saving")
            pre_delete.connect(_spell_saving, sender=model, dispatch_uid=f"{uid}-deleting")
            saved, deleted = _spell_saved, _spell_deleted
        elif model is Citation:
            saved = deleted = _citation_changed
        post_save.connect(saved, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(deleted, sender=model, dispatch_uid=f"{uid}-delete")
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                _anything_changed,
                sender=field.remote_field.through,
                dispatch_uid=f"{uid}-{field.name}",
            )


# --- what a page shows -------------------------------------------------------------------------


def page_tags(request) -> list[str]:
    """The versions a cached answer at this address depends on (besides ``all``)."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return [ANY]
    name, kwargs = match.url_name or "", match.kwargs
    if match.namespace == "orgs":
        if name.startswith("organization") and "slug" in kwargs:
            return [organization_tag(kwargs["slug"])]
        if name.startswith("country") and "iso2" in kwargs:
            return [country_tag(kwargs["iso2"])]
    if name == "api-membership-list" and request.GET.get("organization", "").strip():
        # The spells of one organization (every other filter narrows them further).
        return [organization_tag(request.GET["organization"].strip())]
    if name == "api-overlap":
        slugs = [slug.strip() for slug in request.GET.get("organizations", "").split(",")]
        if slugs and all(slugs):
            return [organization_tag(slug) for slug in slugs]
    return [ANY]
