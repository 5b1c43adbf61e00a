"""Every e-mail about reports, rendered in German and in English: each placeholder filled, the greeting by name,
the secretariat as Reply-To; the acceptance mail quotes only its own note."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from core.tests.mail import assert_mail_complete
from core.tests.permissions import ADMIN_LOGIN, PERSONAS, assert_outcome
from members.models import ContactConsent, CoordinatorRole
from members.notifications import secretariat_told_unreached
from members.tests.factories import AssignmentFactory, ContactFactory, MemberFactory, UserFactory
from reports import notifications
from reports.models import ImplementationReport, ReminderKind, ReportStatus
from reports.services import Deadline
from reports.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db

LANGUAGES = ["de", "en"]
HELLO = {"de": "Guten Tag", "en": "Hello"}


@pytest.fixture
def lead(dresden):
    user = UserFactory(username="dresden-lead", first_name="Anna", last_name="Schönfelder")
    AssignmentFactory(user=user, member=dresden, role=CoordinatorRole.LEAD)
    return user


@pytest.fixture
def submitted(dresden, lead):
    return ReportFactory(member=dresden, status=ReportStatus.SUBMITTED, submitted_at=timezone.now())


def _accept_url(report) -> str:
    return reverse("admin:reports_implementationreport_accept", args=[report.pk])


@pytest.mark.parametrize("language", LANGUAGES)
def test_it_tells_the_secretariat_of_a_submitted_report(settings, submitted, language):
    settings.LANGUAGE_CODE = language
    notifications.report_submitted(submitted)
    message = mail.outbox[-1]
    assert_mail_complete(message, language=language, to=[settings.SECRETARIAT_EMAIL])
    assert "Landeshauptstadt Dresden" in message.subject and {"de": "01.01.2023 – 31.12.2024", "en": "01/01/2023 – 31/12/2024"}[language] in message.body


@pytest.mark.parametrize("language", LANGUAGES)
def test_it_mails_the_feedback_of_a_return_greeting_by_name(submitted, lead, staff, language):
    lead.language = language
    lead.save()
    submitted.return_to_member(by=staff, feedback="Bitte Verpflichtung 3 ergänzen.")
    message = mail.outbox[-1]
    assert_mail_complete(message, language=language, to=[lead.email])
    assert message.body.startswith(f"{HELLO[language]} Anna Schönfelder,") and "dresden-lead" not in message.body
    assert "Bitte Verpflichtung 3 ergänzen." in message.body


@pytest.mark.parametrize("language", LANGUAGES)
def test_it_never_quotes_the_old_feedback_when_the_report_is_accepted(submitted, lead, staff, language):
    lead.language = language
    lead.save()
    submitted.return_to_member(by=staff, feedback="Bitte Verpflichtung 3 ergänzen.")
    submitted.status = ReportStatus.SUBMITTED  # resubmitted by the lead
    ImplementationReport.objects.filter(pk=submitted.pk).update(status=ReportStatus.SUBMITTED)
    mail.outbox.clear()
    submitted.accept(by=staff)
    message = mail.outbox[-1]
    assert_mail_complete(message, language=language)
    assert "Bitte Verpflichtung 3 ergänzen." not in message.body
    assert {"de": "Rückmeldung", "en": "Feedback"}[language] not in message.body
    assert {"de": "angenommen", "en": "accepted"}[language] in message.body


@pytest.mark.parametrize("language", LANGUAGES)
def test_it_accepts_with_a_note_of_its_own_from_the_admin(client, staff, submitted, lead, language):
    lead.language = language
    lead.save()
    client.force_login(staff)
    page = client.get(_accept_url(submitted))
    assert page.status_code == 200 and 'name="note"' in page.content.decode()
    assert ImplementationReport.objects.get(pk=submitted.pk).status == ReportStatus.SUBMITTED  # showing the step changes nothing
    response = client.post(_accept_url(submitted), {"note": "Ausgezeichnet, merci."})
    assert response.status_code == 302
    report = ImplementationReport.objects.get(pk=submitted.pk)
    assert report.status == ReportStatus.ACCEPTED and report.feedback == ""
    assert report.transitions.get().note == "Ausgezeichnet, merci."
    message = mail.outbox[-1]
    assert_mail_complete(message, language=language, to=[lead.email])
    assert {"de": "Anmerkung des Sekretariats zur Annahme:", "en": "A note from the secretariat on the acceptance:"}[language] in message.body
    assert "Ausgezeichnet, merci." in message.body


def test_it_accepts_without_a_note_and_refuses_a_note_too_long(client, staff, submitted):
    client.force_login(staff)
    response = client.post(_accept_url(submitted), {"note": "x" * 10001})
    assert response.status_code == 400 and "x" * 10001 in response.content.decode()  # what was typed is kept
    assert ImplementationReport.objects.get(pk=submitted.pk).status == ReportStatus.SUBMITTED
    assert client.post(_accept_url(submitted), {"note": ""}).status_code == 302
    assert ImplementationReport.objects.get(pk=submitted.pk).transitions.get().note == ""
    assert "Anmerkung" not in mail.outbox[-1].body


EXPECTED = {"anonymous": ADMIN_LOGIN, "outsider": ADMIN_LOGIN, "dresden_editor": ADMIN_LOGIN, "dresden_lead": ADMIN_LOGIN,
            "bare_staff": 403, "staff": 200}


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_shows_the_acceptance_step_only_to_the_secretariat(client, request, dresden, persona):
    report = ReportFactory(member=dresden, status=ReportStatus.SUBMITTED, submitted_at=timezone.now())
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    assert_outcome(client.get(_accept_url(report)), EXPECTED[persona], (persona,))


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("days_left", "kind", "expected"), [
    (60, ReminderKind.DAYS_60, {"de": "in 60 Tagen", "en": "in 60 days"}),
    (0, ReminderKind.DUE, {"de": "heute fällig", "en": "due today"}),
    (-45, ReminderKind.OVERDUE, {"de": "vor 45 Tagen", "en": "45 days ago"}),
])
def test_it_writes_each_reminder_with_its_date(dresden, lead, language, days_left, kind, expected):
    lead.language = language
    lead.save()
    deadline = Deadline(due_on=dt.date(2027, 3, 15), days_left=days_left)
    notifications.report_reminder(member=dresden, deadline=deadline, kind=kind, users=[lead])
    message = mail.outbox[-1]
    assert_mail_complete(message, language=language, to=[lead.email])
    assert message.body.startswith(f"{HELLO[language]} Anna Schönfelder,") and expected[language] in message.body


@pytest.mark.parametrize("language", LANGUAGES)
def test_it_writes_a_reminder_to_the_published_contact_asking_for_a_coordinator(language):
    member = MemberFactory(name="Stadt Bamberg", slug="bamberg", content_language=language)
    contact = ContactFactory(member=member, name="Paula Probst", email="probst@bamberg.de", publish=True, consent=ContactConsent.GIVEN)
    deadline = Deadline(due_on=dt.date(2027, 3, 15), days_left=14)
    notifications.report_reminder(member=member, deadline=deadline, kind=ReminderKind.DAYS_14, contacts=[contact])
    message = mail.outbox[-1]
    assert_mail_complete(message, language=language, to=["probst@bamberg.de"])
    assert message.body.startswith(f"{HELLO[language]} Paula Probst,")
    assert {"de": "niemand Stadt Bamberg im Portal koordiniert", "en": "nobody coordinates Stadt Bamberg in the portal"}[language] in message.body
    assert f"/{language}/members/bamberg/" in message.body


@pytest.mark.parametrize("language", LANGUAGES)
def test_it_names_the_unreached_members_to_the_secretariat(settings, language):
    settings.LANGUAGE_CODE = language
    bamberg, graz = MemberFactory(name="Stadt Bamberg"), MemberFactory(name="Graz")
    from django.utils.translation import gettext_lazy as _

    secretariat_told_unreached(mailing=_("Report reminder"), members=[(bamberg, dt.date(2027, 3, 15)), (graz, None)])
    message = mail.outbox[-1]
    assert_mail_complete(message, language=language, to=[settings.SECRETARIAT_EMAIL])
    assert {"de": "Berichtserinnerung: 2 Mitglieder waren nicht erreichbar", "en": "Report reminder: 2 members could not be reached"}[language] == message.subject
    assert "Stadt Bamberg" in message.body and "Graz" in message.body
    assert f"/admin/members/member/{bamberg.pk}/change/" in message.body
