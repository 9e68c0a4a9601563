from django.apps import AppConfig


class PortfolioConfig(AppConfig):
    name = "openqi.portfolio"
    label = "portfolio"
    verbose_name = "Portfolio"

    def ready(self) -> None:
        # What portfolio shows on other apps' pages goes through their plug-in points (docs/adr/0012).
        from openqi.core import plugins as core_plugins
        from openqi.portfolio import access, presenters
        from openqi.projects import plugins

        core_plugins.navigation.register(
            core_plugins.NavSection(
                "portfolio:dashboard",
                "Portfolio",
                visible=lambda user: bool(access.readable_organisations(user)),
            ),
            key="portfolio",
            order=60,
        )
        plugins.overview_panels.register(
            core_plugins.Panel("portfolio/_exports_panel.jinja", presenters.exports_panel),
            key="portfolio",
            order=80,
        )
