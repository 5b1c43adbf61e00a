"""An editor marks a draft "ready for the lead" (the editor's save with next=ready, mark_ready), the lead is told by
e-mail in the lead's language; reports:clear_ready takes the mark back."""

import datetime as dt

import pytest
from django.core import mail

from core.tests.mail import assert_mail_complete
from core.tests.permissions import LOGIN, PERSONAS, assert_outcome
from members.models import CoordinatorRole
from members.tests.factories import AssignmentFactory, UserFactory
from reports.models import ImplementationReport, ReportStatus, ReportTransitionError
from reports.services import report_create
from reports.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead(dresden):
    user = UserFactory(username="dresden-chief", first_name="Anna", last_name="Schönfelder", email="anna@dresden.example", language="en")
    AssignmentFactory(user=user, member=dresden, role=CoordinatorRole.LEAD)
    return user


@pytest.fixture
def editor(dresden):
    user = UserFactory(username="dresden-writer", first_name="Ben", last_name="Schreiber", email="ben@dresden.example")
    AssignmentFactory(user=user, member=dresden, role=CoordinatorRole.EDITOR)
    return user


@pytest.fixture
def draft(dresden, editor, commitments):
    return report_create(member=dresden, start=dt.date(2023, 1, 1), end=dt.date(2024, 12, 31), by=editor)


def edit_url(report, lang="en"):
    return f"/{lang}/dashboard/{report.member.slug}/reports/{report.pk}/"


def form_data(report, **extra):
    data = {"version": report.version, "title": "Bericht 2023/24", "summary": "Zusammenfassung"}
    data.update({f"narrative_{n}": "" for n in range(1, 11)})
    data.update(extra)
    return data


@pytest.mark.parametrize("language", ["de", "en"])
def test_it_saves_marks_ready_and_tells_the_lead_in_the_leads_language(client, draft, lead, editor, language):
    lead.language = language
    lead.save()
    client.force_login(editor)
    response = client.post(edit_url(draft) + "save/", form_data(draft, narrative_2="Fertig", next="ready"))
    assert response.status_code == 302
    report = ImplementationReport.objects.get(pk=draft.pk)
    assert report.ready_by == editor and report.ready_at is not None
    assert report.narratives.get(commitment__number=2).text == "Fertig"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert_mail_complete(message, language=language, to=["anna@dresden.example"])
    assert "Ben Schreiber" in message.body and {"de": "01.01.2023 – 31.12.2024", "en": "01/01/2023 – 31/12/2024"}[language] in message.body
    assert f"/dashboard/dresden/reports/{draft.pk}/review/" in message.body
    assert "dresden-writer" not in message.body
    of_member = {"de": "der Landeshauptstadt Dresden", "en": "of Landeshauptstadt Dresden"}[language]
    assert of_member in message.body
    page = client.get(edit_url(draft)).content.decode()
    assert "Marked as ready for the lead coordinator by Ben Schreiber" in page
    assert 'value="ready"' not in page  # marked already


def test_it_keeps_the_typed_text_and_marks_nothing_when_the_text_is_invalid(client, draft, lead, editor):
    client.force_login(editor)
    response = client.post(edit_url(draft) + "save/", form_data(draft, title="x" * 400, narrative_4="Getippt", next="ready"))
    assert response.status_code == 400 and "Getippt" in response.content.decode()
    assert ImplementationReport.objects.get(pk=draft.pk).ready_at is None and not mail.outbox


def test_it_does_not_mail_the_lead_who_marks_it_ready_themselves(draft, lead):
    draft.mark_ready(by=lead)
    assert not mail.outbox


def test_it_mails_every_active_lead_with_an_address(dresden, draft, lead, editor):
    second = UserFactory(username="dresden-vice", email="vice@dresden.example", language="de")
    AssignmentFactory(user=second, member=dresden, role=CoordinatorRole.LEAD)
    gone = UserFactory(username="dresden-gone", email="gone@dresden.example", is_active=False)
    AssignmentFactory(user=gone, member=dresden, role=CoordinatorRole.LEAD)
    draft.mark_ready(by=editor)
    assert sorted(m.to[0] for m in mail.outbox) == ["anna@dresden.example", "vice@dresden.example"]
    # Without a name the greeting is plain.
    vice = next(m for m in mail.outbox if m.to == ["vice@dresden.example"])
    assert vice.body.startswith("Guten Tag,")


