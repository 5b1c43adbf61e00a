from django.urls import path

from reports import views

app_name = "reports"
urlpatterns = [
    path("reports/", views.ReportListView.as_view(), name="list"),
    path("reports/<int:pk>/", views.report_detail, name="detail"),
    path("reports/<int:pk>/documents/<int:document_pk>/", views.document_download, name="document"),
]
