"""The plan import pages: templates, upload, the preview of every row, the confirmation, and importing twice."""

import io
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from openpyxl import Workbook, load_workbook

from actionplan import services
from actionplan.models import Measure, PlanImport
from actionplan.tests.factories import ActionPlanFactory, MeasureFactory

pytestmark = pytest.mark.django_db

URL = "/de/dashboard/dresden/plan/import/"
CSV_DE = (
    "Verpflichtung (1–10);Titel;Beschreibung;Zuständige Stelle;Partner;Status;Fortschritt (0–100);Beginn;Ende;Öffentlich (ja/nein);Sprache des Textes (de/en)\n"
    "3;Beratungsstelle gegen Diskriminierung;Offene Sprechstunde;Integrationsbüro;Verein;In Umsetzung;40;01.03.2026;31.12.2026;ja;de\n"
    "8;Interkulturelle Woche;;;;planned;;2026-09-01;;;\n"
)


def csv_file(text: str = CSV_DE, name: str = "plan.csv", encoding: str = "utf-8-sig") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def xlsx_file(rows, name: str = "plan.xlsx") -> SimpleUploadedFile:
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


def test_it_links_the_import_from_the_plan_editor(lead):
    page = lead.get("/de/dashboard/dresden/plan/").content.decode()
    assert f'href="{URL}"' in page and "Aus Tabelle importieren" in page
    page = lead.get(URL).content.decode()
    assert 'href="/de/dashboard/dresden/plan/import/template.xlsx"' in page
    assert "Verpflichtung (1–10)" in page  # the columns, explained


