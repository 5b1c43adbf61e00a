import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from actionplan.models import ActionPlan
from actionplan.tests.factories import ActionPlanFactory
from reports.tests.pdfs import make_pdf

pytestmark = pytest.mark.django_db

PDF = make_pdf("Ratsbeschluss")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def adoption_data(upload=None, **overrides) -> dict:
    data = {"adopted_on": "2025-06-12", "adopting_body": "Stadtrat", "adoption_note": "Beschluss V1234/25", "version": 1}
    if upload is not None:
        data["resolution_document"] = upload
    data.update(overrides)
    return data


def test_it_records_the_adoption_with_the_council_resolution(client, dresden_lead, dresden):
    client.force_login(dresden_lead)
    assert client.get("/de/dashboard/dresden/adoption/").status_code == 200
    upload = SimpleUploadedFile("beschluss.exe", PDF, content_type="application/octet-stream")
    response = client.post("/de/dashboard/dresden/adoption/", adoption_data(upload))
    assert response.status_code == 302
    plan = ActionPlan.objects.get(member=dresden)
    assert (str(plan.adopted_on), plan.adopting_body) == ("2025-06-12", "Stadtrat")
    # The stored name is the portal's own, never the uploader's.
    assert plan.resolution_document.name.startswith(f"plans/{dresden.pk}/resolution-") and plan.resolution_document.name.endswith(".pdf")
    assert plan.history.first().history_user == dresden_lead
    download = client.get("/de/members/dresden/resolution.pdf")
    assert download.headers["Content-Type"] == "application/pdf"
    assert download.headers["Content-Disposition"] == 'attachment; filename="dresden-council-resolution.pdf"'
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == PDF
    assert "/de/members/dresden/resolution.pdf" in client.get("/de/members/dresden/").content.decode()


def test_it_keeps_the_stored_file_when_no_new_one_is_chosen(client, dresden_lead, dresden):
    client.force_login(dresden_lead)
    client.post("/de/dashboard/dresden/adoption/", adoption_data(SimpleUploadedFile("a.pdf", PDF)))
    stored = ActionPlan.objects.get().resolution_document.name
    assert client.post("/de/dashboard/dresden/adoption/", adoption_data(adopting_body="Kreistag", version=1)).status_code == 302
    plan = ActionPlan.objects.get()
    assert (plan.resolution_document.name, plan.adopting_body, plan.version) == (stored, "Kreistag", 2)


@pytest.mark.parametrize(
    ("lang", "content", "message"),
    [
        ("de", b"MZ\x90\x00 not a pdf", "Diese Datei ist kein PDF. Bitte laden Sie das Dokument als PDF hoch."),
        ("en", b"<html>fake.pdf</html>", "This file is not a PDF. Please upload the document as PDF."),
        ("en", b"", "The submitted file is empty."),
    ],
)
def test_it_refuses_anything_but_a_pdf_and_keeps_the_other_values(client, dresden_lead, dresden, lang, content, message):
    client.force_login(dresden_lead)
    response = client.post(f"/{lang}/dashboard/dresden/adoption/", adoption_data(SimpleUploadedFile("beschluss.pdf", content, "application/pdf")))
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    assert 'value="Stadtrat"' in body and 'value="2025-06-12"' in body and "Beschluss V1234/25" in body
    assert not ActionPlan.objects.exists()


def test_it_refuses_a_file_over_the_limit(client, dresden_lead, dresden, settings):
    settings.MAX_UPLOAD_BYTES = 1024
    client.force_login(dresden_lead)
    big = SimpleUploadedFile("gross.pdf", PDF + b"0" * 2048, "application/pdf")
    response = client.post("/en/dashboard/dresden/adoption/", adoption_data(big))
    assert "the limit is 1.0\xa0KB" in response.content.decode()
    assert not ActionPlan.objects.exists()


def test_it_lets_only_the_lead_record_the_adoption(client, dresden_editor, dresden):
    ActionPlanFactory(member=dresden)
    client.force_login(dresden_editor)
    assert client.get("/de/dashboard/dresden/adoption/").status_code == 403
    assert client.post("/de/dashboard/dresden/adoption/", adoption_data()).status_code == 403
    assert ActionPlan.objects.get().adopting_body == ""


def test_it_deletes_a_replaced_resolution_only_after_the_commit(client, dresden_lead, dresden, tmp_path, django_capture_on_commit_callbacks):
    client.force_login(dresden_lead)
    client.post("/de/dashboard/dresden/adoption/", adoption_data(SimpleUploadedFile("alt.pdf", PDF)))
    old = tmp_path / ActionPlan.objects.get().resolution_document.name
    new_pdf = make_pdf("Neuer Beschluss")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post("/de/dashboard/dresden/adoption/", adoption_data(SimpleUploadedFile("neu.pdf", new_pdf), version=1))
    assert response.status_code == 302
    plan = ActionPlan.objects.get()
    new = tmp_path / plan.resolution_document.name
    assert new != old and new.read_bytes() == new_pdf
    assert old.exists()  # not committed yet: a rollback would still need it
    for callback in callbacks:
        callback()
    assert not old.exists() and new.exists()


def test_it_keeps_the_stored_resolution_and_writes_no_file_on_an_edit_conflict(client, dresden_lead, dresden, tmp_path):
    client.force_login(dresden_lead)
    client.post("/de/dashboard/dresden/adoption/", adoption_data(SimpleUploadedFile("alt.pdf", PDF)))
    stored = ActionPlan.objects.get().resolution_document.name
    client.post("/de/dashboard/dresden/adoption/", adoption_data(adopting_body="Kreistag", version=1))
    # A stale form (version 1) that changes the adopting body too, and a new file: refused, its file not left behind.
    stale = adoption_data(SimpleUploadedFile("neu.pdf", make_pdf("Neu")), adopting_body="Gemeinderat", version=1)
    response = client.post("/de/dashboard/dresden/adoption/", stale)
    assert response.status_code == 409
    assert ActionPlan.objects.get().resolution_document.name == stored
    assert [p.name for p in (tmp_path / "plans" / str(dresden.pk)).iterdir()] == [stored.rsplit("/", 1)[1]]


def test_it_says_so_when_the_disk_is_full_and_keeps_what_was_typed(client, dresden_lead, dresden, tmp_path, monkeypatch):
    import errno
    from pathlib import Path

    from django.core.files.storage import FileSystemStorage

    def _save(self, name, content):
        path = Path(self.path(name))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"%PDF-1.4 half")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(FileSystemStorage, "_save", _save)
    client.force_login(dresden_lead)
    response = client.post("/en/dashboard/dresden/adoption/", adoption_data(SimpleUploadedFile("beschluss.pdf", PDF)))
    assert response.status_code == 503
    body = response.content.decode()
    assert "The file could not be stored because of a problem with the portal&#x27;s storage" in body
    assert 'value="Stadtrat"' in body and 'value="2025-06-12"' in body and "Beschluss V1234/25" in body
    assert not ActionPlan.objects.exists()
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []
