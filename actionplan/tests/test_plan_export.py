"""The plan as XLSX (plan/export.xlsx): every active measure with its ID and version, headings and drop-downs in the
user's language, and the same drop-downs in the empty template."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from actionplan.models import MeasureStatus
from actionplan.tests.factories import ActionPlanFactory, MeasureFactory
from core.tests.permissions import LOGIN, assert_outcome

pytestmark = pytest.mark.django_db

URL = "/{lang}/dashboard/dresden/plan/export.xlsx"


@pytest.fixture
def plan(dresden, commitments):
    plan = ActionPlanFactory(member=dresden)
    MeasureFactory(plan=plan, commitment=commitments[2], title="Beratungsstelle", description="Offene Sprechstunde",
                   responsible_unit="Integrationsbüro", partners="Verein", status=MeasureStatus.IN_PROGRESS, progress=40,
                   start_date=dt.date(2026, 3, 1), is_public=True)
    MeasureFactory(plan=plan, commitment=commitments[0], title="Monitoring", status=MeasureStatus.PLANNED, progress=None,
                   is_public=False)
    retired = MeasureFactory(plan=plan, commitment=commitments[0], title="Zurückgezogen")
    retired.retire(by=None)
    return plan


def sheet_of(response):
    return load_workbook(io.BytesIO(response.content)).worksheets[0]


def drop_downs(sheet) -> dict[str, str]:
    return {str(validation.sqref).split(":")[0]: validation.formula1 for validation in sheet.data_validations.dataValidation}


@pytest.mark.parametrize(
    "lang, headings, status, public, statuses, yes_no",
    [
        ("de", ["ID (nicht ändern)", "Version (nicht ändern)", "Verpflichtung (1–10)", "Titel"], "In Umsetzung", "ja",
         '"Geplant,In Umsetzung,Umgesetzt,Daueraufgabe,Eingestellt"', '"ja,nein"'),
        ("en", ["ID (do not change)", "Version (do not change)", "Commitment (1–10)", "Title"], "In progress", "yes",
         '"Planned,In progress,Implemented,Continuous,Discontinued"', '"yes,no"'),
    ],
)
def test_it_exports_every_active_measure_with_its_id_and_version(
    client, dresden_lead, plan, lang, headings, status, public, statuses, yes_no
):
    client.force_login(dresden_lead)
    response = client.get(URL.format(lang=lang))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;") and ".xlsx" in response["Content-Disposition"]
    sheet = sheet_of(response)
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0][:4]) == headings
    counselling = plan.measures.get(title="Beratungsstelle")
    assert len(rows) == 3  # the retired measure is not in the file
    assert rows[1][0] == plan.measures.get(title="Monitoring").pk  # by commitment, then title
    assert rows[2][:8] == (counselling.pk, counselling.version, 3, "Beratungsstelle", "Offene Sprechstunde",
                           "Integrationsbüro", "Verein", status)
    assert rows[2][8] == 40 and rows[2][9] == dt.datetime(2026, 3, 1) and rows[2][11] == public
    assert drop_downs(sheet) == {"C2": '"1,2,3,4,5,6,7,8,9,10"', "H2": statuses, "L2": yes_no, "M2": '"de,en"'}


def test_it_puts_the_drop_downs_into_the_template_too(client, dresden_lead):
    client.force_login(dresden_lead)
    sheet = sheet_of(client.get("/de/dashboard/dresden/plan/import/template.xlsx"))
    assert sheet["A1"].value == "Verpflichtung (1–10)"
    downs = drop_downs(sheet)
    assert downs["A2"] == '"1,2,3,4,5,6,7,8,9,10"' and downs["J2"] == '"ja,nein"'
    assert downs["F2"].startswith('"Geplant,')
    assert str(sheet.data_validations.dataValidation[0].sqref) == "A2:A1001"


def test_it_exports_a_plan_without_measures_as_headings_only(client, dresden_editor, commitments):
    client.force_login(dresden_editor)
    rows = list(sheet_of(client.get(URL.format(lang="de"))).iter_rows(values_only=True))
    assert len(rows) == 1


def test_it_writes_a_formula_typed_as_a_title_as_text(client, dresden_lead, dresden, commitments):
    MeasureFactory(plan=ActionPlanFactory(member=dresden), commitment=commitments[0], title='=HYPERLINK("http://x","y")')
    client.force_login(dresden_lead)
    cell = sheet_of(client.get(URL.format(lang="de")))["D2"]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")


@pytest.mark.parametrize(
    "persona, expected",
    [("anonymous", LOGIN), ("outsider", 404), ("bare_staff", 404), ("dresden_editor", 200), ("dresden_lead", 200), ("staff", 200)],
)
def test_it_lets_only_the_members_coordinators_and_the_secretariat_export(
    client, plan, persona, expected, request
):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    response = client.get(URL.format(lang="de"))
    assert_outcome(response, expected, (persona,))
    if expected == 200:
        assert sheet_of(response).max_row == 3
    assert client.post(URL.format(lang="de")).status_code in (405, 302)


def test_it_exports_in_a_fixed_number_of_queries(client, dresden_lead, dresden, commitments, django_assert_max_num_queries):
    plan = ActionPlanFactory(member=dresden)
    client.force_login(dresden_lead)
    MeasureFactory.create_batch(5, plan=plan, commitment=commitments[1])
    with django_assert_max_num_queries(8):
        assert client.get(URL.format(lang="de")).status_code == 200
    MeasureFactory.create_batch(100, plan=plan, commitment=commitments[4])
    with django_assert_max_num_queries(8):
        assert sheet_of(client.get(URL.format(lang="de"))).max_row == 106
