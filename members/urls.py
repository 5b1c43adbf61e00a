from django.urls import path

from members import views

app_name = "members"
urlpatterns = [
    path("members/", views.MemberListView.as_view(), name="list"),
    path("members/<slug:slug>/", views.member_detail, name="detail"),
    path("working-groups/", views.working_group_list, name="working_groups"),
]
