"""Changing one's own password, and the change forced after a one-time password."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy

from .accounts import password_changed

MSG_MUST_CHANGE = "您正在使用一次性密码，请先设置自己的新密码"
MSG_CHANGED = "密码已修改，请牢记新密码"


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's form and password validators (messages in Chinese), our page; after the change
    no change is forced any more and the change is audited."""

    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        response = super().form_valid(form)
        password_changed(user=self.request.user)
        messages.success(self.request, MSG_CHANGED)
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["forced"] = bool(getattr(self.request.user, "must_change_password", False))
        return context


class ForcePasswordChangeMiddleware:
    """A user still on a one-time password may only change it (or log out): opening a page
    leads to the change form; any other work (a form sent, an htmx or API call) is a 403 with
    the reason. Token calls to the API are refused by cadres/authentication.py."""

    ALLOWED_PREFIXES = ("/static/", "/accounts/logout/", "/accounts/password_change/", "/healthz")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated and getattr(user, "must_change_password", False)
                and not request.path.startswith(self.ALLOWED_PREFIXES)):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": MSG_MUST_CHANGE}, status=403)
            if request.headers.get("HX-Request"):
                response = JsonResponse({"detail": MSG_MUST_CHANGE}, status=403)
                response["HX-Redirect"] = reverse("password_change")
                return response
            if request.method not in ("GET", "HEAD"):
                return render(request, "403.html", {"exception": MSG_MUST_CHANGE}, status=403)
            messages.warning(request, MSG_MUST_CHANGE)
            return redirect("password_change")
        return self.get_response(request)
