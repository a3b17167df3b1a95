"""What every public page shares: ``?as_of`` parsing, draft preview for staff, pagination.

A bad parameter anywhere in a page (``?as_of``, a filter) is a 400 page naming the parameter,
never a 500.
"""

from __future__ import annotations

import datetime

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from orgs.params import ParameterError, parse_date, preview_requested
from orgs.services import review

PAGE_SIZE = 50


def bad_parameter(request, error: ParameterError):
    return render(request, "400.html", {"error": error}, status=400)


def paginate(request, items):
    """One page of a long list (``?page=``); a page number out of range gives the last page."""
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))


def pick(options, value: str, key, parameter: str, what: str):
    """The option whose ``key(option)`` is ``value`` (any case), or a 400 naming the parameter."""
    match = next((option for option in options if key(option).lower() == value.lower()), None)
    if match is None:
        raise ParameterError(parameter, f"no {what} is called “{value[:40]}”.")
    return match


class AtlasPageMixin:
    """``?as_of`` parsing with a date picker, and draft preview for staff (``?drafts=1``)."""

    time_travel = False

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
