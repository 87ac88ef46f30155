"""Sign-in limits: the login page and the token endpoint, counted in the database.

What is limited is failure, never success: a county's offices, or a training hall of 300 village
secretaries, reach the portal through one address, and an address that signs in many different
users successfully is a hall, not an attack. So

- django-axes locks a username + address pair after `AXES_FAILURE_LIMIT` failures within
  `AXES_COOLOFF_TIME` (axes keeps its counts in the database);
- an address that failed with `LOGIN_IP_FAILURE_LIMIT` different usernames within the cool-off
  (password spraying) gets a **challenge**, an image captcha served by the portal itself, for
  every further sign-in from it: a person answers it and signs in, a script cannot go on;
- a username that failed `LOGIN_USERNAME_FAILURE_LIMIT` times from any addresses within the
  cool-off (one account guessed from many addresses) gets the same challenge.

Counts live in the database (`SignInFailure`, `axes.AccessAttempt`) so every web process sees the
same ones; a per-process cache let each gunicorn worker count apart. A successful sign-in writes
nothing here. An attempt that needs the challenge and does not answer it is refused before the
password is checked, so a flood of guesses costs no password hashing.

The client address is REMOTE_ADDR, or the address `TRUSTED_PROXIES` front servers put in
X-Forwarded-For (docker-compose: nginx, 1); a client cannot choose its own.
"""

from __future__ import annotations

import datetime as dt

from captcha.fields import CaptchaField, CaptchaTextInput
from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver
from django.utils import timezone

from config.models import PublicSubmission, SignInFailure

MSG_CHALLENGE = "该网络地址或账号近期登录失败较多，请输入图片中的验证码后再登录。"
MSG_CHALLENGE_WRONG = "验证码不正确或已过期，请看新的图片重新输入。"
MSG_PUBLIC_FLOOD = "提交过于频繁，请稍后再试。"
CHALLENGE_ERRORS = {"required": MSG_CHALLENGE, "incomplete": MSG_CHALLENGE, "invalid": MSG_CHALLENGE_WRONG}


def client_ip(request) -> str:
    meta = getattr(request, "META", {})
    proxies = getattr(settings, "TRUSTED_PROXIES", 0)
    forwarded = meta.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [h.strip() for h in forwarded.split(",") if h.strip()]
        if hops:
            return hops[-min(proxies, len(hops))]
    return meta.get("REMOTE_ADDR", "") or "unknown"


def normal_username(value) -> str:
    return str(value).strip().lower()[:150] if value else ""


def _cooloff_start() -> dt.datetime:
    return timezone.now() - dt.timedelta(hours=settings.AXES_COOLOFF_TIME)


def challenge_required(request, username: str = "") -> bool:
    """Whether a sign-in from this request's address (for `username`, if given) must answer the
    challenge first. Two indexed counts over the cool-off's failures."""
    since = _cooloff_start()
    recent = SignInFailure.objects.filter(at__gte=since)
    spraying = (recent.filter(ip_address=client_ip(request)).values("username").distinct().count()
                >= settings.LOGIN_IP_FAILURE_LIMIT)
    if spraying:
        return True
    username = normal_username(username)
    return bool(username) and recent.filter(username=username).count() >= settings.LOGIN_USERNAME_FAILURE_LIMIT


def _challenge_field() -> CaptchaField:
    widget = CaptchaTextInput(attrs={"class": "form-control form-control-lg", "autocomplete": "off",
                                     "autocapitalize": "off", "inputmode": "latin"})
    return CaptchaField(label="验证码", error_messages=CHALLENGE_ERRORS, widget=widget)


class ChallengeForm(forms.Form):
    """The challenge alone (the token endpoint): `captcha_0` the key, `captcha_1` the answer.
    A captcha answers one attempt only, right or wrong (django-simple-captcha deletes it)."""

    captcha = _challenge_field()


class ChallengedAuthenticationForm(AuthenticationForm):
    """The login form with the challenge. The password is checked only once the challenge is
    answered: an unanswered attempt costs no hashing and counts as no failure."""

    captcha = _challenge_field()

    def clean(self):
        if "captcha" in self.errors:
            return self.cleaned_data
        return super().clean()


@receiver(user_login_failed)
def _count_failure(sender, credentials=None, request=None, **kwargs):
    """Every failed authenticate() with a request counts: a wrong password, an unknown username,
    and an attempt axes refused because its pair is locked."""
    if request is None:
        return
    username = normal_username((credentials or {}).get("username", ""))
    SignInFailure.objects.create(username=username, ip_address=client_ip(request)[:64])
    # Failures are rare next to sign-ins, so pruning here keeps the table to the cool-off's
    # rows without a scheduled job (the embedded default has no celery beat).
    SignInFailure.objects.filter(at__lt=_cooloff_start()).delete()


# --- forms open to the public ---------------------------------------------------------------
# A villager's QR pages (a satisfaction mark, an objection to a public notice) have no account to
# count by: submissions are counted per client address and form in the database, like sign-in
# failures, so every web process sees the same counts and no cache server is on the request's
# path. A village's residents may reach the portal through one mobile carrier's address, so the
# limit (PUBLIC_FORM_LIMIT per PUBLIC_FORM_WINDOW_MINUTES) leaves room for many honest people and
# refuses only a flood.


def _public_window_start() -> dt.datetime:
    return timezone.now() - dt.timedelta(minutes=settings.PUBLIC_FORM_WINDOW_MINUTES)


def public_form_flooded(request, form: str) -> bool:
    """Whether this address has used up its submissions of `form` in the window (one indexed count)."""
    return (PublicSubmission.objects.filter(form=form, ip_address=client_ip(request)[:64], at__gte=_public_window_start())
            .count() >= settings.PUBLIC_FORM_LIMIT)


def public_form_count(request, form: str) -> None:
    """Count one accepted submission of `form` from this address; prune rows past the window."""
    PublicSubmission.objects.create(form=form, ip_address=client_ip(request)[:64])
    PublicSubmission.objects.filter(at__lt=_public_window_start()).delete()
