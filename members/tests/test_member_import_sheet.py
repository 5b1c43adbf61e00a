"""Checking a members spreadsheet row by row: every error in words, German and English forms alike."""

import datetime as dt

import pytest
from django.utils import translation

from core.tabular import SpreadsheetError, read_table
from members.member_import.sheet import check_rows, match_key, template_csv, template_xlsx
from members.tests.member_sheets import GERMAN_HEADINGS, as_csv, as_xlsx

pytestmark = pytest.mark.django_db

def check(lines: list[list[str]], existing=()):
    return check_rows(read_table(as_csv([GERMAN_HEADINGS, *lines])), existing=set(existing))


def row(name="Stadt Ratzeburg", authorities="", kind="", country="Deutschland", region="Schleswig-Holstein",
        population="14.500", website="www.ratzeburg.de", admitted="30.11.2016", contact="", email="", role="") -> list[str]:
    return [name, authorities, kind, country, region, population, website, admitted, contact, email, role]


def test_it_reads_a_german_row_with_a_joint_membership():
    (result,) = check([row(name="Ratzeburg und Lauenburgische Seen", authorities="Stadt Ratzeburg; Amt Lauenburgische Seen",
                           contact="Erika Muster", email="e.muster@ratzeburg.de", role="Gleichstellung")])
    assert result.errors == [] and not result.skip
    assert result.values == {
        "name": "Ratzeburg und Lauenburgische Seen", "kind": "joint", "country": "DE", "region": "Schleswig-Holstein",
        "authorities": [["Stadt Ratzeburg", "city"], ["Amt Lauenburgische Seen", "amt"]],
        "population": 14500, "website": "https://www.ratzeburg.de", "admitted_on": "2016-11-30", "admitted_precision": "day",
        "contact": {"name": "Erika Muster", "email": "e.muster@ratzeburg.de", "role": "Gleichstellung"},
    }


@pytest.mark.parametrize(("country", "code"), [("Deutschland", "DE"), ("Germany", "DE"), ("de", "DE"), ("DEU", "DE"),
                                               ("Österreich", "AT"), ("Austria", "AT"), ("Schweden", "SE"), ("Sweden", "SE")])
def test_it_takes_the_country_by_german_or_english_name_or_iso_code(country, code):
    assert check([row(country=country)])[0].values["country"] == code


@pytest.mark.parametrize(("text", "value", "precision"), [
    ("30.11.2016", "2016-11-30", "day"), ("2016-11-30", "2016-11-30", "day"), ("1.3.2016", "2016-03-01", "day"),
    ("11.2016", "2016-11-01", "month"), ("2016-11", "2016-11-01", "month"), ("2016", "2016-01-01", "year"),
])
def test_it_reads_german_and_iso_admission_dates(text, value, precision):
    values = check([row(admitted=text)])[0].values
    assert (values["admitted_on"], values["admitted_precision"]) == (value, precision)


@pytest.mark.parametrize(("text", "value"), [("566.222", 566222), ("566222", 566222), ("566,222", 566222),
                                             ("1.234.567", 1234567), ("566 222", 566222), ("", None)])
def test_it_reads_german_and_english_population_numbers(text, value):
    assert check([row(population=text)])[0].values["population"] == value


