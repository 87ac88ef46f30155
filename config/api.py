"""API plumbing shared by every app: the router, the error handler, the pagination. The scoped
viewset base and the lookup of a region code sent to an endpoint are in cadres/api_scope.py.

Each API module listed in API_MODULES exposes `ROUTES = [(prefix, viewset, basename), ...]`;
`build_router()` collects them, so adding an endpoint touches only its own app. A module that
does not exist (yet) is passed over.
"""

from __future__ import annotations

from importlib import import_module

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter
from rest_framework.views import exception_handler as drf_exception_handler

API_MODULES = [
    "cadres.api_regions",
    "cadres.api",
    "cadres.api_work",
    "cadres.api_duty",
    "cadres.api_taskforce",
    "branches.api",
    "branches.api_records",
    "branches.api_community",
    "projects.api",
    "projects.api_economy",
    "ratings.api",
    "ratings.api_results",
    "ratings.campaign.api",
    "ratings.campaign.api_awards",
    "ratings.campaign.api_plans",
    "ratings.campaign.api_rewards",
    "ratings.campaign.api_weekly",
    "reports.api",
]


def build_router() -> DefaultRouter:
    router = DefaultRouter()
    for name in API_MODULES:
        try:
            module = import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        for prefix, viewset, basename in getattr(module, "ROUTES", []):
            router.register(prefix, viewset, basename=basename)
    return router


def _messages(error: DjangoValidationError):
    if hasattr(error, "error_dict"):
        return {field: [m for e in errs for m in e.messages] for field, errs in error.error_dict.items()}
    return {"detail": error.messages[0] if len(error.messages) == 1 else error.messages}


MSG_OUT_OF_RANGE = "参数超出范围"


def exception_handler(exc, context):
    """Service errors (Django ValidationError / PermissionDenied) become 400 / 403 with the
    same Chinese message the pages show. A number too large for the database (an id or an
    integer filter such as `?first_secretary=1e20`) is bad input too: 400, never a 500."""
    if isinstance(exc, OverflowError):
        return Response({"detail": MSG_OUT_OF_RANGE}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DjangoValidationError):
        exc = DRFValidationError(_messages(exc))
    elif isinstance(exc, DjangoPermissionDenied):
        return Response({"detail": str(exc) or "无权执行此操作"}, status=status.HTTP_403_FORBIDDEN)
    return drf_exception_handler(exc, context)


class Pagination(PageNumberPagination):
    """50 rows a page by default; a client may ask for up to 500 with `page_size`."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
