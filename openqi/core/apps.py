from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "openqi.core"
    label = "core"

    def ready(self) -> None:
        from openqi.core import generation, lookups

        generation.watch  # noqa: B018 -- importing it connects the watch on every database connection

        lookups.register()

        from django_tasks.signals import task_finished, task_started

        from openqi.core import tasks

        task_started.connect(tasks.log_as_task, dispatch_uid="openqi.core.tasks.log_as_task")
        task_finished.connect(tasks.stop_logging_as_task, dispatch_uid="openqi.core.tasks.stop_logging")
        task_finished.connect(tasks.retry_if_attempts_left, dispatch_uid="openqi.core.tasks.retry")
