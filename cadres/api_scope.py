"""The API's side of the scope: a viewset base that keeps only the caller's rows, and the lookup of
a division code sent to an endpoint (a code outside the scope reads like an unknown one)."""

from __future__ import annotations

from rest_framework.exceptions import ValidationError as DRFValidationError

from villages.models import Region

from .scope import scope_q


def region_in_scope_or_400(user, code, *, levels, field: str, message: str, scope=None) -> Region:
    """The region of division code `code` at one of `levels`, within the user's scope (or within
    `scope`, a Q on the region's code, where an endpoint reads a wider set), else a 400 that
    names the request's `field`: what a `create` action does with a code it was sent."""
    region = Region.objects.filter(scope_q(user) if scope is None else scope, code=code, level__in=levels).first()
    if region is None:
        raise DRFValidationError({field: [message]})
    return region


class ScopedQuerysetMixin:
    """Restricts a viewset's queryset to the caller's regions.

    `scope_field` names the division-code path of the row's region, e.g. "village__code".
    Rows outside the scope are simply absent, so a detail request for one is a 404.
    """

    scope_field = "code"

    def get_queryset(self):
        queryset = super().get_queryset()
        return queryset.filter(scope_q(self.request.user, self.scope_field))
