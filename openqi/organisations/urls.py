from django.urls import path

from openqi.organisations import token_views, views

app_name = "organisations"

urlpatterns = [
    path("", views.admin_home, name="admin_home"),
    path("<slug:slug>/people/", views.people, name="people"),
    path("<slug:slug>/people/invite/", views.invite, name="invite"),
    path("<slug:slug>/people/<int:pk>/", views.member, name="member"),
    path("<slug:slug>/people/<int:pk>/remove/", views.remove_member, name="remove_member"),
    path("<slug:slug>/invitations/<int:pk>/revoke/", views.revoke, name="revoke"),
    path("<slug:slug>/structure/", views.structure, name="structure"),
    path("<slug:slug>/settings/", views.organisation_settings, name="settings"),
    path("<slug:slug>/structure/<str:kind>/<int:pk>/", views.rename_unit, name="rename"),
    path("<slug:slug>/api-tokens/", token_views.api_tokens, name="api_tokens"),
    path("<slug:slug>/api-tokens/<int:pk>/revoke/", token_views.revoke_api_token, name="revoke_api_token"),
    path("<slug:slug>/failed-tasks/", views.failed_tasks, name="failed_tasks"),
    path("<slug:slug>/failed-tasks/<uuid:task_id>/retry/", views.retry_task, name="retry_task"),
]
