import pytest

from actionplan.models import Measure
from actionplan.tests.factories import ActionPlanFactory, MeasureFactory

pytestmark = pytest.mark.django_db


def test_it_retires_a_measure_without_erasing_it(client, dresden_lead, dresden, commitments):
    measure = MeasureFactory(plan=ActionPlanFactory(member=dresden), commitment=commitments[2], title="Wird zurückgezogen")
    client.force_login(dresden_lead)
    response = client.post(f"/de/dashboard/dresden/measures/{measure.pk}/retire/")
    assert response.headers["Location"] == "/de/dashboard/dresden/plan/"
    measure = Measure.objects.get(pk=measure.pk)
    assert measure.retired_at is not None and measure.retired_by == dresden_lead
    assert measure.history.first().history_user == dresden_lead
    assert measure.history.count() == 2
    assert "zurückgezogen" in client.get(response.headers["Location"]).content.decode()  # the confirmation
    # Gone from the plan, the public page and the commitment page; kept in the editor's retired list.
    assert "Wird zurückgezogen" not in client.get("/de/members/dresden/").content.decode()
    assert "Wird zurückgezogen" not in client.get("/de/commitments/3/").content.decode()
    editor = client.get("/de/dashboard/dresden/plan/")
    assert [m.title for m in editor.context["retired"]] == ["Wird zurückgezogen"]
    assert client.get(f"/de/dashboard/dresden/measures/{measure.pk}/history/").status_code == 200


def test_it_asks_for_confirmation_before_retiring(client, dresden_lead, dresden, commitments):
    measure = MeasureFactory(plan=ActionPlanFactory(member=dresden), commitment=commitments[0], title="Bleibt vorerst")
    client.force_login(dresden_lead)
    edit = client.get(f"/de/dashboard/dresden/measures/{measure.pk}/").content.decode()
    # The edit page links to the confirmation step; it has no one-click retire form.
    assert f'href="/de/dashboard/dresden/measures/{measure.pk}/retire/"' in edit
    assert f'action="/de/dashboard/dresden/measures/{measure.pk}/retire/"' not in edit
    response = client.get(f"/en/dashboard/dresden/measures/{measure.pk}/retire/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Bleibt vorerst" in page and "Only the secretariat can restore" in page
    assert f'action="/en/dashboard/dresden/measures/{measure.pk}/retire/"' in page
    assert f'href="/en/dashboard/dresden/measures/{measure.pk}/"' in page  # the way back
    measure.refresh_from_db()
    assert measure.retired_at is None  # looking at the warning changes nothing


def test_it_lets_staff_restore_a_retired_measure(dresden, commitments, staff, dresden_lead):
    measure = MeasureFactory(plan=ActionPlanFactory(member=dresden), commitment=commitments[0])
    measure.retire(by=dresden_lead)
    measure.restore()
    measure.refresh_from_db()
    assert (measure.retired_at, measure.retired_by, measure.version) == (None, None, 3)
    assert Measure.objects.public().filter(pk=measure.pk).exists()
