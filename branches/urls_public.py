"""Pages a villager opens from a QR code printed by the portal, without an account."""

from django.urls import path

from . import views_service_centre as views

app_name = "public"

urlpatterns = [
    path("duty/<str:code>/", views.public_duty, name="duty"),
    path("errand/<str:token>/", views.public_errand, name="errand"),
]
