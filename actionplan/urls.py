from django.urls import path

from actionplan import coordinator_views, import_views, indicator_views, views

app_name = "actionplan"
urlpatterns = [
    path("commitments/", views.commitment_list, name="commitments"),
    path("commitments/<int:number>/", views.commitment_detail, name="commitment"),
    path("members/<slug:slug>/resolution.pdf", views.resolution_download, name="resolution_download"),
]
# The coordinator's pages; every one is listed in actionplan/tests/test_permission_matrix.py.
urlpatterns += [
    path("dashboard/", coordinator_views.dashboard, name="dashboard"),
    path("dashboard/<slug:slug>/plan/", coordinator_views.plan_editor, name="plan_editor"),
    path("dashboard/<slug:slug>/plan/new/<int:number>/", coordinator_views.measure_create, name="measure_create"),
    path("dashboard/<slug:slug>/measures/<int:pk>/", coordinator_views.measure_edit, name="measure_edit"),
    path(
        "dashboard/<slug:slug>/measures/<int:pk>/entries/<int:entry_pk>/",
        coordinator_views.timeline_entry_edit,
        name="timeline_entry_edit",
    ),
    path(
        "dashboard/<slug:slug>/measures/<int:pk>/entries/<int:entry_pk>/remove/",
        coordinator_views.timeline_entry_remove,
        name="timeline_entry_remove",
    ),
    path("dashboard/<slug:slug>/measures/<int:pk>/retire/", coordinator_views.measure_retire, name="measure_retire"),
    path("dashboard/<slug:slug>/measures/<int:pk>/history/", coordinator_views.measure_history, name="measure_history"),
    path("dashboard/<slug:slug>/adoption/", coordinator_views.adoption_edit, name="adoption_edit"),
    path("dashboard/<slug:slug>/adoption/resolution/remove/", coordinator_views.resolution_remove, name="resolution_remove"),
    path("dashboard/<slug:slug>/plan/export.xlsx", import_views.plan_export, name="plan_export"),
    path("dashboard/<slug:slug>/plan/import/", import_views.plan_import_upload, name="plan_import"),
    path("dashboard/<slug:slug>/plan/import/template.<str:fmt>", import_views.plan_import_template, name="plan_import_template"),
    path("dashboard/<slug:slug>/plan/import/<int:pk>/", import_views.plan_import_preview, name="plan_import_preview"),
    path("dashboard/<slug:slug>/plan/import/<int:pk>/confirm/", import_views.plan_import_confirm, name="plan_import_confirm"),
    path("dashboard/<slug:slug>/indicators/new/", indicator_views.indicator_create, name="indicator_create"),
    path("dashboard/<slug:slug>/indicators/<int:pk>/", indicator_views.indicator_edit, name="indicator_edit"),
    path("dashboard/<slug:slug>/indicators/<int:pk>/retire/", indicator_views.indicator_retire, name="indicator_retire"),
    path("dashboard/<slug:slug>/indicators/<int:pk>/history/", indicator_views.indicator_history, name="indicator_history"),
    path(
        "dashboard/<slug:slug>/indicators/<int:pk>/values/<int:value_pk>/",
        indicator_views.indicator_value_edit,
        name="indicator_value_edit",
    ),
    path(
        "dashboard/<slug:slug>/indicators/<int:pk>/values/<int:value_pk>/remove/",
        indicator_views.indicator_value_remove,
        name="indicator_value_remove",
    ),
]
