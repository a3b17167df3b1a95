"""The atlas's admin site: its titles, and the pages that belong to the whole site rather than to
one kind of record (the editors' "Needs attention" dashboard)."""

from __future__ import annotations

from django.contrib import admin
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import RedirectView

from .. import selectors


class AtlasAdminSite(admin.AdminSite):
    """The atlas's admin site; ``admin.site`` is its one instance, ``atlas_site`` below."""

    site_header = gettext_lazy("Eurasia Atlas — curation")
    site_title = gettext_lazy("Eurasia Atlas curation")
    index_title = gettext_lazy("Records")

    def get_urls(self):
        own = [
            path(
                "needs-attention/",
                self.admin_view(self.needs_attention_view),
                name="needs_attention",
            ),
            path("guide/", self.admin_view(self.guide_view), name="guide"),
            # Where the dashboard used to live, under the spells' admin: old bookmarks still work.
            path(
                "orgs/membership/needs-attention/",
                RedirectView.as_view(pattern_name="admin:needs_attention", permanent=True),
            ),
        ]
        return own + super().get_urls()

    def index(self, request, extra_context=None):
        """The records, with the review queue's count for Reviewers and their own change sets
        for Editors; Reviewers see everyone's recent changes, not only their own."""
        from orgs.models import ChangeSet  # the site module loads before the models

        user = request.user
        context = {"is_reviewer": user.has_perm("orgs.review_changeset")}
        if context["is_reviewer"]:
            context["review_queue_count"] = ChangeSet.objects.pending().count()
        else:
            mine = ChangeSet.objects.filter(author=user)
            context["own_pending_count"] = mine.filter(state=ChangeSet.State.PENDING).count()
            context["own_rejected_count"] = mine.filter(state=ChangeSet.State.REJECTED).count()
        return super().index(request, {**context, **(extra_context or {})})

    def needs_attention_view(self, request):
        """The editors' dashboard: what to cite, publish, check or fix, one query per section."""
        context = {
            **self.each_context(request),
            "title": _("Needs attention"),
            "sections": selectors.attention_sections(),
        }
        return TemplateResponse(request, "admin/orgs/needs_attention.html", context)

    def guide_view(self, request):
        """The editor's guide: spells, statuses, dates, citations, keyboard, review."""
        from orgs.models import Status  # the site module loads before the models

        context = {
            **self.each_context(request),
            "title": _("Editor's guide"),
            "statuses": [
                {"label": label, "help": STATUS_HELP.get(value, "")}
                for value, label in Status.choices
            ],
        }
        return TemplateResponse(request, "admin/orgs/guide.html", context)


STATUS_HELP = {
    "member": gettext_lazy(
        "A full member, with the rights the organization's charter gives its members."
    ),
    "associate_member": gettext_lazy(
        "A member with fewer rights than full members, as the charter says."
    ),
    "observer": gettext_lazy("Attends meetings without the rights of a member."),
    "partner": gettext_lazy(
        "A partner status, such as the SCO's “SCO partner” since 2025 or BRICS partners."
    ),
    "dialogue_partner": gettext_lazy(
        "A dialogue partner, a status below observer in the SCO until 2025."
    ),
    "participant": gettext_lazy(
        "Takes part in a format or initiative that has no formal membership."
    ),
    "signatory": gettext_lazy("Signed the founding treaty but has not ratified it."),
    "suspended": gettext_lazy(
        "A member whose rights are suspended, or who suspended its own taking part."
    ),
}


atlas_site = AtlasAdminSite()


def default_site() -> AtlasAdminSite:
    """What ``AtlasAdminConfig.default_site`` names, so that ``admin.site`` is ``atlas_site``.

    Naming the class instead would make two sites: importing this module runs the package's
    ``__init__``, whose ModelAdmins register on ``admin.site`` before Django has finished
    creating it, and Django would then replace that site, registrations and all, with a new one.
    """
    return atlas_site
