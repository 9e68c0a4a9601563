from django.urls import URLPattern, URLResolver

app_name = "tools"

urlpatterns: list[URLPattern | URLResolver] = []
