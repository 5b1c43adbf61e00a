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
