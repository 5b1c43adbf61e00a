"""The report editor's kept drafts: the script's POST, the offer to restore or discard, and a save removing it."""

import datetime as dt

import pytest
import time_machine

from reports.models import ImplementationReport, ReportDraft, ReportStatus
from reports.services import report_create
from reports.tests.factories import ReportDraftFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(dresden, dresden_lead, commitments):
    return report_create(member=dresden, start=dt.date(2023, 1, 1), end=dt.date(2024, 12, 31), by=dresden_lead)


def edit_url(report, lang="en"):
    return f"/{lang}/dashboard/{report.member.slug}/reports/{report.pk}/"


def typed(report, **extra):
    data = {"version": report.version, "title": "", "summary": "", "document_language": "", "document_title": ""}
    data.update({f"narrative_{n}": "" for n in range(1, 11)})
    data.update(extra)
    return data


def keep(client, report, **extra):
    return client.post(edit_url(report) + "draft/", typed(report, **extra))


# --- Keeping what is typed ----------------------------------------------------------------------------


def test_it_keeps_the_typing_without_touching_the_report(client, draft, dresden_editor, django_assert_max_num_queries):
    client.force_login(dresden_editor)
    with django_assert_max_num_queries(15):
        response = keep(client, draft, narrative_3="Beratung ausgebaut", summary="Entwurf")
    assert response.status_code == 200
    assert "kept as a draft at" in response.json()["message"]
    kept = ReportDraft.objects.get(report=draft, user=dresden_editor)
    assert kept.narratives["3"] == "Beratung ausgebaut" and kept.summary == "Entwurf" and kept.base_version == 1
    report = ImplementationReport.objects.get(pk=draft.pk)
    assert report.version == 1 and report.summary == "" and report.narratives.get(commitment__number=3).text == ""


def test_it_keeps_nothing_when_the_typing_equals_the_saved_text(client, draft, dresden_editor):
    client.force_login(dresden_editor)
    keep(client, draft, narrative_1="Vertippt")
    # Typed back to what is saved (or a request arriving after the save itself): the earlier draft goes too.
    response = keep(client, draft, narrative_1="")
    assert response.status_code == 200 and response.json()["message"] == "Everything you typed is saved."
    assert not ReportDraft.objects.exists()


def test_it_replaces_the_users_earlier_draft_and_keeps_others_apart(client, draft, dresden_editor, dresden_lead):
    client.force_login(dresden_editor)
    keep(client, draft, narrative_1="Erst")
    keep(client, draft, narrative_1="Dann")
    client.force_login(dresden_lead)
    keep(client, draft, narrative_1="Von der Leitung")
    assert {d.user.username: d.narratives["1"] for d in ReportDraft.objects.select_related("user")} == {
        "dresden-editor": "Dann",
        "dresden-lead": "Von der Leitung",
    }


def test_it_refuses_too_long_text_in_the_users_language_and_keeps_nothing(client, draft, dresden_editor):
    client.force_login(dresden_editor)
    response = client.post(
        edit_url(draft, "de") + "draft/", typed(draft, narrative_2="x" * 20001)
    )
    assert response.status_code == 400
    body = response.json()
    assert "nicht zwischengespeichert" in body["message"] and "narrative_2" in body["errors"]
    assert not ReportDraft.objects.exists()


@pytest.mark.parametrize("version", ["", "zwei", "2", "999999999999"])
def test_it_refuses_a_post_without_a_valid_version(client, draft, dresden_editor, version):
    client.force_login(dresden_editor)
    assert keep(client, draft, version=version).status_code == 400
    assert not ReportDraft.objects.exists()


def test_it_keeps_nothing_of_a_submitted_report(client, draft, dresden_lead):
    draft.submit(by=dresden_lead)
    client.force_login(dresden_lead)
    response = keep(client, draft, version=draft.version, narrative_1="Zu spät")
    assert response.status_code == 409 and not ReportDraft.objects.exists()


def test_it_accepts_only_post(client, draft, dresden_editor):
    client.force_login(dresden_editor)
    assert client.get(edit_url(draft) + "draft/").status_code == 405
    assert client.get(edit_url(draft) + "draft/discard/").status_code == 405


