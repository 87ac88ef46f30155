from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import health, views
from .api import build_router

admin.site.site_header = "五星支部创建管理平台"
admin.site.site_title = "五星支部创建管理平台"
admin.site.index_title = "后台管理"

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("favicon.ico", views.favicon, name="favicon"),
    # Sign-in, sign-out, the start page by role, the password change and the API token.
    path("", include("cadres.urls_access")),
    path("admin/", admin.site.urls),
    path("captcha/", include("captcha.urls")),
    path("regions/", include("reports.urls_regions")),
    path("people/", include("cadres.urls")),
    path("branches/", include("branches.urls")),
    path("public/", include("branches.urls_public")),
    path("public/notice/", include("ratings.campaign.urls_public")),
    path("economy/", include("projects.urls")),
    path("ratings/", include("ratings.urls")),
    path("campaign/", include("ratings.campaign.urls")),
    path("reports/", include("reports.urls")),
    path("api/", include(build_router().urls)),
    # The schema and Swagger UI are for signed-in users only (SERVE_PERMISSIONS); the UI page
    # sends a visitor to the sign-in page. The split view serves its init script as a file, so
    # the page runs under the site's Content-Security-Policy.
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", login_required(SpectacularSwaggerSplitView.as_view(url_name="api-schema")), name="api-docs"),
]

# No route serves MEDIA_ROOT by path, in any environment: every stored file is answered by the
# download view of the record it belongs to (config/files.py), after that record's scope check.
