"""State changes for people and access."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from .models import FirstSecretary, FirstSecretaryStatus


@transaction.atomic
def first_secretary_expire_terms(*, today: dt.date) -> int:
    """Mark serving first secretaries whose term ended before `today` as ended.

    Idempotent: a conditional update, so running it twice (or on two workers) changes nothing
    more. Returns how many were ended.
    """
    return FirstSecretary.objects.filter(
        status=FirstSecretaryStatus.SERVING, term_end__lt=today
    ).update(status=FirstSecretaryStatus.ENDED)
