from django.apps import AppConfig


class InvolvementConfig(AppConfig):
    name = "openqi.involvement"
    label = "involvement"
    verbose_name = "Involvement"

    def ready(self) -> None:
        # What involvement shows on other apps' pages goes through their plug-in points (docs/adr/0012).
        pass
