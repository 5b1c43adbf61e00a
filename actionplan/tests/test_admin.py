import datetime as dt

import pytest

from actionplan.models import Measure
from actionplan.tests.factories import ActionPlanFactory, MeasureFactory, MeasureUpdateFactory
from core.tests.admin_forms import admin_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def measure(dresden, commitments):
    return MeasureFactory(plan=ActionPlanFactory(member=dresden), commitment=commitments[2], title="Im Admin")


def test_it_restores_retired_measures_with_an_admin_action(client, staff, measure, dresden_lead):
    measure.retire(by=dresden_lead)
    client.force_login(staff)
    response = client.post(
        "/admin/actionplan/measure/", {"action": "restore", "_selected_action": [measure.pk]}, follow=True
    )
    assert response.status_code == 200
    measure.refresh_from_db()
    assert measure.retired_at is None
    latest = measure.history.first()
    assert latest.history_user == staff and latest.retired_at is None
    assert Measure.objects.public().filter(pk=measure.pk).exists()


def test_it_lists_plans_measures_and_entries_with_filters_and_history(client, staff, measure, dresden, commitments):
    MeasureUpdateFactory(measure=measure, text="Eintrag")
    client.force_login(staff)
    pages = [
        "/admin/actionplan/actionplan/", f"/admin/actionplan/actionplan/{measure.plan.pk}/change/",
        f"/admin/actionplan/measure/?plan__member__id__exact={dresden.pk}&commitment__id__exact={commitments[2].pk}&status__exact=in_progress",
        f"/admin/actionplan/measure/{measure.pk}/change/", f"/admin/actionplan/measure/{measure.pk}/history/",
        "/admin/actionplan/measureupdate/?status_change__exact=", f"/admin/actionplan/actionplan/{measure.plan.pk}/history/",
    ]
    for url in pages:
        assert client.get(url).status_code == 200, url
    listing = client.get(pages[2]).content.decode()
    assert "Im Admin" in listing


def test_it_keeps_coordinators_out_of_the_admin(client, dresden_lead):
    client.force_login(dresden_lead)
    assert client.get("/admin/actionplan/measure/").status_code == 302


def admin_measure_data(measure, **changes) -> dict:
    data = {
        "plan": measure.plan_id, "commitment": measure.commitment_id, "title": measure.title, "description": "",
        "responsible_unit": "", "partners": "", "status": measure.status, "progress": measure.progress or "",
        "start_date": "", "end_date": "", "is_public": "on", "content_language": "de", "source": "", "version": measure.version,
        "updates-TOTAL_FORMS": "0", "updates-INITIAL_FORMS": "0", "updates-MIN_NUM_FORMS": "0", "updates-MAX_NUM_FORMS": "1000",
    }
    data.update(changes)
    return data


def test_it_moves_the_version_on_when_staff_edit_so_a_coordinator_cannot_overwrite_it(client, staff, measure, dresden_editor):
    from django.test import Client

    coordinator = Client()
    coordinator.force_login(dresden_editor)
    url = f"/en/dashboard/dresden/measures/{measure.pk}/"
    assert 'name="version" value="1"' in coordinator.get(url).content.decode()
    client.force_login(staff)
    response = client.post(f"/admin/actionplan/measure/{measure.pk}/change/", admin_measure_data(measure, title="Vom Sekretariat"))
    assert response.status_code == 302
    measure.refresh_from_db()
    assert (measure.title, measure.version) == ("Vom Sekretariat", 2)
    form = {
        "commitment": measure.commitment_id, "title": "Vom Koordinator", "status": "planned", "progress": "", "version": 1,
        "is_public": "on",
    }
    assert coordinator.post(url, form).status_code == 409
    measure.refresh_from_db()
    assert measure.title == "Vom Sekretariat"


def test_it_refuses_a_council_resolution_that_is_not_a_pdf_in_the_admin(client, staff, measure):
    from django.core.files.uploadedfile import SimpleUploadedFile

    plan = measure.plan
    client.force_login(staff)
    data = {
        "member": plan.member_id, "adopted_on": "2024-01-01", "adopting_body": "Stadtrat", "adoption_note": "", "source": "", "version": plan.version,
        "resolution_document": SimpleUploadedFile("beschluss.pdf", b"<html><script>alert(1)</script></html>", "application/pdf"),
        "measures-TOTAL_FORMS": "0", "measures-INITIAL_FORMS": "0", "measures-MIN_NUM_FORMS": "0", "measures-MAX_NUM_FORMS": "1000",
    }
    response = client.post(f"/admin/actionplan/actionplan/{plan.pk}/change/", data)
    assert response.status_code == 200
    assert "not a PDF" in response.content.decode() or "kein PDF" in response.content.decode()
    plan.refresh_from_db()
    assert not plan.resolution_document and plan.adopting_body != "Stadtrat"


