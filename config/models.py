"""Operational records of the platform itself (not of the campaign)."""

from django.db import models
from django.utils import timezone


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

class JobKind(models.TextChoices):
    RECOMPUTE = "recompute", "重新计算"
    MONTH_CLOSE = "month_close", "月度关账"
    BULLETINS = "bulletins", "月度通报"
    IMPORT = "import", "数据导入"


class JobState(models.TextChoices):
    PENDING = "pending", "排队中"
    RUNNING = "running", "运行中"
    RETRYING = "retrying", "等待重试"
    DONE = "done", "已完成"
    PARTIAL = "partial", "部分失败"
    FAILED = "failed", "失败"


OPEN_STATES = (JobState.PENDING, JobState.RUNNING, JobState.RETRYING)
# A batch whose counties all settled, some of them failed: it can be completed by sending
# only the failed counties again.
ENDED_WITH_FAILURES = (JobState.PARTIAL, JobState.FAILED)


class JobRun(models.Model):
    """One run of a background job (recompute, month close, bulletins, import), what it did county
    by county, so nothing fails silently; written through config/jobs.py.

    A run over many counties (a province recompute, the monthly close of every county) is a
    parent row with one child row per county; the parent is done only when every child is.
    A run for one county has no parent. `county` empty means the whole installation.
    """

    kind = models.CharField("任务类型", max_length=20, choices=JobKind.choices)
    parent = models.ForeignKey("self", verbose_name="所属批次", on_delete=models.CASCADE, null=True, blank=True,
                               related_name="children")
    # The region tree is an app above config: referred to by name (villages.Level.COUNTY is "county").
    county = models.ForeignKey("villages.Region", verbose_name="县", on_delete=models.CASCADE, null=True, blank=True,
                               related_name="+", limit_choices_to={"level": "county"})
    year = models.PositiveSmallIntegerField("年度", null=True, blank=True)
    month = models.PositiveSmallIntegerField("月份", null=True, blank=True)
    view = models.CharField("口径", max_length=10, blank=True)
    state = models.CharField("状态", max_length=10, choices=JobState.choices, default=JobState.PENDING)
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    deadline = models.DateTimeField("应完成时间", null=True, blank=True)
    deliveries = models.PositiveSmallIntegerField("执行次数", default=0)
    resubmits = models.PositiveSmallIntegerField("补做次数", default=0)
    task_id = models.CharField("任务编号", max_length=64, blank=True)
    # The Celery worker (node name) that received the task: the watchdog sends the run again
    # when that worker stops beating (config.heartbeat), instead of waiting for the broker's
    # visibility timeout.
    worker = models.CharField("工作进程", max_length=200, blank=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)
    note = models.CharField("说明", max_length=200, blank=True)
    result = models.CharField("结果", max_length=200, blank=True)
    error = models.TextField("错误", blank=True)

    class Meta:
        # The table the ratings app created when the runs were its own: kept, so no data moved.
        db_table = "ratings_jobrun"
        verbose_name = "后台任务"
        verbose_name_plural = "后台任务"
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["kind", "state"], name="jobrun_kind_state"),
            models.Index(fields=["county", "-created_at"], name="jobrun_county_created"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.county or '全部'} {self.get_state_display()}"

    @property
    def duration_seconds(self) -> float | None:
        if self.started_at is None or self.finished_at is None:
            return None
        return (self.finished_at - self.started_at).total_seconds()

    @property
    def duration_display(self) -> str:
        seconds = self.duration_seconds
        if seconds is None:
            return ""
        if seconds < 60:
            return f"{seconds:.1f} 秒"
        minutes, rest = divmod(round(seconds), 60)
        return f"{minutes} 分 {rest} 秒" if minutes < 60 else f"{minutes // 60} 小时 {minutes % 60} 分"

    @property
    def scope_display(self) -> str:
        where = self.county.name if self.county_id else "全部县"
        when = f" · {self.year}年{self.month}月" if self.year and self.month else ""
        return where + when

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


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
