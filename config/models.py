"""Operational records of the platform itself (not of the campaign)."""

from django.db import models


class WorkerHeartbeat(models.Model):
    """The last time a Celery worker ran the heartbeat task that celery beat schedules.

    Kept in the database rather than the cache, so /healthz of every web process sees it
    whatever cache backend is configured; one row per worker host, overwritten each minute.
    """

    hostname = models.CharField("工作进程主机", max_length=200, unique=True)
    seen_at = models.DateTimeField("最近心跳")

    class Meta:
        verbose_name = "后台工作进程心跳"
        verbose_name_plural = "后台工作进程心跳"

    def __str__(self) -> str:
        return self.hostname
