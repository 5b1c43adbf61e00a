import datetime as dt

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.urls import reverse

from core.tests.permissions import ADMIN_LOGIN, PERSONAS, assert_outcome
from members.models import ApplicationStatus, CoordinatorRole, Invitation, MemberStatus, MembershipApplication, MembershipTransition
from members.tests.factories import ApplicationFactory
from reports.tests.pdfs import make_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def application(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    application = ApplicationFactory()
    application.resolution.save("x.pdf", ContentFile(make_pdf("Ratsbeschluss")))
    return application


def _url(name: str, application) -> str:
    return reverse(f"admin:members_membershipapplication_{name}", args=[application.pk])


def test_it_shows_the_application_with_its_buttons_and_resolution(client, staff, application):
    client.force_login(staff)
    body = client.get(_url("change", application)).content.decode()
    assert "Stadt Mölln (Stadt); Amt Breitenfelde (Amt)" in body
    assert _url("accept", application) in body and _url("admit", application) in body and _url("decline", application) in body
    response = client.get(_url("resolution", application))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_it_lists_open_applications_oldest_first_and_hides_unconfirmed_ones(client, staff, application):
    ApplicationFactory(status=ApplicationStatus.UNCONFIRMED, name="Unbestätigt", member=None)
    client.force_login(staff)
    body = client.get(reverse("admin:members_membershipapplication_changelist")).content.decode()
    assert "Stadt Mölln und Amt Breitenfelde" in body and "Unbestätigt" not in body


def test_it_accepts_for_processing_and_invites_the_contact_as_lead(client, staff, application, django_capture_on_commit_callbacks):
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url("accept", application))
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.IN_PROCESS and application.accepted_by == staff
    invitation = Invitation.objects.get(application=application)
    assert (invitation.email, invitation.role, invitation.member) == ("paula.probst@example.org", CoordinatorRole.LEAD, application.member)
    assert mail.outbox[-1].to == ["paula.probst@example.org"] and "/accounts/invitation/" in mail.outbox[-1].body
    # A second click does not invite twice.
    client.post(_url("accept", application))
    assert Invitation.objects.filter(application=application).count() == 1


def test_it_admits_and_the_member_page_goes_public(client, staff, application, django_capture_on_commit_callbacks):
    assert client.get(application.member.get_absolute_url()).status_code == 404
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url("admit", application), {"on": "2025-05-01"})
    assert response.status_code == 302
    application.refresh_from_db()
    member = application.member
    assert application.status == ApplicationStatus.ADMITTED and member.status == MemberStatus.MEMBER
    assert member.admitted_on == dt.date(2025, 5, 1)
    assert MembershipTransition.objects.get(member=member).by == staff
    assert "aufgenommen" in mail.outbox[-1].subject
    client.logout()
    assert client.get(member.get_absolute_url()).status_code == 200


def test_it_declines_with_a_reason_that_is_mailed_to_the_contact(client, staff, application, django_capture_on_commit_callbacks):
    client.force_login(staff)
    response = client.post(_url("decline", application), {"on": "2025-05-01", "reason": ""})
    assert response.status_code == 400 and "Dieses Feld ist zwingend erforderlich." in response.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.CONFIRMED and not mail.outbox
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url("decline", application), {"on": "2025-05-01", "reason": "Der Ratsbeschluss fehlt noch."})
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DECLINED and application.member.status == MemberStatus.DECLINED
    assert "Der Ratsbeschluss fehlt noch." in mail.outbox[-1].body


def test_it_refuses_a_decision_on_a_closed_application_and_writes_nothing(client, staff, application):
    application.admit(by=staff, on=dt.date(2025, 5, 1))
    client.force_login(staff)
    response = client.post(_url("decline", application), {"on": "2025-05-02", "reason": "Doch nicht"})
    assert response.status_code == 400 and "Nur ein offener Antrag kann abgelehnt werden." in response.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ADMITTED


