"""Correcting and removing an indicator's value; the history keeps what it was."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation

from actionplan import services
from actionplan.models import IndicatorValue
from actionplan.tests.factories import ActionPlanFactory, IndicatorFactory, IndicatorValueFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def value(dresden, commitments):
    indicator = IndicatorFactory(plan=ActionPlanFactory(member=dresden), commitment=commitments[0], baseline_date=dt.date(2022, 1, 1))
    return IndicatorValueFactory(indicator=indicator, date=dt.date(2023, 1, 1), value=Decimal("55"), source="Amt")


def url(value, lang="de", tail="") -> str:
    return f"/{lang}/dashboard/dresden/indicators/{value.indicator_id}/values/{value.pk}/{tail}"


def data(row, **overrides) -> dict:
    return {"date": "2023-01-01", "value": "56,5", "source": "Amt", "note": "", "version": row.version, **overrides}


@pytest.mark.parametrize("persona", ["dresden_editor", "dresden_lead", "staff"])
def test_it_lets_every_coordinator_correct_a_value(client, value, persona, request):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    assert 'value="55"' in client.get(url(value)).content.decode()
    response = client.post(url(value), data(value))
    assert response["Location"] == f"/de/dashboard/dresden/indicators/{value.indicator_id}/#values-heading"
    value.refresh_from_db()
    assert (value.value, value.version) == (Decimal("56.5"), 2)
    before, after = value.history.order_by("history_date")[:2]
    assert (before.value, after.value, after.history_user) == (Decimal("55"), Decimal("56.5"), user)


def test_it_refuses_a_date_before_the_baseline_a_taken_date_and_a_word(client, value, dresden_editor):
    IndicatorValueFactory(indicator=value.indicator, date=dt.date(2024, 1, 1))
    client.force_login(dresden_editor)
    for overrides, message in (
        ({"date": "2021-12-31"}, "A value cannot be dated before the indicator&#x27;s baseline (1 Jan 2022)."),
        ({"date": "2024-01-01"}, "There is already a value for 1 Jan 2024."),
        ({"value": "viel"}, "Enter a number such as 1,234.5 or 12.5."),
    ):
        response = client.post(url(value, "en"), data(value, **overrides))
        assert response.status_code == 400
        assert message in response.content.decode()
    value.refresh_from_db()
    assert (value.date, value.value) == (dt.date(2023, 1, 1), Decimal("55"))


def test_it_shows_a_conflict_when_someone_corrected_the_value_first(client, value, dresden_editor, dresden_lead):
    stale = data(value, value="60")
    lead = Client()
    lead.force_login(dresden_lead)
    assert lead.post(url(value), data(value, value="58")).status_code == 302
    client.force_login(dresden_editor)
    response = client.post(url(value, "en"), stale)
    assert response.status_code == 409
    body = response.content.decode()
    assert "Not saved: someone else changed the same fields in the meantime" in body and 'value="60"' in body
    value.refresh_from_db()
    assert value.value == Decimal("58")


def test_it_turns_a_date_taken_in_another_tab_into_a_message(value, dresden_editor):
    # The form's check passed in both tabs; the database's unique constraint decides, and the service explains.
    second = IndicatorValue(date=value.date, value=Decimal("1"))
    with pytest.raises(ValidationError) as refused, translation.override("en"):
        services.indicator_value_add(indicator=value.indicator, value=second, by=dresden_editor)
    assert "There is already a value for" in str(refused.value.error_dict["date"])
    assert value.indicator.values.count() == 1


def test_it_removes_a_value_after_asking(client, value, dresden_editor):
    client.force_login(dresden_editor)
    assert "Remove this value?" in client.get(url(value, "en", "remove/")).content.decode()
    response = client.post(url(value, tail="remove/"))
    assert response["Location"].endswith("#values-heading")
    assert not IndicatorValue.objects.exists()
    assert IndicatorValue.history.filter(history_type="-").get().history_user == dresden_editor


def test_it_does_not_reach_a_value_through_another_indicator(client, value, dresden, dresden_editor):
    other = IndicatorFactory(plan=value.indicator.plan, commitment=value.indicator.commitment)
    client.force_login(dresden_editor)
    assert client.get(f"/de/dashboard/dresden/indicators/{other.pk}/values/{value.pk}/").status_code == 404
