from django.urls import path

from core.public_cache import public_page

from reports import coordinator_views, draft_views, views

app_name = "reports"
urlpatterns = [
    path("reports/", public_page(views.ReportListView.as_view()), name="list"),
    path("reports/<int:pk>/", views.report_detail, name="detail"),
    path("reports/<int:pk>/compare/", views.report_compare, name="compare"),
    path("reports/<int:pk>/report.pdf", views.report_pdf, name="pdf"),
    path("reports/<int:pk>/documents/<int:document_pk>/", views.document_download, name="document"),
    # The coordinator's pages.
    path("dashboard/<slug:slug>/reports/", coordinator_views.member_reports, name="member_reports"),
    path("dashboard/<slug:slug>/reports/new/", coordinator_views.report_new, name="new"),
    path("dashboard/<slug:slug>/reports/create/", coordinator_views.report_create_view, name="create"),
    path("dashboard/<slug:slug>/reports/<int:pk>/", coordinator_views.report_edit, name="edit"),
    path("dashboard/<slug:slug>/reports/<int:pk>/save/", coordinator_views.report_save, name="save"),
    path("dashboard/<slug:slug>/reports/<int:pk>/draft/", coordinator_views.report_draft_keep_view, name="draft_keep"),
    path("dashboard/<slug:slug>/reports/<int:pk>/draft/discard/", coordinator_views.report_draft_discard_view, name="draft_discard"),
    path("dashboard/<slug:slug>/reports/<int:pk>/review/", coordinator_views.report_review, name="review"),
    path("dashboard/<slug:slug>/reports/<int:pk>/submit/", coordinator_views.report_submit, name="submit"),
    path("dashboard/<slug:slug>/reports/<int:pk>/period/", draft_views.report_period, name="period"),
    path("dashboard/<slug:slug>/reports/<int:pk>/delete/", draft_views.report_delete, name="delete"),
    path("dashboard/<slug:slug>/reports/<int:pk>/ready/clear/", draft_views.report_clear_ready, name="clear_ready"),
    path(
        "dashboard/<slug:slug>/reports/<int:pk>/documents/<int:document_pk>/delete/",
        coordinator_views.document_delete,
        name="document_delete",
    ),
]