@pytest.mark.parametrize(
    "lang, first, heading", [("de", "Verpflichtung (1–10);Titel;", "Titel"), ("en", "Commitment (1–10),Title,", "Title")]
)
def test_it_offers_the_template_as_csv_and_xlsx_in_the_users_language(lead, lang, first, heading):
    response = lead.get(f"/{lang}/dashboard/dresden/plan/import/template.csv")
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content.decode("utf-8-sig").startswith(first)
    response = lead.get(f"/{lang}/dashboard/dresden/plan/import/template.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert sheet["B1"].value == heading
    assert lead.get(f"/{lang}/dashboard/dresden/plan/import/template.pdf").status_code == 404


def test_it_imports_a_csv_after_the_preview_with_the_history(lead, dresden_lead, dresden):
    response = lead.post(URL, {"file": csv_file()})
    plan_import = PlanImport.objects.get()
    assert response.headers["Location"] == f"{URL}{plan_import.pk}/"
    assert not Measure.objects.exists()  # nothing before the confirmation
    preview = lead.get(response.headers["Location"])
    page = preview.content.decode()
    assert "Zeile 2" in page and "Zeile 3" in page and "2 Maßnahmen werden angelegt." in page
    assert page.count("wird angelegt") == 2
    response = lead.post(f"{URL}{plan_import.pk}/confirm/")
    assert response.headers["Location"] == "/de/dashboard/dresden/plan/"
    assert "2 Maßnahmen wurden importiert." in lead.get(response.headers["Location"]).content.decode()
    counselling = Measure.objects.get(title="Beratungsstelle gegen Diskriminierung")
    assert (counselling.commitment.number, counselling.status, counselling.progress) == (3, "in_progress", 40)
    assert str(counselling.start_date) == "2026-03-01" and counselling.is_public
    week = Measure.objects.get(title="Interkulturelle Woche")
    assert not week.is_public  # new measures start internal
    assert counselling.plan.member == dresden
    assert counselling.history.get().history_user == dresden_lead
    plan_import.refresh_from_db()
    assert plan_import.imported_by == dresden_lead and plan_import.created_count == 2
    assert plan_import.uploaded_by == dresden_lead and len(plan_import.content_hash) == 64


def test_it_imports_an_xlsx_with_english_headings(client, dresden_editor, commitments):
    client.force_login(dresden_editor)
    rows = [["Commitment (1–10)", "Title", "Status", "Public (yes/no)"], [1, "Monitoring", "Implemented", "yes"]]
    response = client.post("/en/dashboard/dresden/plan/import/", {"file": xlsx_file(rows)})
    assert response.status_code == 302
    client.post(response.headers["Location"] + "confirm/")
    measure = Measure.objects.get()
    assert (measure.title, measure.status, measure.is_public) == ("Monitoring", "implemented", True)


def test_it_shows_every_row_with_its_errors_and_imports_nothing(lead):
    text = "Verpflichtung;Titel;Fortschritt;Beginn;Ende\n3;Gut;10;;\n12;Falsche Nummer;;;\n3;Zu viel;150;;\n3;;;;\n3;Rückwärts;;2026-06-01;01.01.2026\n3;Datum;;morgen;\n"
    response = lead.post(URL, {"file": csv_file(text)})
    assert response.status_code == 200
    page = response.content.decode()
    assert "5 von 6 Zeilen haben Fehler. Es wurde nichts importiert" in page
    for message in ("Unbekannte Verpflichtung „12“", "nicht „150“", "Der Titel fehlt.", "Das Ende liegt vor dem Beginn.",
                    "Das Beginndatum „morgen“ ist nicht lesbar"):
        assert message in page
    assert "Zeile 2" in page and "Zeile 7" in page and "wird angelegt" in page  # the good row is listed too
    assert "Maßnahmen importieren" not in page  # nothing to confirm
    assert 'action="/de/dashboard/dresden/plan/import/"' in page  # upload the corrected file right here
    assert not PlanImport.objects.exists() and not Measure.objects.exists()


@pytest.mark.parametrize(
    "upload, message",
    [
        (SimpleUploadedFile("x.pdf", b"%PDF-1.7\x00\x01\x02"), "weder eine CSV-Datei noch eine Excel-Datei"),
        (SimpleUploadedFile("x.csv", "Name;Ort\nA;B\n".encode()), "Es fehlen: Verpflichtung (1–10), Titel."),
        (SimpleUploadedFile("x.csv", b""), "Die übertragene Datei ist leer."),
        (SimpleUploadedFile("big.csv", b"Commitment,Title\n" + b"1,x\n" * 600_000), "größer als 2 MB"),
    ],
)
def test_it_refuses_an_unusable_file_with_a_clear_message(lead, upload, message):
    response = lead.post(URL, {"file": upload})
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page and "Es wurde nichts importiert." in page
    assert not PlanImport.objects.exists()


def test_it_refuses_more_than_a_thousand_rows(lead):
    text = "Verpflichtung;Titel\n" + "".join(f"1;Maßnahme {n}\n" for n in range(1001))
    page = lead.post(URL, {"file": csv_file(text)}).content.decode()
    assert "mehr als 1.000 Zeilen" in page and not PlanImport.objects.exists()


def test_it_asks_for_a_file(lead):
    page = lead.post(URL, {}).content.decode()
    assert "Dieses Feld ist zwingend erforderlich." in page


def test_it_reads_windows_1252(lead):
    text = "Verpflichtung;Titel;Zuständige Stelle\n2;Übersetzungsdienst;Bürgeramt\n"
    response = lead.post(URL, {"file": csv_file(text, encoding="cp1252")})
    lead.post(response.headers["Location"] + "confirm/")
    assert Measure.objects.get().responsible_unit == "Bürgeramt"


def test_it_skips_rows_already_in_the_plan_and_reports_a_file_imported_before(lead, dresden):
    MeasureFactory(plan=ActionPlanFactory(member=dresden), commitment=services.Commitment.objects.get(number=3),
                   title="Beratungsstelle gegen Diskriminierung")
    response = lead.post(URL, {"file": csv_file()})
    page = lead.get(response.headers["Location"]).content.decode()
    assert "schon im Plan – übersprungen" in page and "1 Maßnahme wird angelegt." in page
    assert "1 Zeile steht schon im Plan und wird übersprungen." in page
    lead.post(response.headers["Location"] + "confirm/")
    assert Measure.objects.count() == 2

    # The same file again: it is recognised, and every row is skipped.
    page = lead.post(URL, {"file": csv_file()}).content.decode()
    assert "Diese Datei wurde bereits importiert" in page
    assert "Jede Zeile steht schon im Plan. Es gibt nichts zu importieren." in page
    assert page.count("schon im Plan – übersprungen") == 2
    assert Measure.objects.count() == 2 and PlanImport.objects.count() == 1


def test_it_imports_once_when_the_confirmation_is_posted_twice(lead):
    response = lead.post(URL, {"file": csv_file()})
    confirm = response.headers["Location"] + "confirm/"
    lead.post(confirm)
    response = lead.post(confirm)
    assert response.status_code == 302
    assert "bereits ausgeführt" in lead.get(response.headers["Location"]).content.decode()
    assert Measure.objects.count() == 2
    page = lead.get(confirm.removesuffix("confirm/")).content.decode()
    assert "2 Maßnahmen angelegt" in page and "Maßnahmen importieren</button>" not in page


@pytest.mark.django_db(transaction=True)
def test_it_imports_once_when_two_confirmations_race(dresden_lead, dresden, commitments):
    plan_import = PlanImport.objects.create(
        member=dresden, uploaded_by=dresden_lead, file_name="plan.csv", content_hash="1" * 64,
        rows=[{"line": 2, "skip": False, "values": {"commitment": 1, "title": "Einmal", "description": "", "responsible_unit": "",
              "partners": "", "status": "planned", "progress": None, "start_date": None, "end_date": None,
              "is_public": False, "content_language": "de"}}],
    )
    results, barrier = [], threading.Barrier(2)

    def confirm():
        try:
            barrier.wait()
            results.append(services.plan_import(plan_import=PlanImport.objects.get(pk=plan_import.pk), by=dresden_lead))
        finally:
            connection.close()

    threads = [threading.Thread(target=confirm) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results, key=str) == [1, None]
    assert Measure.objects.filter(title="Einmal").count() == 1


def test_it_keeps_other_members_imports_private(client, outsider, dresden_lead, commitments):
    client.force_login(dresden_lead)
    response = client.post(URL, {"file": csv_file()})
    client.force_login(outsider)
    assert client.get(response.headers["Location"]).status_code == 404
    assert client.post(response.headers["Location"] + "confirm/").status_code == 404
    # Not even through Düsseldorf's own address.
    pk = PlanImport.objects.get().pk
    assert client.get(f"/de/dashboard/duesseldorf/plan/import/{pk}/").status_code == 404
    assert not Measure.objects.exists()


def test_it_checks_and_previews_a_thousand_rows_in_a_bounded_number_of_queries(lead, dresden, django_assert_max_num_queries):
    plan = ActionPlanFactory(member=dresden)
    for n in range(20):
        MeasureFactory(plan=plan, commitment=services.Commitment.objects.get(number=n % 10 + 1), title=f"Maßnahme {n}")
    text = "Verpflichtung;Titel;Status;Beginn\n" + "".join(f"{n % 10 + 1};Maßnahme {n};geplant;01.03.2026\n" for n in range(1000))
    with django_assert_max_num_queries(12):
        response = lead.post(URL, {"file": csv_file(text)})
    with django_assert_max_num_queries(10):
        page = lead.get(response.headers["Location"]).content.decode()
    assert "980 Maßnahmen werden angelegt." in page and "20 Zeilen stehen schon im Plan" in page


def test_it_imports_a_thousand_rows_at_once_each_with_its_history(lead, dresden_lead):
    text = "Verpflichtung;Titel\n" + "".join(f"{n % 10 + 1};Maßnahme {n}\n" for n in range(1000))
    response = lead.post(URL, {"file": csv_file(text)})
    lead.post(response.headers["Location"] + "confirm/")
    assert Measure.objects.count() == 1000
    assert Measure.history.filter(history_user=dresden_lead, history_type="+").count() == 1000


def test_it_imports_all_rows_or_none(lead, monkeypatch):
    response = lead.post(URL, {"file": csv_file()})
    plan_import = PlanImport.objects.get()

    def failing_update(*args, **kwargs):
        # The new measures are written by now; the step after them fails.
        assert Measure.objects.count() == 2
        raise RuntimeError("database gone")

    monkeypatch.setattr(services, "save_versioned_many", failing_update)
    with pytest.raises(RuntimeError):
        lead.post(response.headers["Location"] + "confirm/")
    assert not Measure.objects.exists()
    plan_import.refresh_from_db()
    assert plan_import.imported_at is None  # it can be confirmed again
