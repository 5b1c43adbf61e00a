"""The coordinator's report pages: new report, the draft editor, uploads, submission."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from actionplan.tests.factories import ActionPlanFactory, MeasureFactory, MeasureUpdateFactory
from reports.models import ImplementationReport, ReportStatus
from reports.services import report_create
from reports.tests.factories import ReportFactory
from reports.tests.pdfs import make_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(dresden, dresden_lead, commitments):
    return report_create(member=dresden, start=dt.date(2023, 1, 1), end=dt.date(2024, 12, 31), by=dresden_lead)


def edit_url(report):
    return f"/en/dashboard/{report.member.slug}/reports/{report.pk}/"


def form_data(report, **extra):
    data = {"version": report.version, "title": "Bericht 2023/24", "summary": "Zusammenfassung"}
    data.update({f"narrative_{n}": "" for n in range(1, 11)})
    data.update(extra)
    return data


def pdf(name="bericht.pdf", content=None):
    return SimpleUploadedFile(name, make_pdf() if content is None else content, content_type="application/pdf")


# --- New report -------------------------------------------------------------------------------------


def test_it_creates_a_draft_for_a_period(client, dresden, dresden_editor, commitments):
    client.force_login(dresden_editor)
    assert client.get("/en/dashboard/dresden/reports/new/").status_code == 200
    response = client.post("/en/dashboard/dresden/reports/create/", {"period_start": "2023-01-01", "period_end": "2024-12-31"})
    report = ImplementationReport.objects.get()
    assert response.status_code == 302 and response.headers["Location"] == edit_url(report)
    assert report.status == ReportStatus.DRAFT and report.created_by == dresden_editor
    assert report.narratives.count() == 10


@pytest.mark.parametrize(
    ("delivered", "expected"),
    [
        (None, ('value="2016-11-01"', 'value="2018-10-31"')),  # from admission
        (ReportStatus.ACCEPTED, ('value="2021-01-01"', 'value="2022-12-31"')),
        (ReportStatus.PUBLISHED, ('value="2021-01-01"', 'value="2022-12-31"')),
    ],
)
def test_it_suggests_the_next_period(client, dresden, dresden_lead, delivered, expected):
    dresden.admitted_on = dt.date(2016, 11, 1)
    dresden.save()
    if delivered:
        ReportFactory(member=dresden, status=delivered, period_start=dt.date(2019, 1, 1), period_end=dt.date(2020, 12, 31))
    # A draft or a submitted report does not move the next period on.
    ReportFactory(member=dresden, status=ReportStatus.SUBMITTED, period_start=dt.date(2025, 1, 1), period_end=dt.date(2025, 6, 30))
    client.force_login(dresden_lead)
    body = client.get("/de/dashboard/dresden/reports/new/").content.decode()
    assert all(value in body for value in expected)


def test_it_refuses_a_period_ending_before_it_starts(client, dresden, dresden_lead, commitments):
    client.force_login(dresden_lead)
    response = client.post("/de/dashboard/dresden/reports/create/", {"period_start": "2024-01-01", "period_end": "2023-12-31"})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'value="2024-01-01"' in body and 'value="2023-12-31"' in body
    assert "must not be before" in body or "darf nicht vor" in body
    assert not ImplementationReport.objects.exists()


def test_it_refuses_a_period_overlapping_an_accepted_report(client, dresden, dresden_lead, commitments):
    ReportFactory(member=dresden, status=ReportStatus.ACCEPTED, period_start=dt.date(2021, 1, 1), period_end=dt.date(2022, 12, 31))
    client.force_login(dresden_lead)
    response = client.post("/en/dashboard/dresden/reports/create/", {"period_start": "2022-06-01", "period_end": "2024-05-31"})
    assert response.status_code == 400
    assert "overlaps the accepted report" in response.content.decode()
    assert ImplementationReport.objects.count() == 1


def test_it_refuses_garbage_dates_without_a_500(client, dresden, dresden_lead):
    client.force_login(dresden_lead)
    response = client.post("/en/dashboard/dresden/reports/create/", {"period_start": "soon", "period_end": ""})
    assert response.status_code == 400
    assert 'value="soon"' in response.content.decode()


# --- Editor -----------------------------------------------------------------------------------------


def test_it_prefills_the_draft_from_the_plan(client, draft, dresden, dresden_editor, commitments):
    plan = ActionPlanFactory(member=dresden)
    measure = MeasureFactory(plan=plan, commitment=commitments[4], title="Antidiskriminierungsberatung", progress=55)
    MeasureUpdateFactory(measure=measure, date=dt.date(2024, 3, 1), text="Zweite Beratungsstelle eröffnet")
    MeasureUpdateFactory(measure=measure, date=dt.date(2020, 3, 1), text="Alter Eintrag")
    MeasureFactory(plan=plan, commitment=commitments[0], title="Zurückgezogen", retired_at=dt.datetime(2024, 1, 1, tzinfo=dt.UTC))
    client.force_login(dresden_editor)
    body = client.get(edit_url(draft)).content.decode()
    assert "Antidiskriminierungsberatung" in body and "55 %" in body and "In progress" in body
    assert "Zweite Beratungsstelle eröffnet" in body
    assert "Alter Eintrag" not in body and "Zurückgezogen" not in body
    assert body.count('name="narrative_') == 10
    assert "Only the lead coordinator can submit" in body


def test_it_saves_narratives_and_summary(client, draft, dresden_editor):
    client.force_login(dresden_editor)
    response = client.post(edit_url(draft) + "save/", form_data(draft, narrative_3="Beratung ausgebaut"))
    assert response.status_code == 302
    report = ImplementationReport.objects.get(pk=draft.pk)
    assert report.summary == "Zusammenfassung" and report.version == 2
    assert report.narratives.get(commitment__number=3).text == "Beratung ausgebaut"


def test_it_uploads_pdfs_with_language_and_title(client, draft, dresden_editor):
    client.force_login(dresden_editor)
    data = form_data(draft, document_file=pdf(), document_language="de", document_title="Bericht ECCAR")
    assert client.post(edit_url(draft) + "save/", data).status_code == 302
    draft.refresh_from_db()
    data = form_data(draft, document_file=pdf("report.pdf"), document_language="en", document_title="Report ECCAR")
    assert client.post(edit_url(draft) + "save/", data).status_code == 302
    documents = list(draft.documents.order_by("language"))
    assert [(d.language, d.title) for d in documents] == [("de", "Bericht ECCAR"), ("en", "Report ECCAR")]
    assert all(d.file.name.endswith(".pdf") and "bericht" not in d.file.name for d in documents)
    response = client.get(f"/en/reports/{draft.pk}/documents/{documents[0].pk}/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF-1.4")


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("setup.pdf", b"MZ\x90\x00" + b"\x00" * 2000, content_type="application/pdf"), "not a PDF"),
        (SimpleUploadedFile("empty.pdf", b"", content_type="application/pdf"), "empty"),
        (SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * (20 * 1024 * 1024), content_type="application/pdf"), "the limit is 20"),
    ],
    ids=["exe-renamed-pdf", "empty", "over-20-mb"],
)
def test_it_refuses_a_bad_upload_but_saves_the_text(client, draft, dresden_editor, upload, message):
    client.force_login(dresden_editor)
    data = form_data(draft, narrative_7="Mein langer Text", document_file=upload, document_language="de", document_title="Bericht")
    response = client.post(edit_url(draft) + "save/", data)
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body
    assert "Your text has been saved. The document has not been added yet" in body
    assert "please choose the file again" in body
    assert "Mein langer Text" in body and 'value="Bericht 2023/24"' in body and 'value="Bericht"' in body
    assert not draft.documents.exists()
    report = ImplementationReport.objects.get(pk=draft.pk)
    assert report.version == 2 and report.narratives.get(commitment__number=7).text == "Mein langer Text"
    # The page carries the saved version: saving again is not a conflict with oneself.
    assert 'name="version" value="2"' in body


def test_it_asks_for_language_and_title_of_a_document_and_still_saves_the_text(client, draft, dresden_editor):
    client.force_login(dresden_editor)
    response = client.post(
        edit_url(draft) + "save/", form_data(draft, summary="Bleibt", document_file=pdf(), document_language="Deutsch")
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Select a valid choice." in body and "Enter the title of the document" in body
    assert not draft.documents.exists()
    assert ImplementationReport.objects.get(pk=draft.pk).summary == "Bleibt"


@pytest.mark.parametrize(("lang", "german", "english"), [("de", "Deutsch", "Englisch"), ("en", "German", "English")])
def test_it_offers_the_document_language_as_names_not_codes(client, draft, dresden_editor, lang, german, english):
    client.force_login(dresden_editor)
    body = client.get(f"/{lang}/dashboard/dresden/reports/{draft.pk}/").content.decode()
    select = body[body.index('<select name="document_language"'):]
    select = select[: select.index("</select>")]
    assert f'<option value="de">{german}</option>' in select and f'<option value="en">{english}</option>' in select
    assert '<option value="pl">' in select and "<optgroup" in select


def test_it_refuses_a_concurrent_save_and_shows_both_versions(client, draft, dresden_editor, dresden_lead):
    stale = form_data(draft, summary="Meine Fassung", narrative_2="Mein Text")
    other = form_data(draft, summary="Ihre Fassung", narrative_2="Ihr Text")
    client.force_login(dresden_lead)
    assert client.post(edit_url(draft) + "save/", other).status_code == 302
    client.force_login(dresden_editor)
    response = client.post(edit_url(draft) + "save/", stale)
    assert response.status_code == 409
    body = response.content.decode()
    assert "Meine Fassung" in body and "Ihre Fassung" in body and "Mein Text" in body and "Ihr Text" in body
    report = ImplementationReport.objects.get(pk=draft.pk)
    assert report.summary == "Ihre Fassung" and report.version == 2
    # Saving again from the conflict page (which carries the new version) keeps the user's text.
    assert 'name="version" value="2"' in body
    assert client.post(edit_url(draft) + "save/", {**stale, "version": 2}).status_code == 302
    assert ImplementationReport.objects.get(pk=draft.pk).summary == "Meine Fassung"


def test_it_removes_a_document_from_a_draft_only(client, draft, dresden_editor, dresden_lead):
    from reports.tests.factories import ReportDocumentFactory

    document = ReportDocumentFactory(report=draft)
    client.force_login(dresden_editor)
    assert client.post(edit_url(draft) + f"documents/{document.pk}/delete/").status_code == 302
    assert not draft.documents.exists()
    document = ReportDocumentFactory(report=draft)
    draft.submit(by=dresden_lead)
    client.post(edit_url(draft) + f"documents/{document.pk}/delete/")
    assert draft.documents.count() == 1


# --- Submission -------------------------------------------------------------------------------------


def test_it_lets_the_lead_preview_exactly_what_is_submitted_then_confirm(client, draft, dresden, dresden_lead, mailoutbox, settings):
    settings.REPORTS_NOTIFY_EMAILS = ["sekretariat@example.org"]
    MeasureFactory(plan=ActionPlanFactory(member=dresden), commitment=draft.narratives.first().commitment, title="Öffentliche Maßnahme")
    client.force_login(dresden_lead)
    assert "Save and preview the submission" in client.get(edit_url(draft)).content.decode()
    response = client.post(edit_url(draft) + "save/", form_data(draft, narrative_1="Letzter Stand", next="review"))
    assert response["Location"] == f"/en/dashboard/dresden/reports/{draft.pk}/review/"
    report = ImplementationReport.objects.get(pk=draft.pk)
    assert report.status == ReportStatus.DRAFT  # nothing is submitted by the editor's button
    preview = client.get(response["Location"]).content.decode()
    assert "Letzter Stand" in preview and "Öffentliche Maßnahme" in preview
    assert f'name="version" value="{report.version}"' in preview
    assert "Submit this report to the secretariat" in preview
    response = client.post(edit_url(draft) + "submit/", {"version": report.version})
    assert response.status_code == 302
    report = ImplementationReport.objects.get(pk=draft.pk)
    assert report.status == ReportStatus.SUBMITTED
    assert report.snapshot["commitments"][0]["measures"][0]["title"] == "Öffentliche Maßnahme"
    # The lead's confirmation first, then the secretariat's notice.
    assert [m.to for m in mailoutbox] == [[dresden_lead.email], ["sekretariat@example.org"]]
    body = client.get(edit_url(draft)).content.decode()
    assert "can no longer be changed" in body and 'name="narrative_1"' not in body


@pytest.mark.parametrize("version", ["1", "", "abc"])
def test_it_refuses_a_submission_of_a_report_changed_since_the_preview(client, draft, dresden_lead, dresden_editor, version):
    editor = client.__class__()
    editor.force_login(dresden_editor)
    assert editor.post(edit_url(draft) + "save/", form_data(draft, summary="Später geändert")).status_code == 302
    client.force_login(dresden_lead)
    response = client.post(edit_url(draft) + "submit/", {"version": version}, follow=True)
    assert response.redirect_chain[-1][0] == f"/en/dashboard/dresden/reports/{draft.pk}/review/"
    assert "changed after you opened the preview" in response.content.decode()
    assert ImplementationReport.objects.get(pk=draft.pk).status == ReportStatus.DRAFT


def test_it_shows_an_editor_the_preview_without_a_submit_button(client, draft, dresden_editor):
    client.force_login(dresden_editor)
    body = client.get(edit_url(draft) + "review/").content.decode()
    assert "Preview of the submission" in body and "Only the lead coordinator can submit" in body
    assert "submit/" not in body


def test_it_forbids_an_editor_to_submit(client, draft, dresden_editor):
    client.force_login(dresden_editor)
    response = client.post(edit_url(draft) + "submit/", {"version": draft.version})
    assert response.status_code == 403
    assert ImplementationReport.objects.get(pk=draft.pk).status == ReportStatus.DRAFT


def test_it_shows_the_feedback_of_a_returned_report_at_the_top(client, draft, dresden_lead, staff):
    draft.submit(by=dresden_lead)
    draft.return_to_member(by=staff, feedback="Bitte die Zahlen ergänzen.")
    client.force_login(dresden_lead)
    body = client.get(edit_url(draft)).content.decode()
    assert body.index("Bitte die Zahlen ergänzen.") < body.index('name="summary"')
    version = ImplementationReport.objects.get(pk=draft.pk).version
    assert client.post(edit_url(draft) + "submit/", {"version": version}).status_code == 302
    assert ImplementationReport.objects.get(pk=draft.pk).status == ReportStatus.SUBMITTED


def test_it_sends_the_preview_of_a_submitted_report_back_to_the_report(client, draft, dresden_lead):
    draft.submit(by=dresden_lead)
    client.force_login(dresden_lead)
    assert client.get(edit_url(draft) + "review/")["Location"] == edit_url(draft)


def test_it_refuses_saving_a_submitted_report(client, draft, dresden_lead):
    draft.submit(by=dresden_lead)
    client.force_login(dresden_lead)
    response = client.post(edit_url(draft) + "save/", form_data(draft, summary="Zu spät"), follow=True)
    assert "can no longer be changed" in response.content.decode()
    assert ImplementationReport.objects.get(pk=draft.pk).summary == ""


def test_it_keeps_editor_and_dashboard_queries_flat(client, draft, dresden, dresden_lead, commitments, django_assert_max_num_queries):
    plan = ActionPlanFactory(member=dresden)
    client.force_login(dresden_lead)

    def measure_queries():
        # Fixed costs beside the measures: the user's kept draft and the period's changes, one query each.
        with django_assert_max_num_queries(18):
            assert client.get(edit_url(draft)).status_code == 200
        with django_assert_max_num_queries(10):
            assert client.get("/en/dashboard/").status_code == 200

    measure_queries()
    for i in range(60):
        MeasureUpdateFactory(measure=MeasureFactory(plan=plan, commitment=commitments[i % 10]), date=dt.date(2023, 5, 1))
    for year in range(2000, 2020, 2):
        ReportFactory(member=dresden, period_start=dt.date(year, 1, 1), period_end=dt.date(year + 1, 12, 31))
    measure_queries()
    assert "2018" in client.get("/en/dashboard/").content.decode()


# --- Traces -----------------------------------------------------------------------------------------


def test_it_keeps_a_trace_of_every_draft_edit_and_of_a_removed_document(
    client, draft, dresden_editor, settings, tmp_path, django_capture_on_commit_callbacks
):
    from reports.models import ReportDocument, ReportNarrative

    settings.MEDIA_ROOT = tmp_path
    client.force_login(dresden_editor)
    response = client.post(
        edit_url(draft) + "save/",
        form_data(draft, title="Erster Titel", narrative_3="Beratung", document_file=pdf(), document_language="de", document_title="Bericht DE"),
    )
    assert response.status_code == 302
    # The upload moved the version on too (a preview opened before no longer matches).
    client.post(edit_url(draft) + "save/", form_data(draft, version=3, title="Zweiter Titel", narrative_3="Beratung"))
    titles = [(h.title, h.history_user) for h in ImplementationReport.history.filter(id=draft.pk).order_by("history_date")]
    assert titles[-2:] == [("Erster Titel", dresden_editor), ("Zweiter Titel", dresden_editor)]
    # Narratives: one record when the text changed, none for the unchanged second save.
    narrative = ReportNarrative.objects.get(report=draft, commitment__number=3)
    assert [h.text for h in narrative.history.filter(history_type="~")] == ["Beratung"]

    document = draft.documents.get()
    stored = tmp_path / document.file.name
    assert stored.exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(edit_url(draft) + f"documents/{document.pk}/delete/").status_code == 302
    assert not stored.exists()
    assert not ReportDocument.objects.filter(pk=document.pk).exists()
    removal = ReportDocument.history.filter(id=document.pk, history_type="-").get()
    assert (removal.title, removal.language, removal.history_user) == ("Bericht DE", "de", dresden_editor)
    assert removal.file.startswith(f"reports/{draft.pk}/de-")


def test_it_says_next_to_the_preview_button_that_nothing_is_submitted_yet(client, draft, dresden_lead):
    client.force_login(dresden_lead)
    body = client.get(f"/en/dashboard/dresden/reports/{draft.pk}/").content.decode()
    assert 'aria-describedby="submit-warning"' in body
    assert "Nothing is submitted until you confirm there." in body
    preview = client.get(f"/en/dashboard/dresden/reports/{draft.pk}/review/").content.decode()
    assert "After submitting, the report can no longer be changed" in preview


@pytest.mark.parametrize(
    ("lang", "message"),
    [("de", "Diesen Tag gibt es nicht: Der Februar 2025 hat 28 Tage."), ("en", "This day does not exist: February 2025 has 28 days.")],
)
def test_it_names_a_period_end_that_does_not_exist(client, dresden, dresden_lead, lang, message):
    client.force_login(dresden_lead)
    response = client.post(f"/{lang}/dashboard/dresden/reports/create/", {"period_start": "2023-01-01", "period_end": "2025-02-29"})
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body and 'value="2025-02-29"' in body and 'value="2023-01-01"' in body
    assert not ImplementationReport.objects.exists()