@pytest.mark.parametrize(("changes", "message"), [
    ({"country": "Atlantis"}, "Unbekanntes Land „Atlantis“"),
    ({"country": "(?)"}, "Unbekanntes Land „(?)“"),
    ({"country": ""}, "Das Land fehlt."),
    ({"admitted": "31.02.2016"}, "Das Aufnahmedatum „31.02.2016“ gibt es nicht: Der Februar 2016 hat 29 Tage."),
    ({"admitted": "31.2016"}, "Das Aufnahmedatum „31.2016“ ist nicht lesbar"),
    ({"admitted": "November 2016"}, "Das Aufnahmedatum „November 2016“ ist nicht lesbar"),
    ({"admitted": "31.12.9999"}, "Das Aufnahmedatum 31.12.9999 ist nicht plausibel"),
    ({"admitted": "01.01.1970"}, "Das Aufnahmedatum 01.01.1970 ist nicht plausibel"),
    ({"admitted": ""}, "Das Aufnahmedatum fehlt."),
    ({"name": ""}, "Der Name fehlt."),
    ({"name": "X" * 201}, "Der Name ist zu lang: 201 Zeichen, höchstens 200."),
    ({"contact": "Erika Muster", "email": "erika.muster@"}, "Die E-Mail-Adresse „erika.muster@“ ist ungültig."),
    ({"email": "erika@example.org"}, "Der Name der Ansprechperson fehlt"),
    ({"population": "etwa 500.000"}, "Die Einwohnerzahl muss eine ganze Zahl wie 566.222 sein, nicht „etwa 500.000“."),
    ({"population": "566,2"}, "Die Einwohnerzahl muss eine ganze Zahl"),
    ({"kind": "Dorf"}, "Unbekannte Art „Dorf“"),
    ({"kind": "Stadt", "authorities": "Stadt A; Amt B"}, "Mehrere Gebietskörperschaften bilden eine gemeinsame Mitgliedschaft"),
    ({"authorities": "Stadt A; stadt a"}, "Eine Gebietskörperschaft ist doppelt genannt."),
    ({"website": "not a website"}, "Die Website „not a website“ ist keine Internetadresse."),
])
def test_it_names_each_error_of_a_row_in_words(changes, message):
    (result,) = check([row(**changes)])
    assert any(message in error for error in result.errors), result.errors


def test_it_refuses_a_future_admission_date():
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    assert "nicht plausibel" in check([row(admitted=tomorrow.strftime("%d.%m.%Y"))])[0].errors[0]


def test_it_names_a_member_that_appears_twice_in_the_file():
    results = check([row(), row(name="Stadt Mölln"), row(name="stadt  RATZEBURG")])
    assert [r.errors for r in results[:2]] == [[], []]
    assert results[2].errors == ["Dasselbe Mitglied (name und Land) steht schon in Zeile 2.".replace("name", "Name")]


def test_it_marks_a_member_already_in_the_portal_as_skipped():
    results = check([row(), row(country="AT")], existing={match_key("Stadt Ratzeburg", "DE")})
    assert [r.skip for r in results] == [True, False] and all(not r.errors for r in results)


def test_it_numbers_rows_as_the_spreadsheet_shows_them_and_keeps_one_error_per_row_apart():
    results = check([row(), [""] * 11, row(name="Stadt B", country="Atlantis"), row(name="Stadt C", admitted="gestern")])
    assert [r.line for r in results] == [2, 4, 5]
    assert [len(r.errors) for r in results] == [0, 1, 1]


def test_it_reads_english_headings_commas_and_windows_1252():
    data = as_csv([["Name", "Country", "Admission date", "Population", "Contact person", "Contact e-mail"],
                   ["Düsseldorf", "Germany", "2016-11-30", "620,000", "Jörg", "j@example.org"]], delimiter=",", encoding="cp1252")
    (result,) = check_rows(read_table(data), existing=set())
    assert result.errors == [] and result.values["name"] == "Düsseldorf" and result.values["population"] == 620000


def test_it_reads_xlsx_date_and_number_cells():
    data = as_xlsx([GERMAN_HEADINGS, ["Stadt Mölln", "", "", "DE", "", 18500, "", dt.datetime(2016, 11, 30), "", "", ""]])
    (result,) = check_rows(read_table(data), existing=set())
    assert result.errors == [] and (result.values["population"], result.values["admitted_on"]) == (18500, "2016-11-30")


def test_it_refuses_a_file_without_the_required_headings():
    with pytest.raises(SpreadsheetError, match="Es fehlen: Land, Aufnahmedatum|Fehlend|Land"):
        check_rows(read_table("Name;Region\nA;B\n".encode()), existing=set())


@pytest.mark.parametrize("lang", ["de", "en"])
def test_it_offers_a_template_whose_headings_it_reads_back(lang):
    with translation.override(lang):
        for data in (template_csv(lang), template_xlsx(lang)):
            table = read_table(data)
            with pytest.raises(SpreadsheetError, match="Überschriften|headings"):
                check_rows(table, existing=set())  # headings only
            filled = table[:1] + [["Stadt A", "", "", "DE", "", "", "", "2016", "", "", ""]]
            assert check_rows(filled, existing=set())[0].errors == []
    assert template_csv("de").startswith("\ufeffName;".encode())
