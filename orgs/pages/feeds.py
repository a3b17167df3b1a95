"""The latest changes as an Atom feed: the same events the home page lists.

Names and titles are text, whatever characters they hold. Atom titles are text already; the
summary is HTML (``type="html"``, which Django's Atom feed always writes), so its text is
escaped as HTML before the feed escapes it again as XML: a source titled ``<script>`` reaches a
feed reader as those characters, never as markup.
"""

from __future__ import annotations

import datetime

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from orgs import selectors


class ChangesFeed(Feed):
    feed_type = Atom1Feed
    title = gettext_lazy("Eurasia Atlas: latest changes")
    subtitle = gettext_lazy(
        "Who joined, changed status or left, who applied or was invited, "
        "and the stages agreements reached."
    )
    author_name = gettext_lazy("Eurasia Atlas")

    def link(self):
        return reverse("orgs:home")

    def items(self):
        return selectors.changes_recent(30)

    def item_title(self, change):
        return change.sentence

    def item_description(self, change):
        sources = ", ".join(str(c.source) for c in change.record.citations.all())
        text = _("%(day)s: %(change)s.") % {"day": change.on.display, "change": change.sentence}
        if sources:
            text = _("%(text)s Source: %(sources)s.") % {"text": text, "sources": sources}
        return escape(text)

    def item_link(self, change):
        if change.kind == "agreement stage":
            return change.record.agreement.get_absolute_url()
        return change.organization.get_absolute_url()

    def item_guid(self, change):
        return f"tag:eurasia-atlas,2025:{change.key}"

    item_guid_is_permalink = False

    def item_pubdate(self, change):
        return datetime.datetime.combine(change.on.earliest, datetime.time(), datetime.UTC)

    def item_updateddate(self, change):
        return self.item_pubdate(change)
