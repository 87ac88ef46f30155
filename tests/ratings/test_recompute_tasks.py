"""Recompute jobs: coalesced, idempotent, and safe when a worker dies half-way."""

import signal
import time

import pytest
from celery.signals import before_task_publish, task_prerun
from django.utils import timezone

from config.celery import app
from ratings.models import LedgerEntry, LedgerStatus, PendingRecompute, VillageScore
from ratings.services.ledger import ledger_entries_approve
from ratings.services.scoring import recompute
from ratings.tasks import drain_pending_recomputes, enqueue_recompute

from .scoring_helpers import fill_ledgers, make_villages


def _count(signal_, task_name):
    seen = []

    def handler(sender=None, **kwargs):
        name = getattr(sender, "name", sender)
        if name == task_name:
            seen.append(1)

    signal_.connect(handler, weak=False)
    return seen, lambda: signal_.disconnect(handler)


def test_a_batch_approval_of_300_entries_runs_one_recompute_job(township, standard, township_clerk,
                                                                industry_reviewer, this_month,
                                                                django_capture_on_commit_callbacks):
    year, month = this_month
    villages = make_villages(township, 75)
    fill_ledgers(villages, township_clerk, year, month, status=LedgerStatus.SUBMITTED)
    entries = list(LedgerEntry.objects.filter(indicator__star__code="industry"))
    assert len(entries) == 300
    runs, stop = _count(task_prerun, "ratings.drain_pending_recomputes")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            ledger_entries_approve(entries=entries, by=industry_reviewer)
    finally:
        stop()
    assert len(runs) == 1
    assert VillageScore.objects.filter(view="live", year=year, month=month).count() == 75
    assert not PendingRecompute.objects.exists()


def test_many_enqueues_within_the_window_publish_one_job(township, standard, this_month, settings):
    year, month = this_month
    villages = make_villages(township, 5)
    from django.core.cache import cache

    cache.clear()
    published, stop = _count(before_task_publish, "ratings.drain_pending_recomputes")
    app.conf.task_always_eager = False
    previous_url = app.conf.broker_url
    app.conf.broker_url = "memory://"
    try:
        for village in villages:
            enqueue_recompute(village_ids=[village.pk], year=year, month=month)
    finally:
        stop()
        app.conf.broker_url = previous_url
    assert len(published) == 1
    assert PendingRecompute.objects.count() == 5
    assert drain_pending_recomputes.apply(args=[year, month]).get() == 5
    assert drain_pending_recomputes.apply(args=[year, month]).get() == 0


@pytest.mark.worker
def test_approval_is_recomputed_by_a_real_worker(celery_worker_process, township, standard, township_clerk,
                                                 industry_reviewer, this_month):
    year, month = this_month
    villages = make_villages(township, 3)
    fill_ledgers(villages, township_clerk, year, month, status=LedgerStatus.SUBMITTED)
    ledger_entries_approve(entries=LedgerEntry.objects.filter(indicator__star__code="industry"), by=industry_reviewer)
    deadline = time.monotonic() + 60
    while VillageScore.objects.filter(view="live").count() < 3:
        assert time.monotonic() < deadline, "the worker did not recompute within 60 s"
        time.sleep(0.5)
    assert not PendingRecompute.objects.exists()


@pytest.mark.worker
def test_a_worker_killed_mid_recompute_leaves_the_previous_results(celery_worker_factory, township, standard,
                                                                   township_clerk, this_month):
    year, month = this_month
    villages = make_villages(township, 20)
    fill_ledgers(villages, township_clerk, year, month)
    recompute(year=year, month=month, region=township.parent)
    before = list(VillageScore.objects.order_by("id").values_list("id", "total", "star_level", "computed_at"))
    LedgerEntry.objects.filter(indicator__code="ecology.greening").update(value=0)
    PendingRecompute.objects.bulk_create(PendingRecompute(village=v, year=year, month=month) for v in villages)

    worker = celery_worker_factory({"PORTAL_TEST_RECOMPUTE_PAUSE": "30"})
    drain_pending_recomputes.delay(year, month)
    time.sleep(6)  # the worker is now inside the recompute transaction, paused before writing
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=10)

    assert list(VillageScore.objects.order_by("id").values_list("id", "total", "star_level", "computed_at")) == before
    assert PendingRecompute.objects.count() == 20  # still waiting, nothing lost

    started = timezone.now()
    assert drain_pending_recomputes.apply(args=[year, month]).get() == 20
    after = VillageScore.objects.filter(computed_at__gte=started)
    assert after.count() == 20
    assert all(a.total < b[1] for a, b in zip(after.order_by("id"), before, strict=True))
