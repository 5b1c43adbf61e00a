"""Uploads in S3-compatible object storage: a real SeaweedFS (core/tests/servers.py), the portal's real views."""

import datetime as dt
import io
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from storages.backends.s3 import S3Storage

from actionplan.models import ActionPlan
from actionplan.tests.factories import ActionPlanFactory
from core.tests.servers import free_port
from eccar_portal.object_storage import s3_storage
from members.models import MembershipApplication
from members.tests.test_apply import _submit
from reports.models import ReportDocument
from reports.services import report_create
from reports.tests.factories import ReportDocumentFactory
from reports.tests.pdfs import make_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(dresden, dresden_lead, commitments):
    return report_create(member=dresden, start=dt.date(2023, 1, 1), end=dt.date(2024, 12, 31), by=dresden_lead)


def save_report(client, report, upload, **extra):
    data = {"version": report.version, "title": "Bericht 2023/24", "summary": ""}
    data.update({f"narrative_{n}": "" for n in range(1, 11)})
    data.update(document_language="de", document_title="Bericht", document_file=upload, **extra)
    return client.post(f"/en/dashboard/{report.member.slug}/reports/{report.pk}/save/", data)


def pdf(text: str = "Bericht") -> SimpleUploadedFile:
    return SimpleUploadedFile("bericht.pdf", make_pdf(text), content_type="application/pdf")


def test_it_builds_a_private_s3_storage_from_storage_url():
    config = s3_storage(url="s3://key:se%2Fcret@uploads/portal?endpoint_url=http://127.0.0.1:9000&region_name=eu-central-1")
    options = config["OPTIONS"]
    assert config["BACKEND"] == "core.storage.PrivateS3Storage"
    assert (options["bucket_name"], options["location"], options["access_key"], options["secret_key"]) == ("uploads", "portal", "key", "se/cret")
    assert (options["endpoint_url"], options["region_name"]) == ("http://127.0.0.1:9000", "eu-central-1")
    # No public ACL, only signed URLs, no overwriting.
    assert options["default_acl"] is None and options["querystring_auth"] is True and options["file_overwrite"] is False
    assert s3_storage(url="", bucket="") is None
    assert s3_storage(url="", bucket="b", endpoint_url="http://x")["OPTIONS"]["bucket_name"] == "b"


def test_it_refuses_a_storage_url_it_does_not_understand():
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="STORAGE_URL"):
        s3_storage(url="ftp://bucket")
    with pytest.raises(ImproperlyConfigured, match="unknown option 'acl'"):
        s3_storage(url="s3://bucket?acl=public-read")


