# The coordinator's pages of the members app; the public member pages are in portal/urls.py. Both share the
# "members" namespace (composed in eccar_portal/urls.py), so that no page's name changed.
from django.urls import path

from members import application_views, coordinator_views, team_views

urlpatterns = [
    path("dashboard/<slug:slug>/profile/", coordinator_views.profile_edit, name="profile_edit"),
    path("dashboard/<slug:slug>/team/", team_views.team, name="team"),
    path("dashboard/<slug:slug>/team/invite/", team_views.team_invite, name="team_invite"),
    path("dashboard/<slug:slug>/team/<int:pk>/remove/", team_views.team_remove, name="team_remove"),
    path("dashboard/<slug:slug>/team/invitations/<int:pk>/resend/", team_views.team_invitation_resend, name="team_invitation_resend"),
    path("dashboard/<slug:slug>/team/invitations/<int:pk>/revoke/", team_views.team_invitation_revoke, name="team_invitation_revoke"),
    path("join/", application_views.apply, name="apply"),
    path("join/sent/", application_views.apply_sent, name="apply_sent"),
    path("join/confirm/<str:token>/", application_views.apply_confirm, name="apply_confirm"),
]
