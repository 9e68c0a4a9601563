from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "openqi.organisations"
    label = "organisations"

    def ready(self) -> None:
        from openqi.core import plugins
        from openqi.organisations import presenters

        plugins.navigation.register(
            plugins.NavSection(
                "organisations:admin_home", "Organisation", visible=presenters.administers_an_organisation
            ),
            key="organisation",
            order=90,
        )
        plugins.home_panels.register(
            plugins.Panel("organisations/_home_panel.jinja", presenters.home_panel),
            key="organisations",
            order=20,
        )
