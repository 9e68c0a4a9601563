"""Invitation links, mounted at /invitations/: the invitee is not yet a member, so these sit outside the
organisation administration URLs."""

from django.urls import path

from openqi.organisations import invitation_views

app_name = "invitations"

urlpatterns = [
    path("<str:token>/", invitation_views.accept, name="accept"),
]
