"""Story log, timeline and audit trail URLs (included into projects.urls)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
