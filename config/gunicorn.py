"""gunicorn settings of the web container: docker-compose.yml, the Dockerfile and `bench_load`
all start gunicorn with `-c config/gunicorn.py`, so the benchmark measures what production runs.

Worker class and count, per core (measured on the 2-core machine, docs/performance.md):
`gthread`, `GUNICORN_WORKERS_PER_CORE` processes per core plus one, each with `GUNICORN_THREADS`
threads. A page spends much of its time waiting on PostgreSQL; with sync workers that wait held
one of three processes, and a burst of sign-ins (Argon2, CPU) queued every page behind it. Threads
let a process serve other requests while one waits on the database, and a few processes per core
keep both cores busy with Python. `WEB_CONCURRENCY` sets the process count outright.
"""

import os

_cores = os.cpu_count() or 1
workers = int(os.environ.get("WEB_CONCURRENCY") or (_cores * int(os.environ.get("GUNICORN_WORKERS_PER_CORE") or 1) + 1))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS") or "gthread"
threads = int(os.environ.get("GUNICORN_THREADS") or 4)
bind = os.environ.get("GUNICORN_BIND") or "0.0.0.0:8000"
# No keep-alive: each response closes its connection, as sync workers always did. nginx speaks
# HTTP/1.0 to gunicorn without keep-alive (deploy/nginx.conf), so production loses nothing; a
# client talking to gunicorn directly (bench_load's Locust) otherwise met gthread's race: a kept
# connection idle past `keepalive` (2 s by default) is closed at the worker's next round, and a
# request the client sent on it meanwhile is answered with a reset (55 of 4,232 requests at
# 1–3 s between pages). GUNICORN_KEEPALIVE sets seconds for a front that reuses connections.
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE") or 0)
timeout = 60
preload_app = True


def on_starting(server):
    """Refuse to start on a configuration the system checks reject (e.g. sign-in limits without
    a store shared by the workers, config/checks.py); `migrate` runs the same checks."""
    from django.core import checks

    errors = [m for m in checks.run_checks() if m.level >= checks.ERROR]
    for message in errors:
        server.log.error("%s", message)
    if errors:
        raise SystemExit("gunicorn: the system checks found errors; not starting")
