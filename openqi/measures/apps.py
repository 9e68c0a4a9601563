from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "openqi.measures"
    label = "measures"
    verbose_name = "Measures"

    def ready(self) -> None:
        # Chart annotations appear on the project timeline when the timeline offers its registry; the
        # timeline is built separately, so a missing registry is not an error.
        try:
            from openqi.projects.presenters import timeline
        except ImportError:
            return
        sources = getattr(timeline, "TIMELINE_SOURCES", None)
        if sources is None:
            return
        from openqi.measures.presenters import annotation_timeline_events

        if annotation_timeline_events not in sources:
            sources.append(annotation_timeline_events)
