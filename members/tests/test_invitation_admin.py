import datetime as dt

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from core.tests.permissions import ADMIN_LOGIN, PERSONAS, assert_outcome
from members.models import CoordinatorRole, Invitation, InvitationStatus
from members.services import invitation_send

pytestmark = pytest.mark.django_db

ADD = "/admin/members/invitation/add/"
CHANGELIST = "/admin/members/invitation/"


def _invite(client, member, **extra):
    data = {"member": member.pk, "email": "neu@dresden.de", "role": "lead", "language": "en", **extra}
    return client.post(ADD, data)


def test_it_invites_from_the_admin_and_sends_the_link_in_the_chosen_language(client, staff, dresden, django_capture_on_commit_callbacks):
    client.force_login(staff)
    assert client.get(f"{ADD}?member={dresden.pk}").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = _invite(client, dresden)
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.member, invitation.role, invitation.invited_by, invitation.language) == (dresden, CoordinatorRole.LEAD, staff, "en")
    assert mail.outbox[-1].to == ["neu@dresden.de"] and "Your access" in mail.outbox[-1].subject
    assert "/en/accounts/invitation/" in mail.outbox[-1].body


def test_it_refuses_a_second_invitation_to_the_same_address_and_one_for_someone_with_access(client, staff, dresden, dresden_lead):
    client.force_login(staff)
    _invite(client, dresden)
    response = _invite(client, dresden)
    assert response.status_code == 200 and "offene Einladung" in response.content.decode()
    response = _invite(client, dresden, email=dresden_lead.email)
    assert "hat bereits Zugang" in response.content.decode()
    assert Invitation.objects.count() == 1


def test_it_sends_again_with_a_new_link_and_revokes(client, staff, dresden, django_capture_on_commit_callbacks):
    invitation = invitation_send(member=dresden, email="neu@dresden.de", role="editor", language="de", by=staff)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - dt.timedelta(days=1))
    digest = Invitation.objects.get().digest
    client.force_login(staff)
    assert "zurückziehen" in client.get(reverse("admin:members_invitation_change", args=[invitation.pk])).content.decode().lower()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:members_invitation_resend", args=[invitation.pk]))
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.PENDING and invitation.digest != digest and invitation.send_count == 2
    client.post(CHANGELIST, {"action": "revoke", ACTION_CHECKBOX_NAME: [str(invitation.pk)], "confirm": "yes"})
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.REVOKED and invitation.revoked_by == staff
    response = client.post(reverse("admin:members_invitation_resend", args=[invitation.pk]), follow=True)
    assert "Nur eine offene Einladung" in response.content.decode()


def test_it_filters_invitations_by_status(client, staff, dresden):
    invitation_send(member=dresden, email="offen@dresden.de", role="editor", language="de", by=staff)
    old = invitation_send(member=dresden, email="alt@dresden.de", role="editor", language="de", by=staff)
    Invitation.objects.filter(pk=old.pk).update(expires_at=timezone.now() - dt.timedelta(days=1))
    client.force_login(staff)
    body = client.get(CHANGELIST + "?state=expired").content.decode()
    assert "alt@dresden.de" in body and "offen@dresden.de" not in body


EXPECTED = {"anonymous": ADMIN_LOGIN, "outsider": ADMIN_LOGIN, "dresden_editor": ADMIN_LOGIN, "dresden_lead": ADMIN_LOGIN,
            "bare_staff": 403, "staff": 302}


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_lets_only_the_secretariat_invite_resend_and_revoke(client, request, dresden, staff, persona):
    invitation = invitation_send(member=dresden, email="x@dresden.de", role="editor", language="de", by=staff)
    client.logout()
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    assert_outcome(_invite(client, dresden), EXPECTED[persona], ("add", persona))
    assert_outcome(client.post(reverse("admin:members_invitation_revoke", args=[invitation.pk])), EXPECTED[persona], ("revoke", persona))
    invitation.refresh_from_db()
    assert (invitation.revoked_at is not None) == (persona == "staff")
    assert Invitation.objects.count() == (2 if persona == "staff" else 1)
