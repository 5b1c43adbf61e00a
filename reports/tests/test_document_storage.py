"""Report documents on disk: storage quotas, a failing storage, and no file without its row (or row without file)."""

import datetime as dt
import errno
from pathlib import Path

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError

from actionplan.tests.factories import ActionPlanFactory
from core.files import StorageFailed
from reports import models as report_models
from reports.models import ImplementationReport, ReportDocument
from reports.services import report_create
from reports.tests.factories import ReportDocumentFactory
from reports.tests.pdfs import make_pdf

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def draft(dresden, dresden_lead, commitments):
    return report_create(member=dresden, start=dt.date(2023, 1, 1), end=dt.date(2024, 12, 31), by=dresden_lead)


def stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


def save(client, report, **extra):
    data = {"version": report.version, "title": "Bericht 2023/24", "summary": "", "narrative_4": "Mein Text zu Punkt 4"}
    data.update({f"narrative_{n}": "" for n in range(1, 11) if n != 4})
    data.update(document_language="de", document_title="Bericht", **extra)
    return client.post(f"/en/dashboard/{report.member.slug}/reports/{report.pk}/save/", data)


def pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("bericht.pdf", make_pdf("Bericht"), content_type="application/pdf")


def test_it_records_the_size_of_each_document(client, draft, dresden_editor, media):
    client.force_login(dresden_editor)
    assert save(client, draft, document_file=pdf()).status_code == 302
    document = draft.documents.get()
    assert document.file_size == len(make_pdf("Bericht")) == (media / document.file.name).stat().st_size


def test_it_refuses_a_document_over_the_report_quota_and_says_what_is_left(client, draft, dresden_editor, settings, media):
    settings.REPORT_STORAGE_QUOTA_MB = 1
    ReportDocumentFactory(report=draft, file="", file_size=MB - 100)
    client.force_login(dresden_editor)
    response = save(client, draft, document_file=pdf())
    assert response.status_code == 400
    body = response.content.decode()
    assert "does not fit into the storage quota of 1.0\xa0MB per report: 100\xa0bytes are left" in body
    assert "Your text has been saved. The document has not been added yet" in body
    assert ImplementationReport.objects.get(pk=draft.pk).narratives.get(commitment__number=4).text == "Mein Text zu Punkt 4"
    assert draft.documents.count() == 1 and stored_files(media) == []


def test_it_refuses_a_document_over_the_member_quota_counting_every_report_and_the_resolution(
    client, draft, dresden, dresden_editor, settings, media
):
    settings.MEMBER_STORAGE_QUOTA_MB = 1
    older = report_create(member=dresden, start=dt.date(2019, 1, 1), end=dt.date(2020, 12, 31), by=None)
    resolution = make_pdf("Ratsbeschluss")
    ReportDocumentFactory(report=older, file="", file_size=MB - len(resolution) - 200)
    plan = ActionPlanFactory(member=dresden)
    plan.resolution_document.save("r.pdf", SimpleUploadedFile("r.pdf", resolution), save=True)
    client.force_login(dresden_editor)
    response = save(client, draft, document_file=pdf())
    assert response.status_code == 400
    assert f"storage quota of 1.0\xa0MB for all files of {dresden.name}: 200\xa0bytes are left" in response.content.decode()
    assert not draft.documents.exists()


def test_it_accepts_a_document_that_fits_exactly(draft, dresden_editor, settings):
    settings.REPORT_STORAGE_QUOTA_MB = 1
    size = len(make_pdf("Bericht"))
    ReportDocumentFactory(report=draft, file="", file_size=MB - size)
    draft.add_document(file=pdf(), language="de", title="Bericht", by=dresden_editor)
    assert draft.documents.count() == 2


def _full_disk(monkeypatch):
    """The storage writes half of the file, then the disk is full."""

    def _save(self, name, content):
        path = Path(self.path(name))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.read()[:100])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(FileSystemStorage, "_save", _save)


@pytest.mark.parametrize("lang", ["en", "de"])
def test_it_says_so_when_the_disk_is_full_keeps_the_text_and_leaves_no_partial_file(client, draft, dresden_editor, media, monkeypatch, lang):
    _full_disk(monkeypatch)
    client.force_login(dresden_editor)
    response = save(client, draft, document_file=pdf())
    assert response.status_code == 503
    body = response.content.decode()
    if lang == "en":
        assert "The file could not be stored because of a problem with the portal&#x27;s storage" in body
    assert "Mein Text zu Punkt 4" in body and 'value="Bericht"' in body
    report = ImplementationReport.objects.get(pk=draft.pk)
    assert report.narratives.get(commitment__number=4).text == "Mein Text zu Punkt 4" and report.title == "Bericht 2023/24"
    assert not ReportDocument.objects.exists()
    assert stored_files(media) == []


