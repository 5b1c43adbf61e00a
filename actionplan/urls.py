from django.urls import path

from actionplan import views

app_name = "actionplan"
urlpatterns = [
    path("commitments/", views.commitment_list, name="commitments"),
    path("commitments/<int:number>/", views.commitment_detail, name="commitment"),
    path("dashboard/", views.dashboard, name="dashboard"),
]
urlpatterns += [
    path("members/<slug:slug>/resolution.pdf", views.resolution_download, name="resolution_download"),
]
