"""Reports' pages: the read-only outputs (dashboards, bulletins).

The campaign's workflow pages moved to ratings/campaign/ (mounted at /campaign/); their old
paths here answer with a permanent redirect that keeps the method and the query string, so
bookmarks and links in sent bulletins keep working."""

from django.http import HttpResponsePermanentRedirect
from django.urls import get_script_prefix, re_path

from .urls_dashboards import urlpatterns as dashboard_urlpatterns

app_name = "reports"


class _KeepMethodRedirect(HttpResponsePermanentRedirect):
    status_code = 308


def moved_to_campaign(request, rest: str):
    query = request.META.get("QUERY_STRING", "")
    return _KeepMethodRedirect(f"{get_script_prefix()}campaign/{rest}" + (f"?{query}" if query else ""))


urlpatterns = [
    *dashboard_urlpatterns,
    re_path(r"^(?P<rest>(?:tasks|inspections|awards)/.*)$", moved_to_campaign, name="moved_to_campaign"),
]
