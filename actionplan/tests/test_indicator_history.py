"""An indicator's history of changes: its own changes and its values added, corrected and removed, in order."""

import datetime as dt
from decimal import Decimal

import pytest

from actionplan.models import IndicatorValue
from actionplan.services import indicator_value_remove
from actionplan.tests.factories import ActionPlanFactory, IndicatorFactory, IndicatorValueFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def indicator(dresden, commitments):
    return IndicatorFactory(plan=ActionPlanFactory(member=dresden), commitment=commitments[2], name="Beratungsfälle")


def url(indicator, lang="en") -> str:
    return f"/{lang}/dashboard/dresden/indicators/{indicator.pk}/history/"


def test_it_shows_the_indicators_changes_and_its_values_added_corrected_and_removed(client, indicator, dresden_editor, dresden_lead):
    client.force_login(dresden_editor)
    edit = client.post(
        f"/en/dashboard/dresden/indicators/{indicator.pk}/",
        {"name": "Beratungsfälle pro Jahr", "unit": "Fälle", "baseline_value": "40", "baseline_date": "2022-01-01",
         "target_value": "100", "target_date": "2027-12-31", "is_public": "on", "version": indicator.version},
    )
    assert edit.status_code == 302
    value = IndicatorValueFactory(indicator=indicator, date=dt.date(2023, 1, 1), value=Decimal("55"))
    base = f"/en/dashboard/dresden/indicators/{indicator.pk}/values/{value.pk}/"
    assert client.post(base, {"date": "2023-01-01", "value": "1234.5", "version": value.version}).status_code == 302
    client.force_login(dresden_lead)
    assert client.post(base + "remove/", {"reason": "Falsche Quelle"}).status_code == 302
    assert not IndicatorValue.objects.filter(pk=value.pk).exists()

    response = client.get(url(indicator))
    assert response.status_code == 200
    entries = response.context["entries"]
    assert [(e["kind"], e["record"].history_user) for e in entries] == [
        ("value removed", dresden_lead),
        ("value corrected", dresden_editor),
        ("value added", None),
        ("changed", dresden_editor),
        ("created", None),
    ]
    changes = [{c["label"]: (c["old"], c["new"]) for c in e["changes"]} for e in entries]
    assert changes[0] == {"date": ("01/01/2023", "—"), "value": ("1,234.5", "—")}
    assert entries[0]["reason"] == "Falsche Quelle"
    assert changes[1] == {"value": ("55", "1,234.5")}
    assert changes[3] == {"name": ("Beratungsfälle", "Beratungsfälle pro Jahr")}
    assert "Reason: Falsche Quelle" in response.content.decode()


def test_it_shows_it_in_german_with_the_link_from_the_indicator(client, indicator, dresden_lead):
    value = IndicatorValueFactory(indicator=indicator)
    indicator_value_remove(value=value, by=dresden_lead, reason="Doppelt")
    client.force_login(dresden_lead)
    assert url(indicator, "de") in client.get(f"/de/dashboard/dresden/indicators/{indicator.pk}/").content.decode()
    body = client.get(url(indicator, "de")).content.decode()
    assert "Wert entfernt" in body and "Grund: Doppelt" in body
    assert "Kein sichtbares Feld" not in body


def test_it_stays_readable_after_the_indicator_was_retired(client, indicator, dresden_editor):
    indicator.retire(by=dresden_editor)
    client.force_login(dresden_editor)
    response = client.get(url(indicator))
    assert response.status_code == 200
    assert [e["kind"] for e in response.context["entries"]] == ["changed", "created"]
    assert {c["label"]: c["new"] for c in response.context["entries"][0]["changes"]}["retired by"] == "dresden-editor"


@pytest.mark.parametrize("count", [2, 25])
def test_it_reads_a_long_history_in_a_constant_number_of_queries(
    client, indicator, dresden_editor, django_assert_max_num_queries, count
):
    for n in range(count):
        indicator.name = f"Name {n}"
        indicator.save()
        value = IndicatorValueFactory(indicator=indicator)
        value.value = Decimal(n)
        value.save()
        indicator_value_remove(value=value, by=dresden_editor)
    client.force_login(dresden_editor)
    with django_assert_max_num_queries(11):
        entries = client.get(url(indicator)).context["entries"]
    assert len(entries) == 1 + count * 4


def test_it_cannot_be_changed(client, indicator, dresden_editor):
    client.force_login(dresden_editor)
    assert client.post(url(indicator)).status_code == 405
