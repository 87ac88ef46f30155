from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import Throttled
from rest_framework.response import Response

from config import throttles

from .navigation import landing_url_name
from .scope import user_posts


class LoginView(auth_views.LoginView):
    """Django's login, throttled per IP and per username, and closed to an IP that failed with
    many usernames (config/throttles.py); axes still locks a username + IP pair."""

    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        refusal = None
        if throttles.ip_locked(request):
            refusal, status = throttles.MSG_IP_LOCKED, 403
        elif not throttles.attempt_allowed(request):
            refusal, status = throttles.MSG_THROTTLED, 429
        if refusal:
            form = self.get_form()
            form.is_bound = True
            form.add_error(None, refusal)
            return self.render_to_response(self.get_context_data(form=form), status=status)
        return super().post(request, *args, **kwargs)


class LogoutView(auth_views.LogoutView):
    """Sign out (POST) and say so on the login page."""

    def post(self, request, *args, **kwargs):
        was_signed_in = request.user.is_authenticated
        response = super().post(request, *args, **kwargs)
        if was_signed_in:
            messages.success(request, "您已安全退出登录。")
        return response


class ObtainTokenView(ObtainAuthToken):
    """POST username + password, get an API token (for scripts and other systems); throttled
    like the login page."""

    throttle_classes = list(throttles.THROTTLES)

    def throttled(self, request, wait):
        raise Throttled(wait, detail=throttles.MSG_THROTTLED)

    def post(self, request, *args, **kwargs):
        if throttles.ip_locked(request):
            return Response({"detail": throttles.MSG_IP_LOCKED}, status=403)
        return super().post(request, *args, **kwargs)


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
