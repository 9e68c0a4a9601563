from django.apps import AppConfig


class ToolsConfig(AppConfig):
    name = "openqi.tools"
    label = "tools"
    verbose_name = "Tools"

    def ready(self) -> None:
        # What tools shows on other apps' pages goes through their plug-in points (docs/adr/0012).
        pass
