from django.urls import URLPattern, URLResolver, path

from openqi.learning import views

app_name = "learning"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.programmes, name="programmes"),
    path("programmes/new/", views.programme_add, name="programme_add"),
    path("programmes/<int:pk>/", views.programme, name="programme"),
    path("programmes/<int:pk>/edit/", views.programme_edit, name="programme_edit"),
    path("programmes/<int:pk>/cohorts/new/", views.cohort_add, name="cohort_add"),
    path("programmes/<int:pk>/feedback/", views.programme_feedback, name="programme_feedback"),
    path("cohorts/<int:pk>/", views.cohort, name="cohort"),
    path("cohorts/<int:pk>/edit/", views.cohort_edit, name="cohort_edit"),
    path("cohorts/<int:pk>/enrol/", views.enrol, name="enrol"),
    path("cohorts/<int:pk>/people/add/", views.enrolment_add, name="enrolment_add"),
    path("cohorts/<int:pk>/teams/add/", views.team_add, name="team_add"),
    path("cohorts/<int:pk>/sessions/new/", views.session_add, name="session_add"),
    path("cohorts/<int:pk>/feedback/", views.cohort_feedback, name="cohort_feedback"),
    path("enrolments/<int:pk>/decide/", views.decide, name="decide"),
    path("enrolments/<int:pk>/certificate.pdf", views.certificate, name="certificate"),
    path("sessions/<int:pk>/register/", views.register, name="register"),
    path("sessions/<int:pk>/feedback/", views.feedback, name="feedback"),
    path("sessions/<int:pk>/feedback/summary/", views.session_feedback, name="session_feedback"),
    path("record/", views.my_record, name="my_record"),
    path("people/<int:pk>/", views.person_record, name="person_record"),
    path("reports/", views.report, name="report"),
    path("reports/trained.csv", views.report_csv, name="report_csv"),
    path("import/", views.import_records, name="import"),
    path("import/<str:token>/", views.import_preview, name="import_preview"),
]