EXPECTED = {  # persona -> outcome for every application page of the admin
    "anonymous": ADMIN_LOGIN, "outsider": ADMIN_LOGIN, "dresden_editor": ADMIN_LOGIN, "dresden_lead": ADMIN_LOGIN,
    "bare_staff": 403, "staff": None,
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("name", "method", "ok"), [("change", "get", 200), ("resolution", "get", 200), ("accept", "post", 302),
                                                    ("admit", "post", 302), ("decline", "post", 302)])
def test_it_lets_only_the_secretariat_near_an_application(client, request, application, persona, name, method, ok):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    response = getattr(client, method)(_url(name, application), {"on": "2025-05-01", "reason": "Grund"})
    expected = EXPECTED[persona] or ok
    if persona == "bare_staff" and name == "change":
        expected = 403
    assert_outcome(response, expected, (name, persona))
    if persona != "staff":
        assert MembershipApplication.objects.get(pk=application.pk).status == ApplicationStatus.CONFIRMED


def _messages(response) -> list[tuple[str, str]]:
    from django.contrib.messages import get_messages

    return [(message.level_tag, str(message)) for message in get_messages(response.wsgi_request)]


def test_it_answers_a_double_click_on_accept_calmly_and_sends_nothing_twice(client, staff, application, django_capture_on_commit_callbacks):
    staff.first_name, staff.last_name = "Sven", "Sekretariat"
    staff.save()
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(_url("accept", application))
    assert [level for level, _ in _messages(first)] == ["success"]
    client.get(first["Location"])  # the page shows (and so uses up) the first message
    with django_capture_on_commit_callbacks(execute=True):
        second = client.post(_url("accept", application))
    [(level, text)] = _messages(second)
    assert level == "info", text
    assert "bereits" in text and "Sven Sekretariat" in text and "paula.probst@example.org" in text
    assert len(mail.outbox) == 1 and Invitation.objects.filter(application=application).count() == 1
    assert second.status_code == 302 and second["Location"] == _url("change", application)


def test_it_still_refuses_accepting_a_decided_application_with_an_error(client, staff, application):
    application.admit(by=staff, on=dt.date(2027, 5, 1))
    client.force_login(staff)
    [(level, text)] = _messages(client.post(_url("accept", application)))
    assert level == "error" and "Aufgenommen" in text and not mail.outbox


def test_it_shows_no_save_buttons_on_the_read_only_application_page(client, staff, application):
    from django.contrib.auth.models import Permission

    from members.tests.factories import UserFactory

    reader = UserFactory(username="application-reader", is_staff=True)
    reader.user_permissions.add(Permission.objects.get(codename="view_membershipapplication"))
    declined = ApplicationFactory(status=ApplicationStatus.DECLINED, name="Abgelehnt", member=None, decline_reason="Kein Beschluss")
    for user, shown in ((staff, application), (staff, declined), (reader, application)):
        client.force_login(user)
        response = client.get(_url("change", shown))
        body = response.content.decode()
        assert response.status_code == 200
        assert 'name="_save"' not in body and 'name="_continue"' not in body and 'name="_addanother"' not in body, (user, shown)
    # The steps stay where they belong.
    client.force_login(staff)
    assert _url("accept", application) in client.get(_url("change", application)).content.decode()


def test_it_filters_the_applications_by_the_countries_they_come_from_only(client, staff, application):
    ApplicationFactory(name="Comune di Bologna", country="IT", member=None)
    client.force_login(staff)
    response = client.get(reverse("admin:members_membershipapplication_changelist"))
    body = response.content.decode()
    assert "?country=DE" in body and "?country=IT" in body and "?country=FR" not in body
    assert "Italien" in body
    filtered = client.get(reverse("admin:members_membershipapplication_changelist"), {"country": "IT"}).content.decode()
    assert "Comune di Bologna" in filtered and "Stadt Mölln und Amt Breitenfelde" not in filtered
