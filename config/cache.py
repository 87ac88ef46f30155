"""A Redis cache that is never on a request's critical path.

Django's Redis cache raises when Redis is down and waits as long as the socket lets it when
Redis hangs. Here every call is bounded by the one-second timeouts in the settings, and an
error of any kind is a miss: a read returns the default, a write does nothing, `add` reports
that it stored the value (so the caller goes on as on a miss), `incr` behaves as for a missing
key. After an error the process leaves Redis alone for RETRY_AFTER_SECONDS, so a page that
reads the cache ten times pays one timeout, not ten.
"""

from __future__ import annotations

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 15
# Per process, not per cache object: Django makes one cache object per thread.
_down_until: dict[str, float] = {}


def forget_cache_failures() -> None:
    """Try Redis again at the next call (a test that brings it back at once)."""
    _down_until.clear()


class SafeRedisCache(RedisCache):
    def _call(self, name: str, fallback, *args, **kwargs):
        if not self.available:
            return fallback()
        try:
            return getattr(super(), name)(*args, **kwargs)
        except ValueError:
            raise  # incr of a missing key: the caller's business, as with any cache
        except Exception:
            _down_until[self._location_key] = time.monotonic() + RETRY_AFTER_SECONDS
            logger.warning("cache unreachable: %s treated as a miss", name, exc_info=True)
            return fallback()

    @property
    def available(self) -> bool:
        """False for a few seconds after an error: the process is not trying Redis."""
        return time.monotonic() >= _down_until.get(self._location_key, 0.0)

    @property
    def _location_key(self) -> str:
        return ",".join(self._servers)

    def ping(self) -> None:
        """Raise unless Redis answers (for the readiness check; bypasses the fallback)."""
        self._cache.get_client(write=False).ping()

    def get(self, key, default=None, version=None):
        return self._call("get", lambda: default, key, default, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", dict, keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", lambda: False, key, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", lambda: True, key, value, timeout, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", lambda: None, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", list, data, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", lambda: False, key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", lambda: False, key, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", lambda: None, keys, version)

    def incr(self, key, delta=1, version=None):
        def missing():
            raise ValueError(f"Key '{key}' not found (cache unreachable)")

        return self._call("incr", missing, key, delta, version)

    def clear(self):
        return self._call("clear", lambda: False)
