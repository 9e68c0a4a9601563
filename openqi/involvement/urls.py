from django.urls import URLPattern, URLResolver, path

from openqi.involvement import views

app_name = "involvement"

urlpatterns: list[URLPattern | URLResolver] = [
    path("project/<int:pk>/", views.project_involvement, name="project"),
    path("project/<int:pk>/log/", views.log, name="log"),
    path("project/<int:pk>/reflection/<str:stage>/", views.reflection, name="reflection"),
    path("project/<int:pk>/onboarding/<int:member_pk>/", views.onboarding, name="onboarding"),
    path("claims/", views.claims, name="claims"),
    path("claims/<int:claim_pk>/", views.claim, name="claim"),
    path("claims/<int:claim_pk>/change/", views.resubmit, name="resubmit"),
    path("claims/<int:claim_pk>/claim-form.pdf", views.claim_form_pdf, name="claim_form"),
    path("claims/approved.<str:fmt>", views.finance_export, name="export"),
    path("organisation/<slug:slug>/payments/", views.payment_settings, name="payment_settings"),
]
