from django.contrib import admin
from django.urls import include, path

from govhall.core import views as core_views
from govhall.org import views as org_views

urlpatterns = [
    path("", org_views.home, name="home"),
    path("center/", org_views.center_switch, name="center_switch"),
    path("", include("govhall.core.urls")),
    path("calendar/", include("govhall.org.calendar_urls")),
    path("healthz", core_views.healthz, name="healthz"),
    path("accounts/", include("govhall.accounts.urls")),
    path("api/v1/", include("govhall.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("org/", include("govhall.org.urls")),
    path("catalog/", include("govhall.catalog.urls")),
    path("cases/", include("govhall.cases.urls")),
    path("supervision/", include("govhall.supervision.urls")),
    path("staffing/", include("govhall.staffing.urls")),
    path("service/", include("govhall.cases.public_urls")),
    path("kiosk/", include("govhall.portal.urls")),
    path("queue/", include("govhall.queueing.urls")),
    path("feedback/manage/", include("govhall.feedback.urls")),
    path("feedback/", include("govhall.feedback.public_urls")),
    path("oversight/", include("govhall.oversight.urls")),
    path("journal/", include("govhall.journal.urls")),
    path("bulletins/", include("govhall.bulletins.urls")),
    path("regions/", include("govhall.bulletins.region_urls")),
    path("evaluation/", include("govhall.evaluation.urls")),
    path("province/", include("govhall.province.urls")),
    path("jobs/", include("govhall.jobs.urls")),
    path("sysadmin/", admin.site.urls),
]

handler400 = "govhall.core.error_views.bad_request"
handler404 = "govhall.core.error_views.page_not_found"
handler500 = "govhall.core.error_views.server_error"
