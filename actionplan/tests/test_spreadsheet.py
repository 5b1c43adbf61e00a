"""The spreadsheet parser: reading CSV and XLSX, the template's headings, and every row check in words."""

import datetime as dt
import io

import pytest
from django.utils import translation
from openpyxl import Workbook, load_workbook

from actionplan.spreadsheet import (
    MAX_ROWS,
    SpreadsheetError,
    check_rows,
    headings,
    read_table,
    template_csv,
    template_xlsx,
    title_key,
)

NUMBERS = set(range(1, 11))
DE = "Verpflichtung (1–10);Titel;Beschreibung;Zuständige Stelle;Partner;Status;Fortschritt (0–100);Beginn;Ende;Öffentlich (ja/nein);Sprache des Textes (de/en)"


def check(text: str, existing=frozenset()):
    return check_rows(read_table(text.encode("utf-8")), commitment_numbers=NUMBERS, existing=set(existing))


def xlsx(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_it_writes_the_template_headings_in_the_users_language():
    assert headings("de")[:2] == ["Verpflichtung (1–10)", "Titel"]
    assert headings("en")[:2] == ["Commitment (1–10)", "Title"]
    german = template_csv("de")
    assert german.startswith(b"\xef\xbb\xbf") and german.decode("utf-8-sig").strip() == DE
    assert template_csv("en").decode("utf-8-sig").startswith("Commitment (1–10),Title,")
    sheet = load_workbook(io.BytesIO(template_xlsx("en"))).worksheets[0]
    assert [c.value for c in sheet[1]][:3] == ["Commitment (1–10)", "Title", "Description"]


def test_it_reads_a_german_csv_with_every_column():
    rows = check(DE + "\n3;Beratungsstelle;Text;Amt;Verein;In Umsetzung;60;01.03.2026;2026-12-31;ja;en\n")
    assert [r.errors for r in rows] == [[]]
    assert rows[0].line == 2
    assert rows[0].values == {
        "commitment": 3, "title": "Beratungsstelle", "description": "Text", "responsible_unit": "Amt",
        "partners": "Verein", "status": "in_progress", "progress": 60, "start_date": "2026-03-01",
        "end_date": "2026-12-31", "is_public": True, "content_language": "en",
    }


def test_it_reads_english_headings_with_commas_and_fills_the_defaults():
    rows = check("Commitment,Title\n1,Counselling\n")
    assert rows[0].values["status"] == "planned"
    assert rows[0].values["is_public"] is False  # new measures start internal
    assert rows[0].values["content_language"] == "de"
    assert rows[0].values["progress"] is None and rows[0].values["start_date"] is None


def test_it_reads_tab_separated_text():
    rows = check("Titel\tVerpflichtung\tPartner\nA, B und C\t5\tX; Y\n")
    assert (rows[0].values["title"], rows[0].values["commitment"], rows[0].values["partners"]) == ("A, B und C", 5, "X; Y")


def test_it_accepts_status_codes_and_labels_in_either_language():
    rows = check("Commitment,Title,Status\n1,A,implemented\n1,B,Umgesetzt\n1,C,Continuous\n1,D,eingestellt\n")
    assert [r.values["status"] for r in rows] == ["implemented", "implemented", "continuous", "discontinued"]


def test_it_reads_windows_1252_and_a_bom():
    data = "Verpflichtung;Titel;Zuständige Stelle\n2;Übersetzung;Büro\n".encode("cp1252")
    rows = check_rows(read_table(data), commitment_numbers=NUMBERS, existing=set())
    assert rows[0].values["title"] == "Übersetzung" and rows[0].values["responsible_unit"] == "Büro"
    rows = check_rows(read_table("\ufeffTitel;Verpflichtung\nA;2\n".encode()), commitment_numbers=NUMBERS, existing=set())
    assert rows[0].errors == [] and rows[0].values["commitment"] == 2


def test_it_reads_xlsx_with_numbers_and_date_cells():
    data = xlsx([["Commitment", "Title", "Progress", "Start", "End"], [4, "Fest", 30, dt.datetime(2026, 3, 1), "01.04.2026"]])
    rows = check_rows(read_table(data), commitment_numbers=NUMBERS, existing=set())
    assert rows[0].errors == []
    assert rows[0].values | {} == rows[0].values
    assert (rows[0].values["commitment"], rows[0].values["progress"]) == (4, 30)
    assert (rows[0].values["start_date"], rows[0].values["end_date"]) == ("2026-03-01", "2026-04-01")


def test_it_names_every_error_of_a_row_in_words():
    rows = check(
        "Verpflichtung;Titel;Fortschritt;Beginn;Ende;Öffentlich;Sprache;Status\n"
        "11;;150;2026-06-01;2026-01-01;vielleicht;fr;fertig\n"
        "3;" + "x" * 301 + ";;31.02.2026;;;;\n"
    )
    first, second = rows
    assert first.errors == [
        "Unbekannte Verpflichtung „11“: Bitte eine Zahl von 1 bis 10 angeben.",
        "Der Titel fehlt.",
        "Unbekannter Status „fertig“: Bitte einen der folgenden angeben: Geplant, In Umsetzung, Umgesetzt, Daueraufgabe, Eingestellt.",
        "Der Fortschritt muss eine ganze Zahl von 0 bis 100 sein, nicht „150“.",
        "Das Ende liegt vor dem Beginn.",
        "„Öffentlich“ muss ja oder nein sein, nicht „vielleicht“.",
        "Die Sprache des Textes muss de oder en sein, nicht „fr“.",
    ]
    assert second.errors == [
        "Der Titel ist zu lang: 301 Zeichen, höchstens 300.",
        "Das Beginndatum „31.02.2026“ gibt es nicht: Der Februar 2026 hat 28 Tage.",
    ]


def test_it_says_the_errors_in_english_on_english_pages():
    with translation.override("en"):
        rows = check("Commitment,Title,Progress,End\nzwölf,A,101,morgen\n")
    assert rows[0].errors == [
        "Unknown commitment “zwölf”: use a number from 1 to 10.",
        "The progress must be a whole number from 0 to 100, not “101”.",
        "The end date “morgen” cannot be read: write it as 01.03.2026 or 2026-03-01.",
    ]


def test_it_marks_rows_already_in_the_plan_and_refuses_a_title_twice_in_the_file():
    rows = check("Commitment,Title\n1,Schon da\n1,  schon   DA \n2,Neu\n2,Neu\n", existing={title_key(1, "Schon da")})
    assert [r.skip for r in rows] == [True, True, False, False]
    assert rows[3].errors == ["Derselbe Titel steht unter dieser Verpflichtung schon in Zeile 4."]


def test_it_counts_lines_as_the_spreadsheet_shows_them():
    rows = check("Commitment,Title\n\n1,A\n,,\n1,\n")
    assert [r.line for r in rows] == [3, 5]


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "Die Datei ist leer."),
        (b"%PDF-1.4\n\x00\x01binary", "weder eine CSV-Datei noch eine Excel-Datei"),
        (b"PK\x03\x04 not really a zip", "weder eine CSV-Datei noch eine Excel-Datei"),
        ("Name;Ort\nA;B\n".encode(), "Es fehlen: Verpflichtung (1–10), Titel."),
        ("Verpflichtung;Titel\n".encode(), "nur die Überschriften"),
        (b"x" * (2 * 1024 * 1024 + 1), "größer als 2 MB"),
    ],
)
def test_it_refuses_a_file_it_cannot_use_with_a_clear_message(data, message):
    with pytest.raises(SpreadsheetError) as error:
        check_rows(read_table(data), commitment_numbers=NUMBERS, existing=set())
    assert message in str(error.value)


def test_it_refuses_more_than_a_thousand_rows():
    body = "".join(f"1,Maßnahme {n}\n" for n in range(MAX_ROWS + 1))
    with pytest.raises(SpreadsheetError, match="mehr als 1.000 Zeilen"):
        check("Commitment,Title\n" + body)
    assert len(check("Commitment,Title\n" + "".join(f"1,Maßnahme {n}\n" for n in range(MAX_ROWS)))) == MAX_ROWS


def test_it_stops_reading_a_long_xlsx_early_and_refuses_it():
    data = xlsx([["Commitment", "Title"]] + [[1, f"M {n}"] for n in range(MAX_ROWS + 50)])
    assert len(read_table(data)) == MAX_ROWS + 2
    with pytest.raises(SpreadsheetError):
        check_rows(read_table(data), commitment_numbers=NUMBERS, existing=set())
