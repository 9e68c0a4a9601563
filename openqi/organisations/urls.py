from django.urls import path

from openqi.organisations import views

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
]
