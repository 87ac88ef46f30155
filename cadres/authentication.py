"""API authentication that knows about one-time passwords.

An account still on a one-time password may only change it. The pages are held by
`ForcePasswordChangeMiddleware`, but the middleware sees a token's user only after DRF has
authenticated it inside the view, so the API's own authentication classes refuse such an
account: a token obtained before a password reset, or a session, gets a 403 with the reason.
"""

from __future__ import annotations

from drf_spectacular.authentication import SessionScheme, TokenScheme
from rest_framework import authentication, exceptions

MSG_MUST_CHANGE_API = "该账号正在使用一次性密码，只能先在网页上修改密码；修改前不能使用 API。"


def _refuse_one_time(result):
    if result is not None and getattr(result[0], "must_change_password", False):
        raise exceptions.PermissionDenied(MSG_MUST_CHANGE_API)
    return result


class SessionAuthentication(authentication.SessionAuthentication):
    def authenticate(self, request):
        return _refuse_one_time(super().authenticate(request))


class TokenAuthentication(authentication.TokenAuthentication):
    def authenticate(self, request):
        return _refuse_one_time(super().authenticate(request))


# The API schema describes these as DRF's own session and token schemes.


class OneTimeAwareSessionScheme(SessionScheme):
    target_class = "cadres.authentication.SessionAuthentication"


class OneTimeAwareTokenScheme(TokenScheme):
    target_class = "cadres.authentication.TokenAuthentication"
