from django.urls import path

from . import views_dashboards as views

urlpatterns = [
    path("county/", views.county_dashboard, name="county_dashboard"),
    path("township/", views.township_dashboard_mine, name="township_dashboard_mine"),
    path("township/<str:code>/", views.township_dashboard, name="township_dashboard"),
    path("village/", views.my_village, name="my_village"),
    path("village/<str:code>/", views.village, name="village"),
]
