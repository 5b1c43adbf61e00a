"""The member export as XLSX and CSV for Excel: its columns, formula cells, who may export, a flat query count."""

import csv
import datetime as dt
import io

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from openpyxl import load_workbook

from core.models import SecurityEvent, SecurityEventKind
from core.tests.permissions import ADMIN_LOGIN, PERSONAS, assert_outcome
from members.models import Contact, Member
from members.tests.factories import AuthorityFactory, MemberFactory
from reports.models import ReportStatus
from reports.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/members/member/"
EVIL = '=HYPERLINK("http://evil.example","klick")'


def _export(client, action, members=None, **extra):
    pks = [str(m.pk) for m in (members if members is not None else Member.objects.all())]
    return client.post(CHANGELIST, {"action": action, ACTION_CHECKBOX_NAME: pks}, **extra)


def _xlsx(response):
    sheet = load_workbook(io.BytesIO(response.content)).active
    header, *body = [list(r) for r in sheet.iter_rows(values_only=True)]
    return sheet, header, body


def _csv(response):
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff") and text.endswith("\r\n")
    header, *body = list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=";"))
    return header, body


@pytest.fixture
def dresden_in_full(dresden, dresden_lead):
    dresden.admitted_on, dresden.population, dresden.region = dt.date(2016, 11, 30), 566222, "Sachsen"
    dresden.save()
    dresden_lead.first_name, dresden_lead.last_name = "Dora", "Leitung"
    dresden_lead.save()
    AuthorityFactory(member=dresden, name="Landeshauptstadt Dresden")
    Contact.objects.create(member=dresden, name="Anna Schönfelder", email="schoenfelder@dresden.example")
    ReportFactory(member=dresden, period_start=dt.date(2017, 1, 1), period_end=dt.date(2018, 12, 31), status=ReportStatus.PUBLISHED)
    ReportFactory(member=dresden, period_start=dt.date(2019, 1, 1), period_end=dt.date(2020, 12, 31), status=ReportStatus.SUBMITTED)
    return dresden


def test_it_exports_an_xlsx_with_real_dates_contacts_coordinators_and_the_reports(client, staff, dresden_in_full, dresden_lead):
    client.force_login(staff)
    response = _export(client, "export_members_xlsx")
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet, header, body = _xlsx(response)
    assert sheet.freeze_panes == "A2" and sheet["A1"].font.bold and sheet.column_dimensions["A"].width >= 30
    row = dict(zip(header, body[0], strict=True))
    assert row["Name"] == "Landeshauptstadt Dresden" and row["Land"] == "Deutschland" and row["ISO-Code"] == "DE"
    assert row["Einwohnerzahl"] == 566222 and row["Region"] == "Sachsen" and row["Status"] == "Mitglied"
    assert row["Aufnahmedatum"] == dt.datetime(2016, 11, 30) and sheet["J2"].number_format == "YYYY-MM-DD"
    assert row["Ansprechpersonen"] == "Anna Schönfelder <schoenfelder@dresden.example>"
    assert row["Koordinierende"] == f"Dora Leitung <{dresden_lead.email}>"
    # The next report is due two years after the last delivered one (the submitted one does not count yet).
    assert row["Nächster Bericht fällig"] == dt.datetime(2020, 12, 31)
    assert row["Letzter Bericht: Zeitraum"] == "01.01.2019 – 31.12.2020" and row["Letzter Bericht: Status"] == "Eingereicht"


def test_it_exports_a_csv_for_german_excel_with_iso_dates(client, staff, dresden_in_full):
    client.force_login(staff)
    response = _export(client, "export_members_csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8" and response["Content-Disposition"].endswith('.csv"')
    header, body = _csv(response)
    row = dict(zip(header, body[0], strict=True))
    assert row["Aufnahmedatum"] == "2016-11-30" and row["Nächster Bericht fällig"] == "2020-12-31"
    assert row["Einwohnerzahl"] == "566222" and row["Gebietskörperschaften"] == "Landeshauptstadt Dresden"


def test_it_exports_in_english_too(client, staff, dresden_in_full):
    client.force_login(staff)
    header, body = _csv(_export(client, "export_members_csv", HTTP_ACCEPT_LANGUAGE="en"))
    assert header[:3] == ["Name", "Authorities", "Kind"] and dict(zip(header, body[0]))["Country"] == "Germany"


def test_it_neutralises_formulas_in_both_files(client, staff):
    MemberFactory(name=EVIL, slug="evil", region="+49 351", website="")
    Contact.objects.create(member=Member.objects.get(slug="evil"), name="@SUM(A1)", email="")
    client.force_login(staff)
    sheet, header, body = _xlsx(_export(client, "export_members_xlsx"))
    cell = sheet["A2"]
    # A text cell that shows the value as typed: no formula, no apostrophe added to the value.
    assert cell.value == EVIL and cell.data_type == "s" and cell.quotePrefix
    raw = _export(client, "export_members_xlsx").content
    import zipfile

    assert b"<f>" not in zipfile.ZipFile(io.BytesIO(raw)).read("xl/worksheets/sheet1.xml")
    header, body = _csv(_export(client, "export_members_csv"))
    row = dict(zip(header, body[0]))
    assert row["Name"] == "'" + EVIL and row["Region"] == "'+49 351" and row["Ansprechpersonen"] == "'@SUM(A1)"


def test_it_records_each_export_in_the_security_log(client, staff, dresden):
    client.force_login(staff)
    _export(client, "export_members_xlsx")
    _export(client, "export_members_csv")
    details = sorted(SecurityEvent.objects.filter(kind=SecurityEventKind.STAFF_EXPORT, user=staff).values_list("detail", flat=True))
    assert details == ["members CSV, 1 rows", "members XLSX, 1 rows"]


def _members(count: int, offset: int) -> None:
    for n in range(offset, offset + count):
        member = MemberFactory(name=f"Stadt {n}", slug=f"stadt-{n}")
        AuthorityFactory(member=member)
        Contact.objects.create(member=member, name=f"Kontakt {n}", email=f"k{n}@example.org")
        ReportFactory(member=member, status=ReportStatus.ACCEPTED)


@pytest.mark.parametrize("action", ["export_members_xlsx", "export_members_csv"])
def test_it_exports_with_a_number_of_queries_that_does_not_grow_with_the_members(client, staff, action, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(staff)
    _members(3, 0)
    with CaptureQueriesContext(connection) as few:
        assert _export(client, action).status_code == 200
    _members(30, 100)
    with CaptureQueriesContext(connection) as many:
        assert _export(client, action).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries) <= 20


EXPECTED = {"anonymous": ADMIN_LOGIN, "outsider": ADMIN_LOGIN, "dresden_editor": ADMIN_LOGIN, "dresden_lead": ADMIN_LOGIN,
            "bare_staff": 403, "staff": 200, "superuser": 200}


@pytest.mark.parametrize("persona", [*PERSONAS, "superuser"])
@pytest.mark.parametrize("action", ["export_members_xlsx", "export_members_csv"])
def test_it_lets_only_staff_who_may_view_members_export(client, request, dresden, persona, action):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    response = _export(client, action, members=[dresden])
    assert_outcome(response, EXPECTED[persona], (persona, action))
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.STAFF_EXPORT).exists() == (EXPECTED[persona] == 200)