def test_it_stores_a_report_document_in_the_bucket_serves_it_and_deletes_it(
    client, draft, dresden_editor, s3_bucket, object_store, django_capture_on_commit_callbacks
):
    client.force_login(dresden_editor)
    assert save_report(client, draft, pdf()).status_code == 302
    document = draft.documents.get()
    assert object_store.keys(s3_bucket) == [document.file.name]
    assert object_store.get(s3_bucket, document.file.name) == make_pdf("Bericht")
    assert document.file_size == len(make_pdf("Bericht"))
    # The file leaves the bucket only through the portal's checked view, never as a link to the bucket.
    response = client.get(f"/en/reports/{draft.pk}/documents/{document.pk}/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == make_pdf("Bericht")
    assert s3_bucket not in client.get(f"/en/dashboard/dresden/reports/{draft.pk}/").content.decode()
    assert document.file.url == f"/media/{document.file.name}"  # generic links (the admin's) lead nowhere
    client.logout()
    assert client.get(f"/en/reports/{draft.pk}/documents/{document.pk}/").status_code == 404  # a draft's PDF
    client.force_login(dresden_editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/en/dashboard/dresden/reports/{draft.pk}/documents/{document.pk}/delete/")
    assert response.status_code == 302
    assert not ReportDocument.objects.exists() and object_store.keys(s3_bucket) == []


def test_it_stores_the_council_resolution_of_the_adoption_page_in_the_bucket(client, dresden, dresden_lead, s3_bucket, object_store):
    client.force_login(dresden_lead)
    upload = SimpleUploadedFile("beschluss.pdf", make_pdf("Ratsbeschluss"), content_type="application/pdf")
    data = {"adopted_on": "2025-06-12", "adopting_body": "Stadtrat", "adoption_note": "", "version": 1, "resolution_document": upload}
    assert client.post("/de/dashboard/dresden/adoption/", data).status_code == 302
    name = ActionPlan.objects.get(member=dresden).resolution_document.name
    assert object_store.keys(s3_bucket) == [name] and name.startswith(f"plans/{dresden.pk}/resolution-")
    download = client.get("/de/members/dresden/resolution.pdf")
    assert download.status_code == 200 and b"".join(download.streaming_content) == make_pdf("Ratsbeschluss")


def test_it_stores_the_resolution_of_a_public_application_in_the_bucket(client, s3_bucket, object_store):
    upload = SimpleUploadedFile("beschluss.pdf", make_pdf("Ratsbeschluss"), content_type="application/pdf")
    response = _submit(client, resolution=upload, council_resolution_on="2024-02-01", council_decision_expected_on="")
    assert response.status_code == 302
    name = MembershipApplication.objects.get().resolution.name
    assert object_store.keys(s3_bucket) == [name] and object_store.get(s3_bucket, name) == make_pdf("Ratsbeschluss")


def test_it_counts_files_in_the_bucket_against_the_member_quota(client, draft, dresden, dresden_editor, settings, s3_bucket, object_store):
    settings.MEMBER_STORAGE_QUOTA_MB = 1
    resolution = make_pdf("Ratsbeschluss")
    # The resolution's size is asked from the bucket; the documents' sizes are recorded in their rows.
    ActionPlanFactory(member=dresden).resolution_document.save("r.pdf", SimpleUploadedFile("r.pdf", resolution), save=True)
    older = report_create(member=dresden, start=dt.date(2019, 1, 1), end=dt.date(2020, 12, 31), by=None)
    ReportDocumentFactory(report=older, file="", file_size=1024 * 1024 - len(resolution) - 200)
    client.force_login(dresden_editor)
    response = save_report(client, draft, pdf())
    assert response.status_code == 400
    assert f"storage quota of 1.0\xa0MB for all files of {dresden.name}: 200\xa0bytes are left" in response.content.decode()
    assert len(object_store.keys(s3_bucket)) == 1  # the resolution; nothing of the refused document


def test_it_exports_the_report_documents_as_zip_from_the_bucket(client, draft, dresden_editor, staff, s3_bucket):
    client.force_login(dresden_editor)
    assert save_report(client, draft, pdf("Erstes")).status_code == 302
    draft.refresh_from_db()
    assert save_report(client, draft, pdf("Zweites")).status_code == 302
    client.force_login(staff)
    response = client.get(f"/admin/reports/implementationreport/{draft.pk}/documents.zip")
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        contents = sorted(archive.read(name) for name in archive.namelist())
    assert contents == sorted([make_pdf("Erstes"), make_pdf("Zweites")])


@pytest.mark.parametrize("failure", ["unreachable", "no-such-bucket"])
def test_it_says_so_when_the_object_store_fails_keeps_the_text_and_records_nothing(
    client, draft, dresden_editor, settings, object_store, failure
):
    if failure == "unreachable":
        endpoint = f"http://127.0.0.1:{free_port()}"
    else:
        endpoint = object_store.endpoint_url
    settings.STORAGES = {
        **settings.STORAGES,
        "default": s3_storage(url=f"s3://k:s@missing-bucket-x?endpoint_url={endpoint}&region_name=us-east-1"),
    }
    client.force_login(dresden_editor)
    response = save_report(client, draft, pdf(), narrative_4="Mein Text zu Punkt 4")
    assert response.status_code == 503
    body = response.content.decode()
    assert "The file could not be stored because of a problem with the portal&#x27;s storage" in body
    assert "Mein Text zu Punkt 4" in body
    assert draft.narratives.get(commitment__number=4).text == "Mein Text zu Punkt 4"
    assert not ReportDocument.objects.exists()


def test_it_answers_a_download_with_a_clear_page_while_the_object_store_is_down(client, draft, dresden_editor, settings, s3_bucket, object_store):
    client.force_login(dresden_editor)
    assert save_report(client, draft, pdf()).status_code == 302
    document = draft.documents.get()
    settings.STORAGES = {
        **settings.STORAGES,
        "default": s3_storage(url=f"s3://k:s@{s3_bucket}?endpoint_url=http://127.0.0.1:{free_port()}&region_name=us-east-1"),
    }
    response = client.get(f"/en/reports/{draft.pk}/documents/{document.pk}/")
    assert response.status_code == 503 and "file storage cannot be reached" in response.content.decode()
    # A file lost from the bucket is the designed 404, as on the local disk.
    settings.STORAGES = {**settings.STORAGES, "default": object_store.storage_settings(s3_bucket)}
    object_store.client().delete_object(Bucket=s3_bucket, Key=document.file.name)
    response = client.get(f"/en/reports/{draft.pk}/documents/{document.pk}/")
    assert response.status_code == 404 and "missing on the portal" in response.content.decode()


def test_it_uses_the_storage_of_the_current_settings(s3_bucket, object_store, settings, tmp_path):
    # The model fields use default_storage, which follows a change of STORAGES (the tests rely on that).
    assert ReportDocument._meta.get_field("file").storage is default_storage
    name = default_storage.save("probe/a.pdf", io.BytesIO(b"%PDF-1.4 probe"))
    assert isinstance(default_storage._wrapped, S3Storage)
    assert object_store.keys(s3_bucket) == [name]


@pytest.mark.parametrize("command", [["backup_portal"], ["restore_portal", "x.tar.gz", "--yes"]])
def test_it_refuses_to_back_up_or_restore_uploads_in_object_storage_and_says_how(s3_bucket, tmp_path, command):
    extra = ["--output", str(tmp_path / "b.tar.gz")] if command == ["backup_portal"] else []
    with pytest.raises(CommandError, match="object storage .*bucket eccar-.*Back up the bucket with the store's own tools"):
        call_command(*command, *extra)
    assert not (tmp_path / "b.tar.gz").exists()


@pytest.mark.parametrize(
    ("variables", "backend"),
    [
        ({}, "django.core.files.storage.FileSystemStorage"),
        ({"AWS_STORAGE_BUCKET_NAME": "uploads", "AWS_S3_ENDPOINT_URL": "http://127.0.0.1:9"}, "core.storage.PrivateS3Storage"),
        ({"STORAGE_URL": "s3://uploads?endpoint_url=http://127.0.0.1:9"}, "core.storage.PrivateS3Storage"),
    ],
    ids=["nothing-set", "aws-variables", "storage-url"],
)
def test_it_chooses_the_upload_storage_from_the_environment(variables, backend):
    import os
    import subprocess
    import sys

    from django.conf import settings as django_settings

    env = {key: value for key, value in os.environ.items() if not key.startswith(("AWS_", "STORAGE_URL"))}
    env.update(variables, DJANGO_SETTINGS_MODULE="eccar_portal.settings")
    code = "import django; django.setup(); from django.conf import settings; print(settings.STORAGES['default']['BACKEND'])"
    out = subprocess.run([sys.executable, "-c", code], cwd=django_settings.BASE_DIR, env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == backend
