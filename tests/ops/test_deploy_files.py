"""docker-compose.yml parses (through the docker CLI's compose, where one is installed) and
describes the production layout; the Dockerfile builds the virtualenv the Makefile builds."""

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
ENV = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": "/tmp"}


def compose_cli() -> list[str] | None:
    if shutil.which("docker"):
        probe = subprocess.run(["docker", "compose", "version"], capture_output=True, env=ENV)
        if probe.returncode == 0:
            return ["docker", "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    return None


def _config(cli, **env):
    return subprocess.run([*cli, "-f", str(ROOT / "docker-compose.yml"), "config"], capture_output=True, text=True,
                          env={**ENV, **env}, cwd=ROOT, timeout=120)


@pytest.mark.skipif(not shutil.which("docker") and not shutil.which("docker-compose"),
                    reason="no docker CLI on this machine")
def test_docker_compose_config_parses_and_lists_the_production_services():
    cli = compose_cli()
    assert cli, "docker is installed without compose: scripts/system-packages.sh installs docker-compose"
    result = _config(cli, SECRET_KEY="k" * 60, ALLOWED_HOSTS="portal.example.cn")
    assert result.returncode == 0, result.stderr
    config = yaml.safe_load(result.stdout)
    services = config["services"]
    assert set(services) >= {"db", "broker", "cache", "web", "worker", "beat", "backup"}
    assert "backups" in config["volumes"]
    assert any("/backups" in str(v) for v in services["backup"]["volumes"])
    assert "manage.py backup" in str(services["backup"]["command"])
    assert "scripts/healthcheck.py" in services["web"]["healthcheck"]["test"]
    assert services["web"]["environment"]["SENTRY_DSN"] == ""  # error reporting off unless set


@pytest.mark.skipif(not shutil.which("docker") and not shutil.which("docker-compose"),
                    reason="no docker CLI on this machine")
def test_docker_compose_refuses_to_start_without_a_secret_key():
    cli = compose_cli()
    assert cli, "docker is installed without compose: scripts/system-packages.sh installs docker-compose"
    result = _config(cli, ALLOWED_HOSTS="portal.example.cn")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_compose_keeps_broker_and_cache_apart_and_the_site_off_both():
    """A stopped or hung Redis takes only what needs it: the broker and the cache are two
    servers, and the web service starts and serves without either."""
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    env = compose["x-app-env"]
    assert env["CELERY_BROKER_URL"].split("//")[1].split(":")[0] == "broker"
    assert env["CACHE_URL"].split("//")[1].split(":")[0] == "cache"
    services = compose["services"]
    assert set(services["web"]["depends_on"]) == {"db"}
    assert "broker" in services["worker"]["depends_on"] and "broker" in services["beat"]["depends_on"]
    assert "--maxmemory-policy allkeys-lru" in services["cache"]["command"]


def test_dockerfile_builds_the_makefiles_virtualenv_without_dev_extras():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "make install EXTRAS=" in dockerfile
    assert "PATH=/app/.venv/bin:$PATH" in dockerfile
    # The host's .venv must not be copied in: the Makefile would think it already built it.
    assert ".venv" in (ROOT / ".dockerignore").read_text().split()
    # What that make call runs: the same pip install into .venv, with no extras.
    dry = subprocess.run(["make", "-n", "-B", ".venv/bin/.installed", "EXTRAS="], capture_output=True, text=True,
                         cwd=ROOT, env=ENV)
    assert dry.returncode == 0, dry.stderr
    assert '.venv/bin/python -m pip install --quiet -e "."' in dry.stdout
    dev = subprocess.run(["make", "-n", "-B", ".venv/bin/.installed"], capture_output=True, text=True, cwd=ROOT,
                         env=ENV)
    assert '-e ".[dev]"' in dev.stdout


def test_going_live_doc_runs_its_commands_in_the_compose_stack():
    """docs/going-live.md's commands name the compose file's own services, and every manage.py
    command of the doc runs through `docker compose run --rm web`."""
    import re

    services = set(yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))["services"])
    doc = (ROOT / "docs" / "going-live.md").read_text(encoding="utf-8")
    assert {"db", "broker", "cache", "web", "worker", "beat"} <= services
    for named in re.findall(r"docker compose up -d ([a-z ]+)", doc):
        assert set(named.split()) <= services, named
    commands = re.findall(r"^\s*(.*python manage\.py \w+)", doc, re.M)
    assert commands and all(c.strip().startswith("docker compose run --rm web python manage.py") for c in commands)
    assert "setup_county" in doc and "--start" in doc


def test_compose_dockerfile_and_bench_load_start_gunicorn_from_one_settings_file():
    import runpy
    from unittest import mock

    compose = (ROOT / "docker-compose.yml").read_text()
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "gunicorn config.wsgi:application -c config/gunicorn.py" in compose
    assert '"gunicorn", "config.wsgi:application", "-c", "config/gunicorn.py"' in dockerfile
    assert "--workers" not in compose and "--workers" not in dockerfile
    with mock.patch.dict("os.environ", {}, clear=True), mock.patch("os.cpu_count", return_value=2):
        conf = runpy.run_path(str(ROOT / "config" / "gunicorn.py"))
    assert (conf["worker_class"], conf["workers"], conf["threads"], conf["preload_app"]) == ("gthread", 3, 4, True)
    # No keep-alive (nginx does not reuse upstream connections): no reset for a request sent on
    # a kept connection just as the worker closes it.
    assert conf["keepalive"] == 0
    with mock.patch.dict("os.environ", {}, clear=True), mock.patch("os.cpu_count", return_value=8):
        assert runpy.run_path(str(ROOT / "config" / "gunicorn.py"))["workers"] == 9
