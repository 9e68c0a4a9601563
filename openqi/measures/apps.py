from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "openqi.measures"
    label = "measures"
    verbose_name = "Measures"

    def ready(self) -> None:
        # Chart annotations appear on the project timeline through its source registry.
        from openqi.measures.presenters import annotation_timeline_events
        from openqi.projects.presenters import timeline

        timeline.register_source(
            annotation_timeline_events, kind="measure_annotation", label="Chart annotations"
        )
