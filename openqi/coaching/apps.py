from django.apps import AppConfig


class CoachingConfig(AppConfig):
    name = "openqi.coaching"
    label = "coaching"
    verbose_name = "Coaching"

    def ready(self) -> None:
        # What coaching shows on other apps' pages goes through their plug-in points (docs/adr/0012).
        from openqi.coaching import presenters
        from openqi.core.plugins import NavSection, Panel, home_panels, navigation
        from openqi.projects import plugins
        from openqi.projects.access import Level

        navigation.register(
            NavSection("coaching:caseload", "Coaching", visible=presenters.is_coach), key="coaching", order=30
        )
        navigation.register(
            NavSection("coaching:sponsored", "Sponsoring", visible=presenters.is_sponsor),
            key="sponsoring",
            order=31,
        )
        plugins.project_tabs.register(
            plugins.ProjectTab("coaching:project_sessions", "Coaching", Level.EDIT), key="coaching", order=45
        )
        plugins.project_tabs.register(
            plugins.ProjectTab("coaching:project_updates", "Sponsor updates", Level.VIEW),
            key="sponsor_updates",
            order=46,
        )
        plugins.overview_panels.register(
            Panel("coaching/_overview_panel.jinja", presenters.overview_panel), key="coaching", order=20
        )
        plugins.timeline_sources.register(
            plugins.TimelineSource("coaching", "Coaching sessions", presenters.session_events),
            key="coaching",
            order=60,
        )
        home_panels.register(
            Panel("coaching/_home_ideas.jinja", presenters.ideas_home_panel), key="coaching_ideas"
        )
