# The coordinator's pages of the members app; the public member pages are in portal/urls.py. Both share the
# "members" namespace (composed in eccar_portal/urls.py), so that no page's name changed.
from django.urls import path

from members import application_views, coordinator_views

urlpatterns = [
    path("dashboard/<slug:slug>/profile/", coordinator_views.profile_edit, name="profile_edit"),
    path("join/", application_views.apply, name="apply"),
    path("join/sent/", application_views.apply_sent, name="apply_sent"),
    path("join/confirm/<str:token>/", application_views.apply_confirm, name="apply_confirm"),
]
