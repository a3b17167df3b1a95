"""Page-number pagination: a page that is not a whole number ≥ 1 answers 400 naming the
parameter; a whole number past the last page, however large, answers 404 saying which is last."""

from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination

from .parameters import ParameterErrors

MAX_PAGE_SIZE = 500


def _positive_int(request, parameter: str) -> int | None:
    raw = request.query_params.get(parameter)
    if raw is None or raw.strip() == "":
        return None
    text = raw.strip()
    if not text.isascii() or not text.isdigit() or int(text) < 1:
        # What was typed is a value of the message, never part of its format: it may hold a "%".
        raise ParameterErrors(
            {
                parameter: [
                    _("“%(value)s” is not a page: give a whole number ≥ 1.") % {"value": raw[:20]}
                ]
            }
        )
    return int(text)


def check_page_parameters(request) -> None:
    """Refuse a malformed ``page`` or ``page_size`` even where nothing is paged (a CSV export
    holds every row): a mistyped parameter is never silently ignored."""
    if request.query_params.get("page", "").strip() not in AtlasPagination.last_page_strings:
        _positive_int(request, "page")
    _positive_int(request, "page_size")


class AtlasPagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def get_page_size(self, request):
        size = _positive_int(request, self.page_size_query_param)
        return min(size, self.max_page_size) if size else self.page_size

    def get_page_number(self, request, paginator):
        raw = request.query_params.get(self.page_query_param, "")
        if raw.strip() in self.last_page_strings:
            return paginator.num_pages
        number = _positive_int(request, self.page_query_param) or 1
        if number > max(paginator.num_pages, 1):
            raise NotFound(
                _("There is no page %(number)s: the last page is %(last)s.")
                % {"number": str(number)[:20], "last": paginator.num_pages or 1}
            )
        return number

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["description"] = (
                    f"Results per page (default {self.page_size}, at most {self.max_page_size})."
                )
            else:
                parameter["description"] = (
                    "A page of the results, from 1; past the last page the answer is 404."
                )
        return parameters
