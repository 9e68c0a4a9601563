from django.apps import AppConfig


class CoachingConfig(AppConfig):
    name = "openqi.coaching"
    label = "coaching"
    verbose_name = "Coaching"

    def ready(self) -> None:
        # What coaching shows on other apps' pages goes through their plug-in points (docs/adr/0012).
        pass
