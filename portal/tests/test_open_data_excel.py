"""The spreadsheet files: the CSV for Excel opens as numbers and dates in a German spreadsheet, and XLSX."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import shutil
import subprocess
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from actionplan.tests.factories import ActionPlanFactory, IndicatorFactory, IndicatorValueFactory, MeasureFactory
from members.tests.factories import MemberFactory
from portal import opendata, opendata_sql
from reports.models import ReportStatus
from reports.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db

SLUGS = ["members", "measures", "reports", "indicators", "indicator-values"]
NUMERIC = ("integer", "decimal")
# What a German spreadsheet reads as a number and as a date (ISO dates are dates in every locale).
GERMAN_NUMBER = re.compile(r"^-?\d+(,\d+)?$")
SPREADSHEET_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}:\d{2})?$")


@pytest.fixture
def figures(dresden):
    plan = ActionPlanFactory(member=dresden)
    measure = MeasureFactory(plan=plan, title="=1+1", start_date=dt.date(2024, 1, 2), end_date=dt.date(2025, 6, 30))
    indicator = IndicatorFactory(
        plan=plan, measure=measure, commitment=measure.commitment, name="Beratungsfälle", baseline_value=Decimal("40"),
        target_value=Decimal("100"), baseline_date=dt.date(2022, 1, 1), target_date=dt.date(2027, 12, 31),
    )
    IndicatorValueFactory(indicator=indicator, date=dt.date(2024, 6, 30), value=Decimal("61.5"))
    IndicatorValueFactory(indicator=indicator, date=dt.date(2025, 6, 30), value=Decimal("-0.25"))
    ReportFactory(member=dresden, status=ReportStatus.PUBLISHED, published_at=dt.datetime(2025, 3, 1, 9, 30, tzinfo=dt.UTC))
    MemberFactory(slug="formel", name="=HYPERLINK(\"http://evil.example\")", population=12000)
    return indicator


def download(client, path: str) -> bytes:
    response = client.get(path)
    assert response.status_code == 200, path
    return b"".join(response.streaming_content)


def excel_table(raw: bytes) -> list[dict]:
    assert raw.startswith("\ufeff".encode())
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))


@pytest.mark.parametrize("slug", SLUGS)
def test_it_writes_every_number_and_date_as_a_german_spreadsheet_reads_it(client, figures, slug):
    dataset = opendata.DATASETS_V2[slug]
    rows = excel_table(download(client, f"/open-data/v2/{slug}.excel.csv"))
    assert rows
    for row in rows:
        for column in dataset.columns:
            value = row[column.name]
            if not value:
                continue
            if column.type in NUMERIC:
                assert GERMAN_NUMBER.match(value), (column.name, value)
            elif column.type in ("date", "datetime"):
                assert SPREADSHEET_DATE.match(value), (column.name, value)


def test_it_writes_decimals_with_a_comma_and_no_trailing_zeros(client, figures):
    indicator = excel_table(download(client, "/open-data/v2/indicators.excel.csv"))[0]
    # (61.5 − 40) / (100 − 40) = 0.3583; the plain CSV keeps the point.
    assert (indicator["baseline_value"], indicator["target_value"], indicator["latest_value"], indicator["share"]) == (
        "40", "100", "-0,25", "0"
    )
    values = [row["value"] for row in excel_table(download(client, "/open-data/v2/indicator-values.excel.csv"))]
    assert values == ["61,5", "-0,25"]
    plain = list(csv.DictReader(io.StringIO(download(client, "/open-data/v2/indicator-values.csv").decode())))
    assert [row["value"] for row in plain] == ["61.50", "-0.25"]
    report = excel_table(download(client, "/open-data/reports.excel.csv"))[0]
    assert report["published_at"] == "2025-03-01 09:30:00"


@pytest.mark.parametrize("slug", SLUGS)
def test_it_writes_the_same_excel_csv_in_sql_as_the_python_writer(figures, slug):
    dataset = opendata.DATASETS_V2[slug]
    url = "https://eccar.example/de/members/987654321/"
    if slug == "reports":
        url = "https://eccar.example/de/reports/987654321/"
    assert "".join(opendata_sql.csv_chunks(dataset, url, excel=True)) == "".join(opendata._csv_lines(dataset, url, excel=True))


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_it_opens_as_numbers_and_dates_in_libreoffice_with_the_german_locale(client, figures, tmp_path):
    names = []
    for slug in SLUGS:
        (tmp_path / f"{slug}.csv").write_bytes(download(client, f"/open-data/v2/{slug}.excel.csv"))
        names.append(str(tmp_path / f"{slug}.csv"))
    # Semicolon, double quote, UTF-8, from line 1, standard columns, German (Germany), detect dates and numbers:
    # what German Excel does with a double click.
    subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
         "--infilter=CSV:59,34,76,1,,1031,false,true", "--convert-to", "xlsx", "--outdir", str(tmp_path / "out"), *names],
        check=True, capture_output=True, timeout=180,
    )
    for slug in SLUGS:
        dataset = opendata.DATASETS_V2[slug]
        sheet = load_workbook(tmp_path / "out" / f"{slug}.xlsx").active
        header, *rows = list(sheet.iter_rows(values_only=True))
        assert list(header) == [c.name for c in dataset.columns]
        assert rows, slug
        for row in rows:
            for column, value in zip(dataset.columns, row):
                if value is None:
                    continue
                if column.type in NUMERIC:
                    assert isinstance(value, int | float), (slug, column.name, value)
                elif column.type in ("date", "datetime"):
                    assert isinstance(value, dt.datetime), (slug, column.name, value)
    values = load_workbook(tmp_path / "out" / "indicator-values.xlsx").active
    assert [r[4] for r in values.iter_rows(min_row=2, values_only=True)] == [61.5, -0.25]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_it_writes_an_xlsx_that_libreoffice_reads(client, figures, tmp_path):
    (tmp_path / "indicators.xlsx").write_bytes(download(client, "/open-data/v2/indicators.xlsx"))
    subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to",
         "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", str(tmp_path / "out"), str(tmp_path / "indicators.xlsx")],
        check=True, capture_output=True, timeout=180,
    )
    header, row = list(csv.reader(io.StringIO((tmp_path / "out" / "indicators.csv").read_text())))
    assert header == [c.name for c in opendata.DATASETS_V2["indicators"].columns]
    values = dict(zip(header, row))
    assert (values["name"], values["baseline_value"], values["latest_date"]) == ("Beratungsfälle", "40", "2025-06-30")


@pytest.mark.parametrize("slug", SLUGS)
def test_it_offers_each_dataset_as_xlsx_with_typed_cells(client, figures, slug):
    response = client.get(f"/open-data/v2/{slug}.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == f'attachment; filename="eccar-{slug}.xlsx"'
    assert response["X-Schema-Version"] == "2"
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = book.active
    dataset = opendata.DATASETS_V2[slug]
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.column_dimensions["A"].width >= 10
    header, *rows = list(sheet.iter_rows(values_only=True))
    assert list(header) == [c.name for c in dataset.columns]
    items = json.loads(download(client, f"/open-data/v2/{slug}.json"))
    assert len(rows) == len(items)
    for row, item in zip(rows, items):
        for column, value in zip(dataset.columns, row):
            expected = item[column.name]
            if expected is None or expected == "":
                assert value in (None, ""), (column.name, value)
            elif column.type in NUMERIC:
                assert isinstance(value, int | float) and value == pytest.approx(float(expected)), (column.name, value)
            elif column.type == "date":
                assert isinstance(value, dt.datetime) and value.date().isoformat() == expected
            elif column.type == "datetime":
                assert isinstance(value, dt.datetime)
                # A sheet keeps times to the millisecond.
                assert abs(value.replace(tzinfo=dt.UTC) - dt.datetime.fromisoformat(expected)) < dt.timedelta(milliseconds=1)
            else:
                # Exact text, no apostrophe: a sheet cell that is text is never a formula.
                assert value == expected, (column.name, value)


def test_it_keeps_a_formula_as_text_in_xlsx(client, figures):
    book = load_workbook(io.BytesIO(b"".join(client.get("/open-data/measures.xlsx").streaming_content)))
    title = next(cell for cell in book.active[2] if cell.value == "=1+1")
    assert title.data_type == "s"


def test_it_gives_404_for_unknown_spreadsheet_formats(client, db):
    assert client.get("/open-data/members.xls").status_code == 404
    assert client.get("/open-data/v2/members.ods").status_code == 404
    assert client.get("/open-data/v2/nothing.xlsx").status_code == 404


def test_it_keeps_memory_flat_while_writing_a_large_xlsx(client, db):
    import tracemalloc

    from actionplan.models import Measure
    from actionplan.tests.factories import CommitmentFactory

    plan = ActionPlanFactory(member=MemberFactory())
    commitment = CommitmentFactory(number=2)
    text = "Beratung und Begleitung für Betroffene. " * 12
    peaks, sizes, rows = [], [], 0
    for total in (500, 2000):
        Measure.objects.bulk_create(
            [Measure(plan=plan, commitment=commitment, title=f"M {i}", description=text, is_public=True,
                     start_date=dt.date(2024, 1, 1)) for i in range(total - rows)]
        )
        rows = total
        tracemalloc.start()
        response = client.get("/open-data/measures.xlsx")
        sizes.append(sum(len(chunk) for chunk in response.streaming_content))
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
    assert sizes[1] > 3 * sizes[0]
    # Four times the rows, (almost) the same peak memory: rows go to a temporary file as they come.
    assert peaks[1] < 1.3 * peaks[0]
