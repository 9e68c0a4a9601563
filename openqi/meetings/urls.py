from django.urls import URLPattern, URLResolver, path

from openqi.meetings import views

app_name = "meetings"

urlpatterns: list[URLPattern | URLResolver] = [
    # The person's own pages.
    path("", views.mine, name="mine"),
    path("actions/", views.my_actions, name="my_actions"),
    path("calendar/", views.subscription, name="subscription"),
    path("calendar/<slug:token>.ics", views.feed, name="feed"),
    path("settings/", views.preferences, name="preferences"),
    # A project's meetings (pk is the project's).
    path("projects/<int:pk>/", views.project_meetings, name="project_meetings"),
    path("projects/<int:pk>/new/", views.schedule, name="schedule"),
    path("projects/<int:pk>/<int:meeting_pk>/", views.detail, name="detail"),
    path("projects/<int:pk>/<int:meeting_pk>/edit/", views.edit, name="edit"),
    path("projects/<int:pk>/<int:meeting_pk>/cancel/", views.cancel, name="cancel"),
    path("projects/<int:pk>/<int:meeting_pk>/minutes/", views.minutes, name="minutes"),
    path("projects/<int:pk>/<int:meeting_pk>/attendance/", views.attendance, name="attendance"),
    path("projects/<int:pk>/<int:meeting_pk>/invite/", views.invite, name="invite"),
    path("projects/<int:pk>/<int:meeting_pk>/papers/", views.papers, name="papers"),
    path("projects/<int:pk>/<int:meeting_pk>/papers/<int:paper_pk>/", views.paper, name="paper"),
    path(
        "projects/<int:pk>/<int:meeting_pk>/papers/<int:paper_pk>/remove/",
        views.paper_remove,
        name="paper_remove",
    ),
    path("projects/<int:pk>/<int:meeting_pk>/meeting.ics", views.ics, name="ics"),
    path(
        "projects/<int:pk>/<int:meeting_pk>/actions/new/", views.meeting_action_add, name="meeting_action_add"
    ),
    # A project's actions.
    path("projects/<int:pk>/actions/", views.project_actions, name="project_actions"),
    path("projects/<int:pk>/actions/new/", views.action_add, name="action_add"),
    path("projects/<int:pk>/actions/<int:action_pk>/edit/", views.action_edit, name="action_edit"),
    path("projects/<int:pk>/actions/<int:action_pk>/done/", views.action_done, name="action_done"),
]
