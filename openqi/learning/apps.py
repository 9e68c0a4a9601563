from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "openqi.learning"
    label = "learning"
    verbose_name = "Learning"

    def ready(self) -> None:
        # What learning shows on other apps' pages goes through their plug-in points (docs/adr/0012).
        pass
