from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "openqi.core"
    label = "core"
