from django.urls import URLPattern, URLResolver

app_name = "portfolio"

urlpatterns: list[URLPattern | URLResolver] = []
