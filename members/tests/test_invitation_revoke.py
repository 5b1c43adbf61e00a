"""Revoking an invitation in the admin asks first: a page lists what will be revoked; only its button revokes."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from core.tests.permissions import ADMIN_LOGIN, PERSONAS, assert_outcome
from members.models import Invitation, InvitationStatus
from members.services import invitation_send

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/members/invitation/"


@pytest.fixture
def invitations(dresden, staff):
    return [
        invitation_send(member=dresden, email=email, role="editor", language="de", by=staff)
        for email in ("eins@dresden.de", "zwei@dresden.de")
    ]


def test_it_asks_before_revoking_one_invitation_from_its_page(client, staff, invitations):
    invitation = invitations[0]
    client.force_login(staff)
    url = reverse("admin:members_invitation_revoke", args=[invitation.pk])
    change = client.get(reverse("admin:members_invitation_change", args=[invitation.pk])).content.decode()
    assert f'href="{url}"' in change  # a link to the question, not a button that revokes
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "eins@dresden.de" in page and "Ja, zurückziehen" in page and "nicht rückgängig" in page
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.PENDING
    response = client.post(url)
    assert response.headers["Location"] == reverse("admin:members_invitation_change", args=[invitation.pk])
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.REVOKED and invitation.revoked_by == staff


def test_it_asks_before_revoking_the_selected_invitations(client, staff, invitations):
    client.force_login(staff)
    selected = {"action": "revoke", ACTION_CHECKBOX_NAME: [str(i.pk) for i in invitations]}
    response = client.post(CHANGELIST, selected, HTTP_ACCEPT_LANGUAGE="de")
    page = response.content.decode()
    assert response.status_code == 200 and "eins@dresden.de" in page and "zwei@dresden.de" in page
    assert 'name="confirm" value="yes"' in page
    assert not Invitation.objects.filter(revoked_at__isnull=False).exists()
    response = client.post(CHANGELIST, {**selected, "confirm": "yes"}, follow=True)
    assert "2 Einladung(en) zurückgezogen." in response.content.decode()
    assert Invitation.objects.filter(revoked_at__isnull=False).count() == 2


EXPECTED = {"anonymous": ADMIN_LOGIN, "outsider": ADMIN_LOGIN, "dresden_editor": ADMIN_LOGIN, "dresden_lead": ADMIN_LOGIN,
            "bare_staff": 403, "staff": 200}


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_shows_the_question_to_the_secretariat_only(client, request, invitations, persona):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("admin:members_invitation_revoke", args=[invitations[0].pk]))
    assert_outcome(response, EXPECTED[persona], ("revoke page", persona))
    assert not Invitation.objects.filter(revoked_at__isnull=False).exists()
