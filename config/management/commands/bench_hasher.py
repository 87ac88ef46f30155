"""Time one password check (what a sign-in costs the server) with the portal's Argon2id
parameters and with Django's default ones, in CPU time of one core and wall time."""

from __future__ import annotations

import time

from django.contrib.auth.hashers import Argon2PasswordHasher, get_hasher
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Time a password check with the configured hasher and with Django's default Argon2."

    def add_arguments(self, parser):
        parser.add_argument("--rounds", type=int, default=20)

    def handle(self, *args, **opts):
        if not 1 <= opts["rounds"] <= 1000:
            raise CommandError("--rounds 须在 1 到 1000 之间")
        password = "Xin-mima-2026!"
        for label, hasher in (("portal (default hasher)", get_hasher()), ("Django's Argon2 default", Argon2PasswordHasher())):
            encoded = hasher.encode(password, hasher.salt())
            hasher.verify(password, encoded)  # warm up
            cpu, wall = time.process_time(), time.perf_counter()
            for _ in range(opts["rounds"]):
                hasher.verify(password, encoded)
            cpu = 1000 * (time.process_time() - cpu) / opts["rounds"]
            wall = 1000 * (time.perf_counter() - wall) / opts["rounds"]
            params = encoded.split("$")[3] if encoded.count("$") >= 4 else ""
            self.stdout.write(f"{label:<26} {hasher.algorithm} {params:<22} {cpu:6.1f} ms CPU, {wall:6.1f} ms wall per check")
