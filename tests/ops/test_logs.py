"""Structured logs: JSON lines with request id, user id and duration; Sentry only with a DSN."""

import json
import logging

import pytest
from django.urls import reverse

from config.logs import REQUEST_ID_HEADER, ContextFilter, JsonFormatter, init_sentry, logging_config

pytestmark = pytest.mark.django_db


def _access_records(caplog):
    return [r for r in caplog.records if r.name == "portal.request"]


def test_each_request_gets_an_id_in_the_response_and_the_access_record(client, caplog):
    caplog.set_level(logging.INFO, logger="portal.request")
    response = client.get(reverse("login"))

    request_id = response[REQUEST_ID_HEADER]
    assert len(request_id) == 32
    (record,) = _access_records(caplog)
    assert record.status == 200 and record.path == reverse("login") and record.method == "GET"
    assert record.duration_ms >= 0
    assert record.user_id is None


def test_a_sane_incoming_request_id_is_kept_and_a_bad_one_replaced(client):
    kept = client.get(reverse("login"), headers={REQUEST_ID_HEADER: "proxy-abc-123456"})
    assert kept[REQUEST_ID_HEADER] == "proxy-abc-123456"
    replaced = client.get(reverse("login"), headers={REQUEST_ID_HEADER: "<script>\n"})
    assert replaced[REQUEST_ID_HEADER] != "<script>\n" and len(replaced[REQUEST_ID_HEADER]) == 32


def test_access_record_names_the_signed_in_user(client, county_admin, caplog):
    client.force_login(county_admin)
    caplog.set_level(logging.INFO, logger="portal.request")
    client.get(reverse("reports:county_dashboard"))
    (record,) = _access_records(caplog)
    assert record.user_id == county_admin.pk


def test_json_formatter_writes_one_parseable_line_with_context_and_extras():
    record = logging.makeLogRecord({"name": "portal.request", "levelname": "INFO", "msg": "GET %s",
                                    "args": ("/村/",), "duration_ms": 12.5, "status": 200})
    ContextFilter().filter(record)
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["message"] == "GET /村/"
    assert entry["duration_ms"] == 12.5 and entry["status"] == 200
    assert set(entry) >= {"ts", "level", "logger", "request_id", "user_id"}


def test_unknown_log_format_fails_at_start_up():
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        logging_config(level="INFO", fmt="xml", access=True)


def test_sentry_stays_off_without_a_dsn_and_starts_with_one():
    import sentry_sdk

    assert init_sentry("") is False
    try:
        assert init_sentry("https://publickey@sentry.invalid/1", environment="test") is True
        client = sentry_sdk.get_client()
        assert client.is_active() and not client.options.get("send_default_pii")
        assert client.options["environment"] == "test"
    finally:
        sentry_sdk.init()  # no DSN: a client that sends nothing