def test_it_shows_the_mark_to_the_lead_and_on_the_overview(client, draft, lead, editor):
    draft.mark_ready(by=editor)
    client.force_login(lead)
    assert "Marked as ready for the lead coordinator" in client.get("/en/dashboard/dresden/reports/").content.decode()


def test_it_clears_the_mark(client, draft, lead, editor):
    draft.mark_ready(by=editor)
    client.force_login(editor)
    response = client.post(edit_url(draft) + "ready/clear/")
    assert response.status_code == 302
    assert ImplementationReport.objects.get(pk=draft.pk).ready_at is None
    assert 'value="ready"' in client.get(edit_url(draft)).content.decode()


def test_it_clears_the_mark_on_submission(draft, lead, editor):
    draft.mark_ready(by=editor)
    draft.submit(by=lead)
    report = ImplementationReport.objects.get(pk=draft.pk)
    assert report.ready_at is None and report.ready_by is None


@pytest.mark.parametrize("status", [ReportStatus.SUBMITTED, ReportStatus.PUBLISHED])
def test_it_marks_no_submitted_report(dresden, editor, status):
    report = ReportFactory(member=dresden, status=status)
    with pytest.raises(ReportTransitionError):
        report.mark_ready(by=editor)
    assert not mail.outbox


OUTCOMES = {"anonymous": LOGIN, "outsider": 404, "dresden_editor": 302, "dresden_lead": 302, "staff": 302, "bare_staff": 404}


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_lets_only_the_members_coordinators_clear_the_mark(client, request, draft, editor, persona):
    draft.mark_ready(by=editor)
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    assert_outcome(client.post(edit_url(draft, "de") + "ready/clear/"), OUTCOMES[persona], (persona,))
    assert (ImplementationReport.objects.get(pk=draft.pk).ready_at is None) == (OUTCOMES[persona] == 302)


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_lets_only_the_members_coordinators_mark_it_ready(client, request, draft, persona):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    response = client.post(edit_url(draft, "de") + "save/", form_data(draft, next="ready"))
    assert_outcome(response, OUTCOMES[persona], (persona,))
    assert (ImplementationReport.objects.get(pk=draft.pk).ready_at is not None) == (OUTCOMES[persona] == 302)


def test_it_names_an_editor_without_name_or_address_in_the_leads_language(dresden, draft, lead):
    nameless = UserFactory(username="dresden-anon", first_name="", last_name="", email="")
    AssignmentFactory(user=nameless, member=dresden, role=CoordinatorRole.EDITOR)
    lead.language = "de"
    lead.save()
    draft.mark_ready(by=nameless)
    [message] = mail.outbox
    assert_mail_complete(message, language="de")
    assert "Eine Koordinatorin oder ein Koordinator Ihres Mitglieds hat den Entwurf" in message.body
    assert "dresden-anon" not in message.body


def test_it_leaves_the_version_alone_so_that_a_colleagues_open_editor_still_saves(client, draft, lead, editor):
    opened = form_data(draft, narrative_2="Vom Kollegen")
    draft.mark_ready(by=editor)
    draft.clear_ready(by=lead)
    assert ImplementationReport.objects.get(pk=draft.pk).version == opened["version"]
    client.force_login(lead)
    assert client.post(edit_url(draft) + "save/", opened).status_code == 302
    assert ImplementationReport.objects.get(pk=draft.pk).narratives.get(commitment__number=2).text == "Vom Kollegen"


def test_it_records_the_mark_in_the_reports_history(draft, lead, editor):
    draft.mark_ready(by=editor)
    draft.clear_ready(by=lead)
    records = list(ImplementationReport.history.filter(id=draft.pk).order_by("-history_date")[:2])
    assert [(r.history_user, r.ready_by_id is None, r.version) for r in records] == [(lead, True, draft.version), (editor, False, draft.version)]
