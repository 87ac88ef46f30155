from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page links."""
    from django.templatetags.static import static

    return redirect(static("favicon.svg"), permanent=True)
