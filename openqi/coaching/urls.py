from django.urls import URLPattern, URLResolver, path

from openqi.coaching import views

app_name = "coaching"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.caseload_page, name="caseload"),
    path("settings/", views.settings_page, name="settings"),
    path("ideas/", views.ideas, name="ideas"),
    path("ideas/new/", views.idea_new, name="idea_new"),
    path("ideas/<int:idea_pk>/", views.idea_detail, name="idea"),
    path("projects/<int:pk>/sessions/", views.project_sessions, name="project_sessions"),
    path("projects/<int:pk>/sessions/new/", views.session_new, name="session_new"),
    path("projects/<int:pk>/sessions/<int:session_pk>/edit/", views.session_edit, name="session_edit"),
    path("projects/<int:pk>/sponsor-updates/", views.project_updates, name="project_updates"),
    path("sponsor-updates/", views.updates, name="updates"),
    path("sponsor-updates/new/", views.update_new, name="update_new"),
    path("sponsor-updates/<int:update_pk>/", views.update_detail, name="update"),
    path("sponsor-updates/<int:update_pk>/send/", views.update_send, name="update_send"),
    path("sponsor-updates/<int:update_pk>/sponsor-update.pdf", views.update_pdf, name="update_pdf"),
    path("sponsored/", views.sponsored, name="sponsored"),
]
