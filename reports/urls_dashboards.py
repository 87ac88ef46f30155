from django.urls import path

from . import views_dashboards as views

urlpatterns = [
    path("county/", views.county_dashboard, name="county_dashboard"),
    path("township/", views.township_dashboard_mine, name="township_dashboard_mine"),
    path("township/<str:code>/", views.township_dashboard, name="township_dashboard"),
    path("village/", views.my_village, name="my_village"),
    path("village/<str:code>/", views.village, name="village"),
    path("notices/<int:pk>/read/", views.notice_read, name="notice_read"),
]

from . import views_bulletins  # noqa: E402

urlpatterns += [
    path("bulletins/", views_bulletins.bulletin_list, name="bulletin_list"),
    path("bulletins/generate/", views_bulletins.bulletin_generate_view, name="bulletin_generate"),
    path("bulletins/<int:pk>/<str:fmt>/", views_bulletins.bulletin_download, name="bulletin_download"),
]

from . import views_trends  # noqa: E402

urlpatterns += [
    path("trends/", views_trends.trends_mine, name="trends_mine"),
    path("trends/county/", views_trends.trends_county, name="trends_county"),
    path("trends/township/<str:code>/", views_trends.trends_township, name="trends_township"),
    path("trends/village/<str:code>/", views_trends.trends_village, name="trends_village"),
    path("screen/", views_trends.screen, name="screen"),
]