def test_it_refuses_a_coordinators_older_form_after_an_admin_edit(client, staff, measure, dresden_lead):
    """The secretariat corrects a measure in the admin while a coordinator has it open: no silent overwrite."""
    coordinator = client_class_login(dresden_lead)
    opened = coordinator.get(f"/de/dashboard/dresden/measures/{measure.pk}/").context["form"]["version"].value()

    client.force_login(staff)
    data = admin_form_data(client.get(f"/admin/actionplan/measure/{measure.pk}/change/"))
    data["title"] = "Vom Sekretariat korrigiert"
    assert client.post(f"/admin/actionplan/measure/{measure.pk}/change/", data).status_code == 302

    post = {"commitment": measure.commitment_id, "title": "Alter Stand", "status": "planned", "version": opened}
    response = coordinator.post(f"/de/dashboard/dresden/measures/{measure.pk}/", post)
    assert response.status_code == 409
    assert Measure.objects.get(pk=measure.pk).title == "Vom Sekretariat korrigiert"


def test_it_refuses_a_coordinators_older_form_after_an_inline_edit_on_the_plan(client, staff, measure, dresden_lead):
    coordinator = client_class_login(dresden_lead)
    opened = coordinator.get(f"/de/dashboard/dresden/measures/{measure.pk}/").context["form"]["version"].value()

    client.force_login(staff)
    url = f"/admin/actionplan/actionplan/{measure.plan.pk}/change/"
    data = admin_form_data(client.get(url))
    key = next(k for k, v in data.items() if k.endswith("-title") and v == "Im Admin")
    data[key] = "Im Plan korrigiert"
    assert client.post(url, data).status_code == 302

    post = {"commitment": measure.commitment_id, "title": "Alter Stand", "status": "planned", "version": opened}
    assert coordinator.post(f"/de/dashboard/dresden/measures/{measure.pk}/", post).status_code == 409
    assert Measure.objects.get(pk=measure.pk).title == "Im Plan korrigiert"


