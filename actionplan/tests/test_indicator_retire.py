"""Retiring an indicator: a second step, then off the plan and the public pages; the secretariat can restore it."""

import pytest

from actionplan.models import Indicator
from actionplan.tests.factories import ActionPlanFactory, IndicatorFactory

pytestmark = pytest.mark.django_db


def test_it_retires_an_indicator_after_asking(client, dresden, commitments, dresden_editor):
    indicator = IndicatorFactory(plan=ActionPlanFactory(member=dresden), commitment=commitments[0], name="Fälle")
    url = f"/en/dashboard/dresden/indicators/{indicator.pk}/retire/"
    client.force_login(dresden_editor)
    assert "Retire this indicator?" in client.get(url).content.decode()
    assert Indicator.objects.public().exists()
    response = client.post(url)
    assert response["Location"] == "/en/dashboard/dresden/plan/"
    indicator.refresh_from_db()
    assert indicator.is_retired and indicator.retired_by == dresden_editor
    assert not Indicator.objects.public().exists()
    assert f"indicator-{indicator.pk}" not in client.get("/en/dashboard/dresden/plan/").content.decode()
    assert client.post(url).status_code == 404  # already retired
