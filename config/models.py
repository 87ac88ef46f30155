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


class SignInFailure(models.Model):
    """One failed sign-in (login page or token endpoint), whatever the reason.

    Kept in the database so that every web process counts the same failures (a per-process
    cache let each gunicorn worker count apart). Failures alone are counted: a successful
    sign-in writes nothing here, so a training hall signing in at once costs no writes.
    Rows older than the cool-off are pruned as new failures come (config/throttles.py).
    """

    username = models.CharField("用户名", max_length=150)
    ip_address = models.CharField("网络地址", max_length=64)
    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "登录失败记录"
        verbose_name_plural = "登录失败记录"
        indexes = [
            models.Index(fields=["ip_address", "at"], name="signin_failure_ip_at"),
            models.Index(fields=["username", "at"], name="signin_failure_user_at"),
        ]

    def __str__(self) -> str:
        return f"{self.username} @ {self.ip_address}"


class PublicSubmission(models.Model):
    """One submission of a form open to the public without an account (a satisfaction mark, an
    objection to a public notice), counted per address and form to refuse floods
    (config/throttles.py). Kept in the database like the sign-in failures, so every web process
    counts the same and no cache server is on the request's path; rows older than the window are
    pruned as new ones come."""

    form = models.CharField("表单", max_length=40)
    ip_address = models.CharField("网络地址", max_length=64)
    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "公开表单提交记录"
        verbose_name_plural = "公开表单提交记录"
        indexes = [models.Index(fields=["form", "ip_address", "at"], name="public_submission_ip_at")]

    def __str__(self) -> str:
        return f"{self.form} @ {self.ip_address}"
