from django.urls import path

import openqi.measures.views as views

app_name = "measures"

urlpatterns = [
    path("", views.library, name="library"),
    path("project/<int:pk>/", views.project_measures, name="project_measures"),
    path("project/<int:pk>/add/", views.add_measure, name="add"),
    path("project/<int:pk>/m/<int:pm>/", views.detail, name="detail"),
    path("project/<int:pk>/m/<int:pm>/edit/", views.edit, name="edit"),
    path("project/<int:pk>/m/<int:pm>/data/", views.data_entry, name="data"),
    path("project/<int:pk>/m/<int:pm>/upload/", views.upload, name="upload"),
    path("project/<int:pk>/m/<int:pm>/upload/<str:token>/", views.import_preview, name="import_preview"),
    path("project/<int:pk>/m/<int:pm>/export.<str:fmt>", views.export_data, name="export"),
    path("project/<int:pk>/m/<int:pm>/chart.<str:fmt>", views.chart_download, name="chart"),
    path("project/<int:pk>/m/<int:pm>/limits/", views.limits, name="limits"),
    path("project/<int:pk>/m/<int:pm>/exclude/", views.exclude, name="exclude"),
    path("project/<int:pk>/m/<int:pm>/annotate/", views.annotate, name="annotate"),
    path("project/<int:pk>/m/<int:pm>/links/", views.links, name="links"),
]
