"""The members spreadsheet: the template (CSV and XLSX), and checking every row of an upload.

Pure functions: the caller passes the members already in the portal, so checking 1,000 rows costs no query per
row. Headings, kinds and countries are accepted in German and English, whatever the page's language.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

from core.dates import EARLIEST
from core.numbers import NumberError, parse_whole_number
from core.tabular import cell_text, normalise, parse_date, split_table, unreadable_date_message
from members.models import Authority, Contact, DatePrecision, Member, MemberKind

LANGUAGES = ("de", "en")
NAME_MAX = Member._meta.get_field("name").max_length
REGION_MAX = Member._meta.get_field("region").max_length
WEBSITE_MAX = Member._meta.get_field("website").max_length
AUTHORITY_MAX = Authority._meta.get_field("name").max_length
CONTACT_NAME_MAX = Contact._meta.get_field("name").max_length
CONTACT_ROLE_MAX = Contact._meta.get_field("role").max_length
EMAIL_MAX = Contact._meta.get_field("email").max_length
POPULATION_MAX = 2_147_483_647  # PositiveIntegerField

# (key, heading): the order of the template's columns.
COLUMNS: list[tuple[str, Any]] = [
    ("name", gettext_lazy("Name")),
    ("authorities", gettext_lazy("Authorities (several separated by semicolons)")),
    ("kind", gettext_lazy("Kind")),
    ("country", gettext_lazy("Country")),
    ("region", gettext_lazy("Region")),
    ("population", gettext_lazy("Population")),
    ("website", gettext_lazy("Website")),
    ("admitted_on", gettext_lazy("Admission date")),
    ("contact_name", gettext_lazy("Contact person")),
    ("contact_email", gettext_lazy("Contact e-mail")),
    ("contact_role", gettext_lazy("Contact role")),
]
REQUIRED = ("name", "country", "admitted_on")
# Shorter headings people write by hand.
_SHORT_HEADINGS = {
    "authorities": "authorities", "gebietskörperschaften": "authorities", "behörden": "authorities", "kommunen": "authorities",
    "art": "kind", "typ": "kind", "type": "kind", "land": "country", "staat": "country", "iso": "country",
    "einwohner": "population", "einwohnerzahl": "population", "bevölkerung": "population", "inhabitants": "population",
    "webseite": "website", "internetseite": "website", "homepage": "website", "url": "website",
    "aufnahme": "admitted_on", "aufgenommen": "admitted_on", "beitritt": "admitted_on", "beitrittsdatum": "admitted_on",
    "mitglied seit": "admitted_on", "admitted": "admitted_on", "admission": "admitted_on", "member since": "admitted_on",
    "kontakt": "contact_name", "contact": "contact_name", "ansprechperson": "contact_name",
    "ansprechpartner": "contact_name", "ansprechpartnerin": "contact_name", "kontaktperson": "contact_name",
    "e-mail der kontaktperson": "contact_email", "funktion der kontaktperson": "contact_role",
    "e-mail": "contact_email", "email": "contact_email", "mail": "contact_email",
    "funktion": "contact_role", "rolle": "contact_role", "role": "contact_role",
}
_KIND_WORDS = {
    "stadt": MemberKind.CITY, "gemeinde": MemberKind.CITY, "municipality": MemberKind.CITY, "town": MemberKind.CITY,
    "kreis": MemberKind.DISTRICT, "landkreis": MemberKind.DISTRICT, "gemeinsam": MemberKind.JOINT, "joint": MemberKind.JOINT,
}
# The first word of an authority's name tells its kind in a joint membership ("Amt Lauenburgische Seen").
_AUTHORITY_PREFIXES = {
    "amt": Authority.Kind.AMT, "kreis": Authority.Kind.DISTRICT, "landkreis": Authority.Kind.DISTRICT,
    "district": Authority.Kind.DISTRICT, "gemeinde": Authority.Kind.MUNICIPALITY, "municipality": Authority.Kind.MUNICIPALITY,
}
_MEMBER_TO_AUTHORITY_KIND = {MemberKind.CITY: Authority.Kind.CITY, MemberKind.DISTRICT: Authority.Kind.DISTRICT, MemberKind.AMT: Authority.Kind.AMT}
_MONTH_YEAR = re.compile(r"^(?:(\d{1,2})[./](\d{4})|(\d{4})-(\d{1,2}))$")


@dataclass
class ImportRow:
    line: int  # the row number as the spreadsheet program shows it (the headings are row 1)
    values: dict[str, Any] = field(default_factory=dict)  # JSON-ready: dates as ISO strings
    errors: list[str] = field(default_factory=list)
    skip: bool = False  # already in the portal

    def as_json(self) -> dict[str, Any]:
        return {"line": self.line, "values": self.values, "skip": self.skip}


def headings(lang: str) -> list[str]:
    with translation.override(lang):
        return [str(label) for _key, label in COLUMNS]


def _heading_keys() -> dict[str, str]:
    keys: dict[str, str] = {}
    for lang in LANGUAGES:
        for (key, _label), text in zip(COLUMNS, headings(lang), strict=True):
            keys[normalise(text)] = key
    for key, _label in COLUMNS:
        keys[key] = key
    return keys | _SHORT_HEADINGS


def _kind_values() -> dict[str, str]:
    values = {code: code for code in MemberKind.values} | dict(_KIND_WORDS)
    for lang in LANGUAGES:
        with translation.override(lang):
            values.update({normalise(str(label)): code for code, label in MemberKind.choices})
    return values


def country_codes() -> dict[str, str]:
    """Every way the file may name a country: ISO codes (two or three letters) and names in German and English."""
    codes: dict[str, str] = {}
    for lang in LANGUAGES:
        with translation.override(lang):
            codes.update({normalise(str(name)): code for code, name in countries})
    for code, _name in countries:
        codes[code.casefold()] = code
        codes[countries.alpha3(code).casefold()] = code
    codes.pop("", None)  # a cell of only "(…)" names no country
    return codes


def match_key(name: str, country: str) -> tuple[str, str]:
    """How a row is matched against the portal and the rest of the file: the same name (ignoring case and
    spacing) in the same country."""
    return " ".join(name.split()).casefold(), country


# --- The template -----------------------------------------------------------------------------------


def template_csv(lang: str) -> bytes:
    """The headings only, UTF-8 with BOM; German Excel expects semicolons, the English template uses commas."""
    out = io.StringIO()
    csv.writer(out, delimiter=";" if lang == "de" else ",", lineterminator="\r\n").writerow(headings(lang))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def template_xlsx(lang: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    with translation.override(lang):
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = _("Members")
        sheet.append(headings(lang))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for column, width in zip("ABCDEFGHIJK", (34, 44, 18, 16, 22, 14, 30, 16, 26, 30, 22), strict=True):
            sheet.column_dimensions[column].width = width
        sheet.freeze_panes = "A2"
        notes = workbook.create_sheet(_("Notes"))
        for line in column_notes():
            notes.append(line)
        notes.column_dimensions["A"].width = 36
        notes.column_dimensions["B"].width = 90
        out = io.BytesIO()
        workbook.save(out)
        return out.getvalue()


def column_notes() -> list[tuple[str, str]]:
    """What each column takes, in the active language: for the import page and the template's notes sheet."""
    kinds = ", ".join(str(label) for label in MemberKind.labels)
    notes = {
        "name": _("Required. The member's name as the portal shows it, at most %(max)d characters.") % {"max": NAME_MAX},
        "authorities": _(
            "The local authorities the membership is made of, separated by semicolons, e.g. “Stadt Ratzeburg; Amt "
            "Lauenburgische Seen”. Empty means the member itself."
        ),
        "kind": _("One of: %(kinds)s. Empty means city, or joint membership when several authorities are named.") % {"kinds": kinds},
        "country": _("Required. The country's name in German or English, or its ISO code (DE, DEU)."),
        "region": _("Optional, e.g. the federal state."),
        "population": _("Optional. A whole number; 566.222 and 566222 are the same."),
        "website": _("Optional. The address of the member's website."),
        "admitted_on": _(
            "Required. The date of admission, e.g. 30.11.2016 or 2016-11-30; 11.2016 or 2016 when only the month or year is known. Not in the future."
        ),
        "contact_name": _("Optional. The contact person's name; not published until consent is recorded."),
        "contact_email": _("Optional. The contact person's e-mail address."),
        "contact_role": _("Optional. The contact person's role, e.g. “Office for equality”."),
    }
    return [(str(label), notes[key]) for key, label in COLUMNS]


