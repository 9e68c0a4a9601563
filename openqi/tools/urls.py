from django.urls import URLPattern, URLResolver, path

from openqi.tools import views

app_name = "tools"

T = "project/<int:pk>/t/<int:tool>"

urlpatterns: list[URLPattern | URLResolver] = [
    path("project/<int:pk>/", views.project_tools, name="project_tools"),
    path("project/<int:pk>/new/", views.create, name="create"),
    path(f"{T}/", views.detail, name="detail"),
    path(f"{T}/edit/", views.edit, name="edit"),
    path(f"{T}/delete/", views.delete, name="delete"),
    path(f"{T}/print/", views.print_view, name="print"),
    path(f"{T}/history/", views.history, name="history"),
    path(f"{T}/export.<str:fmt>", views.export, name="export"),
    path(f"{T}/add/<str:item_type>/", views.item_add, name="item_add"),
    path(f"{T}/items/<int:item>/edit/", views.item_edit, name="item_edit"),
    path(f"{T}/items/<int:item>/remove/", views.item_remove, name="item_remove"),
    path(f"{T}/items/<int:item>/move/", views.item_move, name="item_move"),
    path(f"{T}/items/<int:item>/driver/", views.seed_driver, name="seed_driver"),
    path(f"{T}/notes/", views.notes_add, name="notes_add"),
    path(f"{T}/upload/", views.counts_upload, name="counts_upload"),
    path(f"{T}/links/", views.link, name="link"),
    path(f"{T}/links/<int:link>/remove/", views.unlink, name="unlink"),
    path("project/<int:pk>/cycle/<int:cycle>/link/", views.cycle_link, name="cycle_link"),
    path(
        "project/<int:pk>/cycle/<int:cycle>/link/<int:link>/remove/", views.cycle_unlink, name="cycle_unlink"
    ),
]
