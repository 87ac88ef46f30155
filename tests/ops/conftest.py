import pytest


@pytest.fixture
def with_broker():
    """As in production: tasks go to a broker (here one that is not listening)."""
    from config.celery import app

    # The write URL too: Celery prefers it for connections that send, and it is set from the
    # environment when a real broker is configured (CI's second pass).
    previous = app.conf.task_always_eager, app.conf.broker_url, app.conf.get("broker_write_url")
    app.conf.task_always_eager = False
    app.conf.broker_url = app.conf.broker_write_url = "redis://127.0.0.1:1/0"
    yield
    app.conf.task_always_eager, app.conf.broker_url, app.conf.broker_write_url = previous
