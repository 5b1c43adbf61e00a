from django.contrib.sitemaps.views import index as sitemap_index
from django.contrib.sitemaps.views import sitemap
from django.urls import path, re_path

from core.public_cache import public_page
from portal import directory, discovery, embed, feeds, measure_page, measure_search, opendata, opendata_described, pages, similar, views

# Open data, feeds and discovery live outside the language prefix: their addresses are the same in every language.
# A feed's address names its language: feed readers send none (portal/feeds.py).
FEED = rf"^feeds/(?P<lang>{feeds.FEED_LANGUAGES})/"

root_urlpatterns = [
    re_path(rf"{FEED}reports/$", public_page(feeds.feed_in_language(feeds.PublishedReportsFeed())), name="reports_feed"),
    re_path(rf"{FEED}members/$", public_page(feeds.feed_in_language(feeds.MemberJoinFeed())), name="feed_members"),
    re_path(rf"{FEED}members/(?P<slug>[-a-zA-Z0-9_]+)/$", public_page(feeds.feed_in_language(feeds.MemberNewsFeed())), name="feed_member_news"),
    # The addresses from before, moved for good to the German feeds.
    path("feeds/reports/", feeds.feed_moved("reports_feed"), name="reports_feed_moved"),
    path("feeds/members/", feeds.feed_moved("feed_members"), name="feed_members_moved"),
    path("feeds/members/<slug:slug>/", feeds.feed_moved("feed_member_news"), name="feed_member_news_moved"),
    path("open-data/", opendata.index, name="open_data_index"),
    # Before the files' pattern, which their names would match too.
    path("open-data/datapackage.json", opendata_described.datapackage, name="open_data_package"),
    path("open-data/catalog.<str:fmt>", opendata_described.catalog, name="open_data_catalog"),
    path("open-data/<slug:slug>.<str:fmt>", opendata.download, name="open_data_download"),
    path("open-data/members/<slug:member>/<slug:slug>.<str:fmt>", opendata.member_download, name="open_data_member_download"),
    path("open-data/v2/<slug:slug>.<str:fmt>", opendata.download_v2, name="open_data_download_v2"),
    path("sitemap.xml", public_page(sitemap_index), {"sitemaps": discovery.SITEMAPS, "sitemap_url_name": "sitemap"}, name="sitemap_index"),
    path(
        "sitemap-<section>.xml",
        public_page(sitemap),
        {"sitemaps": discovery.SITEMAPS, "template_name": discovery.SITEMAP_XML},
        name="sitemap",
    ),
    path("robots.txt", discovery.robots_txt, name="robots_txt"),
]

home = path("", views.home, name="home")

# The public member pages keep the "members" namespace (members:list, members:detail, …); eccar_portal/urls.py
# includes them together with the members app's own pages.
member_urlpatterns = [
    path("members/", public_page(directory.MemberListView.as_view()), name="list"),
    path("members/<slug:slug>/", views.member_detail, name="detail"),
    path("members/<slug:slug>/measures/<int:pk>/", measure_page.measure_detail, name="measure"),
    path("members/<slug:slug>/plan.pdf", views.member_plan_pdf, name="plan_pdf"),
    # The one page other sites may frame (portal/embed.py).
    path("members/<slug:slug>/embed/", embed.member_embed, name="embed"),
    # Its height in each layout, for static/js/embed-resize.js on the host page.
    path("members/<slug:slug>/embed/size.json", embed.member_embed_size, name="embed_size"),
    path("members/<slug:slug>/similar/", similar.member_similar, name="similar"),
    path("compare/", similar.compare, name="compare"),
    path("measures/", measure_search.measure_search, name="measure_search"),
    path("measures.csv", measure_search.measure_search_csv, name="measure_search_csv"),
    path("measures.excel.csv", measure_search.measure_search_csv, {"excel": True}, name="measure_search_excel_csv"),
    path("working-groups/", views.working_group_list, name="working_groups"),
    path("networks/", pages.network_list, name="networks"),
    path("statistics/", pages.statistics, name="statistics"),
    path("open-data/", pages.open_data, name="open_data"),
    path("privacy/", pages.site_page, {"key": "privacy"}, name="privacy"),
    path("imprint/", pages.site_page, {"key": "imprint"}, name="imprint"),
    path("accessibility/", pages.site_page, {"key": "accessibility"}, name="accessibility"),
]
