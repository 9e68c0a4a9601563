from django.apps import AppConfig


class PortfolioConfig(AppConfig):
    name = "openqi.portfolio"
    label = "portfolio"
    verbose_name = "Portfolio"

    def ready(self) -> None:
        # What portfolio shows on other apps' pages goes through their plug-in points (docs/adr/0012).
        pass
