"""Very long cells in a plan or values import: a row error in words, never a 500 (CSV and XLSX)."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from actionplan.models import Commitment, IndicatorValue, Measure, PlanImport
from actionplan.tests.factories import ActionPlanFactory, IndicatorFactory

pytestmark = pytest.mark.django_db

URL = "/de/dashboard/dresden/plan/import/"
LONG = "x" * 100_000
PLAN_HEADINGS = ["Verpflichtung (1–10)", "Titel", "Beschreibung", "Zuständige Stelle", "Partner"]
VALUE_HEADINGS = ["Indikator", "Datum", "Wert", "Quelle", "Anmerkung"]


def upload(rows, fmt: str) -> SimpleUploadedFile:
    if fmt == "csv":
        text = "\n".join(";".join(row) for row in rows) + "\n"
        return SimpleUploadedFile("plan.csv", text.encode("utf-8-sig"), content_type="text/csv")
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return SimpleUploadedFile("plan.xlsx", out.getvalue())


@pytest.fixture
def lead(client, dresden_lead, commitments):
    client.force_login(dresden_lead)
    return client


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize(
    "column, message",
    [
        (1, ("Der Titel ist zu lang:", "höchstens 300.")),
        (2, ("Die Beschreibung ist zu lang:", "höchstens 5000.")),
        (3, ("Die zuständige Stelle ist zu lang:", "höchstens 300.")),
        (4, ("Der Text zu den Partnern ist zu lang:", "höchstens 2000.")),
    ],
)
def test_it_answers_a_row_error_for_a_cell_longer_than_its_field(lead, fmt, column, message):
    row = ["3", "Beratungsstelle", "", "", ""]
    row[column] = LONG
    response = lead.post(URL, {"file": upload([PLAN_HEADINGS, row, ["8", "Interkulturelle Woche", "", "", ""]], fmt)})
    assert response.status_code == 200
    page = response.content.decode()
    # XLSX holds at most 32,767 characters a cell (openpyxl cuts on reading): the length said is what was read.
    assert "Zeile 2" in page and all(part in page for part in message)
    assert ("100000 Zeichen" if fmt == "csv" else "32767 Zeichen") in page
    assert LONG[:5000] not in page  # the preview does not echo 100 kB back
    assert not PlanImport.objects.exists() and not Measure.objects.exists()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_it_imports_cells_exactly_at_their_limits(lead, fmt):
    row = ["3", "t" * 300, "d" * 5000, "u" * 300, "p" * 2000]
    response = lead.post(URL, {"file": upload([PLAN_HEADINGS, row], fmt)})
    plan_import = PlanImport.objects.get()
    lead.post(f"{URL}{plan_import.pk}/confirm/")
    measure = Measure.objects.get()
    assert (len(measure.title), len(measure.description), len(measure.partners)) == (300, 5000, 2000), response


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize(
    "column, message",
    [
        (0, "Unbekannter Indikator"),
        (3, "Die Quelle ist zu lang:"),
        (4, "Die Anmerkung ist zu lang:"),
    ],
)
def test_it_answers_a_row_error_for_a_long_cell_in_a_values_import(lead, dresden, fmt, column, message):
    IndicatorFactory(
        plan=ActionPlanFactory(member=dresden), commitment=Commitment.objects.get(number=3), name="Beratungsfälle",
        baseline_date=dt.date(2022, 1, 1),
    )
    row = ["Beratungsfälle", "31.12.2023", "52", "", ""]
    row[column] = LONG
    response = lead.post(URL, {"file": upload([VALUE_HEADINGS, row], fmt)})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Zeile 2" in page and message in page and LONG[:1001] not in page
    assert not PlanImport.objects.exists() and not IndicatorValue.objects.exists()


def test_it_refuses_a_csv_cell_too_long_to_read_with_a_clear_message(lead):
    text = ";".join(PLAN_HEADINGS) + "\n3;Titel;" + "y" * 1_500_000 + ";;\n"
    response = lead.post(URL, {"file": SimpleUploadedFile("p.csv", text.encode(), content_type="text/csv")})
    assert response.status_code == 200
    assert "Zeile 2" in response.content.decode() and "zu lang" in response.content.decode()