# --- Checking the rows ------------------------------------------------------------------------------


def check_rows(table: list[list[Any]], *, existing: set[tuple[str, str]]) -> list[ImportRow]:
    """Every data row, checked: its values ready for a member, or its errors in words.

    existing: match_key() of the members already in the portal; such rows are marked to be skipped.
    """
    columns, body = split_table(
        table, keys=_heading_keys(), columns=COLUMNS, required=REQUIRED,
        too_many=_("The file has more than %(max)s rows. Import at most %(max)s members at once."),
        only_headings=_("The file holds only the headings. Add one member per row below them."),
    )
    kinds, codes = _kind_values(), country_codes()
    today = timezone.localdate()
    rows: list[ImportRow] = []
    seen: dict[tuple[str, str], int] = {}
    for line, cells in body:
        raw = {key: cell_text(cells[i]) if i < len(cells) else "" for i, key in enumerate(columns) if key}
        admitted_cell = cells[columns.index("admitted_on")] if "admitted_on" in columns and columns.index("admitted_on") < len(cells) else None
        row = _check_row(line, raw, admitted_cell, kinds=kinds, codes=codes, today=today)
        if not row.errors:
            key = match_key(row.values["name"], row.values["country"])
            if key in seen:
                row.errors.append(_("The same member (name and country) appears in row %(line)s.") % {"line": seen[key]})
            else:
                seen[key] = line
                row.skip = key in existing
        rows.append(row)
    return rows


