"""Members spreadsheets for the import tests: the coalition as a secretariat would type it, in German."""

from __future__ import annotations

import csv
import datetime as dt
import io

GERMAN_HEADINGS = [
    "Name", "Gebietskörperschaften", "Art", "Land", "Region", "Einwohnerzahl", "Website", "Aufnahmedatum",
    "Kontaktperson", "E-Mail der Kontaktperson", "Funktion der Kontaktperson",
]
COUNTRIES = [("Deutschland", "DE"), ("Österreich", "AT"), ("IT", "IT"), ("Frankreich", "FR"), ("Spain", "ES"), ("SWE", "SE")]


def coalition(count: int = 190) -> list[dict]:
    """What each member should end up as: one dict per member, as the export shows it again."""
    members = []
    for n in range(1, count + 1):
        country_text, code = COUNTRIES[n % len(COUNTRIES)]
        joint = n % 10 == 0
        members.append({
            "name": f"Gemeinsam Musterland {n}" if joint else f"Stadt Musterort {n}",
            "authorities": [f"Stadt Musterort {n}", f"Amt Seenland {n}"] if joint else [],
            "kind_text": "Gemeinsame Mitgliedschaft" if joint else ("" if n % 3 else "Stadt"),
            "kind": "joint" if joint else "city",
            "country_text": country_text, "country": code,
            "region": f"Region {n % 7}",
            "population": 1000 * n + 222 * (n % 2),
            "website": f"https://www.musterort-{n}.example.org",
            "admitted_on": dt.date(2005 + n % 20, 1 + n % 12, 1 + n % 28),
            "contact": (f"Erika Muster {n}", f"erika{n}@musterort.example.org", "Gleichstellungsbeauftragte") if n % 2 else None,
        })
    return members


def _population_text(value: int) -> str:
    return f"{value:,}".replace(",", ".")  # German grouping: 566.222


def german_rows(members: list[dict], *, date_cells: bool = False) -> list[list]:
    """The headings and one row per member; dates as 30.11.2016 (or as real date cells for the XLSX)."""
    rows: list[list] = [GERMAN_HEADINGS]
    for m in members:
        contact = m["contact"] or ("", "", "")
        admitted = m["admitted_on"] if date_cells else m["admitted_on"].strftime("%d.%m.%Y")
        rows.append([
            m["name"], "; ".join(m["authorities"]), m["kind_text"], m["country_text"], m["region"],
            _population_text(m["population"]), m["website"].removeprefix("https://"), admitted, *contact,
        ])
    return rows


def as_csv(rows: list[list], *, delimiter: str = ";", encoding: str = "utf-8-sig") -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode(encoding)


def as_xlsx(rows: list[list]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
