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


def test_it_retires_only_by_post(client, dresden_lead, dresden, commitments):
    measure = MeasureFactory(plan=ActionPlanFactory(member=dresden), commitment=commitments[0])
    client.force_login(dresden_lead)
    assert client.get(f"/de/dashboard/dresden/measures/{measure.pk}/retire/").status_code == 405
    measure.refresh_from_db()
    assert measure.retired_at is None


def test_it_lets_staff_restore_a_retired_measure(dresden, commitments, staff, dresden_lead):
    measure = MeasureFactory(plan=ActionPlanFactory(member=dresden), commitment=commitments[0])
    measure.retire(by=dresden_lead)
    measure.restore()
    measure.refresh_from_db()
    assert (measure.retired_at, measure.retired_by, measure.version) == (None, None, 3)
    assert Measure.objects.public().filter(pk=measure.pk).exists()
