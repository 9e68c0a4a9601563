"""Involvement (co-production): partner onboarding, involvement and payment claims, reflections."""

from django.apps import AppConfig


class InvolvementConfig(AppConfig):
    name = "openqi.involvement"
    label = "involvement"
    verbose_name = "Involvement"

    def ready(self) -> None:
        # What involvement shows on other apps' pages goes through their plug-in points (docs/adr/0012).
        from openqi.core import plugins as core_plugins
        from openqi.involvement import first_contact, presenters
        from openqi.organisations import plugins as organisation_plugins
        from openqi.projects import plugins
        from openqi.projects.access import Level

        plugins.project_tabs.register(
            plugins.ProjectTab("involvement:project", "Involvement", Level.VIEW), key="involvement", order=60
        )
        plugins.team_panels.register(
            core_plugins.Panel("involvement/_onboarding_panel.jinja", presenters.onboarding_panel),
            key="involvement_onboarding",
        )
        plugins.member_columns.register(
            plugins.MemberColumn("Partner onboarding", presenters.onboarding_column),
            key="involvement_onboarding",
        )
        plugins.overview_panels.register(
            core_plugins.Panel("involvement/_reflection_panel.jinja", presenters.reflection_panel),
            key="involvement_reflection",
            order=60,
        )
        organisation_plugins.team_role_names.register(first_contact.team_role_name, key="team_roles")
        organisation_plugins.guest_roles.register(first_contact.guest_roles, key="team_roles")
        core_plugins.home_panels.register(
            core_plugins.Panel("involvement/_approvals_panel.jinja", presenters.approvals_panel),
            key="involvement_approvals",
            order=40,
        )
