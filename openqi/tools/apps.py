"""Tools: tools for understanding the system: process map, fishbone, Pareto, 5 whys, stakeholder analysis,
affinity diagram."""

from django.apps import AppConfig


class ToolsConfig(AppConfig):
    name = "openqi.tools"
    label = "tools"
    verbose_name = "Tools"

    def ready(self) -> None:
        # What tools shows on other apps' pages goes through their plug-in points (docs/adr/0012).
        from openqi.core.plugins import Panel
        from openqi.projects import plugins
        from openqi.projects.access import Level
        from openqi.tools import presenters
        from openqi.tools.models import Tool

        # Before the driver diagram: teams study the system before they write their drivers.
        plugins.project_tabs.register(
            plugins.ProjectTab("tools:project_tools", "Tools", Level.VIEW), key="tools", order=15
        )
        plugins.cycle_panels.register(Panel("tools/_cycle_panel.jinja", presenters.cycle_panel), key="tools")
        plugins.timeline_sources.register(
            plugins.TimelineSource("tool", "Tools", presenters.timeline_events), key="tool", order=60
        )
        plugins.search_sources.register(
            # Every change to a tool's items saves the tool (its version), so following the tool's saves
            # keeps the index current without a signal per item.
            plugins.SearchSource(presenters.search_text, changes_with=(Tool,)),
            key="tools",
        )
