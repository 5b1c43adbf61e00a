"""Announcements reach every member: through its coordinators, else its published contact; the members nothing
reaches are named in the preview and, when it is sent, in one e-mail to the secretariat."""

import pytest
from django.core import mail
from django.urls import reverse

from core.tests.mail import assert_mail_complete
from members.models import ContactConsent, CoordinatorRole
from members.tests.factories import AssignmentFactory, ContactFactory, MemberFactory, UserFactory
from secretariat.models import Announcement
from secretariat.services import AnnouncementError, announcement_send

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    aachen = MemberFactory(name="Aachen", slug="aachen")
    AssignmentFactory(member=aachen, user=UserFactory(username="aachen-lead", language="en"), role=CoordinatorRole.LEAD)
    AssignmentFactory(member=aachen, user=UserFactory(username="aachen-editor", language="de"))
    bamberg = MemberFactory(name="Bamberg", slug="bamberg", content_language="en")
    ContactFactory(member=bamberg, name="Paula Probst", email="probst@bamberg.de", publish=True, consent=ContactConsent.PUBLISHED_BY_MEMBER)
    celle = MemberFactory(name="Celle", slug="celle")
    AssignmentFactory(member=celle, user=UserFactory(username="celle-off", is_active=False))
    return {"aachen": aachen, "bamberg": bamberg, "celle": celle}


@pytest.fixture
def announcement(staff):
    return Announcement.objects.create(subject_de="Jahrestreffen", body_de="Liebe Koordinierende,\n\nwir laden ein.",
                                       subject_en="Annual meeting", body_en="Dear coordinators,\n\nyou are invited.", created_by=staff)


def _send_url(announcement) -> str:
    return reverse("admin:secretariat_announcement_send", args=[announcement.pk])


def _section(body: str, name: str) -> str:
    return body.split(f'class="reach-{name}"')[1].split("</ul>")[0]


def test_it_names_in_the_preview_who_is_reached_only_through_a_contact_and_who_not_at_all(client, staff, world, announcement):
    client.force_login(staff)
    body = client.get(_send_url(announcement)).content.decode()
    assert "2 Koordinierende erhalten" in body
    assert "Bamberg" in _section(body, "contact") and "probst@bamberg.de" in _section(body, "contact")
    assert "Celle" in _section(body, "nobody") and "Aachen" not in _section(body, "nobody")
    assert "Keine Nachricht erreicht 1 Mitglied" in body and "secretariat@eccar-portal.invalid" in body
    assert not mail.outbox


def test_it_sends_to_the_contact_with_a_word_why_and_tells_the_secretariat_once(client, staff, world, announcement, settings):
    client.force_login(staff)
    response = client.post(_send_url(announcement), follow=True)
    assert "Celle" in response.content.decode()
    by_address = {m.to[0]: m for m in mail.outbox}
    assert set(by_address) == {"aachen-lead@example.org", "aachen-editor@example.org", "probst@bamberg.de", settings.SECRETARIAT_EMAIL}
    for address, language in (("aachen-lead@example.org", "en"), ("aachen-editor@example.org", "de"), ("probst@bamberg.de", "en")):
        assert_mail_complete(by_address[address], language=language)
    contact_mail = by_address["probst@bamberg.de"]
    assert contact_mail.subject == "Annual meeting" and contact_mail.body.startswith("Hello Paula Probst,")
    assert "nobody coordinates Bamberg in the portal" in contact_mail.body and "you are invited." in contact_mail.body
    notice = by_address[settings.SECRETARIAT_EMAIL]
    assert_mail_complete(notice, language="de")
    assert "Jahrestreffen" in notice.subject and "Celle" in notice.body and "Bamberg" not in notice.body
    announcement.refresh_from_db()
    assert (announcement.recipient_count, announcement.contact_count, announcement.unreached_members) == (3, 1, "Celle")
    sent_page = client.get(_send_url(announcement)).content.decode()
    assert "Celle" in sent_page and "Am " in sent_page
    client.post(_send_url(announcement))
    assert len(mail.outbox) == 4  # once only, the notice included


def test_it_sends_nothing_when_no_member_can_be_reached(staff, world):
    announcement = Announcement.objects.create(subject_de="Nur Celle", body_de="Text", countries=["AT"], created_by=staff)
    world["celle"].country = "AT"
    world["celle"].save()
    with pytest.raises(AnnouncementError) as refused:
        announcement_send(announcement=announcement, by=staff)
    assert "erreichbar" in str(refused.value.messages[0]) or "reached" in str(refused.value.messages[0])
    assert not mail.outbox


def test_it_previews_in_a_fixed_number_of_queries_however_many_members(client, staff, announcement, django_assert_max_num_queries):
    def make(start: int, n: int) -> None:
        for i in range(start, start + n):
            member = MemberFactory(name=f"Stadt {i:03d}", slug=f"stadt-{i}")
            if i % 3 == 0:
                AssignmentFactory(member=member, user=UserFactory(username=f"lead-{i}"))
            elif i % 3 == 1:
                ContactFactory(member=member, email=f"c{i}@example.org", publish=True, consent=ContactConsent.GIVEN)

    client.force_login(staff)
    make(0, 3)
    with django_assert_max_num_queries(30) as few:
        assert client.get(_send_url(announcement)).status_code == 200
    make(3, 60)
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = client.get(_send_url(announcement)).content.decode()
    assert "Stadt 062" in body and "Stadt 061" in body  # a member reached by contact and one reached by nobody


@pytest.mark.parametrize(("content_language", "english_given", "language"), [("de", True, "de"), ("en", True, "en"), ("en", False, "de")])
def test_it_writes_to_a_contact_in_the_members_language_when_the_text_exists_in_it(staff, content_language, english_given, language):
    member = MemberFactory(name="Stadt Bamberg", slug="bamberg", content_language=content_language)
    ContactFactory(member=member, name="Paula Probst", email="probst@bamberg.de", publish=True, consent=ContactConsent.GIVEN)
    english = {"subject_en": "Annual meeting", "body_en": "Dear colleagues"} if english_given else {}
    announcement = Announcement.objects.create(subject_de="Jahrestreffen", body_de="Liebe Kolleginnen und Kollegen", created_by=staff, **english)
    announcement_send(announcement=announcement, by=staff)
    message = mail.outbox[0]
    assert_mail_complete(message, language=language, to=["probst@bamberg.de"])
    assert message.subject == {"de": "Jahrestreffen", "en": "Annual meeting"}[language]
    assert message.body.startswith({"de": "Guten Tag Paula Probst,", "en": "Hello Paula Probst,"}[language])
