from django.urls import path

from openqi.measures.views import data, definition, detail, library

app_name = "measures"

urlpatterns = [
    path("", library.library, name="library"),
    path("project/<int:pk>/", library.project_measures, name="project_measures"),
    path("project/<int:pk>/add/", library.add_measure, name="add"),
    path("project/<int:pk>/m/<int:pm>/", detail.detail, name="detail"),
    path("project/<int:pk>/m/<int:pm>/edit/", definition.edit, name="edit"),
    path("project/<int:pk>/m/<int:pm>/data/", data.data_entry, name="data"),
    path("project/<int:pk>/m/<int:pm>/upload/", data.upload, name="upload"),
    path("project/<int:pk>/m/<int:pm>/upload/<str:token>/", data.import_preview, name="import_preview"),
    path("project/<int:pk>/m/<int:pm>/export.<str:fmt>", data.export_data, name="export"),
    path("project/<int:pk>/m/<int:pm>/chart.<str:fmt>", detail.chart_download, name="chart"),
    path("project/<int:pk>/m/<int:pm>/limits/", detail.limits, name="limits"),
    path("project/<int:pk>/m/<int:pm>/exclude/", detail.exclude, name="exclude"),
    path("project/<int:pk>/m/<int:pm>/annotate/", detail.annotate, name="annotate"),
    path("project/<int:pk>/m/<int:pm>/links/", definition.links, name="links"),
]
