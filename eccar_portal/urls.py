from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from eccar_portal import views
from members import views as member_views
from reports.views import PublishedReportsFeed

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("feeds/reports/", PublishedReportsFeed(), name="reports_feed"),
]

urlpatterns += i18n_patterns(
    path("", member_views.home, name="home"),
    path("", include("members.urls")),
    path("", include("actionplan.urls")),
    path("", include("reports.urls")),
    path("accounts/", include("members.account_urls")),
    prefix_default_language=True,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler404 = "eccar_portal.views.page_not_found"
handler500 = "eccar_portal.views.server_error"
