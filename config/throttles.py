"""Throttling sign-in: the token endpoint and the login page, per client IP and per username,
and a lock on an IP that fails with many usernames.

django-axes locks a username + IP pair after `AXES_FAILURE_LIMIT` failures. That does not stop
one password tried against every username (each pair fails once), nor a flood of attempts.
So, in addition,

- every sign-in attempt (login form POST, token request) counts against the client's IP
  (`login_ip` rate) and against the username tried (`login_username` rate), DRF throttles on the
  shared cache; over the rate, the attempt is refused with 429 before any password is checked;
- every failed attempt counts against the IP; after `LOGIN_IP_FAILURE_LIMIT` failures within the
  axes cool-off time, the IP is locked, whatever usernames it tries.

The client IP is REMOTE_ADDR, or the address `TRUSTED_PROXIES` front servers put in
X-Forwarded-For (docker-compose: nginx, 1); a client cannot choose its own.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core.cache import cache
from django.dispatch import receiver
from rest_framework.throttling import SimpleRateThrottle

MSG_THROTTLED = "尝试登录过于频繁，请稍后再试。"
MSG_IP_LOCKED = "该网络地址登录失败次数过多，已暂时锁定，请稍后再试或联系管理员。"


def client_ip(request) -> str:
    meta = getattr(request, "META", {})
    proxies = getattr(settings, "TRUSTED_PROXIES", 0)
    forwarded = meta.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [h.strip() for h in forwarded.split(",") if h.strip()]
        if hops:
            return hops[-min(proxies, len(hops))]
    return meta.get("REMOTE_ADDR", "") or "unknown"


def _username(request) -> str:
    data = getattr(request, "data", None)
    if data is None or not hasattr(data, "get"):
        data = getattr(request, "POST", {})
    try:
        value = data.get("username", "")
    except AttributeError:
        return ""
    return str(value).strip().lower()[:150] if value else ""


class LoginIPThrottle(SimpleRateThrottle):
    scope = "login_ip"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request)}


class LoginUsernameThrottle(SimpleRateThrottle):
    scope = "login_username"

    def get_cache_key(self, request, view):
        username = _username(request)
        return self.cache_format % {"scope": self.scope, "ident": username} if username else None


THROTTLES = (LoginIPThrottle, LoginUsernameThrottle)


def _failures_key(ip: str) -> str:
    return f"login-failures-ip:{ip}"


def ip_locked(request) -> bool:
    return cache.get(_failures_key(client_ip(request)), 0) >= settings.LOGIN_IP_FAILURE_LIMIT


def attempt_allowed(request) -> bool:
    """Count this sign-in attempt against the IP and the username; False when over a rate."""
    return all(throttle().allow_request(request, None) for throttle in THROTTLES)


@receiver(user_login_failed)
def _count_failure(sender, credentials=None, request=None, **kwargs):
    if request is None:
        return
    key = _failures_key(client_ip(request))
    timeout = int(settings.AXES_COOLOFF_TIME * 3600)
    if cache.add(key, 1, timeout):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout)
