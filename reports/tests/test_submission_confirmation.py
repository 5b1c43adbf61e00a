"""The confirmation mail of a submission: to the lead coordinators and the submitter (if someone else), in each
one's language, saying what was submitted and where to see it."""

import datetime as dt

import pytest
from django.core import mail

from core.tests.mail import assert_mail_complete
from members.models import CoordinatorRole
from members.tests.factories import AssignmentFactory, UserFactory
from reports.models import ImplementationReport
from reports.services import report_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead(dresden):
    user = UserFactory(username="dresden-chief", first_name="Anna", last_name="Schönfelder", email="anna@dresden.example", language="de")
    AssignmentFactory(user=user, member=dresden, role=CoordinatorRole.LEAD)
    return user


@pytest.fixture
def draft(dresden, lead, commitments):
    report = report_create(member=dresden, start=dt.date(2023, 1, 1), end=dt.date(2024, 12, 31), by=lead)
    ImplementationReport.objects.filter(pk=report.pk).update(title="Bericht 2023/24")
    report.refresh_from_db()
    return report


def confirmations(settings):
    return [m for m in mail.outbox if m.to != list(settings.REPORTS_NOTIFY_EMAILS)]


@pytest.mark.parametrize("language", ["de", "en"])
def test_it_confirms_the_submission_to_the_lead(client, settings, draft, lead, language):
    lead.language = language
    lead.save()
    client.force_login(lead)
    response = client.post(f"/de/dashboard/dresden/reports/{draft.pk}/submit/", {"version": draft.version})
    assert response.status_code == 302
    [message] = confirmations(settings)
    assert_mail_complete(message, language=language, to=["anna@dresden.example"])
    assert "Bericht 2023/24" in message.body and {"de": "01.01.2023 – 31.12.2024", "en": "01/01/2023 – 31/12/2024"}[language] in message.body
    assert f"/dashboard/dresden/reports/{draft.pk}/" in message.body
    expected = {"de": "Sie haben den Umsetzungsbericht der Landeshauptstadt Dresden", "en": "you submitted the implementation report of"}
    assert expected[language] in message.body
    # The secretariat's own notice still goes out.
    assert any(m.to == list(settings.REPORTS_NOTIFY_EMAILS) for m in mail.outbox)


def test_it_confirms_to_the_submitter_and_the_lead_when_the_secretariat_submits(settings, draft, lead, staff):
    staff.email, staff.first_name, staff.last_name, staff.language = "sek@eccar.example", "Sina", "Sekretariat", "en"
    staff.save()
    draft.submit(by=staff)
    by_address = {m.to[0]: m for m in confirmations(settings)}
    assert set(by_address) == {"anna@dresden.example", "sek@eccar.example"}
    to_lead = by_address["anna@dresden.example"]
    assert_mail_complete(to_lead, language="de")
    assert "Sina Sekretariat hat den Umsetzungsbericht" in to_lead.body
    assert_mail_complete(by_address["sek@eccar.example"], language="en")


def test_it_sends_no_confirmation_when_the_submission_is_refused(settings, draft, lead):
    with pytest.raises(Exception):
        draft.submit(by=lead, expected_version=draft.version - 1)
    assert not mail.outbox
