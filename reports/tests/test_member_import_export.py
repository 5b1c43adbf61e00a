"""Done when: the secretariat imports 190 members from a spreadsheet and exports them again for German Excel."""

import csv
import io

import pytest
from django.core.management import call_command
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import SecurityEvent, SecurityEventKind
from members.models import Member, MemberImport, MembershipTransition, MemberStatus
from members.tests.member_sheets import as_csv, as_xlsx, coalition, german_rows

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/members/member/"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _upload(client, name: str, data: bytes):
    return client.post(reverse("admin:members_member_import"), {"file": SimpleUploadedFile(name, data)})


def _import(client, name: str, data: bytes) -> MemberImport:
    response = _upload(client, name, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    member_import = MemberImport.objects.get(file_name=name)
    preview = client.get(response["Location"]).content.decode()
    assert "190 Mitglieder importieren" in preview
    assert client.post(reverse("admin:members_member_import_confirm", args=[member_import.pk])).status_code == 302
    member_import.refresh_from_db()
    return member_import


def _export(client, action: str):
    pks = [str(pk) for pk in Member.objects.values_list("pk", flat=True)]
    return client.post(CHANGELIST, {"action": action, ACTION_CHECKBOX_NAME: pks})


def _as_read_back(member: dict) -> list[str]:
    contact = f"{member['contact'][0]} <{member['contact'][1]}>" if member["contact"] else ""
    return [
        member["name"], "; ".join(member["authorities"]), member["country"], str(member["population"]),
        member["website"], member["admitted_on"].isoformat(), contact,
    ]


def test_it_imports_190_members_once_and_exports_them_again_for_german_excel(client, staff):
    members = coalition(190)
    client.force_login(staff)

    first = _import(client, "mitglieder.xlsx", as_xlsx(german_rows(members, date_cells=True)))
    assert first.created_count == 190 and Member.objects.count() == 190
    transitions = MembershipTransition.objects.filter(source_import=first)
    assert transitions.count() == 190
    assert set(transitions.values_list("from_status", "to_status")) == {(MemberStatus.APPLICANT, MemberStatus.MEMBER)}
    # Past admissions are applied, not scheduled: the daily run leaves them, and the status matches the history.
    assert not any(t.is_scheduled for t in transitions)
    call_command("daily_tasks", stdout=io.StringIO())
    assert not MembershipTransition.objects.filter(cancelled_at__isnull=False).exists()
    assert set(Member.objects.values_list("status", flat=True)) == {MemberStatus.MEMBER}
    joint = Member.objects.get(name="Gemeinsam Musterland 10")
    assert joint.kind == "joint" and [(a.name, a.kind) for a in joint.authorities.all()] == [
        ("Stadt Musterort 10", "city"), ("Amt Seenland 10", "amt")
    ]
    assert joint.transitions.get().effective_on == joint.admitted_on == members[9]["admitted_on"]
    assert Member.objects.public().count() == 190

    # The same members again, as German Excel saves a CSV: nothing is created twice.
    response = _upload(client, "mitglieder.csv", as_csv(german_rows(members)))
    page = response.content.decode()
    assert response.status_code == 200 and "Jedes Mitglied der Datei ist bereits im Portal" in page
    assert page.count("bereits im Portal, übersprungen") == 190
    assert Member.objects.count() == 190 and MembershipTransition.objects.count() == 190

    response = _export(client, "export_members_xlsx")
    assert response["Content-Type"] == XLSX and response["Content-Disposition"].endswith('.xlsx"')
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(response.content)).active
    header, *body = list(sheet.iter_rows(values_only=True))
    assert header[0] == "Name" and sheet.freeze_panes == "A2" and len(body) == 190
    col = {name: header.index(name) for name in header}
    read_back = {
        row[col["Name"]]: [
            row[col["Name"]], row[col["Gebietskörperschaften"]] or "", row[col["ISO-Code"]], str(row[col["Einwohnerzahl"]]),
            row[col["Website"]], row[col["Aufnahmedatum"]].date().isoformat(), row[col["Ansprechpersonen"]] or "",
        ]
        for row in body
    }
    assert read_back == {m["name"]: _as_read_back(m) for m in members}

    response = _export(client, "export_members_csv")
    assert response["Content-Type"].startswith("text/csv") and response.content.startswith(b"\xef\xbb\xbf")
    text = response.content.decode("utf-8-sig")
    assert "\r\n" in text
    header, *body = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert len(header) > 10 and len(body) == 190
    col = {name: header.index(name) for name in header}
    read_back = {
        row[col["Name"]]: [row[col[key]] for key in (
            "Name", "Gebietskörperschaften", "ISO-Code", "Einwohnerzahl", "Website", "Aufnahmedatum", "Ansprechpersonen"
        )]
        for row in body
    }
    assert read_back == {m["name"]: _as_read_back(m) for m in members}
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.STAFF_EXPORT, user=staff).count() == 2
