"""Sign-in limits count failures, never successes: a hall behind one address signs in, an address
spraying passwords over many usernames gets a captcha (not a lock), a person behind it answers
the captcha and signs in, and the username + address lock stays. Counted in the database, so
every process sees the same counts."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from captcha.models import CaptchaStore
from django.contrib.auth.hashers import make_password
from django.urls import reverse

from cadres.models import User
from config import throttles
from config.checks import sign_in_store_problems
from config.models import SignInFailure

PASSWORD = "Test-pass-2026"  # the factories' password
HALL = "10.20.30.40"
ROOT = Path(__file__).resolve().parents[2]


def _login(client, username, password, ip=HALL, **extra):
    return client.post(reverse("login"), {"username": username, "password": password, **extra}, REMOTE_ADDR=ip)


def _spray(client, count, ip=HALL):
    """One wrong password for each of `count` usernames: no username + address pair nears axes'
    limit, only the address fails across usernames."""
    for i in range(count):
        _login(client, f"nobody{i}", "wrong-password", ip=ip)


def _answer(key: str) -> str:
    return CaptchaStore.objects.get(hashkey=key).response


def _challenge_key(page) -> str:
    return re.search(r'name="captcha_0"[^>]*value="([0-9a-f]+)"', page.content.decode()).group(1)


@pytest.mark.django_db
def test_fifty_different_users_sign_in_from_one_address_within_a_minute(client):
    encoded = make_password(PASSWORD)
    User.objects.bulk_create([User(username=f"hall{i}", full_name=f"书记{i}", password=encoded) for i in range(50)])
    codes = []
    for i in range(50):
        codes.append(_login(client, f"hall{i}", PASSWORD).status_code)
        client.post(reverse("logout"))
    assert codes == [302] * 50
    assert not throttles.challenge_required(_request(HALL))


def _request(ip):
    from django.test import RequestFactory

    return RequestFactory().post("/", REMOTE_ADDR=ip)


@pytest.mark.django_db
def test_twenty_five_failures_across_usernames_bring_the_challenge_not_a_lock(client, township_clerk, settings):
    _spray(client, 25)
    # From the limit on, the attempts met the challenge unanswered: refused, no password checked.
    assert SignInFailure.objects.filter(ip_address=HALL).count() == settings.LOGIN_IP_FAILURE_LIMIT < 25
    # The right password without an answer is refused before the password is checked.
    refused = _login(client, "township_clerk", PASSWORD)
    assert refused.status_code == 200 and "_auth_user_id" not in client.session
    text = refused.content.decode()
    assert throttles.MSG_CHALLENGE in text and 'name="captcha_1"' in text and "/captcha/image/" in text
    assert "锁定" not in text.split("<form")[1].split("</form>")[0]
    # The login page itself shows the challenge to this address, and only to it.
    assert 'name="captcha_1"' in client.get(reverse("login"), REMOTE_ADDR=HALL).content.decode()
    assert 'name="captcha_1"' not in client.get(reverse("login"), REMOTE_ADDR="10.99.0.1").content.decode()


@pytest.mark.django_db
def test_a_user_behind_an_attacked_address_signs_in_after_answering_the_challenge(client, township_clerk):
    _spray(client, 25)
    page = client.get(reverse("login"), REMOTE_ADDR=HALL)
    key = _challenge_key(page)
    image = client.get(reverse("captcha-image", args=[key]))
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    signed_in = _login(client, "township_clerk", PASSWORD, captcha_0=key, captcha_1=_answer(key).upper())
    assert signed_in.status_code == 302 and client.session["_auth_user_id"] == str(township_clerk.pk)


@pytest.mark.django_db
def test_a_wrong_answer_is_refused_and_the_captcha_cannot_be_tried_again(client, township_clerk, settings):
    _spray(client, 25)
    key = _challenge_key(client.get(reverse("login"), REMOTE_ADDR=HALL))
    right = _answer(key)
    wrong = _login(client, "township_clerk", PASSWORD, captcha_0=key, captcha_1="zzzz" if right != "zzzz" else "yyyy")
    assert wrong.status_code == 200 and throttles.MSG_CHALLENGE_WRONG in wrong.content.decode()
    assert "_auth_user_id" not in client.session
    # An answered (even wrongly) captcha is gone: the right answer to it no longer helps.
    again = _login(client, "township_clerk", PASSWORD, captcha_0=key, captcha_1=right)
    assert again.status_code == 200 and "_auth_user_id" not in client.session
    # An unanswered attempt counts no failure: the counts are the spraying's alone.
    assert SignInFailure.objects.count() == settings.LOGIN_IP_FAILURE_LIMIT


@pytest.mark.django_db
def test_the_token_endpoint_gives_the_challenge_and_takes_its_answer(client, township_clerk):
    _spray(client, 25)
    refused = client.post(reverse("api-token"), {"username": "township_clerk", "password": PASSWORD}, REMOTE_ADDR=HALL)
    assert refused.status_code == 403
    body = refused.json()
    assert body["detail"] == throttles.MSG_CHALLENGE and "/captcha/image/" in body["challenge"]["image_url"]
    key = body["challenge"]["key"]
    token = client.post(reverse("api-token"), {"username": "township_clerk", "password": PASSWORD,
                                               "challenge_key": key, "challenge_answer": _answer(key)},
                        REMOTE_ADDR=HALL)
    assert token.status_code == 200 and token.json()["token"]


@pytest.mark.django_db
def test_one_username_failing_from_many_addresses_gets_the_challenge(client, township_clerk, settings):
    for i in range(settings.LOGIN_USERNAME_FAILURE_LIMIT):
        _login(client, "Township_Clerk ", "wrong-password", ip=f"10.0.2.{i}")
    refused = _login(client, "township_clerk", PASSWORD, ip="10.0.3.1")
    assert refused.status_code == 200 and throttles.MSG_CHALLENGE in refused.content.decode()
    # Another user from those addresses is not challenged: no address sprayed.
    assert not throttles.challenge_required(_request("10.0.3.1"), "someone_else")


@pytest.mark.django_db
def test_the_username_and_address_lock_stays(client, township_clerk, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "township_clerk", "wrong-password")
    locked = _login(client, "township_clerk", PASSWORD)
    assert locked.status_code == 429 and "_auth_user_id" not in client.session
    # The same user from another address still signs in.
    assert _login(client, "township_clerk", PASSWORD, ip="10.0.4.1").status_code == 302


@pytest.mark.django_db
def test_a_forged_forwarded_for_header_does_not_escape_the_challenge(client):
    for i in range(25):
        client.post(reverse("login"), {"username": f"u{i}", "password": "x"}, REMOTE_ADDR=HALL,
                    HTTP_X_FORWARDED_FOR=f"10.9.9.{i}")
    assert throttles.challenge_required(_request(HALL))


@pytest.mark.django_db
def test_failures_older_than_the_cool_off_are_forgotten_and_pruned(client):
    import datetime as dt

    from django.utils import timezone

    _spray(client, 25)
    SignInFailure.objects.update(at=timezone.now() - dt.timedelta(hours=1))
    assert not throttles.challenge_required(_request(HALL))
    _login(client, "nobody", "wrong")
    assert SignInFailure.objects.count() == 1


@pytest.mark.django_db
def test_the_admin_signs_in_through_the_portals_login_page(client, township_clerk):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    client.force_login(township_clerk, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get("/admin/login/?next=/admin/").status_code == 403  # no redirect loop


# --- shared by every process -------------------------------------------------------------------


def test_production_refuses_sign_in_limits_without_a_shared_store():
    postgres = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "fivestar"}}
    local = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    redis = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache"}}
    db_handler = "axes.handlers.database.AxesDatabaseHandler"
    cache_handler = "axes.handlers.cache.AxesCacheHandler"
    assert sign_in_store_problems(databases=postgres, caches=local, axes_handler=db_handler, axes_cache="default",
                                  axes_enabled=True) == []
    assert sign_in_store_problems(databases=postgres, caches=redis, axes_handler=cache_handler, axes_cache="default",
                                  axes_enabled=True) == []
    assert sign_in_store_problems(databases=postgres, caches=local, axes_handler=cache_handler, axes_cache="default",
                                  axes_enabled=True)
    memory = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
    assert sign_in_store_problems(databases=memory, caches=redis, axes_handler=db_handler, axes_cache="default",
                                  axes_enabled=True)
    assert sign_in_store_problems(databases=postgres, caches=redis, axes_handler=db_handler, axes_cache="default",
                                  axes_enabled=False)


def test_check_deploy_fails_in_production_with_a_per_process_axes_cache(tmp_path):
    env = {**os.environ, "DEBUG": "false", "SECRET_KEY": "k" * 60, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    env.pop("CACHE_URL", None)
    script = ("import django, os; os.environ['DJANGO_SETTINGS_MODULE']='config.settings'; "
              "from django.conf import settings; settings.AXES_HANDLER='axes.handlers.cache.AxesCacheHandler'; "
              "django.setup(); from django.core.management import call_command; call_command('check', '--deploy')")
    failed = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert failed.returncode != 0 and "portal.E001" in failed.stderr
    script = script.replace("settings.AXES_HANDLER='axes.handlers.cache.AxesCacheHandler'; ", "")
    passed = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert "portal.E001" not in passed.stderr + passed.stdout


SPRAY_SCRIPT = """
import os, sys
import django
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
django.setup()
from django.test import Client
client = Client()
first, count = int(sys.argv[1]), int(sys.argv[2])
for i in range(first, first + count):
    client.post("/accounts/login/", {"username": f"spray{i}", "password": "wrong"}, REMOTE_ADDR="10.20.30.40")
"""


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_failures_in_two_processes_add_up_to_one_challenge(client, settings, township_clerk):
    """Two processes each stay under the limit; together they reach it, and a third (this one)
    sees the challenge. With counts kept per process none of them would."""
    from urllib.parse import urlsplit, urlunsplit

    from django.db import connection

    limit = settings.LOGIN_IP_FAILURE_LIMIT
    half = limit // 2 + 1
    url = urlunsplit(urlsplit(os.environ["DATABASE_URL"])._replace(path="/" + connection.settings_dict["NAME"]))
    env = {**os.environ, "DATABASE_URL": url}
    procs = [subprocess.Popen([sys.executable, "-c", SPRAY_SCRIPT, str(first), str(half)], cwd=ROOT, env=env)
             for first in (0, half)]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    assert SignInFailure.objects.filter(ip_address=HALL).count() >= limit > half
    refused = _login(client, "township_clerk", PASSWORD)
    assert refused.status_code == 200 and throttles.MSG_CHALLENGE in refused.content.decode()
