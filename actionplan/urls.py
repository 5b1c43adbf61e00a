from django.urls import path

from actionplan import editor_views, views

app_name = "actionplan"
urlpatterns = [
    path("commitments/", views.commitment_list, name="commitments"),
    path("commitments/<int:number>/", views.commitment_detail, name="commitment"),
    path("dashboard/", views.dashboard, name="dashboard"),
]
urlpatterns += [
    path("members/<slug:slug>/resolution.pdf", views.resolution_download, name="resolution_download"),
]
# Coordinator pages (issue 3). Every one is listed in actionplan/tests/test_permission_matrix.py.
urlpatterns += [
    path("dashboard/<slug:slug>/plan/", editor_views.plan_editor, name="plan_editor"),
    path("dashboard/<slug:slug>/plan/new/<int:number>/", editor_views.measure_create, name="measure_create"),
    path("dashboard/<slug:slug>/measures/<int:pk>/", editor_views.measure_edit, name="measure_edit"),
    path("dashboard/<slug:slug>/measures/<int:pk>/updates/", editor_views.measure_timeline_post, name="measure_timeline_post"),
    path("dashboard/<slug:slug>/measures/<int:pk>/retire/", editor_views.measure_retire, name="measure_retire"),
    path("dashboard/<slug:slug>/measures/<int:pk>/history/", editor_views.measure_history, name="measure_history"),
    path("dashboard/<slug:slug>/profile/", editor_views.profile_edit, name="profile_edit"),
    path("dashboard/<slug:slug>/adoption/", editor_views.adoption_edit, name="adoption_edit"),
]
