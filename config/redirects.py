"""Following a `next` parameter without becoming an open redirect."""

from __future__ import annotations

from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request, target: str | None, default: str) -> str:
    """`target` if it stays on this site (relative, or our own host and scheme), else `default`.
    `//evil.example/x` and `https://evil.example/` are refused, as Django's login view does."""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                   require_https=request.is_secure()):
        return target
    return default
