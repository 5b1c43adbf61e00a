import csv
import datetime
import io
import json
from decimal import Decimal

import pytest

from actionplan.rollup import rounded_share
from actionplan.tests.factories import ActionPlanFactory, IndicatorFactory, IndicatorValueFactory, MeasureFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def indicators(dresden):
    plan = ActionPlanFactory(member=dresden)
    public = IndicatorFactory(
        plan=plan, name="Beratungsfälle", unit="Fälle", baseline_value=Decimal("40"), target_value=Decimal("100"),
        baseline_date=datetime.date(2022, 1, 1), target_date=datetime.date(2027, 12, 31),
    )
    IndicatorValueFactory(indicator=public, date=datetime.date(2023, 6, 30), value=Decimal("55"), source="Jahresbericht")
    IndicatorValueFactory(indicator=public, date=datetime.date(2024, 6, 30), value=Decimal("61.5"))
    no_target = IndicatorFactory(plan=plan, name="Geschulte Beschäftigte", target_value=None, target_date=None)
    internal = IndicatorFactory(plan=plan, name="Interner Wert", is_public=False)
    IndicatorValueFactory(indicator=internal, value=Decimal("7"))
    hidden_measure = MeasureFactory(plan=plan, is_public=False)
    of_hidden = IndicatorFactory(plan=plan, measure=hidden_measure, commitment=hidden_measure.commitment, name="Zu interner Maßnahme")
    return {"public": public, "no_target": no_target, "internal": internal, "of_hidden": of_hidden}


def _csv(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_it_exports_public_indicators_with_latest_value_and_share(client, indicators):
    response = client.get("/open-data/v2/indicators.csv")
    assert response.status_code == 200
    assert response["X-Schema-Version"] == "2"
    rows = {row["name"]: row for row in _csv(response)}
    assert set(rows) == {"Beratungsfälle", "Geschulte Beschäftigte"}
    row = rows["Beratungsfälle"]
    assert (row["baseline_value"], row["target_value"], row["latest_value"], row["latest_date"]) == ("40.00", "100.00", "61.50", "2024-06-30")
    # (61.5 − 40) / (100 − 40) = 0.358333…
    assert row["share"] == "0.3583" == str(rounded_share(indicators["public"].progress_share()))
    assert row["member_slug"] == indicators["public"].plan.member.slug
    assert rows["Geschulte Beschäftigte"]["share"] == ""
    assert rows["Geschulte Beschäftigte"]["latest_value"] == ""


def test_it_exports_the_values_of_public_indicators_only(client, indicators):
    rows = _csv(client.get("/open-data/v2/indicator-values.csv"))
    assert [(r["indicator_id"], r["date"], r["value"], r["source"]) for r in rows] == [
        (str(indicators["public"].pk), "2023-06-30", "55.00", "Jahresbericht"),
        (str(indicators["public"].pk), "2024-06-30", "61.50", ""),
    ]


def test_it_writes_numbers_as_json_numbers(client, indicators):
    data = json.loads(b"".join(client.get("/open-data/v2/indicators.json").streaming_content))
    by_name = {row["name"]: row for row in data}
    assert by_name["Beratungsfälle"]["share"] == 0.3583
    assert by_name["Beratungsfälle"]["baseline_value"] == 40
    assert by_name["Geschulte Beschäftigte"]["target_value"] is None


def test_it_keeps_version_one_as_it_was(client, indicators):
    assert client.get("/open-data/indicators.csv").status_code == 404
    v1 = client.get("/open-data/measures.csv")
    v2 = client.get("/open-data/v2/measures.csv")
    assert v1["X-Schema-Version"] == "1"
    assert b"".join(v1.streaming_content) == b"".join(v2.streaming_content)


def test_it_gives_404_for_unknown_version_two_datasets_and_formats(client, db):
    assert client.get("/open-data/v2/nothing.csv").status_code == 404
    assert client.get("/open-data/v2/indicators.xml").status_code == 404


def test_it_documents_version_two_and_the_formula_in_both_languages(client, db):
    german = client.get("/de/open-data/").content.decode()
    english = client.get("/en/open-data/").content.decode()
    assert "/open-data/v2/indicators.csv" in english
    assert "latest_value" in english and "(latest_value − baseline_value) ÷ (target_value − baseline_value)" in english
    assert "Schema-Version 2: Indikatoren" in german


@pytest.mark.parametrize("persona", ["anonymous", "outsider", "dresden_editor", "dresden_lead", "bare_staff", "staff"])
def test_it_gives_everyone_the_same_public_file_and_refuses_changes(
    client, indicators, outsider, dresden_editor, dresden_lead, bare_staff, staff, persona
):
    users = {"outsider": outsider, "dresden_editor": dresden_editor, "dresden_lead": dresden_lead,
             "bare_staff": bare_staff, "staff": staff}
    if persona != "anonymous":
        client.force_login(users[persona])
    names = {row["name"] for row in _csv(client.get("/open-data/v2/indicators.csv"))}
    # Not even the member's own coordinators or the secretariat get internal indicators in the open data.
    assert names == {"Beratungsfälle", "Geschulte Beschäftigte"}
    assert client.post("/open-data/v2/indicators.csv").status_code == 405
