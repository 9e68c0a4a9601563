"""Learning: the QI training pathway: programmes, cohorts, sessions, attendance, feedback and each person's
learning record."""

from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "openqi.learning"
    label = "learning"
    verbose_name = "Learning"

    def ready(self) -> None:
        # What learning shows on other apps' pages goes through their plug-in points (docs/adr/0012).
        from openqi.core import plugins as core_plugins
        from openqi.learning import presenters
        from openqi.projects import plugins

        core_plugins.navigation.register(
            core_plugins.NavSection("learning:programmes", "Learning"), key="learning", order=50
        )
        plugins.member_columns.register(
            plugins.MemberColumn("Training", presenters.training_column), key="learning", order=50
        )
        plugins.team_panels.register(
            core_plugins.Panel("learning/_team_panel.jinja", presenters.team_panel), key="learning", order=50
        )
