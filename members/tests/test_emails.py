"""Every e-mail of the members app, rendered in German and in English: each placeholder filled, the greeting by
the person's name (never the login name), the secretariat as Reply-To."""

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from core.tests.mail import assert_mail_complete
from members import notifications, services
from members.models import CoordinatorRole, Invitation, MemberStatus
from members.tests.factories import ApplicationFactory, AssignmentFactory, MemberFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 7)
LANGUAGES = ["de", "en"]


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 12, 7, 9, 0), tick=False):
        yield


@pytest.fixture
def officer(staff):
    staff.first_name, staff.last_name = "Anna", "Schönfelder"
    staff.save()
    return staff


def _only_mail():
    assert len(mail.outbox) == 1, [m.subject for m in mail.outbox]
    return mail.outbox[0]


@pytest.mark.parametrize("language", LANGUAGES)
def test_it_says_which_secretariat_officer_invites_to_which_member(officer, dresden, language, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_send(member=dresden, email="neu@dresden.de", role=CoordinatorRole.LEAD, language=language, by=officer)
    message = _only_mail()
    assert_mail_complete(message, language=language, to=["neu@dresden.de"])
    expected = {
        "de": "Anna Schönfelder vom ECCAR-Sekretariat lädt Sie ein, im ECCAR-Portal für die Landeshauptstadt Dresden als Hauptkoordinator/in mitzuarbeiten",
        "en": "Anna Schönfelder of the ECCAR secretariat invites you to work on the ECCAR Portal for Landeshauptstadt Dresden",
    }[language]
    assert expected in message.body and "secretariat" not in message.body.split("\n")[0]


@pytest.mark.parametrize("language", LANGUAGES)
def test_it_names_the_lead_coordinator_who_invites_an_editor(dresden, dresden_lead, language, django_capture_on_commit_callbacks):
    dresden_lead.first_name, dresden_lead.last_name = "Jana", "Krüger"
    dresden_lead.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_send(member=dresden, email="neu@dresden.de", role=CoordinatorRole.EDITOR, language=language, by=dresden_lead)
    message = _only_mail()
    assert_mail_complete(message, language=language)
    expected = {"de": "Jana Krüger, Hauptkoordinator/in der Landeshauptstadt Dresden, lädt Sie ein",
                "en": "Jana Krüger, lead coordinator of Landeshauptstadt Dresden, invites you"}[language]
    assert expected in message.body and "dresden-lead" not in message.body


@pytest.mark.parametrize("language", LANGUAGES)
def test_it_never_names_an_inviter_by_login_name(staff, dresden, language, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_send(member=dresden, email="neu@dresden.de", role=CoordinatorRole.LEAD, language=language, by=staff)
    message = _only_mail()
    assert_mail_complete(message, language=language)
    assert {"de": "das ECCAR-Sekretariat lädt Sie ein", "en": "the ECCAR secretariat invites you"}[language] in message.body
    assert "Guten Tag secretariat" not in message.body and "Hello secretariat" not in message.body


def test_it_names_who_sends_an_invitation_again(officer, dresden, dresden_lead, django_capture_on_commit_callbacks):
    dresden_lead.first_name, dresden_lead.last_name = "Jana", "Krüger"
    dresden_lead.save()
    invitation = services.invitation_send(member=dresden, email="neu@dresden.de", role="editor", language="de", by=dresden_lead)
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_resend(invitation=Invitation.objects.get(pk=invitation.pk), by=officer)
    assert "Anna Schönfelder vom ECCAR-Sekretariat" in _only_mail().body


@pytest.mark.parametrize("language", LANGUAGES)
def test_it_greets_the_applicant_by_name_in_the_confirmation_mail(language):
    application = ApplicationFactory(language=language, member=None)
    notifications.application_received(application, "token-123")
    message = _only_mail()
    assert_mail_complete(message, language=language, to=["paula.probst@example.org"])
    assert message.body.startswith({"de": "Guten Tag Paula Probst,", "en": "Hello Paula Probst,"}[language])
    assert f"/{language}/join/confirm/token-123/" in message.body or "token-123" in message.body


@pytest.mark.parametrize("language", LANGUAGES)
def test_it_tells_the_secretariat_of_a_confirmed_application(settings, language):
    settings.LANGUAGE_CODE = language
    application = ApplicationFactory()
    notifications.application_confirmed(application)
    message = _only_mail()
    assert_mail_complete(message, language=language, to=[settings.SECRETARIAT_EMAIL])
    assert "Stadt Mölln und Amt Breitenfelde" in message.subject and "Paula Probst" in message.body


@pytest.mark.parametrize(("language", "on", "expected"), [
    ("de", TODAY, "zum 7. Dezember 2026 in die Europäische Städtekoalition gegen Rassismus aufgenommen. Ihre Mitgliedsseite ist jetzt öffentlich"),
    ("en", TODAY, "as of 7 Dec 2026. Your member page is now public"),
    ("de", dt.date(2027, 1, 15), "zum 15. Januar 2027 in die Europäische Städtekoalition gegen Rassismus aufgenommen. Ihre Mitgliedsseite ist ab diesem Tag öffentlich"),
    ("en", dt.date(2027, 1, 15), "as of 15 Jan 2027. Your member page will be public from that day"),
])
def test_it_names_the_admission_date_in_the_admission_mail(client, staff, settings, tmp_path, language, on, expected, django_capture_on_commit_callbacks):
    application = ApplicationFactory(language=language, name="Stadt Bamberg", member__name="Stadt Bamberg")
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:members_membershipapplication_admit", args=[application.pk]), {"on": on.isoformat()})
    assert response.status_code == 302
    message = [m for m in mail.outbox if m.to == ["paula.probst@example.org"]][-1]
    assert_mail_complete(message, language=language)
    assert expected in message.body, message.body


@pytest.mark.parametrize("language", LANGUAGES)
def test_it_mails_the_reason_of_a_decline(staff, language, django_capture_on_commit_callbacks):
    application = ApplicationFactory(language=language)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_decline(application=application, by=staff, on=TODAY, reason="Der Ratsbeschluss fehlt noch.")
    message = _only_mail()
    assert_mail_complete(message, language=language)
    assert "Der Ratsbeschluss fehlt noch." in message.body and message.body.startswith({"de": "Guten Tag Paula Probst,", "en": "Hello Paula Probst,"}[language])


@pytest.mark.parametrize("language", LANGUAGES)
def test_it_greets_coordinators_by_name_and_never_by_login_name_on_a_status_change(staff, dresden, language, django_capture_on_commit_callbacks):
    named = UserFactory(username="dresden-lead", first_name="Anna", last_name="Schönfelder", language=language)
    nameless = UserFactory(username="dresden-editor", language=language)
    AssignmentFactory(member=dresden, user=named, role=CoordinatorRole.LEAD)
    AssignmentFactory(member=dresden, user=nameless)
    with django_capture_on_commit_callbacks(execute=True):
        services.member_status_change(member=dresden, to_status=MemberStatus.ON_HOLD, by=staff, on=TODAY, reason="Bericht überfällig")
    by_address = {m.to[0]: m for m in mail.outbox}
    for message in by_address.values():
        assert_mail_complete(message, language=language)
        assert "dresden-lead" not in message.body and "dresden-editor" not in message.body
        assert {"de": "7. Dezember 2026", "en": "7 Dec 2026"}[language] in message.body
        assert "Bericht überfällig" in message.body
    hello = {"de": "Guten Tag", "en": "Hello"}[language]
    assert by_address[named.email].body.startswith(f"{hello} Anna Schönfelder,")
    assert by_address[nameless.email].body.startswith(f"{hello},")


def test_it_names_the_new_status_and_date_of_a_change_that_takes_effect_later(staff, dresden, dresden_lead, django_capture_on_commit_callbacks):
    # A scheduled change has not reached the member yet: the mail reads the status and date it was given.
    dresden.status_since = None
    notifications.status_changed(dresden, reason="Bericht überfällig", to_status=MemberStatus.SUSPENDED, effective_on=dt.date(2027, 1, 15))
    message = _only_mail()
    assert_mail_complete(message, language="de")
    assert "„Ausgesetzt“" in message.body and "15. Januar 2027" in message.body and "Ausgesetzt" in message.subject


@pytest.mark.parametrize("language", LANGUAGES)
def test_it_sends_the_password_reset_in_the_accounts_language_with_its_name(client, language):
    user = UserFactory(username="dresden-lead", first_name="Anna", last_name="Schönfelder", language=language)
    client.post("/de/accounts/password/reset/", {"email": user.email})
    message = _only_mail()
    assert_mail_complete(message, language=language, to=[user.email])
    assert message.body.startswith({"de": "Guten Tag Anna Schönfelder,", "en": "Hello Anna Schönfelder,"}[language])
    assert re.search(rf"/{language}/accounts/password/reset/\S+/", message.body)
