"""Argon2 is the password hasher; older hashes keep working and are upgraded at login."""

import pytest
from django.contrib.auth.hashers import make_password
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
