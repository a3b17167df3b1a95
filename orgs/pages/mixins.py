"""What every public page shares: ``?as_of`` parsing, draft preview for staff, pagination.

A bad parameter anywhere in a page (``?as_of``, a filter) is a 400 page naming the parameter,
never a 500.
"""

from __future__ import annotations

import datetime
from typing import Any, cast

from django.core.paginator import Page, Paginator
from django.http import HttpRequest
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy

from orgs.models import Country
from orgs.params import ParameterError, parse_date, preview_requested
from orgs.services import review

PAGE_SIZE = 50


def bad_parameter(request, error: ParameterError):
    return render(request, "400.html", {"error": error}, status=400)


def paginate(request, items):
    """One page of a long list (``?page=``); a page number out of range gives the last page."""
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))


class LinkedPage(Page):
    """A page of one long list that knows the addresses of its neighbours."""

    previous_url = ""
    next_url = ""


class LinkedPaginator(Paginator):
    def _get_page(self, *args: Any, **kwargs: Any) -> LinkedPage:
        return LinkedPage(*args, **kwargs)


def page_of(request, items, parameter: str, size: int = PAGE_SIZE) -> LinkedPage:
    """One page of one of a profile's long lists (a country's spells, an organization's quotes).

    Each list is numbered by a parameter of its own (``?quotes=2``), so one list pages while the
    others and the page's other parameters (``?as_of``) stay as they are; ``previous_url`` and
    ``next_url`` say so. A page number out of range gives the last page, as ``paginate`` does.
    """
    page = cast(LinkedPage, LinkedPaginator(items, size).get_page(request.GET.get(parameter)))

    def link(number: int) -> str:
        query = request.GET.copy()
        query[parameter] = str(number)
        return f"?{query.urlencode()}"

    page.previous_url = link(page.previous_page_number()) if page.has_previous() else ""
    page.next_url = link(page.next_page_number()) if page.has_next() else ""
    return page


def filter_list(filterset_class, request, queryset):
    """The FilterSet the API lists the same records with, run on the page's request.

    A bad value is a 400 naming the parameter as the request wrote it (an older name too).
    """
    filterset = filterset_class(request.GET, queryset=queryset, request=request)
    if not filterset.is_valid():
        parameter, messages = next(iter(filterset.errors.items()))
        raise ParameterError(parameter, " ".join(messages))
    return filterset


def codes_of(record) -> tuple[str, ...]:
    """The codes a record answers to in a filter, its own first, as the API's filters read
    them: a country its ISO alpha-2 and alpha-3 codes, anything else its slug."""
    if isinstance(record, Country):
        return (record.iso2, record.iso3)
    return (record.slug,)


# What a page says when a filter names no option, by what the option is.
NO_SUCH_OPTION = {
    "party": gettext_lazy("no party is called “%(value)s”."),
    "organization": gettext_lazy("no organization is called “%(value)s”."),
    "participant": gettext_lazy("no participant is called “%(value)s”."),
    "speaker with quotes": gettext_lazy("no speaker with quotes is called “%(value)s”."),
    "country with quotes": gettext_lazy("no country with quotes is called “%(value)s”."),
}


def chosen_option(filterset, name: str, options, what: str):
    """The option a filter's value names (any of its ``codes_of``, in any case), or None when
    the filter is not given.

    A value no option answers to is a 400 naming the parameter: a page offers its options in a
    form, so anything else is a mistyped address. The FilterSet then filters by the option's own
    code.
    """
    value = (filterset.form.cleaned_data.get(name) or "").strip()
    if not value:
        return None
    for option in options:
        option_codes = codes_of(option)
        if value.lower() in (code.lower() for code in option_codes):
            filterset.form.cleaned_data[name] = option_codes[0]
            return option
    raise ParameterError(filterset.parameter(name), NO_SUCH_OPTION[what] % {"value": value[:40]})


class AtlasPageMixin:
    """``?as_of`` parsing with a date picker, and draft preview for staff (``?drafts=1``)."""

    time_travel = False
    request: HttpRequest

    def dispatch(self, request, *args, **kwargs):
        try:
            self.as_of = parse_date(request.GET.get("as_of"), "as_of")
            if not self.preview:
                return super().dispatch(request, *args, **kwargs)
            # Staff previewing see the changes waiting for review as if approved; everything
            # the preview applies is rolled back once the page is rendered.
            with review.pending_changes_applied() as pending_sets:
                self.pending_sets = pending_sets
                response = super().dispatch(request, *args, **kwargs)
                if hasattr(response, "render"):
                    response.render()
                return response
        except ParameterError as error:
            return bad_parameter(request, error)

    @property
    def on(self) -> datetime.date:
        return self.as_of or timezone.localdate()

    @property
    def preview(self) -> bool:
        return preview_requested(self.request)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        kept = [
            (name, value)
            for name, values in self.request.GET.lists()
            if name != "as_of"
            for value in values
        ]
        context.update(
            as_of=self.as_of,
            on=self.on,
            today=timezone.localdate(),
            time_travel=self.time_travel,
            kept_params=kept,
            preview=self.preview,
            pending_sets=getattr(self, "pending_sets", []),
        )
        return context
