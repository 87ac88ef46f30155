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
