"""The link of an invitation that was sent again says it was replaced, not that it was copied wrongly."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from members.models import CoordinatorRole
from members.services import invitation_resend, invitation_send

pytestmark = pytest.mark.django_db


def _link() -> str:
    body = mail.outbox[-1].body
    return next(line for line in body.splitlines() if "/accounts/invitation/" in line).replace("http://127.0.0.1:8000", "")


@pytest.fixture
def resent(dresden, staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invitation_send(member=dresden, email="neu@dresden.de", role=CoordinatorRole.EDITOR, language="de", by=staff)
    links = [_link()]
    for days in (1, 3):
        with time_machine.travel(timezone.now() + dt.timedelta(days=days)), django_capture_on_commit_callbacks(execute=True):
            invitation_resend(invitation=invitation, by=staff)
        links.append(_link())
    return invitation, links


def test_it_says_an_older_link_was_replaced_by_a_newer_one(client, resent):
    _invitation, (first, second, newest) = resent
    for old in (first, second):
        response = client.get(old)
        page = response.content.decode()
        assert response.status_code == 410
        last_sent = timezone.localtime(_invitation.sent_at).strftime("%d.%m.%Y")
        assert "durch einen neueren ersetzt" in page and f"am {last_sent} erneut" in page and "nicht gültig" not in page
    assert client.get(newest).status_code == 200
    response = client.get(first.replace("/de/", "/en/"))
    assert "replaced by a newer one" in response.content.decode()


def test_it_says_that_the_invitation_was_used_when_an_old_link_is_opened_after(client, resent, outsider):
    invitation, (first, _second, _newest) = resent
    invitation.accept(user=outsider)
    response = client.get(first)
    assert response.status_code == 410 and "bereits verwendet" in response.content.decode()


def test_it_still_calls_a_link_that_never_was_one_not_valid(client, resent):
    response = client.get(reverse("accounts:invitation_accept", args=["never-sent"]))
    assert response.status_code == 404 and "nicht gültig" in response.content.decode()
