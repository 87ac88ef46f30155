"""The hasher of one-time passwords.

A one-time password is random (ten characters from 56 symbols, about 58 bits), is shown once,
and must be changed at the first login, after which the user's own password is stored with the
default hasher. So it does not need the default's million PBKDF2 iterations, which would make
a batch of 1,000 accounts take many minutes; a thousand rounds per guess are still
far beyond any guessing of 58 bits. Listed after the default in PASSWORD_HASHERS, so it only
verifies; a successful login re-hashes with the default.
"""

from django.contrib.auth.hashers import PBKDF2PasswordHasher


class OneTimePasswordHasher(PBKDF2PasswordHasher):
    algorithm = "otp_pbkdf2_sha256"
    iterations = 1_000
