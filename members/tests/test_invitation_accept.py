import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from members.models import CoordinatorAssignment, CoordinatorRole, Invitation, User
from members.services import invitation_resend, invitation_send
from members.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Ratzeburger-See-2024"


@pytest.fixture
def invited(dresden, staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invitation_send(member=dresden, email="neu@dresden.de", role=CoordinatorRole.EDITOR, language="de", by=staff)
    return invitation


def _link() -> str:
    body = mail.outbox[-1].body
    return next(line for line in body.splitlines() if "/accounts/invitation/" in line).replace("http://127.0.0.1:8000", "")


def _new_account(**extra) -> dict:
    return {"first_name": "Nora", "last_name": "Neumann", "new_password1": PASSWORD, "new_password2": PASSWORD, **extra}


def test_it_mails_a_one_time_link_in_the_invitees_language(invited):
    message = mail.outbox[-1]
    assert message.to == ["neu@dresden.de"]
    assert "Landeshauptstadt Dresden" in message.subject and "Zugang" in message.subject
    assert "http://127.0.0.1:8000/de/accounts/invitation/" in message.body


def test_it_creates_the_account_gives_the_role_and_opens_the_dashboard(client, invited, dresden):
    response = client.post(_link(), _new_account())
    assert response.status_code == 302 and response.headers["Location"] == reverse("actionplan:dashboard")
    user = User.objects.get(email="neu@dresden.de")
    assert user.check_password(PASSWORD) and user.first_name == "Nora"
    assignment = CoordinatorAssignment.objects.get(user=user, member=dresden)
    assert assignment.role == CoordinatorRole.EDITOR
    # The access log names who gave the access.
    assert assignment.history.first().history_user == invited.invited_by
    assert client.get(reverse("actionplan:dashboard")).status_code == 200


def test_it_applies_the_password_validators_and_keeps_what_was_typed(client, invited):
    response = client.post(_link(), _new_account(new_password1="12345678", new_password2="12345678"))
    assert response.status_code == 200
    assert "Nora" in response.content.decode()
    assert not User.objects.filter(email="neu@dresden.de").exists()
    Invitation.objects.get(pk=invited.pk).require_usable()


def test_it_uses_a_link_once(client, invited):
    link = _link()
    client.post(link, _new_account())
    client.logout()
    response = client.get(link)
    assert response.status_code == 410
    assert "bereits verwendet" in response.content.decode()


def test_it_explains_an_expired_link(client, invited):
    Invitation.objects.filter(pk=invited.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    response = client.post(_link(), _new_account())
    assert response.status_code == 410 and "abgelaufen" in response.content.decode()
    assert not User.objects.filter(email="neu@dresden.de").exists()


def test_it_refuses_a_forged_link(client, invited):
    response = client.get(reverse("accounts:invitation_accept", args=["forged-token"]))
    assert response.status_code == 404 and "nicht gültig" in response.content.decode()


def test_it_stops_the_old_link_when_the_invitation_is_sent_again(client, invited, staff, django_capture_on_commit_callbacks):
    old = _link()
    with django_capture_on_commit_callbacks(execute=True):
        invitation_resend(invitation=invited, by=staff)
    assert client.get(old).status_code == 410  # replaced by the newer link (test_invitation_replaced_link.py)
    assert client.get(_link()).status_code == 200


def test_it_refuses_a_revoked_link(client, invited, staff):
    invited.revoke(by=staff)
    assert client.get(_link()).status_code == 410


def test_it_lets_a_person_with_an_account_accept_after_logging_in(client, invited, dresden, outsider):
    outsider.email = "neu@dresden.de"
    outsider.save()
    link = _link()
    response = client.get(link)
    assert "Anmelden" in response.content.decode() and not CoordinatorAssignment.objects.filter(user=outsider, member=dresden).exists()
    client.post(link)  # not logged in: nothing happens
    assert not CoordinatorAssignment.objects.filter(user=outsider, member=dresden).exists()
    client.force_login(outsider)
    assert client.post(link).status_code == 302
    assert CoordinatorAssignment.objects.get(user=outsider, member=dresden).role == CoordinatorRole.EDITOR


def test_it_does_not_let_someone_else_accept_for_an_existing_account(client, invited, dresden, dresden_lead):
    UserFactory(username="other", email="neu@dresden.de")
    client.force_login(dresden_lead)
    client.post(_link())
    assert Invitation.objects.get(pk=invited.pk).accepted_at is None


def test_it_refuses_an_address_that_is_already_someone_elses_login_name(client, invited):
    UserFactory(username="neu@dresden.de", email="")
    response = client.post(_link(), _new_account())
    assert response.status_code == 200 and "nicht als Anmeldename" in response.content.decode()
    assert Invitation.objects.get(pk=invited.pk).accepted_at is None