def test_it_refuses_a_post_without_the_csrf_token(draft, dresden_editor):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(dresden_editor)
    assert keep(client, draft, narrative_1="Text").status_code == 403
    assert not ReportDraft.objects.exists()


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("anonymous", 302),
        ("outsider", 404),
        ("bare_staff", 404),
        ("dresden_editor", 200),
        ("dresden_lead", 200),
        ("staff", 200),
    ],
)
def test_it_lets_only_the_members_coordinators_and_the_secretariat_keep_and_discard(client, request, draft, persona, expected):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    response = keep(client, draft, narrative_1="Text")
    assert response.status_code == expected
    if expected == 302:
        assert "/accounts/login/" in response.headers["Location"]
    assert ReportDraft.objects.exists() is (expected == 200)
    discarded = client.post(edit_url(draft) + "draft/discard/")
    assert discarded.status_code == (302 if expected != 404 else 404)
    assert not ReportDraft.objects.exists()


# --- Offering it back -----------------------------------------------------------------------------------


def test_it_offers_a_kept_draft_with_when_it_was_kept(client, draft, dresden_editor):
    with time_machine.travel(dt.datetime(2026, 12, 7, 22, 40, tzinfo=dt.UTC), tick=False):
        ReportDraftFactory(report=draft, user=dresden_editor, narratives={"4": "Getippt, nicht gespeichert"})
    client.force_login(dresden_editor)
    body = client.get(edit_url(draft, "de")).content.decode()
    assert 'id="draft-offer"' in body and "07.12.2026 23:40" in body
    assert "?draft=restore" in body and "draft/discard/" in body
    # Offered, not yet put into the form.
    assert "Getippt, nicht gespeichert" not in body


def test_it_offers_no_draft_of_someone_else_or_one_equal_to_the_saved_text(client, draft, dresden_editor, dresden_lead):
    ReportDraftFactory(report=draft, user=dresden_lead, narratives={"4": "Von der Leitung"})
    ReportDraftFactory(report=draft, user=dresden_editor, narratives={"4": ""})
    client.force_login(dresden_editor)
    body = client.get(edit_url(draft)).content.decode()
    assert 'id="draft-offer"' not in body and "Von der Leitung" not in body


def test_it_restores_the_draft_into_the_form_without_saving_it(client, draft, dresden_editor):
    ReportDraftFactory(report=draft, user=dresden_editor, title="Mein Titel", narratives={"4": "Getippt, nicht gespeichert"})
    client.force_login(dresden_editor)
    body = client.get(edit_url(draft) + "?draft=restore").content.decode()
    assert 'id="draft-restored"' in body and 'id="draft-offer"' not in body
    assert "Getippt, nicht gespeichert</textarea>" in body and 'value="Mein Titel"' in body
    assert "data-unsaved" in body and 'name="version" value="1"' in body
    assert ImplementationReport.objects.get(pk=draft.pk).title == ""
    assert ReportDraft.objects.exists()


def test_it_restores_a_draft_typed_before_someone_elses_save_with_its_own_version(client, draft, dresden_editor, dresden_lead):
    ReportDraftFactory(report=draft, user=dresden_editor, narratives={"2": "Mein Text"})
    draft.save_draft(expected_version=1, title="", summary="", narratives={2: "Ihr Text"}, by=dresden_lead)
    client.force_login(dresden_editor)
    body = client.get(edit_url(draft)).content.decode()
    assert 'id="draft-offer"' in body  # older than that save, and still offered: nothing typed is lost
    body = client.get(edit_url(draft) + "?draft=restore").content.decode()
    assert "saving keeps the other changes and shows side by side only what you both changed" in body and 'name="version" value="1"' in body
    # Both changed narrative 2: a conflict with the other save, never an overwrite.
    response = client.post(edit_url(draft) + "save/", typed(draft, version=1, narrative_2="Mein Text"))
    assert response.status_code == 409
    assert ImplementationReport.objects.get(pk=draft.pk).narratives.get(commitment__number=2).text == "Ihr Text"


def test_it_discards_the_draft_on_request(client, draft, dresden_editor, dresden_lead):
    ReportDraftFactory(report=draft, user=dresden_editor, narratives={"4": "Weg damit"})
    ReportDraftFactory(report=draft, user=dresden_lead, narratives={"4": "Bleibt"})
    client.force_login(dresden_editor)
    response = client.post(edit_url(draft) + "draft/discard/")
    assert response.status_code == 302 and response.headers["Location"] == edit_url(draft)
    assert list(ReportDraft.objects.values_list("user__username", flat=True)) == ["dresden-lead"]
    assert "The kept text has been discarded." in client.get(edit_url(draft)).content.decode()


