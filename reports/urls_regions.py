from django.urls import path

from . import views_regions as views

# The region browser keeps the namespace of the tree it browses: `villages:region_detail`.
app_name = "villages"

urlpatterns = [
    path("", views.region_browser, name="region_browser"),
    path("<str:code>/", views.region_detail, name="region_detail"),
]
