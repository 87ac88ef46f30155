"""Redis is never on a request's path: the cache degrades to a miss, sessions live in the
database, and the organisation department is told when background work lags."""

import datetime as dt
import socket

import pytest
from django.conf import settings as django_settings
from django.core.cache import caches
from django.urls import reverse
from django.utils import timezone

from config.cache import forget_cache_failures
from config.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db


@pytest.fixture
def dead_redis_cache(settings):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.CACHES = {"default": {"BACKEND": "config.cache.SafeRedisCache", "LOCATION": f"redis://127.0.0.1:{port}/0",
                                   "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}}}
    forget_cache_failures()
    yield caches["default"]
    forget_cache_failures()


def test_a_cache_that_is_down_reads_as_a_miss_and_never_raises(dead_redis_cache):
    cache = dead_redis_cache
    assert cache.get("k", "default") == "default"
    assert cache.available is False  # the process leaves Redis alone for a while
    assert cache.set("k", 1) is None and cache.get_many(["k"]) == {}
    assert cache.add("k", 1) is True  # as on a miss: the caller goes on
    with pytest.raises(ValueError):
        cache.incr("k")  # as for a missing key
    assert cache.delete("k") is False


def test_sessions_live_in_the_database_only():
    assert django_settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"


def test_signed_in_pages_answer_with_the_cache_down(dead_redis_cache, county_admin, client_for):
    client = client_for(county_admin)
    for name in ("ratings:job_list", "reports:county_dashboard", "ratings:rankings"):
        assert client.get(reverse(name)).status_code == 200, name


def test_the_organisation_department_is_told_when_no_worker_beats(with_broker, county_admin, township_clerk,
                                                                   client_for):
    WorkerHeartbeat.objects.create(hostname="w1@host", seen_at=timezone.now() - dt.timedelta(minutes=10))
    for name in ("ratings:job_list", "reports:county_dashboard"):
        page = client_for(county_admin).get(reverse(name)).content.decode()
        assert "后台服务异常" in page and "后台工作进程没有心跳" in page, name
    WorkerHeartbeat.objects.update(seen_at=timezone.now())
    page = client_for(county_admin).get(reverse("ratings:job_list")).content.decode()
    assert "后台工作进程没有心跳" not in page


def test_no_banner_in_the_embedded_default(county_admin, client_for):
    assert "后台服务异常" not in client_for(county_admin).get(reverse("reports:county_dashboard")).content.decode()


def test_readiness_names_what_is_degraded(with_broker, client):
    response = client.get(reverse("readyz"))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert {"broker", "workers", "beat"} <= set(body["degraded"]) and "cache" not in body["degraded"]
