"""Driver diagram and PDSA cycle URLs (included into projects.urls)."""

from django.urls import URLPattern, path

from openqi.projects.views import drivers, pdsa

urlpatterns: list[URLPattern] = [
    path("<int:pk>/drivers/", drivers.drivers, name="drivers"),
    path("<int:pk>/drivers/print/", drivers.drivers_print, name="drivers_print"),
    path("<int:pk>/drivers/add/", drivers.driver_add, name="driver_add"),
    path("<int:pk>/drivers/<int:parent_pk>/add/", drivers.driver_add, name="driver_add_secondary"),
    path("<int:pk>/drivers/<int:driver_pk>/rename/", drivers.driver_rename, name="driver_rename"),
    path("<int:pk>/drivers/<int:driver_pk>/move/", drivers.driver_move, name="driver_move"),
    path("<int:pk>/drivers/<int:driver_pk>/remove/", drivers.driver_remove, name="driver_remove"),
    path("<int:pk>/change-ideas/add/", drivers.change_idea_add, name="change_idea_add"),
    path("<int:pk>/change-ideas/<int:idea_pk>/edit/", drivers.change_idea_edit, name="change_idea_edit"),
    path("<int:pk>/change-ideas/<int:idea_pk>/move/", drivers.change_idea_move, name="change_idea_move"),
    path(
        "<int:pk>/change-ideas/<int:idea_pk>/remove/", drivers.change_idea_remove, name="change_idea_remove"
    ),
    path("<int:pk>/pdsa/", pdsa.pdsa_list, name="pdsa_list"),
    path("<int:pk>/pdsa/new/", pdsa.pdsa_create, name="pdsa_create"),
    path("<int:pk>/pdsa/change-ideas/<int:idea_pk>/", pdsa.pdsa_ramp, name="pdsa_ramp"),
    path("<int:pk>/pdsa/<int:cycle_pk>/", pdsa.pdsa_detail, name="pdsa_detail"),
    path("<int:pk>/pdsa/<int:cycle_pk>/<str:stage>/", pdsa.pdsa_stage, name="pdsa_stage"),
    path("<int:pk>/pdsa/<int:cycle_pk>/tasks/add/", pdsa.pdsa_task_add, name="pdsa_task_add"),
    path("<int:pk>/pdsa/<int:cycle_pk>/tasks/<int:task_pk>/", pdsa.pdsa_task_edit, name="pdsa_task_edit"),
    path(
        "<int:pk>/pdsa/<int:cycle_pk>/tasks/<int:task_pk>/done/", pdsa.pdsa_task_done, name="pdsa_task_done"
    ),
]
