"""Indicator values through the plan-import path: templates, checking, preview, confirmation, importing twice."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from actionplan import value_spreadsheet
from actionplan.models import Commitment, IndicatorValue, PlanImport
from actionplan.tests.factories import ActionPlanFactory, IndicatorFactory, IndicatorValueFactory

pytestmark = pytest.mark.django_db

URL = "/de/dashboard/dresden/plan/import/"
EN_URL = "/en/dashboard/dresden/plan/import/"
HEADINGS_DE = "Indikator;Datum;Wert;Quelle;Anmerkung\n"


def csv_file(text: str, name: str = "werte.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8-sig"), content_type="text/csv")


def xlsx_file(rows, name: str = "values.xlsx") -> SimpleUploadedFile:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return SimpleUploadedFile(name, out.getvalue())


@pytest.fixture
def lead(client, dresden_lead, commitments):
    client.force_login(dresden_lead)
    return client


@pytest.fixture
def cases(dresden, commitments):
    plan = ActionPlanFactory(member=dresden)
    return IndicatorFactory(
        plan=plan, commitment=Commitment.objects.get(number=3), name="Beratungsfälle pro Jahr", unit="Fälle",
        baseline_date=dt.date(2022, 1, 1),
    )


@pytest.fixture
def trained(cases):
    return IndicatorFactory(plan=cases.plan, commitment=cases.commitment, name="Geschulte Beschäftigte", unit="Personen")


def test_it_imports_a_german_csv_with_semicolons_and_decimal_commas_after_the_preview(lead, dresden_lead, cases, trained):
    text = HEADINGS_DE + (
        "Beratungsfälle pro Jahr;31.12.2023;52,5;Jahresbericht 2023;\n"
        f"{trained.pk};2024-06-30;1.234,5;;erste Schulungsrunde\n"
        "  beratungsfälle  PRO jahr ;31.12.2024;-3;;\n"
    )
    response = lead.post(URL, {"file": csv_file(text)})
    plan_import = PlanImport.objects.get()
    assert plan_import.kind == PlanImport.Kind.INDICATOR_VALUES
    assert response.headers["Location"] == f"{URL}{plan_import.pk}/"
    assert not IndicatorValue.objects.exists()  # nothing before the confirmation
    page = lead.get(response.headers["Location"]).content.decode()
    assert "3 Werte werden angelegt." in page and "3 Werte importieren" in page
    assert "Beratungsfälle pro Jahr" in page and "1.234,5" in page and "Jahresbericht 2023" in page  # grouped, as the forms show it
    response = lead.post(f"{URL}{plan_import.pk}/confirm/")
    assert response.headers["Location"] == "/de/dashboard/dresden/plan/"
    assert "3 Indikatorwerte wurden importiert." in lead.get(response.headers["Location"]).content.decode()
    stored = {(v.indicator_id, v.date): v for v in IndicatorValue.objects.all()}
    assert stored[(cases.pk, dt.date(2023, 12, 31))].value == Decimal("52.50")
    assert stored[(cases.pk, dt.date(2023, 12, 31))].source == "Jahresbericht 2023"
    assert stored[(trained.pk, dt.date(2024, 6, 30))].value == Decimal("1234.50")
    assert stored[(trained.pk, dt.date(2024, 6, 30))].note == "erste Schulungsrunde"
    assert stored[(cases.pk, dt.date(2024, 12, 31))].value == Decimal("-3")
    value = stored[(cases.pk, dt.date(2023, 12, 31))]
    assert value.author == dresden_lead and value.history.get().history_user == dresden_lead
    plan_import.refresh_from_db()
    assert plan_import.created_count == 3 and plan_import.imported_by == dresden_lead


def test_it_imports_an_xlsx_with_english_headings_and_number_cells(client, dresden_editor, cases):
    client.force_login(dresden_editor)
    rows = [
        ["Indicator", "Date", "Value", "Source", "Note"],
        ["Beratungsfälle pro Jahr", dt.datetime(2023, 12, 31), 52.25, "Annual report", None],
        [cases.pk, "2024-12-31", 60, None, None],
        ["Beratungsfälle pro Jahr", "30.06.2025", "1,234.5", None, None],
    ]
    response = client.post(EN_URL, {"file": xlsx_file(rows)})
    assert response.status_code == 302, response.content.decode()
    page = client.get(response.headers["Location"]).content.decode()
    assert "3 values will be created." in page
    response = client.post(f"{response.headers['Location']}confirm/")
    assert "3 indicator values have been imported." in client.get(response.headers["Location"]).content.decode()
    assert sorted(IndicatorValue.objects.values_list("date", "value")) == [
        (dt.date(2023, 12, 31), Decimal("52.25")), (dt.date(2024, 12, 31), Decimal("60.00")), (dt.date(2025, 6, 30), Decimal("1234.50")),
    ]


@pytest.mark.parametrize(
    "line, message",
    [
        (";31.12.2023;5;;", "Der Indikator fehlt."),
        ("Kita-Plätze;31.12.2023;5;;", "Unbekannter Indikator „Kita-Plätze“: Verwenden Sie den Namen wie im Plan oder seine Nummer."),
        ("Beratungsfälle pro Jahr;;5;;", "Das Datum fehlt."),
        ("Beratungsfälle pro Jahr;morgen;5;;", "Das Datum „morgen“ ist nicht lesbar"),
        ("Beratungsfälle pro Jahr;31.04.2024;5;;", "Das Datum „31.04.2024“ gibt es nicht: Der April 2024 hat 30 Tage."),
        ("Beratungsfälle pro Jahr;31.12.2021;5;;", "Das Datum 31.12.2021 liegt vor dem Ausgangswert vom 01.01.2022."),
        ("Beratungsfälle pro Jahr;31.12.2999;5;;", "Geben Sie ein Datum zwischen"),
        ("Beratungsfälle pro Jahr;31.12.2023;;;", "Der Wert fehlt."),
        ("Beratungsfälle pro Jahr;31.12.2023;abc;;", "„abc“ ist keine Zahl."),
        ("Beratungsfälle pro Jahr;31.12.2023;1,234;;", "„1,234“ hat mehr als zwei Nachkommastellen."),
        ("Beratungsfälle pro Jahr;31.12.2023;123456789012345;;", "„123456789012345“ ist zu groß"),
        ("Beratungsfälle pro Jahr;31.12.2023;5;" + "q" * 501 + ";", "Die Quelle ist zu lang: 501 Zeichen, höchstens 500."),
    ],
)
def test_it_lists_each_bad_row_with_its_error_and_imports_nothing(lead, cases, line, message):
    text = HEADINGS_DE + "Beratungsfälle pro Jahr;31.12.2024;60;;\n" + line + "\n"
    response = lead.post(URL, {"file": csv_file(text)})
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert "1 von 2 Zeilen hat einen Fehler. Es wurde nichts importiert" in page
    assert "Zeile 2" in page and "Zeile 3" in page and "wird angelegt" in page  # the good row is listed too
    assert "Werte importieren" not in page  # nothing to confirm
    assert not PlanImport.objects.exists() and not IndicatorValue.objects.exists()


def test_it_refuses_the_same_indicator_and_date_twice_in_the_file(lead, cases):
    text = HEADINGS_DE + f"Beratungsfälle pro Jahr;31.12.2023;5;;\n{cases.pk};2023-12-31;6;;\n"
    page = lead.post(URL, {"file": csv_file(text)}).content.decode()
    assert "Derselbe Indikator mit demselben Datum steht schon in Zeile 2." in page
    assert not PlanImport.objects.exists()


def test_it_asks_for_the_number_when_two_active_indicators_share_a_name(lead, cases):
    twin = IndicatorFactory(plan=cases.plan, commitment=cases.commitment, name="Beratungsfälle pro Jahr")
    text = HEADINGS_DE + f"Beratungsfälle pro Jahr;31.12.2023;5;;\n{twin.pk};31.12.2023;6;;\n"
    page = lead.post(URL, {"file": csv_file(text)}).content.decode()
    assert "Zwei Indikatoren heißen „Beratungsfälle pro Jahr“: Verwenden Sie die Nummer des gemeinten." in page
    assert "1 von 2 Zeilen hat einen Fehler" in page  # by its number, the twin is found


def test_it_does_not_know_another_members_or_a_retired_indicator(lead, cases, duesseldorf):
    IndicatorFactory(plan=ActionPlanFactory(member=duesseldorf), commitment=cases.commitment, name="Düsseldorfer Fälle")
    foreign = IndicatorFactory(plan=ActionPlanFactory(member=duesseldorf), commitment=cases.commitment, name="Anderes")
    IndicatorFactory(plan=cases.plan, commitment=cases.commitment, name="Alte Zählung", retired_at=timezone.now())
    text = HEADINGS_DE + f"Düsseldorfer Fälle;31.12.2023;5;;\n{foreign.pk};31.12.2023;5;;\nAlte Zählung;31.12.2023;5;;\n"
    page = lead.post(URL, {"file": csv_file(text)}).content.decode()
    for name in ("Düsseldorfer Fälle", str(foreign.pk), "Alte Zählung"):
        assert f"Unbekannter Indikator „{name}“" in page
    assert not PlanImport.objects.exists() and not IndicatorValue.objects.exists()


def test_it_skips_values_already_stored_so_a_second_import_of_the_file_creates_nothing(lead, cases):
    IndicatorValueFactory(indicator=cases, date=dt.date(2023, 12, 31), value=Decimal("50"))
    text = HEADINGS_DE + "Beratungsfälle pro Jahr;31.12.2023;52;;\nBeratungsfälle pro Jahr;31.12.2024;60;;\n"
    response = lead.post(URL, {"file": csv_file(text)})
    page = lead.get(response.headers["Location"]).content.decode()
    assert "1 Wert wird angelegt." in page and "1 Wert ist schon gespeichert und wird übersprungen." in page
    lead.post(f"{response.headers['Location']}confirm/")
    assert IndicatorValue.objects.get(date=dt.date(2023, 12, 31)).value == Decimal("50.00")  # not overwritten
    assert IndicatorValue.objects.count() == 2
    response = lead.post(URL, {"file": csv_file(text)})
    assert response.status_code == 200  # nothing to confirm
    page = response.content.decode()
    assert "Jeder Wert ist schon gespeichert. Es gibt nichts zu importieren." in page
    assert "Diese Datei wurde bereits am" in page and "Schon gespeicherte Werte werden übersprungen." in page
    assert IndicatorValue.objects.count() == 2 and PlanImport.objects.count() == 1


def test_it_imports_once_when_the_confirmation_is_posted_twice(lead, cases):
    response = lead.post(URL, {"file": csv_file(HEADINGS_DE + "Beratungsfälle pro Jahr;31.12.2023;52;;\n")})
    lead.post(f"{response.headers['Location']}confirm/")
    second = lead.post(f"{response.headers['Location']}confirm/", follow=True).content.decode()
    assert "Dieser Import wurde bereits ausgeführt" in second
    assert IndicatorValue.objects.count() == 1
    page = lead.get(response.headers["Location"]).content.decode()
    assert "1 Wert angelegt." in page


def test_it_skips_a_value_stored_between_the_preview_and_the_confirmation(lead, cases):
    response = lead.post(URL, {"file": csv_file(HEADINGS_DE + "Beratungsfälle pro Jahr;31.12.2023;52;;\nBeratungsfälle pro Jahr;31.12.2024;60;;\n")})
    IndicatorValueFactory(indicator=cases, date=dt.date(2023, 12, 31), value=Decimal("50"))
    lead.post(f"{response.headers['Location']}confirm/")
    assert sorted(IndicatorValue.objects.values_list("value", flat=True)) == [Decimal("50.00"), Decimal("60.00")]
    assert PlanImport.objects.get().created_count == 1


def test_it_offers_the_values_template_listing_the_members_active_indicators(lead, cases, trained, duesseldorf):
    IndicatorFactory(plan=cases.plan, commitment=cases.commitment, name="Alte Zählung", retired_at=timezone.now())
    IndicatorFactory(plan=ActionPlanFactory(member=duesseldorf), commitment=cases.commitment, name="Düsseldorfer Fälle")
    page = lead.get(URL).content.decode()
    assert 'href="/de/dashboard/dresden/plan/import/template.values.xlsx"' in page
    assert 'href="/de/dashboard/dresden/plan/import/template.values.csv"' in page
    assert "Die Spalten für Indikatorwerte" in page and "höchstens zwei Nachkommastellen" in page
    response = lead.get("/de/dashboard/dresden/plan/import/template.values.xlsx")
    assert response["Content-Disposition"] == 'attachment; filename="indikatorwerte-vorlage.xlsx"'
    workbook = load_workbook(io.BytesIO(response.content))
    assert [c.value for c in workbook.worksheets[0][1]] == ["Indikator", "Datum", "Wert", "Quelle", "Anmerkung"]
    listing = workbook["Indikatoren"]
    assert [c.value for c in listing[1]] == ["Nr.", "Name", "Einheit", "Datum des Ausgangswerts"]
    listed = [[c.value for c in row] for row in listing.iter_rows(min_row=2)]
    assert sorted(listed) == sorted([[cases.pk, "Beratungsfälle pro Jahr", "Fälle", "01.01.2022"], [trained.pk, trained.name, "Personen", "01.01.2022"]])
    response = lead.get("/en/dashboard/dresden/plan/import/template.values.csv")
    assert response["Content-Disposition"] == 'attachment; filename="indicator-values-template.csv"'
    assert response.content.decode("utf-8-sig") == "Indicator,Date,Value,Source,Note\r\n"
    # The template as downloaded, filled in, is a values import.
    sheet = workbook.worksheets[0]
    sheet.append(["Beratungsfälle pro Jahr", "31.12.2023", "52"])
    out = io.BytesIO()
    workbook.save(out)
    response = lead.post(URL, {"file": SimpleUploadedFile("v.xlsx", out.getvalue())})
    assert PlanImport.objects.get().kind == PlanImport.Kind.INDICATOR_VALUES


def test_it_keeps_values_imports_private(client, outsider, dresden_lead, cases):
    client.force_login(dresden_lead)
    response = client.post(URL, {"file": csv_file(HEADINGS_DE + "Beratungsfälle pro Jahr;31.12.2023;52;;\n")})
    preview = response.headers["Location"]
    client.force_login(outsider)
    assert client.get(preview).status_code == 404
    assert client.post(preview + "confirm/").status_code == 404
    assert client.get("/de/dashboard/dresden/plan/import/template.values.xlsx").status_code == 404
    client.logout()
    for url in (preview, "/de/dashboard/dresden/plan/import/template.values.xlsx"):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response.headers["Location"]
    assert client.post(preview + "confirm/").status_code == 302
    assert not IndicatorValue.objects.exists()


def test_it_checks_previews_and_imports_200_values_in_a_bounded_number_of_queries(lead, cases, trained, django_assert_max_num_queries):
    for n in range(20):
        IndicatorValueFactory(indicator=cases, date=dt.date(2022, 1, 2) + dt.timedelta(days=n))
    start = dt.date(2022, 1, 2)
    text = HEADINGS_DE + "".join(
        f"{'Beratungsfälle pro Jahr' if n % 2 else trained.pk};{(start + dt.timedelta(days=n)).isoformat()};{n},5;Statistik;\n" for n in range(200)
    )
    with django_assert_max_num_queries(12):
        response = lead.post(URL, {"file": csv_file(text)})
    with django_assert_max_num_queries(10):
        page = lead.get(response.headers["Location"]).content.decode()
    assert "190 Werte werden angelegt." in page and "10 Werte sind schon gespeichert" in page
    lead.post(f"{response.headers['Location']}confirm/")
    assert IndicatorValue.objects.count() == 210


@pytest.mark.parametrize(
    "text, expected",
    [("12,5", "12.5"), ("12.5", "12.5"), ("-3", "-3"), ("1.234,5", "1234.5"), ("1,234.5", "1234.5"), ("1.234.567", "1234567"),
     ("0,05", "0.05"), ("abc", None), ("1,2,3", None), ("12,34.5", None), ("", None), ("--3", None)],
)
def test_it_reads_numbers_written_the_german_or_the_english_way(text, expected):
    parsed = value_spreadsheet.parse_value(text, text)
    assert parsed == (Decimal(expected) if expected else None)


def test_it_recognises_a_values_table_by_its_headings():
    assert value_spreadsheet.is_values_table([[], ["Indikator", "Datum", "Wert"]])
    assert value_spreadsheet.is_values_table([["Indicator", "Value"]])
    assert not value_spreadsheet.is_values_table([["Verpflichtung (1–10)", "Titel", "Datum"]])
    assert not value_spreadsheet.is_values_table([])


def test_it_names_the_indicator_in_the_preview_when_the_row_gives_its_number(lead, cases, trained, django_assert_max_num_queries):
    text = HEADINGS_DE + f"{trained.pk};2024-06-30;12;;\n{cases.pk};2024-06-30;5;;\n"
    response = lead.post(URL, {"file": csv_file(text)})
    with django_assert_max_num_queries(10):
        page = lead.get(response.headers["Location"]).content.decode()
    assert f"Geschulte Beschäftigte <span class=\"text-body-secondary small\">(Nr. {trained.pk})</span>" in page
    assert f"Beratungsfälle pro Jahr <span class=\"text-body-secondary small\">(Nr. {cases.pk})</span>" in page


def test_it_names_an_unknown_column_of_a_values_file(lead, cases):
    text = "Indikator;Datum;Wert;Quele\nBeratungsfälle pro Jahr;31.12.2023;4;Statistik\n"
    response = lead.post(URL, {"file": csv_file(text)})
    page = lead.get(response.headers["Location"]).content.decode()
    assert "„Quele“ – meinten Sie „Quelle“?" in page


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    # A lone thousands separator follows the page's language, as in the forms: "1.234" is 1234 on a German page.
    [("de", "1.234", "1234"), ("en", "1.234", "1.234"), ("de", "1,234", "1.234"), ("en", "1,234", "1234"), ("en", "12,5", "12.5")],
)
def test_it_reads_a_lone_separator_by_the_pages_language(language, text, expected):
    from django.utils import translation

    with translation.override(language):
        assert value_spreadsheet.parse_value(text, text) == Decimal(expected)
