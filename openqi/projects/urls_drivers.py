"""Driver diagram and PDSA cycle URLs (included into projects.urls)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
