from django.urls import URLPattern, URLResolver

app_name = "involvement"

urlpatterns: list[URLPattern | URLResolver] = []
