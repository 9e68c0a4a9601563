from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "openqi.measures"
    label = "measures"
    verbose_name = "Measures"

    def ready(self) -> None:
        # Everything measures shows on pages of the apps below it goes through their plug-in points.
        from openqi.core import plugins as core_plugins
        from openqi.measures import presenters
        from openqi.projects import plugins
        from openqi.projects.access import Level

        core_plugins.navigation.register(
            core_plugins.NavSection("measures:library", "Measures"), key="measures", order=20
        )
        plugins.project_tabs.register(
            plugins.ProjectTab("measures:project_measures", "Measures", Level.VIEW), key="measures", order=35
        )
        plugins.overview_panels.register(
            core_plugins.Panel("measures/_family_panel.jinja", presenters.family_panel), key="measures"
        )
        plugins.cycle_panels.register(
            core_plugins.Panel("measures/_cycle_panel.jinja", presenters.cycle_panel), key="measures"
        )
        plugins.timeline_sources.register(
            plugins.TimelineSource(
                "measure_annotation", "Chart annotations", presenters.annotation_timeline_events
            ),
            key="measure_annotation",
            order=50,
        )
