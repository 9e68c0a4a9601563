from django.urls import path

from openqi.accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.account, name="account"),
    path("tokens/<int:pk>/revoke/", views.revoke, name="revoke_token"),
]
