from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo trust that `make run` serves (and, later, the large trust for scale benchmarks). The top
    layer: it may import every app, and no app imports it."""

    name = "openqi.demo"
    label = "demo"
    verbose_name = "Demo data"