def _too_long(what: str, text: str, limit: int) -> str:
    return _("%(what)s is too long: %(length)d characters, at most %(max)d.") % {"what": what, "length": len(text), "max": limit}


def _check_row(line: int, raw: dict[str, str], admitted_cell, *, kinds, codes, today: dt.date) -> ImportRow:
    row = ImportRow(line=line)
    errors, values = row.errors, row.values

    name = " ".join(raw.get("name", "").split())
    if not name:
        errors.append(_("The name is missing."))
    elif len(name) > NAME_MAX:
        errors.append(_too_long(_("The name"), name, NAME_MAX))
    values["name"] = name

    authorities = [" ".join(a.split()) for a in re.split(r"[;\n|]", raw.get("authorities", ""))]
    authorities = [a for a in authorities if a]
    if any(len(a) > AUTHORITY_MAX for a in authorities):
        errors.append(_("An authority's name is longer than %(max)d characters.") % {"max": AUTHORITY_MAX})
    if len({a.casefold() for a in authorities}) < len(authorities):
        errors.append(_("An authority is named twice."))

    kind_text = raw.get("kind", "")
    kind = kinds.get(normalise(kind_text)) if kind_text else (MemberKind.JOINT if len(authorities) > 1 else MemberKind.CITY)
    if kind is None:
        labels = ", ".join(str(label) for label in MemberKind.labels)
        errors.append(_("Unknown kind “%(value)s”: use one of %(labels)s.") % {"value": kind_text[:40], "labels": labels})
    elif len(authorities) > 1 and kind != MemberKind.JOINT:
        errors.append(_("Several authorities make a joint membership: write “%(joint)s” as the kind, or leave it empty.") % {"joint": MemberKind.JOINT.label})
    values["kind"] = kind or ""
    values["authorities"] = [[a, _authority_kind(a, kind, len(authorities))] for a in authorities]

    country_text = raw.get("country", "")
    country = codes.get(normalise(country_text)) if country_text else None
    if not country_text:
        errors.append(_("The country is missing."))
    elif country is None:
        errors.append(_("Unknown country “%(value)s”: write its name in German or English, or its ISO code such as DE.") % {"value": country_text[:40]})
    values["country"] = country or ""

    region = raw.get("region", "")
    if len(region) > REGION_MAX:
        errors.append(_too_long(_("The region"), region, REGION_MAX))
    values["region"] = region

    population = raw.get("population", "")
    values["population"] = None
    if population:
        try:
            number = parse_whole_number(population, lenient=True)
        except NumberError:
            number = None
        if number is not None and number <= POPULATION_MAX:
            values["population"] = number
        else:
            errors.append(_("The population must be a whole number such as 566.222, not “%(value)s”.") % {"value": population[:40]})

    website = raw.get("website", "")
    if website and not re.match(r"^https?://", website, re.IGNORECASE):
        website = "https://" + website
    if website:
        try:
            URLValidator(schemes=["http", "https"])(website)
            if len(website) > WEBSITE_MAX:
                raise ValidationError("too long")
        except ValidationError:
            errors.append(_("The website “%(value)s” is not a web address.") % {"value": raw["website"][:60]})
    values["website"] = website

    admitted, precision = _admission(admitted_cell, raw.get("admitted_on", ""))
    text = raw.get("admitted_on", "")
    if admitted is None:
        errors.append(_("The admission date is missing."))
    elif admitted is False:
        errors.append(unreadable_date_message(
            text,
            _("The admission date “%(value)s” cannot be read: write it as 30.11.2016 or 2016-11-30."),
            _("The admission date “%(value)s” does not exist: %(reason)s"),
        ))
    elif not EARLIEST <= admitted <= today:
        errors.append(
            _("The admission date %(value)s is not plausible: it must lie between %(earliest)s and today.")
            % {"value": text[:40] or admitted.isoformat(), "earliest": date_format(EARLIEST, "SHORT_DATE_FORMAT")}
        )
    values["admitted_on"] = admitted.isoformat() if admitted else None
    values["admitted_precision"] = precision

    contact_name = " ".join(raw.get("contact_name", "").split())
    email = raw.get("contact_email", "").strip()
    role = raw.get("contact_role", "")
    if (email or role) and not contact_name:
        errors.append(_("The contact person's name is missing (an e-mail address or role is given)."))
    if len(contact_name) > CONTACT_NAME_MAX:
        errors.append(_too_long(_("The contact person's name"), contact_name, CONTACT_NAME_MAX))
    if len(role) > CONTACT_ROLE_MAX:
        errors.append(_too_long(_("The contact person's role"), role, CONTACT_ROLE_MAX))
    if email:
        try:
            validate_email(email)
            if len(email) > EMAIL_MAX:
                raise ValidationError("too long")
        except ValidationError:
            errors.append(_("The e-mail address “%(value)s” is not valid.") % {"value": email[:60]})
    values["contact"] = {"name": contact_name, "email": email, "role": role} if contact_name else None
    return row


def _authority_kind(name: str, kind: str | None, count: int) -> str:
    if count == 1 and kind in _MEMBER_TO_AUTHORITY_KIND:
        return _MEMBER_TO_AUTHORITY_KIND[kind]
    first = name.split(" ", 1)[0].casefold()
    return _AUTHORITY_PREFIXES.get(first, Authority.Kind.CITY)


def _admission(cell: Any, text: str) -> tuple[dt.date | None | bool, str]:
    """The admission date and its precision: a full date, a month (11.2016, 2016-11) or a year (2016)."""
    if re.fullmatch(r"\d{4}", text):
        return _safe_date(int(text), 1), DatePrecision.YEAR
    if match := _MONTH_YEAR.match(text):
        month, year = (match.group(1), match.group(2)) if match.group(1) else (match.group(4), match.group(3))
        return _safe_date(int(year), int(month)), DatePrecision.MONTH
    return parse_date(cell, text), DatePrecision.DAY


def _safe_date(year: int, month: int) -> dt.date | bool:
    try:
        return dt.date(year, month, 1)
    except ValueError:
        return False
