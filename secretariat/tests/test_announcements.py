import pytest
from django.core import mail
from django.urls import reverse

from core.tests.permissions import ADMIN_LOGIN, PERSONAS, assert_outcome
from members.models import MemberStatus
from members.tests.factories import AssignmentFactory, MemberFactory, UserFactory
from secretariat.models import Announcement
from secretariat.services import announcement_send

pytestmark = pytest.mark.django_db

ADD = "/admin/secretariat/announcement/add/"


@pytest.fixture
def coordinators(dresden, dresden_editor, dresden_lead, outsider):
    english = UserFactory(username="en-coordinator", language="en")
    AssignmentFactory(user=english, member=MemberFactory(country="AT", name="Graz", slug="graz"))
    AssignmentFactory(user=UserFactory(username="former"), member=MemberFactory(status=MemberStatus.FORMER, slug="alt"))
    return {"english": english}


def _send_url(announcement) -> str:
    return reverse("admin:secretariat_announcement_send", args=[announcement.pk])


def test_it_shows_how_many_will_receive_it_then_sends_each_in_their_language(client, staff, coordinators):
    client.force_login(staff)
    response = client.post(ADD, {"subject_de": "Jahrestreffen", "body_de": "Liebe Koordinierende", "subject_en": "Annual meeting",
                                 "body_en": "Dear coordinators", "statuses": ["member"]})
    announcement = Announcement.objects.get()
    assert response.headers["Location"] == _send_url(announcement) and announcement.created_by == staff
    preview = client.get(_send_url(announcement)).content.decode()
    assert "4 Koordinierende erhalten" in preview and not mail.outbox
    client.post(_send_url(announcement))
    announcement.refresh_from_db()
    assert announcement.recipient_count == 4 and announcement.sent_at is not None
    by_address = {m.to[0]: m for m in mail.outbox}
    assert by_address[coordinators["english"].email].subject == "Annual meeting"
    assert by_address["dresden-lead@example.org"].subject == "Jahrestreffen"
    assert "former@example.org" not in by_address


def test_it_filters_by_country(client, staff, coordinators):
    announcement = Announcement.objects.create(subject_de="Österreich", body_de="Hallo", countries=["AT"], created_by=staff)
    announcement_send(announcement=announcement, by=staff)
    assert [m.to for m in mail.outbox] == [[coordinators["english"].email]]


def test_it_sends_once_and_keeps_the_record_read_only(client, staff, coordinators):
    announcement = Announcement.objects.create(subject_de="Einmal", body_de="Text", created_by=staff)
    client.force_login(staff)
    client.post(_send_url(announcement))
    sent = len(mail.outbox)
    response = client.post(_send_url(announcement), follow=True)
    assert len(mail.outbox) == sent and "bereits gesendet" in response.content.decode()
    body = client.get(reverse("admin:secretariat_announcement_change", args=[announcement.pk])).content.decode()
    assert 'name="body_de"' not in body


def test_it_keeps_sending_when_one_address_fails(staff, coordinators, settings, monkeypatch):
    from django.core.mail.backends.locmem import EmailBackend

    original = EmailBackend.send_messages

    def refuse_one(self, messages):
        if messages[0].to == ["dresden-editor@example.org"]:
            raise OSError("550 mailbox unavailable")
        return original(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", refuse_one)
    announcement = Announcement.objects.create(subject_de="Test", body_de="Text", created_by=staff)
    announcement_send(announcement=announcement, by=staff)
    announcement.refresh_from_db()
    assert (announcement.recipient_count, announcement.failed_count) == (3, 1)
    assert announcement.failed_addresses == "dresden-editor@example.org"


def test_it_refuses_half_an_english_version(client, staff):
    client.force_login(staff)
    response = client.post(ADD, {"subject_de": "Betreff", "body_de": "Text", "subject_en": "Subject", "body_en": ""})
    assert response.status_code == 200 and "beides oder keines" in response.content.decode()
    assert not Announcement.objects.exists()


EXPECTED = {"anonymous": ADMIN_LOGIN, "outsider": ADMIN_LOGIN, "dresden_editor": ADMIN_LOGIN, "dresden_lead": ADMIN_LOGIN,
            "bare_staff": 403, "staff": 302}


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_lets_only_the_secretariat_send(client, request, staff, coordinators, persona):
    announcement = Announcement.objects.create(subject_de="Rundschreiben", body_de="Text", created_by=staff)
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    assert_outcome(client.post(_send_url(announcement)), EXPECTED[persona], (persona,))
    assert bool(mail.outbox) == (persona == "staff")
