"""The members import pages in the admin: upload, preview, confirm, template; who may use them."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.tests.permissions import ADMIN_LOGIN, PERSONAS, assert_outcome
from members.models import Member, MemberImport, MembershipTransition, MemberStatus
from members.tests.member_sheets import GERMAN_HEADINGS, as_csv, as_xlsx, coalition, german_rows

pytestmark = pytest.mark.django_db

UPLOAD = "/admin/members/member/import/"


def _file(rows, name="mitglieder.csv"):
    return SimpleUploadedFile(name, as_csv(rows))


def _rows(*names: str) -> list[list]:
    return [GERMAN_HEADINGS] + [[n, "", "", "Deutschland", "", "12.000", "", "01.02.2015", "", "", ""] for n in names]


def _upload_and_confirm(client, rows, name="mitglieder.csv") -> MemberImport:
    response = client.post(UPLOAD, {"file": _file(rows, name)})
    assert response.status_code == 302, response.content.decode()[-3000:]
    member_import = MemberImport.objects.latest("pk")
    client.post(reverse("admin:members_member_import_confirm", args=[member_import.pk]))
    member_import.refresh_from_db()
    return member_import


def test_it_offers_the_import_from_the_member_list_to_those_who_may_import(client, staff, bare_staff, superuser):
    for user, shown in ((staff, True), (superuser, True)):
        client.force_login(user)
        page = client.get(reverse("admin:members_member_changelist")).content.decode()
        assert (UPLOAD in page and "Mitglieder importieren" in page) == shown
    page = client.get(UPLOAD).content.decode()
    assert "Pflichtangabe" in page and "mitglieder-vorlage" not in page and "import/template.xlsx" in page


def test_it_shows_the_upload_page_in_english(client, staff):
    client.force_login(staff)
    page = client.get(UPLOAD, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Import members" in page and "Admission date" in page and "Aufnahmedatum" not in page
    response = client.get(reverse("admin:members_member_import_template", args=["csv"]), HTTP_ACCEPT_LANGUAGE="en")
    assert response.content.decode("utf-8-sig").startswith("Name,Authorities") and "members-template.csv" in response["Content-Disposition"]


def test_it_offers_the_template_as_xlsx_and_excel_csv_in_german(client, staff):
    client.force_login(staff)
    csv_response = client.get(reverse("admin:members_member_import_template", args=["csv"]))
    assert csv_response.content.startswith("\ufeffName;Gebietskörperschaften".encode()) and csv_response.content.endswith(b"\r\n")
    xlsx = client.get(reverse("admin:members_member_import_template", args=["xlsx"]))
    import io

    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(xlsx.content))
    assert workbook.active["H1"].value == "Aufnahmedatum" and workbook.active.freeze_panes == "A2"
    assert client.get(reverse("admin:members_member_import_template", args=["pdf"])).status_code == 404


def test_it_imports_members_with_their_admission_as_a_transition_whose_source_is_the_import(client, staff):
    client.force_login(staff)
    member_import = _upload_and_confirm(client, _rows("Stadt Mölln", "Stadt Ratzeburg"))
    assert member_import.created_count == 2 and member_import.imported_by == staff
    member = Member.objects.get(name="Stadt Mölln")
    assert member.status == MemberStatus.MEMBER and member.population == 12000 and member.slug == "stadt-molln"
    transition = member.transitions.get()
    assert (transition.from_status, transition.to_status, str(transition.effective_on)) == ("applicant", "member", "2015-02-01")
    assert transition.source_import == member_import and transition.by == staff and "mitglieder.csv" in transition.reason
    assert not transition.is_scheduled  # a past admission, applied
    # Through the versioning path: the member's history names the importer.
    assert member.history.get().history_user == staff
    assert member.get_absolute_url() and client.get(member.get_absolute_url()).status_code == 200


def test_it_imports_nothing_while_one_row_has_an_error_and_says_which(client, staff):
    client.force_login(staff)
    rows = _rows("Stadt A", "Stadt B")
    rows[2][3] = "Atlantis"
    response = client.post(UPLOAD, {"file": _file(rows)})
    page = response.content.decode()
    assert response.status_code == 200 and "1 von 2 Zeilen hat einen Fehler" in page and "Unbekanntes Land „Atlantis“" in page
    assert 'type="file"' in page and "Mitglieder importieren\" class" not in page
    assert not MemberImport.objects.exists() and not Member.objects.exists()


def test_it_imports_once_when_confirmed_twice(client, staff):
    client.force_login(staff)
    member_import = _upload_and_confirm(client, _rows("Stadt A", "Stadt B"))
    response = client.post(reverse("admin:members_member_import_confirm", args=[member_import.pk]), follow=True)
    assert "bereits ausgeführt" in response.content.decode()
    assert Member.objects.count() == 2 and MembershipTransition.objects.count() == 2


def test_it_creates_nothing_twice_from_an_overlapping_file(client, staff):
    client.force_login(staff)
    _upload_and_confirm(client, _rows("Stadt A", "Stadt B"), name="erste.csv")
    response = client.post(UPLOAD, {"file": _file(_rows("stadt b", "Stadt C"), "zweite.csv")})
    preview = client.get(response["Location"]).content.decode()
    assert "1 Mitglied wird angelegt" in preview and "bereits im Portal, übersprungen" in preview
    second = MemberImport.objects.get(file_name="zweite.csv")
    client.post(reverse("admin:members_member_import_confirm", args=[second.pk]))
    second.refresh_from_db()
    assert (second.created_count, second.skipped_count) == (1, 1)
    assert sorted(Member.objects.values_list("name", flat=True)) == ["Stadt A", "Stadt B", "Stadt C"]


def test_it_skips_at_confirmation_a_member_that_appeared_after_the_preview(client, staff):
    client.force_login(staff)
    client.post(UPLOAD, {"file": _file(_rows("Stadt A", "Stadt B"))})
    member_import = MemberImport.objects.get()
    from members.tests.factories import MemberFactory

    MemberFactory(name="Stadt B", slug="stadt-b", country="DE")
    client.post(reverse("admin:members_member_import_confirm", args=[member_import.pk]))
    member_import.refresh_from_db()
    assert (member_import.created_count, member_import.skipped_count) == (1, 1) and Member.objects.count() == 2


def test_it_gives_a_member_of_the_same_name_in_another_country_its_own_slug(client, staff):
    from members.tests.factories import MemberFactory

    MemberFactory(name="Stadt A", slug="stadt-a", country="AT")
    client.force_login(staff)
    _upload_and_confirm(client, _rows("Stadt A"))
    assert Member.objects.get(name="Stadt A", country="DE").slug == "stadt-a-de"


@pytest.mark.parametrize(("data", "message"), [
    (b"", "ist leer"),
    (b"\x00\x01binary", "weder eine CSV-Datei noch eine Excel-Datei"),
    ("Name;Region\nA;B\n".encode(), "Land, Aufnahmedatum"),
])
def test_it_explains_a_file_it_cannot_read(client, staff, data, message):
    client.force_login(staff)
    response = client.post(UPLOAD, {"file": SimpleUploadedFile("x.csv", data)})
    assert response.status_code == 400 and message in response.content.decode()


def test_it_refuses_a_file_larger_than_two_megabytes(client, staff):
    client.force_login(staff)
    response = client.post(UPLOAD, {"file": SimpleUploadedFile("big.csv", b"a" * (2 * 1024 * 1024 + 1))})
    assert response.status_code == 400 and "größer als 2 MB" in response.content.decode()


def test_it_confirms_only_by_post(client, staff):
    client.force_login(staff)
    client.post(UPLOAD, {"file": _file(_rows("Stadt A"))})
    member_import = MemberImport.objects.get()
    assert client.get(reverse("admin:members_member_import_confirm", args=[member_import.pk])).status_code == 405
    assert not Member.objects.exists()


def test_it_checks_190_rows_with_a_fixed_number_of_queries(client, staff, django_assert_max_num_queries):
    client.force_login(staff)
    data = as_xlsx(german_rows(coalition(190)))
    with django_assert_max_num_queries(12):
        response = client.post(UPLOAD, {"file": SimpleUploadedFile("m.xlsx", data)})
    assert response.status_code == 302


EXPECTED = {"anonymous": ADMIN_LOGIN, "outsider": ADMIN_LOGIN, "dresden_editor": ADMIN_LOGIN, "dresden_lead": ADMIN_LOGIN,
            "bare_staff": 403, "staff": 200, "superuser": 200}


@pytest.mark.parametrize("persona", [*PERSONAS, "superuser"])
def test_it_lets_only_holders_of_the_import_permission_import(client, request, persona, staff):
    client.force_login(staff)
    client.post(UPLOAD, {"file": _file(_rows("Stadt A"))})
    member_import = MemberImport.objects.get()
    client.logout()
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    expected = EXPECTED[persona]
    assert_outcome(client.get(UPLOAD), expected, (persona, "upload page"))
    assert_outcome(client.get(reverse("admin:members_member_import_template", args=["xlsx"])), expected, (persona, "template"))
    assert_outcome(client.get(reverse("admin:members_member_import_preview", args=[member_import.pk])), expected, (persona, "preview"))
    upload = client.post(UPLOAD, {"file": _file(_rows("Stadt B"), "b.csv")})
    assert_outcome(upload, 302 if expected == 200 else expected, (persona, "upload"))
    confirm = client.post(reverse("admin:members_member_import_confirm", args=[member_import.pk]))
    assert_outcome(confirm, 302 if expected == 200 else expected, (persona, "confirm"))
    assert Member.objects.filter(name="Stadt A").exists() == (expected == 200)


@pytest.mark.django_db(transaction=True)
def test_it_imports_once_when_two_confirmations_race(staff):
    import threading

    from django.db import connection

    from members.member_import import services

    rows = [{"line": 2, "skip": False, "values": {
        "name": "Stadt Einmal", "kind": "city", "country": "DE", "region": "", "authorities": [], "population": None,
        "website": "", "admitted_on": "2015-02-01", "admitted_precision": "day", "contact": None,
    }}]
    member_import = MemberImport.objects.create(uploaded_by=staff, file_name="m.csv", content_hash="1" * 64, rows=rows)
    results, barrier = [], threading.Barrier(2)

    def confirm():
        try:
            barrier.wait()
            results.append(services.member_import_carry_out(member_import=MemberImport.objects.get(pk=member_import.pk), by=staff))
        finally:
            connection.close()

    threads = [threading.Thread(target=confirm) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results, key=str) == [1, None]
    assert Member.objects.filter(name="Stadt Einmal").count() == 1 and MembershipTransition.objects.count() == 1


def test_it_imports_all_rows_or_none(client, staff, monkeypatch):
    from members.member_import import services

    client.force_login(staff)
    client.post(UPLOAD, {"file": _file(_rows("Stadt A", "Stadt B"))})
    member_import = MemberImport.objects.get()
    real_create, calls = services._create_member, []

    def failing_second(*args, **kwargs):
        calls.append(args)
        if len(calls) == 2:
            raise RuntimeError("database gone")
        return real_create(*args, **kwargs)

    monkeypatch.setattr(services, "_create_member", failing_second)
    with pytest.raises(RuntimeError):
        client.post(reverse("admin:members_member_import_confirm", args=[member_import.pk]))
    assert not Member.objects.exists() and not MembershipTransition.objects.exists()
    member_import.refresh_from_db()
    assert member_import.imported_at is None  # it can be confirmed again


def test_it_previews_190_rows_with_a_fixed_number_of_queries(client, staff, django_assert_max_num_queries):
    client.force_login(staff)
    response = client.post(UPLOAD, {"file": SimpleUploadedFile("m.xlsx", as_xlsx(german_rows(coalition(190))))})
    with django_assert_max_num_queries(10):
        page = client.get(response["Location"]).content.decode()
    assert "190 Mitglieder werden angelegt" in page


def test_it_answers_hostile_cells_with_row_errors_never_a_server_error(client, staff):
    client.force_login(staff)
    long = "x" * 100_000
    rows = [GERMAN_HEADINGS,
            ["<script>alert(1)</script>", "", "", "DE", "", "", "", "2016", "", "", ""],
            ["Stadt Lang", long, long, long, long, long, long, long, long, long, long],
            ["Stadt Mail", "", "", "DE", "", "", "", "2016", "Erika", ("a" * 64 + ".") * 4 + "@example.org", ""],
            ["=cmd|' /C calc'!A0", "", "", "DE", "", "99999999999999999999", "javascript:alert(1)", "2016", "", "", ""]]
    response = client.post(UPLOAD, {"file": _file(rows)})
    page = response.content.decode()
    assert response.status_code == 200 and "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    assert "3 von 4 Zeilen haben Fehler" in page and not Member.objects.exists()
