from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import index as sitemap_index
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from eccar_portal import views
from eccar_portal import discovery
from members import feeds, opendata
from members import views as member_views
from reports.views import PublishedReportsFeed

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("feeds/reports/", PublishedReportsFeed(), name="reports_feed"),
    # Issue 5: open data, feeds and discovery live outside the language prefix.
    path("open-data/", opendata.index, name="open_data_index"),
    path("open-data/<slug:slug>.<str:fmt>", opendata.download, name="open_data_download"),
    path("feeds/members/", feeds.MemberJoinFeed(), name="feed_members"),
    path("sitemap.xml", sitemap_index, {"sitemaps": discovery.SITEMAPS, "sitemap_url_name": "sitemap"}, name="sitemap_index"),
    path("sitemap-<section>.xml", sitemap, {"sitemaps": discovery.SITEMAPS}, name="sitemap"),
    path("robots.txt", discovery.robots_txt, name="robots_txt"),
]

urlpatterns += i18n_patterns(
    path("", member_views.home, name="home"),
    path("", include("members.urls")),
    path("", include("actionplan.urls")),
    path("", include("reports.urls")),
    path("accounts/", include("members.account_urls")),
    prefix_default_language=True,
)

# Uploads are never served raw from /media/, not even with DEBUG: a draft report's PDFs would be reachable by
# guessing the address. Every file goes out through a view that checks who may see it (core/files.py).

handler404 = "eccar_portal.views.page_not_found"
handler500 = "eccar_portal.views.server_error"
