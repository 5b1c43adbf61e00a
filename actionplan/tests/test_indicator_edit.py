"""The indicator page: its fields and a new dated value in one form; clear messages for bad input; conflicts."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from actionplan.models import IndicatorValue
from actionplan.tests.factories import ActionPlanFactory, IndicatorFactory, IndicatorValueFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def indicator(dresden, commitments):
    return IndicatorFactory(plan=ActionPlanFactory(member=dresden), commitment=commitments[0], name="Geschulte Beschäftigte",
                            unit="Personen", baseline_value=Decimal("40"), baseline_date=dt.date(2022, 1, 1), is_public=False)


def url(indicator, lang="de") -> str:
    return f"/{lang}/dashboard/dresden/indicators/{indicator.pk}/"


def data(indicator, **overrides) -> dict:
    return {"name": indicator.name, "unit": indicator.unit, "description": "", "baseline_value": "40",
            "baseline_date": "2022-01-01", "target_value": "100", "target_date": "2027-12-31", "is_public": "on",
            "version": indicator.version, "value-date": "", "value-value": "", "value-source": "", "value-note": "", **overrides}


def test_it_saves_the_indicator_and_goes_back_to_the_plan(client, indicator, dresden_editor):
    client.force_login(dresden_editor)
    assert "Geschulte Beschäftigte" in client.get(url(indicator)).content.decode()
    response = client.post(url(indicator), data(indicator, name="Geschulte Mitarbeitende"))
    assert response["Location"] == f"/de/dashboard/dresden/plan/#indicator-{indicator.pk}"
    indicator.refresh_from_db()
    assert (indicator.name, indicator.is_public, indicator.version) == ("Geschulte Mitarbeitende", True, 2)
    assert not IndicatorValue.objects.exists()


def test_it_adds_three_values_with_a_decimal_comma_and_shows_the_chart(client, indicator, dresden_lead):
    client.force_login(dresden_lead)
    for date, value in (("2023-01-01", "55"), ("2024-01-01", "62,5"), ("2025-01-01", "70")):
        indicator.refresh_from_db()
        response = client.post(url(indicator), data(indicator, **{"value-date": date, "value-value": value, "value-source": "Personalamt"}))
        assert response.status_code == 302 and response["Location"].endswith("#values-heading")
    values = list(indicator.values.values_list("value", "source", "author"))
    assert values == [(Decimal("55"), "Personalamt", dresden_lead.pk), (Decimal("62.5"), "Personalamt", dresden_lead.pk),
                      (Decimal("70"), "Personalamt", dresden_lead.pk)]
    body = client.get(url(indicator, "en")).content.decode()
    # (70 − 40) ÷ (100 − 40) = 50 %
    assert "50 % of the way from the baseline to the target has been covered." in body
    assert body.count('class="value-point"') == 3 + 1  # three values and the legend
    assert "62.5" in body


def test_it_refuses_a_value_dated_before_the_baseline_and_keeps_everything_typed(client, indicator, dresden_editor):
    client.force_login(dresden_editor)
    response = client.post(url(indicator, "en"), data(indicator, name="Neu", **{"value-date": "2021-06-01", "value-value": "12"}))
    assert response.status_code == 400
    body = response.content.decode()
    assert "A value cannot be dated before the indicator&#x27;s baseline (1 Jan 2022)." in body
    assert 'value="Neu"' in body and 'value="2021-06-01"' in body
    indicator.refresh_from_db()
    assert indicator.name == "Geschulte Beschäftigte" and not indicator.values.exists()


def test_it_checks_a_new_value_against_the_baseline_as_typed(client, indicator, dresden_editor):
    client.force_login(dresden_editor)
    response = client.post(url(indicator), data(indicator, baseline_date="2021-01-01", **{"value-date": "2021-06-01", "value-value": "12"}))
    assert response.status_code == 302
    assert indicator.values.get().date == dt.date(2021, 6, 1)


def test_it_refuses_a_value_that_is_not_a_number(client, indicator, dresden_editor):
    client.force_login(dresden_editor)
    response = client.post(url(indicator, "en"), data(indicator, **{"value-date": "2023-01-01", "value-value": "zwölf"}))
    assert response.status_code == 400
    body = response.content.decode()
    assert "Enter a number such as 1,234.5 or 12.5." in body and 'value="zwölf"' in body
    assert not indicator.values.exists()


def test_it_asks_for_the_figure_when_only_a_source_is_typed(client, indicator, dresden_editor):
    client.force_login(dresden_editor)
    response = client.post(url(indicator, "en"), data(indicator, **{"value-source": "Statistik"}))
    assert response.status_code == 400
    assert response.content.decode().count("This field is required.") == 2


def test_it_refuses_a_second_value_for_the_same_date(client, indicator, dresden_editor):
    IndicatorValueFactory(indicator=indicator, date=dt.date(2023, 1, 1), value=Decimal("50"))
    client.force_login(dresden_editor)
    response = client.post(url(indicator, "en"), data(indicator, **{"value-date": "2023-01-01", "value-value": "51"}))
    assert response.status_code == 400
    assert "There is already a value for 1 Jan 2023. Correct that value instead, or choose another date." in response.content.decode()
    assert indicator.values.get().value == Decimal("50")


def test_it_keeps_the_baseline_before_the_first_value(client, indicator, dresden_editor):
    IndicatorValueFactory(indicator=indicator, date=dt.date(2023, 1, 1))
    client.force_login(dresden_editor)
    response = client.post(url(indicator, "en"), data(indicator, baseline_date="2023-06-01"))
    assert response.status_code == 400
    assert "the baseline cannot be later than the first value" in response.content.decode()


def test_it_shows_a_conflict_and_saves_neither_the_edit_nor_the_new_value(client, indicator, dresden_editor, dresden_lead):
    stale = data(indicator, name="Meine Fassung", **{"value-date": "2023-01-01", "value-value": "50"})
    lead = Client()
    lead.force_login(dresden_lead)
    assert lead.post(url(indicator), data(indicator, name="Fassung der Leitung")).status_code == 302
    client.force_login(dresden_editor)
    response = client.post(url(indicator), stale)
    assert response.status_code == 409
    body = response.content.decode()
    assert "Fassung der Leitung" in body and "Meine Fassung" in body and 'value="2023-01-01"' in body
    indicator.refresh_from_db()
    assert indicator.name == "Fassung der Leitung" and not indicator.values.exists()


def test_it_hides_a_retired_indicator_and_refuses_to_save_it(client, indicator, dresden_editor):
    indicator.retire(by=dresden_editor)
    client.force_login(dresden_editor)
    assert client.get(url(indicator)).status_code == 404
    assert client.post(url(indicator), data(indicator, name="Noch einmal")).status_code == 409
    indicator.refresh_from_db()
    assert indicator.name == "Geschulte Beschäftigte"


def test_it_shows_another_members_indicator_to_nobody_else(client, indicator, duesseldorf, commitments):
    from actionplan.tests.factories import IndicatorFactory as Factory
    from members.tests.factories import AssignmentFactory, UserFactory

    foreign = Factory(plan=ActionPlanFactory(member=duesseldorf), commitment=commitments[0])
    user = UserFactory()
    AssignmentFactory(user=user, member=duesseldorf)
    client.force_login(user)
    assert client.get(f"/de/dashboard/dresden/indicators/{foreign.pk}/").status_code == 404
    assert client.get(f"/de/dashboard/duesseldorf/indicators/{indicator.pk}/").status_code == 404


def test_it_keeps_a_colleagues_name_when_i_change_only_the_unit_from_a_stale_form(indicator, dresden_editor, dresden_lead):
    first, second = Client(), Client()
    first.force_login(dresden_editor)
    second.force_login(dresden_lead)
    opened = data(indicator)
    assert first.post(url(indicator), {**opened, "name": "Geschulte Mitarbeitende"}).status_code == 302
    response = second.post(url(indicator), {**opened, "unit": "Köpfe", "value-date": "2024-01-01", "value-value": "50"})
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert (indicator.name, indicator.unit, indicator.version) == ("Geschulte Mitarbeitende", "Köpfe", 3)
    assert indicator.values.get().value == Decimal("50")


def test_it_lists_only_the_field_both_changed_in_the_indicator_conflict(indicator, dresden_editor, dresden_lead):
    first, second = Client(), Client()
    first.force_login(dresden_editor)
    second.force_login(dresden_lead)
    opened = data(indicator)
    assert first.post(url(indicator), {**opened, "name": "Name A", "unit": "Köpfe"}).status_code == 302
    response = second.post(url(indicator, "en"), {**opened, "name": "Name B", "description": "Meine Beschreibung"})
    assert response.status_code == 409
    assert [row["label"] for row in response.context["conflict"]["rows"]] == ["Name"]
    form = response.context["form"]
    assert (form["name"].value(), form["unit"].value(), form["description"].value()) == ("Name B", "Köpfe", "Meine Beschreibung")


@pytest.mark.parametrize(("lang", "baseline", "figure"), [("de", 'value="1.234,5"', "1.234,5"), ("en", 'value="1,234.5"', "1,234.5")])
def test_it_shows_figures_grouped_as_they_would_be_typed(client, indicator, dresden_editor, lang, baseline, figure):
    indicator.baseline_value = Decimal("1234.50")
    indicator.save()
    IndicatorValueFactory(indicator=indicator, date=dt.date(2023, 1, 1), value=Decimal("566222"))
    client.force_login(dresden_editor)
    body = client.get(url(indicator, lang)).content.decode()
    thousands = "566.222" if lang == "de" else "566,222"
    # The form shows the stored figure as it would be typed, and the table beside it the same way.
    assert baseline in body and 'inputmode="decimal"' in body
    assert f'<td class="text-end">{figure}</td>' in body and f'<td class="text-end">{thousands}</td>' in body
    assert thousands in client.get(f"/{lang}/dashboard/dresden/plan/").content.decode()


@pytest.mark.parametrize(
    ("lang", "typed", "stored"), [("de", "1.234,5", Decimal("1234.5")), ("de", "566.222", Decimal("566222")), ("en", "1,234.5", Decimal("1234.5"))]
)
def test_it_takes_a_new_value_with_thousands(client, indicator, dresden_editor, lang, typed, stored):
    client.force_login(dresden_editor)
    response = client.post(url(indicator, lang), data(indicator, **{"value-date": "2023-01-01", "value-value": typed}))
    assert response.status_code == 302
    assert indicator.values.get().value == stored


@pytest.mark.parametrize(
    ("lang", "message"),
    [("de", "Diesen Tag gibt es nicht: Der Februar 2023 hat 28 Tage."), ("en", "This day does not exist: February 2023 has 28 days.")],
)
def test_it_names_a_value_date_that_does_not_exist(client, indicator, dresden_editor, lang, message):
    client.force_login(dresden_editor)
    response = client.post(url(indicator, lang), data(indicator, **{"value-date": "2023-02-31", "value-value": "12"}))
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body and 'value="2023-02-31"' in body and 'value="12"' in body
    assert not indicator.values.exists()
