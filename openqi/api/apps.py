from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "openqi.api"
    label = "api"
    verbose_name = "API"
