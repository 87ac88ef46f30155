"""A county's start month (its first month on the portal), set by the go-live command or by its
organisation department."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from villages.models import Region

from .models import Role
from .scope import user_posts

MSG_START_RANGE = "起始月份应在2000年至2100年之间"
MSG_START_ROLE = "只有县委组织部可以设置起始月份"


@transaction.atomic
def county_start_set(*, county: Region, start: dt.date | None, by=None) -> Region:
    """Set (or clear) the county's start month; `by` None is the go-live command."""
    if by is not None and not (getattr(by, "is_superuser", False) or any(
            p.role == Role.ORGANISATION and county.code.startswith(p.region.prefix) for p in user_posts(by))):
        raise PermissionDenied(MSG_START_ROLE)
    if start is not None and not 2000 <= start.year <= 2100:
        raise ValidationError(MSG_START_RANGE)
    county.start_month = start.replace(day=1) if start else None
    county.save(update_fields=["start_month", "updated_at"])
    return county
