from urllib.parse import urlencode

from captcha.helpers import captcha_image_url
from captcha.models import CaptchaStore
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response

from config import throttles

from .authentication import MSG_MUST_CHANGE_API
from .navigation import landing_url_name
from .scope import user_posts


class LoginView(auth_views.LoginView):
    """Django's login, with the challenge (an image captcha) for an address or a username that
    failed too often (config/throttles.py); axes still locks a username + address pair. A
    successful sign-in is never refused for sharing an address."""

    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def get_form_class(self):
        username = self.request.POST.get("username", "") if self.request.method == "POST" else ""
        if throttles.challenge_required(self.request, username):
            return throttles.ChallengedAuthenticationForm
        return super().get_form_class()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["challenge_reason"] = throttles.MSG_CHALLENGE
        return context


class LogoutView(auth_views.LogoutView):
    """Sign out (POST) and say so on the login page."""

    def post(self, request, *args, **kwargs):
        was_signed_in = request.user.is_authenticated
        response = super().post(request, *args, **kwargs)
        if was_signed_in:
            messages.success(request, "您已安全退出登录。")
        return response


def admin_login(request: HttpRequest) -> HttpResponse:
    """The admin signs in through the portal's login page, so its limits and challenge hold
    there too."""
    if request.user.is_authenticated:  # signed in without admin rights: no redirect loop
        return render(request, "403.html", {"exception": "您的账号没有后台管理权限。"}, status=403)
    return redirect(f"{reverse('login')}?{urlencode({'next': request.GET.get('next') or '/admin/'})}")


class ObtainTokenView(ObtainAuthToken):
    """POST username + password, get an API token (for scripts and other systems).

    Under the challenge (config/throttles.py) the answer is refused with 403 and a new captcha
    (`challenge.key`, `challenge.image_url`); the caller sends `challenge_key` and
    `challenge_answer` with the next attempt. An account still on a one-time password gets no
    token: it may only change the password, on the web page."""

    def post(self, request, *args, **kwargs):
        data = request.data if isinstance(request.data, dict) else {}
        if throttles.challenge_required(request, data.get("username", "")):
            answered = throttles.ChallengeForm(data={"captcha_0": data.get("challenge_key", ""),
                                                     "captcha_1": data.get("challenge_answer", "")})
            if not answered.is_valid():
                detail = throttles.MSG_CHALLENGE_WRONG if data.get("challenge_key") else throttles.MSG_CHALLENGE
                key = CaptchaStore.generate_key()
                return Response({"detail": detail, "challenge": {
                    "key": key, "image_url": request.build_absolute_uri(captcha_image_url(key))}}, status=403)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = serializer.validated_data["user"]
        if user.must_change_password:
            return Response({"detail": MSG_MUST_CHANGE_API}, status=403)
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Send each user to the page their role starts from."""
    name = landing_url_name(request.user)
    if name:
        try:
            return redirect(reverse(name[0], args=name[1]))
        except NoReverseMatch:
            pass
    return render(request, "home.html", {"posts": user_posts(request.user)})
