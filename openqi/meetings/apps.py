"""Meetings: a project's meetings, their papers, minutes and attendance; actions; calendar invitations (.ics)
and subscriptions; reminders and notification preferences."""

from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "openqi.meetings"
    label = "meetings"
    verbose_name = "Meetings"

    def ready(self) -> None:
        # What meetings shows on other apps' pages goes through their plug-in points (docs/adr/0012).
        from openqi.core import plugins as core_plugins
        from openqi.meetings import presenters
        from openqi.meetings.models import Meeting
        from openqi.projects import plugins
        from openqi.projects.access import Level

        core_plugins.navigation.register(
            core_plugins.NavSection("meetings:mine", "Meetings", visible=presenters.meetings_visible_to),
            key="meetings",
            order=25,
        )
        core_plugins.home_panels.register(
            core_plugins.Panel("meetings/_home_panel.jinja", presenters.home_panel), key="meetings", order=15
        )
        plugins.project_tabs.register(
            plugins.ProjectTab("meetings:project_meetings", "Meetings", Level.VIEW), key="meetings", order=40
        )
        plugins.project_tabs.register(
            plugins.ProjectTab("meetings:project_actions", "Actions", Level.VIEW), key="actions", order=41
        )
        plugins.overview_panels.register(
            core_plugins.Panel("meetings/_overview_panel.jinja", presenters.overview_panel),
            key="meetings",
            order=30,
        )
        plugins.timeline_sources.register(
            plugins.TimelineSource("meeting", "Meetings", presenters.meeting_events), key="meeting", order=60
        )
        plugins.timeline_sources.register(
            plugins.TimelineSource("meeting_minutes", "Meeting minutes", presenters.minutes_events),
            key="meeting_minutes",
            order=61,
        )
        plugins.search_sources.register(
            plugins.SearchSource(presenters.minutes_text, changes_with=(Meeting,)), key="meeting_minutes"
        )
