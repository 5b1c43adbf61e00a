import pytest
from django.utils import translation

from actionplan.models import MeasureStatus
from actionplan.tests.factories import ActionPlanFactory, MeasureFactory, MeasureUpdateFactory

pytestmark = pytest.mark.django_db


def edit(client, measure, commitment, **changes):
    data = {
        "commitment": commitment.pk, "title": measure.title, "status": measure.status, "progress": measure.progress,
        "version": measure.version, "is_public": "on",
    }
    data.update(changes)
    response = client.post(f"/en/dashboard/dresden/measures/{measure.pk}/", data)
    assert response.status_code == 302
    measure.refresh_from_db()


def test_it_shows_who_changed_which_field_from_what_to_what(client, dresden_editor, dresden_lead, dresden, commitments):
    measure = MeasureFactory(plan=ActionPlanFactory(member=dresden), commitment=commitments[0], title="Erster Titel", progress=10)
    client.force_login(dresden_editor)
    edit(client, measure, commitments[0], title="Zweiter Titel", progress=50)
    client.force_login(dresden_lead)
    edit(client, measure, commitments[4], status=MeasureStatus.IMPLEMENTED)
    response = client.get(f"/en/dashboard/dresden/measures/{measure.pk}/history/")
    assert response.status_code == 200
    entries = response.context["entries"]
    with translation.override("en"):
        expected_commitments = (str(commitments[0]), str(commitments[4]))
    assert [e["record"].history_user for e in entries] == [dresden_lead, dresden_editor, None]
    assert {c["label"]: (c["old"], c["new"]) for c in entries[0]["changes"]} == {
        "commitment": expected_commitments,
        "status": ("In progress", "Implemented"),
    }
    assert {c["label"]: (c["old"], c["new"]) for c in entries[1]["changes"]} == {
        "title": ("Erster Titel", "Zweiter Titel"),
        "progress (%)": ("10", "50"),
    }
    body = response.content.decode()
    assert "dresden-lead" in body and "Erster Titel" in body


def test_it_cannot_be_changed_from_the_ui(client, dresden_editor, dresden, commitments):
    measure = MeasureFactory(plan=ActionPlanFactory(member=dresden), commitment=commitments[0])
    client.force_login(dresden_editor)
    response = client.get(f"/de/dashboard/dresden/measures/{measure.pk}/history/")
    assert "<form" not in response.content.decode().split('id="main"')[1]
    assert client.post(f"/de/dashboard/dresden/measures/{measure.pk}/history/").status_code == 405


def history(client, measure, lang="en"):
    response = client.get(f"/{lang}/dashboard/dresden/measures/{measure.pk}/history/")
    assert response.status_code == 200
    return response


def test_it_shows_entries_added_corrected_and_removed_in_order_with_the_measures_own_changes(
    client, dresden_editor, dresden_lead, dresden, commitments
):
    from actionplan.models import MeasureUpdate

    measure = MeasureFactory(plan=ActionPlanFactory(member=dresden), commitment=commitments[0], title="Beratung")
    client.force_login(dresden_editor)
    # An entry posted without changing the measure: the measure's own save changes nothing a reader sees.
    edit(client, measure, commitments[0], **{"update-date": "2026-03-01", "update-text": "Flyer verteilt."})
    entry = MeasureUpdate.objects.get(measure=measure)
    edit(client, measure, commitments[0], title="Beratung bekannt machen")
    base = f"/en/dashboard/dresden/measures/{measure.pk}/entries/{entry.pk}/"
    corrected = client.post(base, {"date": "2026-03-02", "text": "Flyer und Plakate verteilt.", "status_change": "", "version": entry.version})
    assert corrected.status_code == 302
    client.force_login(dresden_lead)
    assert client.post(base + "remove/", {"reason": "Doppelt eingetragen"}).status_code == 302

    response = history(client, measure)
    entries = response.context["entries"]
    assert [(e["kind"], e["record"].history_user) for e in entries] == [
        ("timeline entry removed", dresden_lead),
        ("timeline entry corrected", dresden_editor),
        ("changed", dresden_editor),
        ("timeline entry added", dresden_editor),
        ("created", None),
    ]
    removed, corrected, changed, added, _created = ({c["label"]: (c["old"], c["new"]) for c in e["changes"]} for e in entries)
    assert removed == {"date": ("02/03/2026", "—"), "text": ("Flyer und Plakate verteilt.", "—")}
    assert entries[0]["reason"] == "Doppelt eingetragen"
    assert corrected == {"date": ("01/03/2026", "02/03/2026"), "text": ("Flyer verteilt.", "Flyer und Plakate verteilt.")}
    assert changed == {"title": ("Beratung", "Beratung bekannt machen")}
    assert added == {"date": ("—", "01/03/2026"), "text": ("—", "Flyer verteilt.")}
    body = response.content.decode()
    assert "No visible field changed" not in body
    assert "Reason: Doppelt eingetragen" in body


def test_it_shows_it_in_german(client, dresden_lead, dresden, commitments):
    from actionplan.services import timeline_entry_remove

    measure = MeasureFactory(plan=ActionPlanFactory(member=dresden), commitment=commitments[0])
    entry = MeasureUpdateFactory(measure=measure, author=dresden_lead, text="Ein Eintrag")
    timeline_entry_remove(entry=entry, by=dresden_lead, reason="Falsche Maßnahme")
    client.force_login(dresden_lead)
    body = history(client, measure, lang="de").content.decode()
    assert "Verlaufseintrag entfernt" in body and "Verlaufseintrag hinzugefügt" in body
    assert "Grund: Falsche Maßnahme" in body
    assert "Kein sichtbares Feld" not in body


def test_it_leaves_out_saves_that_changed_nothing_visible(client, dresden_editor, dresden, commitments):
    measure = MeasureFactory(plan=ActionPlanFactory(member=dresden), commitment=commitments[0])
    client.force_login(dresden_editor)
    edit(client, measure, commitments[0])
    edit(client, measure, commitments[0])
    entries = history(client, measure).context["entries"]
    assert [e["kind"] for e in entries] == ["created"]


def make_history(measure, user, count: int) -> None:
    from actionplan.services import timeline_entry_remove

    for n in range(count):
        measure.title = f"Titel {n}"
        measure._history_user = user
        measure.save()
        entry = MeasureUpdateFactory(measure=measure, author=user)
        entry.text = f"Korrigiert {n}"
        entry.save()
        timeline_entry_remove(entry=entry, by=user, reason=f"Grund {n}")


@pytest.mark.parametrize("count", [2, 25])
def test_it_reads_a_long_history_in_a_constant_number_of_queries(
    client, dresden_editor, dresden, commitments, django_assert_max_num_queries, count
):
    measure = MeasureFactory(plan=ActionPlanFactory(member=dresden), commitment=commitments[0])
    make_history(measure, dresden_editor, count)
    measure.retire(by=dresden_editor)
    client.force_login(dresden_editor)
    with django_assert_max_num_queries(11):
        entries = history(client, measure).context["entries"]
    assert len(entries) == 1 + 1 + count * 4  # created, retired, and per round: changed, added, corrected, removed
