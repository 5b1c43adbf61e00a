import pytest

from actionplan.models import Measure
from actionplan.tests.factories import ActionPlanFactory, MeasureFactory, MeasureUpdateFactory

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
        "start_date": "", "end_date": "", "is_public": "on", "content_language": "de", "source": "",
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
        "member": plan.member_id, "adopted_on": "2024-01-01", "adopting_body": "Stadtrat", "adoption_note": "", "source": "",
        "resolution_document": SimpleUploadedFile("beschluss.pdf", b"<html><script>alert(1)</script></html>", "application/pdf"),
        "measures-TOTAL_FORMS": "0", "measures-INITIAL_FORMS": "0", "measures-MIN_NUM_FORMS": "0", "measures-MAX_NUM_FORMS": "1000",
    }
    response = client.post(f"/admin/actionplan/actionplan/{plan.pk}/change/", data)
    assert response.status_code == 200
    assert "not a PDF" in response.content.decode() or "kein PDF" in response.content.decode()
    plan.refresh_from_db()
    assert not plan.resolution_document and plan.adopting_body != "Stadtrat"
