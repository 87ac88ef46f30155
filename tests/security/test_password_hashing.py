"""Passwords are hashed with Argon2id at OWASP's minimum (19 MiB, 2 passes, 1 lane), and a hash
made with other parameters (Django's default) is rewritten with these at the next sign-in."""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher, make_password
from django.urls import reverse

PASSWORD = "Test-pass-2026"


def test_new_passwords_are_argon2id_with_the_portals_parameters():
    encoded = make_password(PASSWORD)
    assert encoded.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")


def test_a_hash_with_djangos_default_parameters_is_rewritten_at_the_next_sign_in(client, township_clerk):
    old = Argon2PasswordHasher().encode(PASSWORD, Argon2PasswordHasher().salt())
    assert "m=102400,t=2,p=8" in old
    township_clerk.password = old
    township_clerk.save(update_fields=["password"])
    assert client.post(reverse("login"), {"username": "township_clerk", "password": PASSWORD}).status_code == 302
    township_clerk.refresh_from_db()
    assert "m=19456,t=2,p=1" in township_clerk.password and township_clerk.check_password(PASSWORD)
