from django.contrib import admin
from django.urls import include, path

from api.api import api
from elevators import views as elevator_views

urlpatterns = [
    path("", include("portal.urls")),
    path("", include("core.urls")),
    path("accounts/", include("accounts.urls")),
    path("organizations/", include("organizations.urls")),
    path("elevators/", include("elevators.urls")),
    path("imports/", include("imports.urls")),
    path("maintenance/", include("maintenance.urls")),
    path("records/", include("records.urls")),
    path("m/", include("mobile.urls")),
    path("notifications/", include("notifications.urls")),
    path("applications/", include("applications.urls")),
    path("pilot/", include("pilot.urls")),
    path("drills/", include("drills.urls")),
    path("alerts/", include("alerts.urls")),
    path("contracts/", include("contracts.urls")),
    path("e/<str:token>", elevator_views.public_page, name="elevator_public"),
    path("captcha/", include("captcha.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]

handler403 = "core.views.permission_denied"
handler404 = "core.views.page_not_found"
