import pytest
from django.utils import translation

from actionplan.models import MeasureStatus
from actionplan.tests.factories import ActionPlanFactory, MeasureFactory

pytestmark = pytest.mark.django_db


def edit(client, measure, commitment, **changes):
    data = {
        "commitment": commitment.pk, "title": measure.title, "status": measure.status, "progress": measure.progress,
        "version": measure.version, "is_public": "on",
    }
    data.update(changes)
    response = client.post(f"/en/dashboard/dresden/measures/{measure.pk}/", data)
    assert response.status_code == 302
    measure.refresh_from_db()


def test_it_shows_who_changed_which_field_from_what_to_what(client, dresden_editor, dresden_lead, dresden, commitments):
    measure = MeasureFactory(plan=ActionPlanFactory(member=dresden), commitment=commitments[0], title="Erster Titel", progress=10)
    client.force_login(dresden_editor)
    edit(client, measure, commitments[0], title="Zweiter Titel", progress=50)
    client.force_login(dresden_lead)
    edit(client, measure, commitments[4], status=MeasureStatus.IMPLEMENTED)
    response = client.get(f"/en/dashboard/dresden/measures/{measure.pk}/history/")
    assert response.status_code == 200
    entries = response.context["entries"]
    with translation.override("en"):
        expected_commitments = (str(commitments[0]), str(commitments[4]))
    assert [e["record"].history_user for e in entries] == [dresden_lead, dresden_editor, None]
    assert {c["label"]: (c["old"], c["new"]) for c in entries[0]["changes"]} == {
        "commitment": expected_commitments,
        "status": ("In progress", "Implemented"),
    }
    assert {c["label"]: (c["old"], c["new"]) for c in entries[1]["changes"]} == {
        "title": ("Erster Titel", "Zweiter Titel"),
        "progress (%)": ("10", "50"),
    }
    body = response.content.decode()
    assert "dresden-lead" in body and "Erster Titel" in body


def test_it_cannot_be_changed_from_the_ui(client, dresden_editor, dresden, commitments):
    measure = MeasureFactory(plan=ActionPlanFactory(member=dresden), commitment=commitments[0])
    client.force_login(dresden_editor)
    response = client.get(f"/de/dashboard/dresden/measures/{measure.pk}/history/")
    assert "<form" not in response.content.decode().split('id="main"')[1]
    assert client.post(f"/de/dashboard/dresden/measures/{measure.pk}/history/").status_code == 405
