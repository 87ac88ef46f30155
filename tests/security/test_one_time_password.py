"""An account on a one-time password may only change it: no API token, no API call (by token or
session), no page's work, each refused with 403 and the reason in Chinese, until the change."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from cadres.accounts import user_password_reset
from cadres.authentication import MSG_MUST_CHANGE_API
from cadres.views_password import MSG_MUST_CHANGE

NEW = "Xin-mima-2026!"


@pytest.fixture
def reset(county_admin, township_clerk):
    """The clerk's password reset by the county: (the clerk, the one-time password)."""
    password = user_password_reset(user=township_clerk, by=county_admin)
    township_clerk.refresh_from_db()
    return township_clerk, password


def test_the_token_endpoint_gives_no_token_for_a_one_time_password(client, reset):
    user, password = reset
    response = client.post(reverse("api-token"), {"username": user.username, "password": password})
    assert response.status_code == 403 and response.json()["detail"] == MSG_MUST_CHANGE_API
    assert not Token.objects.filter(user=user).exists()


def test_a_token_held_by_an_account_on_a_one_time_password_reads_and_writes_nothing(township_clerk, village):
    # A reset deletes the account's tokens; a token made otherwise (the admin) is refused too.
    token = Token.objects.create(user=township_clerk)
    api = APIClient(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api.get("/api/regions/").status_code == 200
    township_clerk.must_change_password = True
    township_clerk.save(update_fields=["must_change_password"])
    for response in (api.get("/api/regions/"), api.get("/api/ledger-entries/"),
                     api.post("/api/branch-meetings/", {"village": village.code}, format="json")):
        assert response.status_code == 403 and response.json()["detail"] == MSG_MUST_CHANGE_API


def test_the_api_by_session_is_refused(client, reset):
    user, password = reset
    client.post(reverse("login"), {"username": user.username, "password": password})
    response = client.get("/api/regions/")
    assert response.status_code == 403 and "一次性密码" in response.json()["detail"]


def test_pages_lead_to_the_change_and_refuse_any_other_work(client, reset, village):
    user, password = reset
    assert client.post(reverse("login"), {"username": user.username, "password": password}).status_code == 302
    opened = client.get(reverse("ratings:ledger_grid"))
    assert opened.status_code == 302 and opened.url == reverse("password_change")
    sent = client.post(reverse("ratings:ledger_grid"), {"anything": "1"})
    assert sent.status_code == 403 and MSG_MUST_CHANGE in sent.content.decode()
    htmx = client.post(reverse("ratings:ledger_grid"), HTTP_HX_REQUEST="true")
    assert htmx.status_code == 403 and htmx.json()["detail"] == MSG_MUST_CHANGE


def test_after_the_change_the_token_and_the_pages_work(client, reset):
    user, password = reset
    client.post(reverse("login"), {"username": user.username, "password": password})
    changed = client.post(reverse("password_change"),
                          {"old_password": password, "new_password1": NEW, "new_password2": NEW})
    assert changed.status_code == 302
    assert client.get(reverse("ratings:ledger_grid")).status_code == 200
    token = client.post(reverse("api-token"), {"username": user.username, "password": NEW})
    assert token.status_code == 200
    api = APIClient(HTTP_AUTHORIZATION=f"Token {token.json()['token']}")
    assert api.get("/api/regions/").status_code == 200
