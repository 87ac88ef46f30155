"""First login with a one-time password forces a change; everyone may change their password."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cadres.accounts import user_disable, user_password_reset
from cadres.models import AccountEvent

NEW = "Xin-mima-2026!"


@pytest.fixture
def on_one_time(township_clerk):
    township_clerk.must_change_password = True
    township_clerk.save()
    return township_clerk


def test_one_time_password_user_is_sent_to_the_change_page(client_for, on_one_time):
    client = client_for(on_one_time)
    response = client.get(reverse("ratings:ledger_grid"))
    assert response.status_code == 302 and response.url == reverse("password_change")
    page = client.get(reverse("password_change"))
    assert page.status_code == 200 and "一次性初始密码" in page.content.decode()
    assert client.get("/api/regions/").status_code == 403


def test_password_validators_refuse_a_weak_password_in_chinese(client_for, on_one_time):
    client = client_for(on_one_time)
    response = client.post(reverse("password_change"), {
        "old_password": "Test-pass-2026", "new_password1": "12345678", "new_password2": "12345678"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "密码" in text and ("常见" in text or "数字" in text)
    on_one_time.refresh_from_db()
    assert on_one_time.must_change_password


def test_changing_the_password_lifts_the_force_and_is_audited(client_for, on_one_time):
    client = client_for(on_one_time)
    response = client.post(reverse("password_change"), {
        "old_password": "Test-pass-2026", "new_password1": NEW, "new_password2": NEW})
    assert response.status_code == 302
    on_one_time.refresh_from_db()
    assert not on_one_time.must_change_password and on_one_time.check_password(NEW)
    assert AccountEvent.objects.filter(user=on_one_time, action="password_change").exists()
    assert client.get(reverse("ratings:ledger_grid")).status_code == 200


def test_user_menu_links_the_password_change(client_for, village_secretary):
    page = client_for(village_secretary).get(reverse("reports:my_village"), follow=True)
    assert reverse("password_change") in page.content.decode()


def test_disabled_user_session_is_refused_on_next_request(client, county_admin, township_clerk):
    client.post(reverse("login"), {"username": "township_clerk", "password": "Test-pass-2026"})
    assert client.get(reverse("ratings:ledger_grid")).status_code == 200
    user_disable(user=township_clerk, by=county_admin)
    response = client.get(reverse("ratings:ledger_grid"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_password_reset_ends_old_sessions_and_forces_a_change(client, county_admin, township_clerk):
    client.post(reverse("login"), {"username": "township_clerk", "password": "Test-pass-2026"})
    password = user_password_reset(user=township_clerk, by=county_admin)
    assert client.get(reverse("ratings:ledger_grid")).status_code == 302
    client.post(reverse("login"), {"username": "township_clerk", "password": password})
    assert client.get(reverse("ratings:ledger_grid")).url == reverse("password_change")
