"""The hasher of one-time passwords.

A one-time password is random (ten characters from 56 symbols, about 58 bits), is shown once,
and must be changed at the first login, after which the user's own password is stored with the
default hasher. So it does not need the default's million PBKDF2 iterations, which would make
a batch of 1,000 accounts take many minutes; a thousand rounds per guess are still
far beyond any guessing of 58 bits. Listed after the default in PASSWORD_HASHERS, so it only
verifies; a successful login re-hashes with the default.
"""

from django.contrib.auth.hashers import Argon2PasswordHasher, PBKDF2PasswordHasher


class OneTimePasswordHasher(PBKDF2PasswordHasher):
    algorithm = "otp_pbkdf2_sha256"
    iterations = 1_000


class PortalArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id at OWASP's first recommended minimum: 19 MiB of memory, 2 passes, 1 lane.

    Django's default (100 MiB, 2 passes, 8 lanes) cost 335–358 ms of server time per sign-in
    on the 2-core production machine, so a training hall of 300 people signing in within a
    minute queued for seconds. These parameters cost about 20 ms of one core (measured with
    `manage.py bench_hasher`, docs/security.md), still far beyond guessing a password offline
    at scale. The algorithm name stays "argon2": hashes made with other parameters verify
    and are rewritten with these at the next sign-in (Django compares the parameters).
    """

    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
