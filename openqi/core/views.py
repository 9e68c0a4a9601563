from __future__ import annotations

from django.db import connection
from django.db.utils import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from openqi.core.pagecache import cached_page
from openqi.core.params import MalformedRequest
from openqi.core.plugins import home_panels_for


@cached_page
def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "core/welcome.jinja")
    return render(request, "core/home.jinja", {"panels": home_panels_for(request)})


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


def _error(template: str, status: int):  # type: ignore[no-untyped-def]
    def view(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
        return render(request, template, status=status)

    return view


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # Only our own MalformedRequest carries a message for people; Django's (a bad Host header) does not.
    message = exception.message if isinstance(exception, MalformedRequest) else ""
    return render(request, "errors/400.jinja", {"message": message}, status=400)


permission_denied = _error("errors/403.jinja", 403)
page_not_found = _error("errors/404.jinja", 404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "errors/500.jinja", status=500)
