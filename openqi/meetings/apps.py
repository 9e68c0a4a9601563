from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "openqi.meetings"
    label = "meetings"
    verbose_name = "Meetings"

    def ready(self) -> None:
        # What meetings shows on other apps' pages goes through their plug-in points (docs/adr/0012).
        pass
