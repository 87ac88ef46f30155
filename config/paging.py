"""Pagination shared by the list pages (templates/includes/pagination.html)."""

from __future__ import annotations

from django.core.paginator import Page, Paginator


def querystring_without_page(params, key: str = "page") -> str:
    """The query string minus `key`, ready for "?{{ it }}page=N" (ends with "&" when not empty)."""
    query = params.copy()
    query.pop(key, None)
    return (query.urlencode() + "&") if query else ""


def paginate(request, items, per_page: int) -> tuple[Page, str]:
    """The requested page of `items` (a bad page number gives the nearest page) and the query
    string for the pagination links."""
    return Paginator(items, per_page).get_page(request.GET.get("page")), querystring_without_page(request.GET)
