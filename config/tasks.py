"""Celery tasks of the platform itself."""

from __future__ import annotations

import socket

from celery import shared_task
from django.utils import timezone

from .models import WorkerHeartbeat


@shared_task(name="portal.worker_heartbeat", ignore_result=True, expires=120)
def worker_heartbeat() -> None:
    """Scheduled every minute by celery beat: proves beat → broker → worker → database work."""
    hostname = getattr(worker_heartbeat.request, "hostname", None) or socket.gethostname()
    WorkerHeartbeat.objects.update_or_create(hostname=hostname, defaults={"seen_at": timezone.now()})
