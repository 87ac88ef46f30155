import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent


def test_login_page_renders_in_chinese(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert "五星支部创建管理平台" in response.content.decode()


def test_login_with_right_password_lands_on_the_portal(client, township_clerk):
    response = client.post(reverse("login"), {"username": "township_clerk", "password": "Test-pass-2026"})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code in (200, 302)


def test_wrong_password_shows_a_message(client, township_clerk):
    response = client.post(reverse("login"), {"username": "township_clerk", "password": "nope"})
    assert response.status_code == 200
    assert "请输入一个正确的" in response.content.decode() or "不正确" in response.content.decode()


def test_repeated_failures_lock_the_account_out_even_with_the_right_password(client, township_clerk, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "township_clerk", "password": "nope"})
    response = client.post(reverse("login"), {"username": "township_clerk", "password": "Test-pass-2026"})
    assert response.status_code == 429
    assert "登录尝试次数过多" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_logout_needs_post_and_ends_the_session(client_for, township_clerk):
    client = client_for(township_clerk)
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_navigation_fits_the_role(client_for, township_clerk, county_admin):
    clerk_nav = {item["label"] for item in client_for(township_clerk).get(reverse("villages:region_browser"), follow=True).context["nav_links"]}
    assert "区划与村情" in clerk_nav
    assert "评星标准" not in clerk_nav


def test_navigation_groups_links_in_menus_and_marks_the_current_one(client_for, county_admin):
    items = client_for(county_admin).get(reverse("campaign:award_list")).context["nav_items"]
    group = next(i for i in items if i["label"] == "创星评定" and "children" in i)
    assert group["active"]
    assert [c["label"] for c in group["children"] if c["active"]] == ["创星评定"]
    assert "评星标准" in {c["label"] for c in group["children"]}


@pytest.mark.parametrize("debug", ["false"])
def test_check_deploy_is_clean_with_production_settings(debug):
    env = dict(os.environ, DEBUG=debug, SECRET_KEY="x" * 20 + "-production-secret-key-for-the-check-0123456789",
               ALLOWED_HOSTS="portal.example.cn")
    env.pop("DATABASE_URL", None)
    # Browser tests set this for their own process; a deployment never has it.
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_short_secret_key_fails_loudly_in_production():
    env = dict(os.environ, DEBUG="false", SECRET_KEY="short")
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_bad_boolean_setting_fails_loudly():
    env = dict(os.environ, DEBUG="perhaps")
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode != 0
    assert "DEBUG must be a boolean" in result.stderr
