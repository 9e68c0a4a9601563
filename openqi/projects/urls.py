from django.urls import path

from openqi.projects import urls_drivers, urls_story
from openqi.projects.views import project, team

app_name = "projects"

urlpatterns = [
    path("", project.project_list, name="list"),
    path("mine/", project.my_projects, name="mine"),
    path("new/", project.create, name="create"),
    path("<int:pk>/", project.detail, name="detail"),
    path("<int:pk>/edit/", project.edit, name="edit"),
    path("<int:pk>/lifecycle/", project.lifecycle, name="lifecycle"),
    path("<int:pk>/progress-score/", project.progress_score, name="score"),
    path("<int:pk>/team/", team.team, name="team"),
    path("<int:pk>/team/invite/", team.invite, name="team_invite"),
    path("<int:pk>/team/hand-over/", team.handover, name="team_handover"),
    path("<int:pk>/team/<int:member_pk>/leave/", team.leave, name="team_leave"),
    path("<int:pk>/team/<int:member_pk>/public-name/", team.public_name, name="team_public_name"),
    *urls_drivers.urlpatterns,
    *urls_story.urlpatterns,
]

public_urlpatterns = [
    path("<int:pk>/", project.public_page, name="public"),
]
