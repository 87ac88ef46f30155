"""The award's public notice, opened from a QR code without an account."""

from django.urls import path

from .views import public_notice

app_name = "public_notice"

urlpatterns = [
    path("<str:code>/<int:year>/", public_notice.public_notice, name="notice"),
]