def test_it_removes_the_users_draft_when_the_report_is_saved(client, draft, dresden_editor, dresden_lead):
    ReportDraftFactory(report=draft, user=dresden_editor, narratives={"4": "Jetzt gespeichert"})
    ReportDraftFactory(report=draft, user=dresden_lead, narratives={"4": "Von der Leitung"})
    client.force_login(dresden_editor)
    assert client.post(edit_url(draft) + "save/", typed(draft, narrative_4="Jetzt gespeichert")).status_code == 302
    assert list(ReportDraft.objects.values_list("user__username", flat=True)) == ["dresden-lead"]


def test_it_keeps_the_draft_when_the_save_is_refused(client, draft, dresden_editor):
    ReportDraftFactory(report=draft, user=dresden_editor, narratives={"4": "Nicht verlieren"})
    client.force_login(dresden_editor)
    assert client.post(edit_url(draft) + "save/", typed(draft, narrative_4="x" * 20001)).status_code == 400
    assert ReportDraft.objects.exists()


def test_it_shows_no_offer_on_a_submitted_report(client, draft, dresden_lead):
    ReportDraftFactory(report=draft, user=dresden_lead, narratives={"4": "Alt"})
    draft.submit(by=dresden_lead)
    client.force_login(dresden_lead)
    body = client.get(edit_url(draft) + "?draft=restore").content.decode()
    assert draft.status == ReportStatus.SUBMITTED and "draft-offer" not in body and "draft-restored" not in body


# --- A save button per commitment --------------------------------------------------------------------------


def test_it_has_a_save_button_per_commitment(client, draft, dresden_editor):
    client.force_login(dresden_editor)
    body = client.get(edit_url(draft)).content.decode()
    assert all(f'id="commitment-{n}"' in body and f'name="commitment" value="{n}"' in body for n in range(1, 11))


def test_it_returns_to_the_commitment_whose_button_was_pressed(client, draft, dresden_editor):
    client.force_login(dresden_editor)
    response = client.post(edit_url(draft) + "save/", typed(draft, narrative_6="Sechs", commitment="6"))
    assert response.status_code == 302 and response.headers["Location"] == edit_url(draft) + "#commitment-6"
    assert ImplementationReport.objects.get(pk=draft.pk).narratives.get(commitment__number=6).text == "Sechs"


@pytest.mark.parametrize("value", ["11", "x", "6#evil", "-1", "", "²", "9" * 5000])
def test_it_ignores_anything_but_a_commitments_number_as_the_place_to_return_to(client, draft, dresden_editor, value):
    client.force_login(dresden_editor)
    response = client.post(edit_url(draft) + "save/", typed(draft, commitment=value))
    assert response.status_code == 302 and response.headers["Location"] == edit_url(draft)


def test_it_keeps_an_offered_draft_that_was_neither_restored_nor_discarded(client, draft, dresden_editor):
    ReportDraftFactory(report=draft, user=dresden_editor, narratives={"4": "Eine Stunde Arbeit"})
    client.force_login(dresden_editor)
    body = client.get(edit_url(draft)).content.decode()
    # While the kept text is only offered, the page's typing does not replace it, and a save leaves it for later.
    assert 'id="draft-offer"' in body and "data-draft-url" not in body and 'name="draft_offered" value="1"' in body
    response = client.post(edit_url(draft) + "save/", typed(draft, summary="Erst die Zusammenfassung", draft_offered="1"))
    assert response.status_code == 302
    assert ReportDraft.objects.get(report=draft, user=dresden_editor).narratives["4"] == "Eine Stunde Arbeit"
    assert 'id="draft-offer"' in client.get(edit_url(draft)).content.decode()


def test_it_drops_the_kept_drafts_when_the_report_is_submitted(client, draft, dresden_editor, dresden_lead):
    ReportDraftFactory(report=draft, user=dresden_editor, narratives={"4": "Vor dem Einreichen"})
    draft.submit(by=dresden_lead)
    assert not ReportDraft.objects.filter(report=draft).exists()
