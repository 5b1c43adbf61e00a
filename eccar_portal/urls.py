from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from core.i18n import admin_language
from eccar_portal import views
from members import urls as members_urls
from portal import urls as portal_urls
from secretariat import views as secretariat_views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("admin/queue/", admin.site.admin_view(secretariat_views.queue), name="secretariat_queue"),
    path("admin/queue/reminders/", admin.site.admin_view(secretariat_views.upcoming), name="secretariat_upcoming_reminders"),
    path("admin/language/", admin.site.admin_view(admin_language), name="admin_language"),
    path("admin/", admin.site.urls),
    *portal_urls.root_urlpatterns,
]

urlpatterns += i18n_patterns(
    portal_urls.home,
    # One "members" namespace for the public member pages (portal) and the members app's own pages.
    path("", include((portal_urls.member_urlpatterns + members_urls.urlpatterns, "members"))),
    path("", include("actionplan.urls")),
    path("", include("reports.urls")),
    path("accounts/", include("members.account_urls")),
    prefix_default_language=True,
)

# Uploads are never served raw from /media/, not even with DEBUG: a draft report's PDFs would be reachable by
# guessing the address. Every file goes out through a view that checks who may see it (core/files.py).

handler403 = "eccar_portal.views.permission_denied"
handler404 = "eccar_portal.views.page_not_found"
handler500 = "eccar_portal.views.server_error"
