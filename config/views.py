from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from rest_framework.authtoken.views import ObtainAuthToken

from cadres.scope import user_posts
from config.navigation import landing_url_name


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """Sign out (POST) and say so on the login page."""

    def post(self, request, *args, **kwargs):
        was_signed_in = request.user.is_authenticated
        response = super().post(request, *args, **kwargs)
        if was_signed_in:
            messages.success(request, "您已安全退出登录。")
        return response


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page links."""
    from django.templatetags.static import static

    return redirect(static("favicon.svg"), permanent=True)


class ObtainTokenView(ObtainAuthToken):
    """POST username + password, get an API token (for scripts and other systems)."""


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
