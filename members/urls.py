from django.urls import path

from members import coordinator_views, directory, pages, views

app_name = "members"
urlpatterns = [
    path("members/", directory.MemberListView.as_view(), name="list"),
    path("members/<slug:slug>/", views.member_detail, name="detail"),
    path("working-groups/", views.working_group_list, name="working_groups"),
    path("networks/", pages.network_list, name="networks"),
    path("statistics/", pages.statistics, name="statistics"),
    path("open-data/", pages.open_data, name="open_data"),
    path("privacy/", pages.site_page, {"key": "privacy"}, name="privacy"),
    path("imprint/", pages.site_page, {"key": "imprint"}, name="imprint"),
    path("accessibility/", pages.site_page, {"key": "accessibility"}, name="accessibility"),
    path("dashboard/<slug:slug>/profile/", coordinator_views.profile_edit, name="profile_edit"),
]