def test_it_labels_the_member_column_in_the_readers_language(client, staff, measure):
    client.force_login(staff)
    english = client.get("/admin/actionplan/measure/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Mitglied / member" not in english
    assert "Member</a>" in english


def client_class_login(user):
    from django.test import Client

    other = Client()
    other.force_login(user)
    return other


def test_it_filters_retired_measures_by_a_plain_yes_or_no(client, staff, measure, dresden, commitments, dresden_lead):
    retired = MeasureFactory(plan=measure.plan, commitment=commitments[0], title="Ausgemusterte Idee")
    retired.retire(by=dresden_lead)
    client.force_login(staff)
    page = client.get("/admin/actionplan/measure/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "By retired" in page and "?retired=yes" in page
    assert "Not empty" not in page
    listing = client.get("/admin/actionplan/measure/?retired=yes").content.decode()
    assert "Ausgemusterte Idee" in listing and "Im Admin" not in listing
    listing = client.get("/admin/actionplan/measure/?retired=no").content.decode()
    assert "Im Admin" in listing and "Ausgemusterte Idee" not in listing


def test_it_merges_a_stale_admin_save_with_the_coordinators_change_to_another_field(client, staff, measure, dresden_editor):
    """Staff open the change form, the coordinator saves the description in the portal, then staff save the title."""
    client.force_login(staff)
    url = f"/admin/actionplan/measure/{measure.pk}/change/"
    data = admin_form_data(client.get(url))
    coordinator = client_class_login(dresden_editor)
    portal = {"commitment": measure.commitment_id, "title": "Im Admin", "description": "Vom Koordinator", "status": "planned",
              "version": 1, "is_public": "on"}
    assert coordinator.post(f"/de/dashboard/dresden/measures/{measure.pk}/", portal).status_code == 302

    assert client.post(url, {**data, "title": "Vom Sekretariat"}).status_code == 302
    measure.refresh_from_db()
    assert (measure.title, measure.description, measure.version) == ("Vom Sekretariat", "Vom Koordinator", 3)
    assert measure.history.first().history_user == staff


def test_it_refuses_a_stale_admin_save_of_a_field_both_changed_and_reverts_nothing_on_saving_again(
    client, staff, measure, dresden_editor
):
    dresden_editor.first_name, dresden_editor.last_name = "Erika", "Muster"
    dresden_editor.save()
    client.force_login(staff)
    url = f"/admin/actionplan/measure/{measure.pk}/change/"
    data = admin_form_data(client.get(url))
    coordinator = client_class_login(dresden_editor)
    portal = {"commitment": measure.commitment_id, "title": "Vom Koordinator", "description": "Beschreibung vom Koordinator",
              "status": "planned", "version": 1, "is_public": "on"}
    assert coordinator.post(f"/de/dashboard/dresden/measures/{measure.pk}/", portal).status_code == 302

    data["title"] = "Vom Sekretariat"
    response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Nicht gespeichert: Jemand anderes hat inzwischen dieselben Felder geändert." in body
    assert "Gespeichert von Erika Muster am " in body
    form = response.context["adminform"].form
    # Only the title both changed is listed; the description only the coordinator changed is already in the form.
    assert [row["label"] for row in form.conflict_rows] == ["Titel"]
    assert '<th scope="row">Titel</th><td class="conflict-theirs">Vom Koordinator</td><td class="conflict-mine">Vom Sekretariat</td>' in body
    assert form["title"].value() == "Vom Sekretariat" and str(form["version"].value()) == "2"
    assert form["description"].value() == "Beschreibung vom Koordinator"
    measure.refresh_from_db()
    assert (measure.title, measure.description, measure.version) == ("Vom Koordinator", "Beschreibung vom Koordinator", 2)

    # Saving the refused form again keeps the staff member's title and the coordinator's description.
    again = {k: v for k, v in form.data.items() if k != "csrfmiddlewaretoken"}
    assert client.post(url, again).status_code == 302
    measure.refresh_from_db()
    assert (measure.title, measure.description, measure.version) == ("Vom Sekretariat", "Beschreibung vom Koordinator", 3)


def test_it_refuses_a_stale_inline_row_on_the_plan_page(client, staff, measure, dresden_editor):
    client.force_login(staff)
    url = f"/admin/actionplan/actionplan/{measure.plan.pk}/change/"
    data = admin_form_data(client.get(url))
    coordinator = client_class_login(dresden_editor)
    portal = {"commitment": measure.commitment_id, "title": "Vom Koordinator", "status": "planned", "version": 1, "is_public": "on"}
    assert coordinator.post(f"/de/dashboard/dresden/measures/{measure.pk}/", portal).status_code == 302

    key = next(k for k, v in data.items() if k.endswith("-title"))
    data[key] = "Vom Sekretariat"
    response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Not saved: someone else changed the same fields in the meantime." in body
    assert "Title – saved now: Vom Koordinator; yours: Vom Sekretariat" in body
    assert 'value="Vom Sekretariat"' in body
    assert Measure.objects.get(pk=measure.pk).title == "Vom Koordinator"


def test_it_retires_and_restores_through_the_versioning_path_with_admin_actions(client, staff, measure):
    client.force_login(staff)
    client.post("/admin/actionplan/measure/", {"action": "retire", "_selected_action": [measure.pk]})
    measure.refresh_from_db()
    assert (measure.is_retired, measure.retired_by, measure.version) == (True, staff, 2)
    client.post("/admin/actionplan/measure/", {"action": "restore", "_selected_action": [measure.pk]})
    measure.refresh_from_db()
    assert (measure.is_retired, measure.version) == (False, 3)
    assert [h.history_user for h in measure.history.all()[:2]] == [staff, staff]


def test_it_saves_a_plan_without_touching_the_measures_on_it(client, staff, measure, commitments):
    """Rows staff left as they were are neither checked nor saved: no new version, no history entry."""
    other = MeasureFactory(plan=measure.plan, commitment=commitments[0], title="Zweite")
    client.force_login(staff)
    url = f"/admin/actionplan/actionplan/{measure.plan.pk}/change/"
    data = admin_form_data(client.get(url))
    assert client.post(url, {**data, "adopting_body": "Stadtrat"}).status_code == 302
    assert [Measure.objects.get(pk=m.pk).version for m in (measure, other)] == [1, 1]
    assert [m.history.count() for m in (measure, other)] == [1, 1]


def test_it_offers_no_delete_box_for_measures_on_the_plan_page(client, staff, measure):
    client.force_login(staff)
    body = client.get(f"/admin/actionplan/actionplan/{measure.plan.pk}/change/").content.decode()
    assert "measures-0-DELETE" not in body


def test_it_refuses_a_stale_admin_edit_of_a_timeline_entry(client, superuser, dresden, commitments, dresden_lead):
    from actionplan.models import MeasureUpdate

    entry = MeasureUpdateFactory(measure=MeasureFactory(plan=ActionPlanFactory(member=dresden), commitment=commitments[0]),
                                 date=dt.date(2026, 3, 1), text="Alt", author=dresden_lead)
    client.force_login(superuser)
    url = f"/admin/actionplan/measureupdate/{entry.pk}/change/"
    page = client.get(url).content.decode()
    assert 'name="version"' in page
    data = {"measure": entry.measure_id, "date": "2026-03-01", "text": "Vom Sekretariat", "status_change": "",
            "author": dresden_lead.pk, "version": entry.version}
    MeasureUpdate.objects.filter(pk=entry.pk).update(text="Vom Koordinator", version=entry.version + 1)
    response = client.post(url, data)
    assert response.status_code in {200, 409}
    entry.refresh_from_db()
    assert entry.text == "Vom Koordinator"
    assert client.post(url, {**data, "version": entry.version}).status_code == 302
    entry.refresh_from_db()
    assert entry.text == "Vom Sekretariat"


def test_it_deletes_a_resolution_replaced_or_cleared_in_the_admin_after_the_commit(
    client, staff, measure, settings, tmp_path, django_capture_on_commit_callbacks
):
    from django.core.files.base import ContentFile
    from django.core.files.uploadedfile import SimpleUploadedFile

    from reports.tests.pdfs import make_pdf

    settings.MEDIA_ROOT = tmp_path
    plan = measure.plan
    plan.resolution_document.save("r.pdf", ContentFile(make_pdf("Alt")), save=True)
    old = tmp_path / plan.resolution_document.name
    client.force_login(staff)
    data = {
        "member": plan.member_id, "adopted_on": "2024-01-01", "adopting_body": "Stadtrat", "adoption_note": "", "source": "", "version": plan.version,
        "resolution_document": SimpleUploadedFile("neu.pdf", make_pdf("Neu"), "application/pdf"),
        "measures-TOTAL_FORMS": "0", "measures-INITIAL_FORMS": "0", "measures-MIN_NUM_FORMS": "0", "measures-MAX_NUM_FORMS": "1000",
    }
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/admin/actionplan/actionplan/{plan.pk}/change/", data).status_code == 302
    plan.refresh_from_db()
    new = tmp_path / plan.resolution_document.name
    assert not old.exists() and new.read_bytes() == make_pdf("Neu")
    data.update(version=plan.version, resolution_document="", **{"resolution_document-clear": "on"})
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/admin/actionplan/actionplan/{plan.pk}/change/", data).status_code == 302
    plan.refresh_from_db()
    assert not plan.resolution_document and not new.exists()


def test_it_keeps_the_typed_adoption_when_the_disk_is_full_in_the_admin(client, staff, measure, settings, tmp_path, monkeypatch):
    import errno
    from pathlib import Path

    from django.core.files.storage import FileSystemStorage
    from django.core.files.uploadedfile import SimpleUploadedFile

    from reports.tests.pdfs import make_pdf

    settings.MEDIA_ROOT = tmp_path

    def full_disk(self, name, content):
        path = Path(self.path(name))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.read()[:100])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(FileSystemStorage, "_save", full_disk)
    plan = measure.plan
    client.force_login(staff)
    data = {
        "member": plan.member_id, "adopted_on": "2024-01-01", "adopting_body": "Stadtrat", "adoption_note": "Einstimmig", "source": "",
        "version": plan.version, "resolution_document": SimpleUploadedFile("neu.pdf", make_pdf("Neu"), "application/pdf"),
        "measures-TOTAL_FORMS": "0", "measures-INITIAL_FORMS": "0", "measures-MIN_NUM_FORMS": "0", "measures-MAX_NUM_FORMS": "1000",
    }
    response = client.post(f"/admin/actionplan/actionplan/{plan.pk}/change/", data, follow=True)
    assert response.status_code == 200
    assert "storage" in response.content.decode() or "Speicher" in response.content.decode()
    plan.refresh_from_db()
    # The typed text is saved; the file is to be chosen again, and nothing of it is left on disk.
    assert (plan.adopting_body, plan.adoption_note, plan.resolution_document.name) == ("Stadtrat", "Einstimmig", "")
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []
