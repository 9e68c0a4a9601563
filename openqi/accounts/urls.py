from django.urls import path

from openqi.accounts import views

app_name = "accounts"

urlpatterns = [
    path("<str:token>/", views.invitation, name="invitation"),
]
