"""System checks of the production setup (run by `manage.py check --deploy`, by `migrate` at
every start of the web container, and by gunicorn's start hook in config/gunicorn.py)."""

from __future__ import annotations

from django.conf import settings
from django.core import checks

# Caches that live in one process: counts kept there are not seen by the other workers.
PROCESS_LOCAL_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


def sign_in_store_problems(*, databases: dict, caches: dict, axes_handler: str, axes_cache: str,
                           axes_enabled: bool) -> list[str]:
    """What keeps sign-in limits from being shared by every web process, in Chinese (empty: none).

    Failed sign-ins are counted in the database (config/throttles.py) and, for the username +
    address lock, by django-axes in its handler's store: both must be one store for all
    processes, or each gunicorn worker counts apart and an attacker gets the limit once per
    worker."""
    problems = []
    db = databases["default"]
    if (db["ENGINE"].endswith("sqlite3") and str(db.get("NAME", "")) in ("", ":memory:")) \
            or "mode=memory" in str(db.get("NAME", "")):
        problems.append("数据库是进程内存中的 SQLite：登录失败次数无法在各进程间共享")
    if not axes_enabled:
        problems.append("AXES_ENABLED 已关闭：用户名 + 网络地址的失败锁定不起作用")
    elif "cache" in axes_handler.lower():
        backend = caches.get(axes_cache or "default", {}).get("BACKEND", "")
        if backend in PROCESS_LOCAL_CACHES:
            problems.append(f"django-axes 使用进程内缓存（{backend.rsplit('.', 1)[-1]}）计数：请改用数据库或共享缓存")
    return problems


@checks.register(checks.Tags.security)
def sign_in_limits_shared(app_configs, **kwargs):
    if not getattr(settings, "PRODUCTION", False):
        return []
    problems = sign_in_store_problems(
        databases=settings.DATABASES, caches=settings.CACHES,
        axes_handler=getattr(settings, "AXES_HANDLER", "axes.handlers.database.AxesDatabaseHandler"),
        axes_cache=getattr(settings, "AXES_CACHE", "default"), axes_enabled=getattr(settings, "AXES_ENABLED", True))
    return [checks.Error(f"登录限制没有共享存储：{p}", hint="生产环境中登录失败须记在所有进程共享的存储里",
                         id="portal.E001") for p in problems]
