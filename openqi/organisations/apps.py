from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "openqi.organisations"
    label = "organisations"

    def ready(self) -> None:
        from openqi.accounts import plugins as account_plugins
        from openqi.core import plugins
        from openqi.organisations import presenters, services

        account_plugins.sign_in_email_lines.register(services.sign_in_email_line, key="invitation")

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
