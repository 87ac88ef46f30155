from django.urls import path

from . import views_work

app_name = "cadres"

urlpatterns: list = [
    path("sign-in/", views_work.sign_in, name="sign_in"),
    path("attendance/", views_work.township_attendance_page, name="township_attendance"),
    path("monthly-report/", views_work.monthly_report, name="monthly_report"),
]
