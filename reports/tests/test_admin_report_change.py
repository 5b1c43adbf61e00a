"""The report's change form in the admin: edits of a draft are guarded by the report's version."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from core.tests.admin_forms import admin_form_data
from reports.models import ImplementationReport
from reports.services import report_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(dresden, dresden_lead, commitments):
    return report_create(member=dresden, start=dt.date(2023, 1, 1), end=dt.date(2024, 12, 31), by=dresden_lead)


def portal_save(user, report, **fields) -> int:
    coordinator = Client()
    coordinator.force_login(user)
    data = {"version": report.version, "title": "", "summary": "", **{f"narrative_{n}": "" for n in range(1, 11)}, **fields}
    return coordinator.post(f"/de/dashboard/dresden/reports/{report.pk}/save/", data).status_code


def test_it_refuses_a_stale_admin_save_of_a_draft_with_its_narratives(client, staff, draft, dresden_editor):
    """Staff open the draft, the coordinator saves summary and narratives in the portal, then staff click Save."""
    client.force_login(staff)
    url = reverse("admin:reports_implementationreport_change", args=[draft.pk])
    data = admin_form_data(client.get(url))
    assert portal_save(dresden_editor, draft, summary="Vom Koordinator", narrative_3="Bildung: neuer Stand") == 302

    data["summary"] = "Vom Sekretariat"
    narrative_key = next(k for k in data if k.startswith("narratives-") and k.endswith("-text") and data[k.replace("-text", "-commitment")])
    data[narrative_key] = "Narrativ vom Sekretariat"
    response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Not saved: someone else saved this in the meantime." in body
    assert '<th scope="row">Summary</th><td class="conflict-theirs">Vom Koordinator</td><td class="conflict-mine">Vom Sekretariat</td>' in body
    assert "Narrativ vom Sekretariat</textarea>" in body  # the staff member's inline text is kept
    # The narratives the coordinator saved are in the same table, so a second save overwrites nothing unseen.
    rows = response.context["adminform"].form.conflict_rows
    assert any(r["label"].endswith("– 3“: Narrative") and r["theirs"] == "Bildung: neuer Stand" for r in rows), rows
    report = ImplementationReport.objects.get(pk=draft.pk)
    assert (report.summary, report.version) == ("Vom Koordinator", 2)
    assert dict(report.narratives.values_list("commitment__number", "text"))[3] == "Bildung: neuer Stand"
    assert not report.narratives.filter(text="Narrativ vom Sekretariat").exists()


def test_it_saves_a_current_admin_edit_and_refuses_the_coordinators_older_form(client, staff, draft, dresden_editor):
    client.force_login(staff)
    url = reverse("admin:reports_implementationreport_change", args=[draft.pk])
    data = admin_form_data(client.get(url))
    assert client.post(url, {**data, "summary": "Vom Sekretariat"}).status_code == 302
    report = ImplementationReport.objects.get(pk=draft.pk)
    assert (report.summary, report.version, report.history.first().history_user) == ("Vom Sekretariat", 2, staff)
    assert portal_save(dresden_editor, draft, summary="Alter Stand") == 409
    assert ImplementationReport.objects.get(pk=draft.pk).summary == "Vom Sekretariat"


def test_it_refuses_an_admin_upload_over_the_report_quota(client, staff, draft, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from reports.tests.factories import ReportDocumentFactory
    from reports.tests.pdfs import make_pdf

    settings.MEDIA_ROOT = tmp_path
    settings.REPORT_STORAGE_QUOTA_MB = 1
    ReportDocumentFactory(report=draft, file="", file_size=1024 * 1024 - 10)
    client.force_login(staff)
    url = reverse("admin:reports_implementationreport_change", args=[draft.pk])
    data = admin_form_data(client.get(url))
    prefix = next(k[: -len("-TOTAL_FORMS")] for k in data if k.endswith("-TOTAL_FORMS") and "document" in k)
    n = int(data[f"{prefix}-TOTAL_FORMS"])
    data.update({
        f"{prefix}-TOTAL_FORMS": str(n + 1), f"{prefix}-{n}-report": str(draft.pk), f"{prefix}-{n}-language": "de",
        f"{prefix}-{n}-title": "Zu groß", f"{prefix}-{n}-file": SimpleUploadedFile("b.pdf", make_pdf("Bericht"), "application/pdf"),
        "summary": "Vom Sekretariat",
    })
    response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "does not fit into the storage quota of 1.0\xa0MB per report" in response.content.decode()
    assert draft.documents.count() == 1
    assert not any(p.is_file() for p in tmp_path.rglob("*"))
