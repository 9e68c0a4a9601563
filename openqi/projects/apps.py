from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "openqi.projects"
    label = "projects"
    verbose_name = "QI projects"
