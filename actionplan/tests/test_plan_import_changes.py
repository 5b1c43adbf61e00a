"""Uploading a changed plan: the downloaded XLSX, edited and uploaded through the import, changes exactly the
measures whose rows changed, shows each change field by field, names the columns it does not know, and never
overwrites a measure changed in the portal since the download."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from actionplan.models import Measure, MeasureStatus, PlanImport
from actionplan.tests.factories import ActionPlanFactory, MeasureFactory
from core.versioning import save_versioned

pytestmark = pytest.mark.django_db

EXPORT = "/{lang}/dashboard/dresden/plan/export.xlsx"
IMPORT = "/{lang}/dashboard/dresden/plan/import/"


@pytest.fixture
def plan(dresden, commitments):
    plan = ActionPlanFactory(member=dresden)
    for n in range(6):
        MeasureFactory(plan=plan, commitment=commitments[n], title=f"Maßnahme {n}", description=f"Text {n}",
                       responsible_unit="Amt", partners="", status=MeasureStatus.PLANNED, progress=10,
                       start_date=dt.date(2026, 1, 1), is_public=True)
    return plan


@pytest.fixture
def lead(client, dresden_lead, plan):
    client.force_login(dresden_lead)
    return client


def download(client, lang="de"):
    return load_workbook(io.BytesIO(client.get(EXPORT.format(lang=lang)).content))


def upload(client, workbook, lang="de", name="plan.xlsx"):
    out = io.BytesIO()
    workbook.save(out)
    return client.post(IMPORT.format(lang=lang), {"file": SimpleUploadedFile(name, out.getvalue())})


def row_of(sheet, title):
    return next(row for row in sheet.iter_rows(min_row=2) if row[3].value == title)


def column(sheet, heading):
    return next(cell.column - 1 for cell in sheet[1] if cell.value == heading)


def test_it_changes_exactly_the_three_changed_measures(lead, plan, dresden_lead):
    workbook = download(lead)
    sheet = workbook.active
    before = {m.pk: (m.version, m.updated_at) for m in plan.measures.all()}
    row_of(sheet, "Maßnahme 0")[column(sheet, "Status")].value = "Umgesetzt"
    row_of(sheet, "Maßnahme 1")[column(sheet, "Beschreibung")].value = "Neue Beschreibung"
    third = row_of(sheet, "Maßnahme 2")
    third[column(sheet, "Zuständige Stelle")].value = "Bürgeramt"
    third[column(sheet, "Partner")].value = "Verein e. V."
    third[column(sheet, "Titel")].value = "Maßnahme 2, umbenannt"
    response = upload(lead, workbook)
    assert response.status_code == 302
    page = lead.get(response.headers["Location"]).content.decode()
    assert "3 Maßnahmen werden geändert." in page and "3 Zeilen sind unverändert." in page
    assert page.count(">geändert<") == 3 and page.count(">unverändert<") == 3
    for old, new in (("Geplant", "Umgesetzt"), ("Text 1", "Neue Beschreibung"), ("Amt", "Bürgeramt"), ("—", "Verein e. V."),
                     ("Maßnahme 2", "Maßnahme 2, umbenannt")):
        assert f"<del>{old}</del>" in page or f'<del lang="de">{old}</del>' in page, old
        assert f"<ins>{new}</ins>" in page or f'<ins lang="de">{new}</ins>' in page, new
    assert "Zuständige Stelle" in page and "Partner" in page
    assert "3 Zeilen übernehmen" in page
    assert Measure.objects.filter(status=MeasureStatus.IMPLEMENTED).count() == 0  # nothing before the confirmation

    response = lead.post(response.headers["Location"] + "confirm/")
    assert "3 Maßnahmen wurden aktualisiert." in lead.get(response.headers["Location"]).content.decode()
    changed = {m.title: m for m in plan.measures.all()}
    assert changed["Maßnahme 0"].status == MeasureStatus.IMPLEMENTED
    assert changed["Maßnahme 1"].description == "Neue Beschreibung"
    third = changed["Maßnahme 2, umbenannt"]
    assert (third.responsible_unit, third.partners) == ("Bürgeramt", "Verein e. V.")
    for measure in changed.values():
        moved = measure.title in ("Maßnahme 0", "Maßnahme 1", "Maßnahme 2, umbenannt")
        assert (measure.version, measure.updated_at != before[measure.pk][1]) == (before[measure.pk][0] + moved, moved)
        assert measure.history.count() == 1 + moved
    assert changed["Maßnahme 0"].history.first().history_user == dresden_lead
    assert changed["Maßnahme 0"].history.first().history_type == "~"
    assert Measure.objects.count() == 6
    imported = PlanImport.objects.get()
    assert (imported.created_count, imported.updated_count, imported.conflict_count) == (0, 3, 0)


def test_it_shows_an_unchanged_download_as_unchanged_with_nothing_to_import(lead, plan):
    page = upload(lead, download(lead, "en"), lang="en").content.decode()
    assert "No row is new or changed. There is nothing to import." in page
    assert page.count(">unchanged<") == 6
    assert not PlanImport.objects.exists()


def test_it_creates_a_row_without_id_and_changes_the_others_in_one_upload(lead, plan):
    workbook = download(lead)
    sheet = workbook.active
    sheet.append([None, None, 4, "Ganz neu", "Beschreibung der neuen", "Sozialamt", "Verein", "Geplant", None, None, None, "nein", "de"])
    row_of(sheet, "Maßnahme 5")[column(sheet, "Fortschritt (0–100)")].value = 80
    response = upload(lead, workbook)
    page = lead.get(response.headers["Location"]).content.decode()
    assert "1 Maßnahme wird angelegt." in page and "1 Maßnahme wird geändert." in page
    # The preview of a new row shows its texts, so that nothing is lost unseen.
    assert "Beschreibung der neuen" in page and "Sozialamt" in page
    lead.post(response.headers["Location"] + "confirm/")
    assert Measure.objects.get(title="Ganz neu").responsible_unit == "Sozialamt"
    assert Measure.objects.get(title="Maßnahme 5").progress == 80


def test_it_names_every_unknown_column_with_a_hint_to_the_nearest_heading(lead, plan):
    workbook = download(lead)
    sheet = workbook.active
    for index, heading in ((14, "Verantwortlich"), (15, "Stand"), (16, "Beschreibng")):
        sheet.cell(row=1, column=index, value=heading)
        sheet.cell(row=2, column=index, value="etwas")
    page = upload(lead, workbook).content.decode()  # nothing else changed: shown at once, nothing to confirm
    assert "Keine Zeile ist neu oder geändert." in page
    row_of(sheet, "Maßnahme 0")[column(sheet, "Status")].value = "Umgesetzt"
    response = upload(lead, workbook)
    page = lead.get(response.headers["Location"]).content.decode()
    assert "Diese Spalten sind unbekannt und werden nicht importiert:" in page
    assert "„Verantwortlich“</li>" in page and "„Stand“" in page
    assert "„Beschreibng“ – meinten Sie „Beschreibung“?" in page
    assert PlanImport.objects.get().ignored_columns[0] == {"heading": "Verantwortlich", "suggestion": ""}


def test_it_names_unknown_columns_in_english_too(client, dresden_editor, commitments):
    client.force_login(dresden_editor)
    data = "Commitment,Title,Responsibel unit\n1,Monitoring,Office\n".encode()
    response = client.post(IMPORT.format(lang="en"), {"file": SimpleUploadedFile("p.csv", data)})
    page = client.get(response.headers["Location"]).content.decode()
    assert "This column is not known and is not imported:" in page
    assert "did you mean “Responsible unit”?" in page


def test_it_shows_a_measure_changed_in_the_portal_since_the_download_as_a_conflict(lead, plan, dresden_editor):
    workbook = download(lead)
    sheet = workbook.active
    row_of(sheet, "Maßnahme 0")[column(sheet, "Status")].value = "Umgesetzt"
    row_of(sheet, "Maßnahme 1")[column(sheet, "Status")].value = "Umgesetzt"
    meanwhile = plan.measures.get(title="Maßnahme 0")
    meanwhile.progress = 55
    save_versioned(meanwhile, expected_version=meanwhile.version, by=dresden_editor)

    response = upload(lead, workbook)
    page = lead.get(response.headers["Location"]).content.decode()
    assert "Konflikt – nicht übernommen" in page and "seit dem Herunterladen im Portal geändert" in page
    assert "Jetzt im Portal → in der Datei:" in page and "<del>55 %</del>" in page and "<ins>10 %</ins>" in page
    assert "1 Zeile wird nicht übernommen" in page and "1 Maßnahme wird geändert." in page
    lead.post(response.headers["Location"] + "confirm/")
    meanwhile.refresh_from_db()
    assert (meanwhile.status, meanwhile.progress) == (MeasureStatus.PLANNED, 55)  # the portal's change stands
    assert plan.measures.get(title="Maßnahme 1").status == MeasureStatus.IMPLEMENTED


def test_it_does_not_overwrite_a_measure_changed_between_the_preview_and_the_confirmation(lead, plan, dresden_editor):
    workbook = download(lead)
    sheet = workbook.active
    row_of(sheet, "Maßnahme 0")[column(sheet, "Status")].value = "Umgesetzt"
    response = upload(lead, workbook)
    meanwhile = plan.measures.get(title="Maßnahme 0")
    meanwhile.title = "Im Portal umbenannt"
    save_versioned(meanwhile, expected_version=meanwhile.version, by=dresden_editor)
    response = lead.post(response.headers["Location"] + "confirm/")
    assert "1 Zeile wurde nicht übernommen" in lead.get(response.headers["Location"]).content.decode()
    meanwhile.refresh_from_db()
    assert (meanwhile.title, meanwhile.status) == ("Im Portal umbenannt", MeasureStatus.PLANNED)
    assert PlanImport.objects.get().conflict_count == 1


def test_it_treats_a_retired_measure_as_a_conflict(lead, plan, dresden_lead):
    workbook = download(lead)
    sheet = workbook.active
    row_of(sheet, "Maßnahme 0")[column(sheet, "Status")].value = "Umgesetzt"
    row_of(sheet, "Maßnahme 1")[column(sheet, "Status")].value = "Umgesetzt"
    plan.measures.get(title="Maßnahme 0").retire(by=dresden_lead)
    response = upload(lead, workbook)
    page = lead.get(response.headers["Location"]).content.decode()
    assert "Diese Maßnahme wurde seit dem Herunterladen zurückgezogen." in page
    lead.post(response.headers["Location"] + "confirm/")
    assert Measure.objects.get(title="Maßnahme 0").status == MeasureStatus.PLANNED


def test_it_refuses_the_id_of_another_members_measure(client, outsider, plan, duesseldorf):
    """Düsseldorf's coordinator uploads a file naming Dresden's measures: an error, and nothing changes."""
    ActionPlanFactory(member=duesseldorf)
    dresden_ids = list(plan.measures.values_list("pk", flat=True))
    client.force_login(outsider)
    text = "ID;Version;Verpflichtung;Titel;Status\n" + f"{dresden_ids[0]};1;1;Übernommen;Umgesetzt\n"
    response = client.post("/de/dashboard/duesseldorf/plan/import/", {"file": SimpleUploadedFile("p.csv", text.encode())})
    page = response.content.decode()
    assert response.status_code == 200
    assert f"Es gibt keine Maßnahme mit der ID {dresden_ids[0]} in diesem Plan." in page
    assert not PlanImport.objects.exists()
    assert not Measure.objects.filter(title="Übernommen").exists()


@pytest.mark.parametrize(
    "cells, message",
    [
        (("abc", "1"), "„abc“ ist keine ID einer Maßnahme"),
        (("{pk}", ""), "Die Version fehlt oder ist nicht lesbar"),
        (("999999", "1"), "Es gibt keine Maßnahme mit der ID 999999 in diesem Plan."),
    ],
)
def test_it_explains_a_bad_id_or_version_and_imports_nothing(lead, plan, cells, message):
    pk = plan.measures.first().pk
    text = "ID;Version;Verpflichtung;Titel\n" + ";".join(c.format(pk=pk) for c in cells) + ";1;Maßnahme 0\n"
    page = lead.post(IMPORT.format(lang="de"), {"file": SimpleUploadedFile("p.csv", text.encode())}).content.decode()
    assert message in page and "Es wurde nichts importiert" in page
    assert not PlanImport.objects.exists()


def test_it_refuses_the_same_measure_twice_and_an_end_before_the_stored_start(lead, plan):
    measure = plan.measures.get(title="Maßnahme 0")
    text = ("ID;Version;Verpflichtung;Titel;Ende\n" + f"{measure.pk};{measure.version};1;Maßnahme 0;01.01.2025\n"
            + f"{measure.pk};{measure.version};1;Maßnahme 0;\n")
    page = lead.post(IMPORT.format(lang="de"), {"file": SimpleUploadedFile("p.csv", text.encode())}).content.decode()
    assert "Das Ende liegt vor dem Beginn." in page  # the stored start, 01.01.2026, counts
    assert "ist schon in Zeile 2" in page


def test_it_leaves_the_fields_of_columns_missing_from_the_file_as_they_are(lead, plan):
    measure = plan.measures.get(title="Maßnahme 0")
    text = f"ID;Version;Verpflichtung;Titel;Status\n{measure.pk};{measure.version};1;Maßnahme 0;Umgesetzt\n"
    response = lead.post(IMPORT.format(lang="de"), {"file": SimpleUploadedFile("p.csv", text.encode())})
    lead.post(response.headers["Location"] + "confirm/")
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.IMPLEMENTED
    assert (measure.description, measure.responsible_unit, measure.progress, measure.is_public) == ("Text 0", "Amt", 10, True)


def test_it_applies_a_changed_plan_once_when_confirmed_twice(lead, plan):
    workbook = download(lead)
    sheet = workbook.active
    row_of(sheet, "Maßnahme 0")[column(sheet, "Fortschritt (0–100)")].value = 90
    confirm = upload(lead, workbook).headers["Location"] + "confirm/"
    lead.post(confirm)
    response = lead.post(confirm)
    assert "bereits ausgeführt" in lead.get(response.headers["Location"]).content.decode()
    measure = plan.measures.get(title="Maßnahme 0")
    assert (measure.progress, measure.version, measure.history.count()) == (90, 2, 2)


@pytest.mark.parametrize("persona", ["dresden_editor", "staff"])
def test_it_lets_an_editor_and_the_secretariat_change_the_plan(client, plan, persona, request):
    client.force_login(request.getfixturevalue(persona))
    workbook = download(client)
    sheet = workbook.active
    row_of(sheet, "Maßnahme 3")[column(sheet, "Status")].value = "Daueraufgabe"
    response = upload(client, workbook)
    client.post(response.headers["Location"] + "confirm/")
    assert plan.measures.get(title="Maßnahme 3").status == MeasureStatus.CONTINUOUS


@pytest.mark.parametrize("persona", ["outsider", "bare_staff"])
def test_it_keeps_the_changed_plan_from_outsiders(client, lead, plan, persona, request):
    workbook = download(lead)
    sheet = workbook.active
    row_of(sheet, "Maßnahme 3")[column(sheet, "Status")].value = "Daueraufgabe"
    preview = upload(lead, workbook).headers["Location"]
    client.force_login(request.getfixturevalue(persona))
    assert client.get(EXPORT.format(lang="de")).status_code == 404
    assert client.get(preview).status_code == 404
    assert client.post(preview + "confirm/").status_code == 404
    client.logout()
    assert client.post(preview + "confirm/").status_code == 302  # to the login
    assert plan.measures.get(title="Maßnahme 3").status == MeasureStatus.PLANNED


@pytest.mark.parametrize("upload_file, message", [
    (SimpleUploadedFile("plan.xlsx", b"PK\x03\x04 not really a workbook"), "weder eine CSV-Datei noch eine Excel-Datei"),
    (SimpleUploadedFile("plan.csv", "ID;Version\n1;1\n".encode()), "Es fehlen: Verpflichtung (1–10), Titel."),
])
def test_it_refuses_a_bad_file_with_a_clear_message(lead, upload_file, message):
    page = lead.post(IMPORT.format(lang="de"), {"file": upload_file}).content.decode()
    assert message in page and not PlanImport.objects.exists()


def _changed_plan_workbook(client, count):
    workbook = download(client)
    for row in list(workbook.active.iter_rows(min_row=2))[:count]:
        row[7].value = "Umgesetzt"
    return workbook


@pytest.mark.parametrize("count", [10, 1000])
def test_it_checks_previews_and_applies_a_changed_plan_in_a_fixed_number_of_queries(
    client, dresden_lead, dresden, commitments, count, django_assert_max_num_queries
):
    plan = ActionPlanFactory(member=dresden)
    client.force_login(dresden_lead)
    lead = client
    Measure.objects.bulk_create(
        Measure(plan=plan, commitment=commitments[n % 10], title=f"Eintrag {n}", status=MeasureStatus.PLANNED)
        for n in range(count)
    )
    workbook = _changed_plan_workbook(lead, count)
    with django_assert_max_num_queries(10):
        response = upload(lead, workbook)
    with django_assert_max_num_queries(9):
        page = lead.get(response.headers["Location"]).content.decode()
    assert f"{count} Maßnahmen werden geändert." in page or f"{count:,}".replace(",", ".") + " Maßnahmen werden geändert." in page
    with django_assert_max_num_queries(19):
        lead.post(response.headers["Location"] + "confirm/")
    assert Measure.objects.filter(status=MeasureStatus.IMPLEMENTED).count() == count
    assert Measure.history.filter(history_type="~").count() == count


def test_it_changes_commitment_dates_publicity_and_language_from_an_english_download(client, dresden_editor, plan):
    client.force_login(dresden_editor)
    workbook = download(client, "en")
    sheet = workbook.active
    row = row_of(sheet, "Maßnahme 4")
    row[column(sheet, "Commitment (1–10)")].value = 9
    row[column(sheet, "End")].value = "31.12.2027"
    row[column(sheet, "Public (yes/no)")].value = "no"
    row[column(sheet, "Language of the text (de/en)")].value = "en"
    response = upload(client, workbook, lang="en")
    page = client.get(response.headers["Location"]).content.decode()
    assert "1 measure will be changed." in page and "<del>public</del>" in page and "<ins>internal</ins>" in page
    client.post(response.headers["Location"] + "confirm/")
    measure = plan.measures.get(title="Maßnahme 4")
    assert (measure.commitment.number, measure.end_date, measure.is_public, measure.content_language) == (
        9, dt.date(2027, 12, 31), False, "en")
    assert measure.start_date == dt.date(2026, 1, 1)


def test_it_links_the_download_from_the_plan_editor_and_the_import_page(lead):
    for url in ("/de/dashboard/dresden/plan/", IMPORT.format(lang="de")):
        assert 'href="/de/dashboard/dresden/plan/export.xlsx"' in lead.get(url).content.decode()
