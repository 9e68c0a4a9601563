from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from openqi.projects.urls import public_urlpatterns

urlpatterns = [
    path("", include("openqi.core.urls")),
    # Sign-in is by e-mailed code only; allauth's password form is never offered.
    path(
        "accounts/login/", RedirectView.as_view(pattern_name="account_request_login_code", query_string=True)
    ),
    path("accounts/signup/", RedirectView.as_view(pattern_name="account_request_login_code")),
    path("accounts/", include("allauth.urls")),
    path("account/", include("openqi.accounts.urls")),
    path("api/v1/", include("openqi.api.urls")),
    path("invitations/", include("openqi.organisations.invitation_urls")),
    path("organisation/", include("openqi.organisations.urls")),
    path("projects/", include("openqi.projects.urls")),
    path("measures/", include("openqi.measures.urls")),
    path("meetings/", include("openqi.meetings.urls")),
    path("coaching/", include("openqi.coaching.urls")),
    path("learning/", include("openqi.learning.urls")),
    path("involvement/", include("openqi.involvement.urls")),
    path("tools/", include("openqi.tools.urls")),
    path("portfolio/", include("openqi.portfolio.urls")),
    path("public/projects/", include((public_urlpatterns, "public"))),
]
if settings.ADMIN_ENABLED:  # off in production unless OPENQI_ADMIN_ENABLED: no admin sign-in page to attack
    urlpatterns.append(path("django-admin/", admin.site.urls))

handler400 = "openqi.core.views.bad_request"
handler403 = "openqi.core.views.permission_denied"
handler404 = "openqi.core.views.page_not_found"
handler500 = "openqi.core.views.server_error"