def test_it_deletes_the_written_file_when_recording_its_row_fails(draft, dresden_editor, media, monkeypatch):
    def broken(*args, **kwargs):
        raise DatabaseError("the connection dropped")

    monkeypatch.setattr(report_models, "bump_version", broken)
    with pytest.raises(DatabaseError):
        draft.add_document(file=pdf(), language="de", title="Bericht", by=dresden_editor)
    assert not ReportDocument.objects.exists()
    assert stored_files(media) == []


def test_it_raises_a_storage_failure_with_nothing_kept(draft, dresden_editor, media, monkeypatch):
    _full_disk(monkeypatch)
    with pytest.raises(StorageFailed):
        draft.add_document(file=pdf(), language="de", title="Bericht", by=dresden_editor)
    assert not ReportDocument.objects.exists() and stored_files(media) == []
    assert ImplementationReport.objects.get(pk=draft.pk).version == draft.version  # nothing moved on


def test_it_counts_a_file_added_in_the_admin(draft):
    document = ReportDocumentFactory(report=draft, file=SimpleUploadedFile("x.pdf", make_pdf("Admin")))
    assert document.file_size == len(make_pdf("Admin"))


# --- A file missing on disk ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "heading", "message"),
    [("en", "File not found", "The file of this document is missing on the portal&#x27;s server")],
)
def test_it_answers_a_download_of_a_missing_file_with_the_designed_404(client, draft, dresden_editor, media, lang, heading, message):
    document = ReportDocumentFactory(report=draft, file=SimpleUploadedFile("x.pdf", make_pdf()))
    (media / document.file.name).unlink()
    client.force_login(dresden_editor)
    response = client.get(f"/{lang}/reports/{draft.pk}/documents/{document.pk}/")
    assert response.status_code == 404
    body = response.content.decode()
    assert f"<h1>{heading}</h1>" in body and message in body and 'href="/' in body  # the portal's page, with its links


def test_it_answers_a_missing_council_resolution_with_the_designed_404(client, dresden, media):
    from members.models import MemberStatus

    dresden.status = MemberStatus.MEMBER
    dresden.save()
    plan = ActionPlanFactory(member=dresden)
    plan.resolution_document.save("r.pdf", SimpleUploadedFile("r.pdf", make_pdf()), save=True)
    (media / plan.resolution_document.name).unlink()
    response = client.get("/en/members/dresden/resolution.pdf")
    assert response.status_code == 404 and "<h1>File not found</h1>" in response.content.decode()


@pytest.mark.parametrize(("accept", "note"), [("de", "FEHLT.txt"), ("en", "MISSING.txt")])
def test_it_leaves_a_missing_file_out_of_the_zip_and_names_it_in_a_note(client, draft, staff, media, accept, note, settings):
    import io
    import zipfile

    present = ReportDocumentFactory(report=draft, language="de", title="Vorhandener Text", file=SimpleUploadedFile("a.pdf", make_pdf("de")))
    lost = ReportDocumentFactory(report=draft, language="en", title="Report", file=SimpleUploadedFile("b.pdf", make_pdf("en")))
    (media / lost.file.name).unlink()
    client.force_login(staff)
    response = client.get(f"/admin/reports/implementationreport/{draft.pk}/documents.zip", HTTP_ACCEPT_LANGUAGE=accept)
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    expected_note = note
    names = sorted(archive.namelist())
    assert names == sorted([f"01-de-report-{draft.pk}.pdf", expected_note])
    text = archive.read(expected_note).decode()
    assert f"02 Report (en): {lost.file.name}" in text and "Vorhandener Text" not in text
    assert archive.read(f"01-de-report-{draft.pk}.pdf") == make_pdf("de")
    assert present.file.name not in text


def test_it_refuses_a_council_resolution_over_the_member_quota_and_keeps_the_typed_adoption(client, draft, dresden, dresden_lead, settings, media):
    settings.MEMBER_STORAGE_QUOTA_MB = 1
    resolution = make_pdf("Ratsbeschluss")
    older = report_create(member=dresden, start=dt.date(2019, 1, 1), end=dt.date(2020, 12, 31), by=None)
    ReportDocumentFactory(report=older, file="", file_size=MB - len(resolution) + 1)
    plan = ActionPlanFactory(member=dresden)
    client.force_login(dresden_lead)
    data = {"adopted_on": "2024-03-01", "adopting_body": "Stadtrat", "adoption_note": "Einstimmig", "version": plan.version,
            "resolution_document": SimpleUploadedFile("beschluss.pdf", resolution, content_type="application/pdf")}
    response = client.post("/en/dashboard/dresden/adoption/", data)
    assert response.status_code == 400
    body = response.content.decode()
    assert f"storage quota of 1.0\xa0MB for all files of {dresden.name}" in body
    assert 'value="Stadtrat"' in body and "Einstimmig" in body
    plan.refresh_from_db()
    assert not plan.resolution_document and stored_files(media) == []
    # With room again, the same file fits.
    settings.MEMBER_STORAGE_QUOTA_MB = 2
    data["resolution_document"] = SimpleUploadedFile("beschluss.pdf", resolution, content_type="application/pdf")
    assert client.post("/en/dashboard/dresden/adoption/", data).status_code == 302
