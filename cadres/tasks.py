from celery import shared_task
from django.utils import timezone

from . import services


@shared_task(name="cadres.expire_first_secretary_terms")
def expire_first_secretary_terms() -> int:
    return services.first_secretary_expire_terms(today=timezone.localdate())
