from django.urls import URLPattern, URLResolver, path

from openqi.portfolio import views

app_name = "portfolio"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.dashboard, name="dashboard"),
    path("projects/", views.projects, name="projects"),
    path("scan/", views.request_scan, name="scan"),
    path("project/<int:pk>/highlights/", views.highlights, name="highlights"),
    path("project/<int:pk>/<str:kind>", views.project_export, name="export"),
    path("forum/", views.forum_packs, name="forum_packs"),
    path("forum/<int:pk>/", views.forum_pack, name="forum_pack"),
    path("forum/<int:pk>/decide/<int:project_pk>/", views.forum_decision, name="forum_decision"),
    path("forum/<int:pk>/pack.<str:fmt>", views.forum_download, name="forum_download"),
    path("board/", views.board_report, name="board"),
    path("board/report.<str:fmt>", views.board_report, name="board_download"),
    path("showcase/", views.showcase_index, name="showcase"),
    path("showcase/<int:pk>/", views.showcase_project, name="showcase_project"),
    path("showcase/<int:pk>/<str:kind>", views.showcase_export, name="showcase_export"),
]
