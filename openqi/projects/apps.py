from typing import Any

from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "openqi.projects"
    label = "projects"
    verbose_name = "QI projects"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from openqi.core import plugins as core_plugins
        from openqi.organisations import plugins as organisation_plugins
        from openqi.projects import plugins, search
        from openqi.projects.access import Level
        from openqi.projects.models import Project, StoryEntry
        from openqi.projects.presenters import projects as presenters
        from openqi.projects.presenters import timeline
        from openqi.projects.services import team

        core_plugins.navigation.register(
            core_plugins.NavSection("projects:list", "Projects"), key="projects", order=10
        )
        core_plugins.home_panels.register(
            core_plugins.Panel("projects/_home_panel.jinja", presenters.home_panel), key="projects", order=10
        )
        # The project's own tabs; apps above slot theirs in by `order` (measures: 45).
        for order, (key, url_name, text, level) in enumerate(
            (
                ("overview", "projects:detail", "Overview", Level.VIEW),
                ("team", "projects:team", "Team", Level.VIEW),
                ("drivers", "projects:drivers", "Driver diagram", Level.VIEW),
                ("pdsa", "projects:pdsa_list", "PDSA cycles", Level.VIEW),
                ("story", "projects:story", "Story log", Level.VIEW),
                ("timeline", "projects:timeline", "Timeline", Level.VIEW),
                ("audit", "projects:audit", "Audit trail", Level.ADMIN),
            )
        ):
            plugins.project_tabs.register(
                plugins.ProjectTab(url_name, text, level), key=key, order=order * 10
            )
        organisation_plugins.invitation_accepted.register(team.join_team_on_acceptance, key="project_team")
        timeline.register_sources()
        plugins.search_sources.register(
            plugins.SearchSource(search.story_text, changes_with=(StoryEntry,)), key="story", order=0
        )

        # The search document is derived data, so it follows every save of a project, or of a row a search
        # source reads, wherever that save happens, versioned saves included (unlike the audit trail,
        # which services write explicitly). Receivers are local functions: weak=False, or they would be
        # garbage-collected.
        def project_saved(sender: Any, instance: Project, **kwargs: Any) -> None:
            search.index_project(instance)

        def project_deleted(sender: Any, instance: Project, **kwargs: Any) -> None:
            search.unindex_project(instance.pk)

        plugins.search_sources.watch(search.follow_saves)
        post_save.connect(
            project_saved, sender=Project, dispatch_uid="projects.search.project_saved", weak=False
        )
        post_delete.connect(
            project_deleted, sender=Project, dispatch_uid="projects.search.project_deleted", weak=False
        )
