from typing import Any

from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "openqi.projects"
    label = "projects"
    verbose_name = "QI projects"

    def ready(self) -> None:
        # The search document is derived data, so it follows every save of a project or story entry
        # wherever that save happens, versioned saves included (unlike the audit trail, which services
        # write explicitly).
        # Receivers are local functions: weak=False, or they would be garbage-collected.
        from django.db.models.signals import post_delete, post_save

        from openqi.projects import search
        from openqi.projects.models import Project, StoryEntry

        def story_changed(sender: Any, instance: StoryEntry, **kwargs: Any) -> None:
            project = Project.objects.filter(pk=instance.project_id).first()
            if project is not None:
                search.index_project(project)

        def project_saved(sender: Any, instance: Project, **kwargs: Any) -> None:
            search.index_project(instance)

        def project_deleted(sender: Any, instance: Project, **kwargs: Any) -> None:
            search.unindex_project(instance.pk)

        post_save.connect(
            story_changed, sender=StoryEntry, dispatch_uid="projects.search.story_saved", weak=False
        )
        post_delete.connect(
            story_changed, sender=StoryEntry, dispatch_uid="projects.search.story_deleted", weak=False
        )
        post_save.connect(
            project_saved, sender=Project, dispatch_uid="projects.search.project_saved", weak=False
        )
        post_delete.connect(
            project_deleted, sender=Project, dispatch_uid="projects.search.project_deleted", weak=False
        )
