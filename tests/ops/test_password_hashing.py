"""Argon2id is the password hasher, at OWASP's minimum (19 MiB, 2 passes, 1 lane); older hashes,
and Argon2 hashes with other parameters (Django's default), keep working and are rewritten at
login."""

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher, make_password
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_new_passwords_are_hashed_with_argon2():
    user = UserFactory(username="new_hash")
    user.set_password("Strong-pass-2026")
    assert user.password.startswith("argon2$argon2id$")


def test_pbkdf2_hash_is_upgraded_to_argon2_at_login(client):
    user = UserFactory(username="legacy_hash")
    user.password = make_password("Legacy-pass-2026", hasher="pbkdf2_sha256")
    user.save(update_fields=["password"])

    response = client.post(reverse("login"), {"username": "legacy_hash", "password": "Legacy-pass-2026"})

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$")
    assert user.check_password("Legacy-pass-2026")


def test_wrong_password_leaves_the_legacy_hash_alone(client):
    user = UserFactory(username="legacy_wrong")
    legacy = make_password("Legacy-pass-2026", hasher="pbkdf2_sha256")
    user.password = legacy
    user.save(update_fields=["password"])

    response = client.post(reverse("login"), {"username": "legacy_wrong", "password": "nope-nope-2026"})

    assert response.status_code == 200
    user.refresh_from_db()
    assert user.password == legacy


def test_new_passwords_are_argon2id_with_the_portals_parameters():
    assert make_password("Strong-pass-2026").startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")


def test_a_hash_with_djangos_default_parameters_is_rewritten_at_the_next_sign_in(client):
    user = UserFactory(username="heavy_hash")
    user.password = Argon2PasswordHasher().encode("Heavy-pass-2026", Argon2PasswordHasher().salt())
    assert "m=102400,t=2,p=8" in user.password
    user.save(update_fields=["password"])
    assert client.post(reverse("login"), {"username": "heavy_hash", "password": "Heavy-pass-2026"}).status_code == 302
    user.refresh_from_db()
    assert "m=19456,t=2,p=1" in user.password and user.check_password("Heavy-pass-2026")
