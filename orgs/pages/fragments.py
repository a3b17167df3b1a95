"""Long, repetitive fragments of a page rendered in Python rather than in a template loop.

Every organization's page offers a comparison with every other organization, and the compare
page offers each as a checkbox: thousands of items on a large atlas, which the template engine
renders at tens of microseconds an item (a ``{% blocktranslate %}`` each). Here each item is one
string format; the wording is the same translatable message the template used.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.urls import reverse
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from orgs.models import Organization
from orgs.templatetags.atlas import lang_marked


def compare_links(
    organization: Organization,
    others: Iterable[Organization],
    *,
    as_of: datetime.date | None,
    skip_kinds: Iterable[str] = (),
) -> SafeString:
    """``<li>`` links "Compare with BRICS" to the comparison of ``organization`` with each of
    ``others`` (but those of ``skip_kinds``), on ``as_of`` when given."""
    base = f"{reverse('orgs:compare')}?organizations={escape(organization.slug)},"
    day = f"&amp;as_of={as_of:%Y-%m-%d}" if as_of else ""
    wording = gettext("Compare with %(name)s")
    skipped = set(skip_kinds)
    return mark_safe(  # every part is escaped above or here
        "".join(
            f'<li><a href="{base}{escape(other.slug)}{day}">'
            f"{conditional_escape(wording) % {'name': lang_marked(other.localized_short_name)}}"
            "</a></li>"
            for other in others
            if other.kind not in skipped
        )
    )


def organization_options(organizations: Iterable[Organization]) -> SafeString:
    """``<option>`` elements of a ``<select>``: the slug as the value, the full name shown."""
    return mark_safe(  # escaped
        "".join(
            f'<option value="{escape(other.slug)}">{escape(str(other))}</option>'
            for other in organizations
        )
    )


def organization_checkboxes(
    choices: Iterable[Organization], chosen: Iterable[Organization]
) -> SafeString:
    """``<li>`` checkboxes named ``organizations`` for the compare form, the chosen ticked."""
    ticked = {organization.pk for organization in chosen}
    return mark_safe(  # escaped
        "".join(
            f'<li><label><input type="checkbox" name="organizations" value="{escape(choice.slug)}"'
            f"{' checked' if choice.pk in ticked else ''}> "
            f"{lang_marked(choice.localized_short_name)}</label></li>"
            for choice in choices
        )
    )
