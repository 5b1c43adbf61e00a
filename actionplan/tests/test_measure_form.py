"""Adding and editing a measure: validation in the user's language, kept values, optimistic locking."""

import re

import pytest
from django.test import Client

from actionplan.models import Measure, MeasureStatus
from actionplan.tests.factories import ActionPlanFactory, MeasureFactory

pytestmark = pytest.mark.django_db


def measure_data(**overrides) -> dict:
    data = {
        "title": "Antidiskriminierungsberatung ausbauen",
        "description": "Mehr Beratungsstunden",
        "responsible_unit": "Integrationsamt",
        "partners": "Verein XY",
        "status": MeasureStatus.IN_PROGRESS,
        "progress": "30",
        "start_date": "2026-01-01",
        "end_date": "2026-12-31",
        "is_public": "on",
    }
    data.update(overrides)
    return data


@pytest.fixture
def plan(dresden, commitments):
    return ActionPlanFactory(member=dresden)


def test_it_adds_a_measure_under_the_chosen_commitment(client, dresden_editor, plan, commitments):
    client.force_login(dresden_editor)
    page = client.get("/de/dashboard/dresden/plan/new/3/")
    assert page.status_code == 200
    assert f'<option value="{commitments[2].pk}" selected>' in page.content.decode()
    response = client.post("/de/dashboard/dresden/plan/new/3/", measure_data(commitment=commitments[2].pk, version=1))
    assert response.status_code == 302
    measure = Measure.objects.get()
    assert (measure.plan, measure.commitment.number, measure.progress, measure.is_public) == (plan, 3, 30, True)
    assert measure.history.get().history_user == dresden_editor


def test_it_creates_one_measure_when_the_same_form_is_sent_twice(client, dresden_editor, plan, commitments):
    client.force_login(dresden_editor)
    page = client.get("/de/dashboard/dresden/plan/new/3/").content.decode()
    token = re.search(r'name="form_token" value="([0-9a-f-]{36})"', page).group(1)
    data = measure_data(commitment=commitments[2].pk, version=1, form_token=token)
    first = client.post("/de/dashboard/dresden/plan/new/3/", data)
    second = client.post("/de/dashboard/dresden/plan/new/3/", data, follow=True)
    assert Measure.objects.count() == 1
    # The second answer leads to the first result and says what happened.
    assert second.redirect_chain[0][0] == first.url
    assert "bereits gesendet" in second.content.decode()
    # A fresh form (a new token) adds another measure.
    fresh = re.search(r'name="form_token" value="([0-9a-f-]{36})"', client.get("/de/dashboard/dresden/plan/new/3/").content.decode()).group(1)
    assert fresh != token
    client.post("/de/dashboard/dresden/plan/new/3/", {**data, "form_token": fresh})
    assert Measure.objects.count() == 2


def test_it_keeps_the_token_of_a_form_with_errors_so_the_corrected_form_creates_once(client, dresden_editor, plan, commitments):
    client.force_login(dresden_editor)
    data = measure_data(commitment=commitments[2].pk, version=1, form_token="0b7e0a4e-2d55-4c55-9d7c-2a4c8f7d7b01", title="")
    page = client.post("/de/dashboard/dresden/plan/new/3/", data).content.decode()
    assert 'value="0b7e0a4e-2d55-4c55-9d7c-2a4c8f7d7b01"' in page
    client.post("/de/dashboard/dresden/plan/new/3/", {**data, "title": "Beratung"})
    client.post("/de/dashboard/dresden/plan/new/3/", {**data, "title": "Beratung"})
    assert Measure.objects.count() == 1


def test_it_creates_the_plan_when_the_member_has_none(client, dresden_lead, dresden, commitments):
    client.force_login(dresden_lead)
    client.post("/en/dashboard/dresden/plan/new/8/", measure_data(commitment=commitments[7].pk, version=1))
    assert Measure.objects.get().plan.member == dresden


def test_it_refuses_an_unknown_commitment(client, dresden_editor, plan):
    client.force_login(dresden_editor)
    assert client.get("/de/dashboard/dresden/plan/new/11/").status_code == 404


@pytest.mark.parametrize(
    ("lang", "overrides", "field", "message"),
    [
        ("de", {"start_date": "2026-05-01", "end_date": "2026-04-30"}, "end_date", "Das Ende darf nicht vor dem Beginn liegen."),
        ("en", {"start_date": "2026-05-01", "end_date": "2026-04-30"}, "end_date", "The end cannot be before the start."),
        ("en", {"progress": "101"}, "progress", "Ensure this value is less than or equal to 100."),
        ("de", {"progress": "-1"}, "progress", "Dieser Wert muss größer oder gleich 0 sein."),
        ("en", {"title": ""}, "title", "This field is required."),
        ("de", {"title": ""}, "title", "Dieses Feld ist zwingend erforderlich."),
    ],
)
def test_it_shows_errors_next_to_the_field_and_keeps_every_value(
    client, dresden_editor, plan, commitments, lang, overrides, field, message
):
    client.force_login(dresden_editor)
    data = measure_data(commitment=commitments[2].pk, version=1, **overrides)
    response = client.post(f"/{lang}/dashboard/dresden/plan/new/3/", data)
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == [field]
    body = response.content.decode()
    assert message in body
    assert f'id="id_{field}"' in body and "is-invalid" in body
    for name in ["title", "responsible_unit", "progress", "start_date", "end_date"]:
        if data[name]:
            assert f'value="{data[name]}"' in body, name
    assert "Mehr Beratungsstunden" in body and "Verein XY" in body
    assert not Measure.objects.exists()


def test_it_saves_an_edit_and_moves_the_version_on(client, dresden_editor, plan, commitments):
    measure = MeasureFactory(plan=plan, commitment=commitments[0], title="Alt")
    client.force_login(dresden_editor)
    page = client.get(f"/de/dashboard/dresden/measures/{measure.pk}/")
    assert 'name="version" value="1"' in page.content.decode()
    response = client.post(
        f"/de/dashboard/dresden/measures/{measure.pk}/", measure_data(commitment=commitments[0].pk, title="Neu", version=1)
    )
    assert response.status_code == 302
    measure.refresh_from_db()
    assert (measure.title, measure.version) == ("Neu", 2)
    latest = measure.history.first()
    assert latest.history_user == dresden_editor
    assert {c.field: (c.old, c.new) for c in latest.diff_against(latest.prev_record).changes}["title"] == ("Alt", "Neu")


def test_it_refuses_the_second_of_two_concurrent_saves_and_shows_both_values(
    dresden_editor, dresden_lead, plan, commitments
):
    measure = MeasureFactory(plan=plan, commitment=commitments[0], title="Ausgangstitel", responsible_unit="Amt A")
    first, second = Client(), Client()
    first.force_login(dresden_editor)
    second.force_login(dresden_lead)
    url = f"/en/dashboard/dresden/measures/{measure.pk}/"
    # Both open the form at version 1.
    assert 'name="version" value="1"' in first.get(url).content.decode()
    assert 'name="version" value="1"' in second.get(url).content.decode()
    assert first.post(url, measure_data(commitment=commitments[0].pk, title="Title by the editor", version=1)).status_code == 302
    response = second.post(url, measure_data(commitment=commitments[0].pk, title="Title by the lead", version=1))

    assert response.status_code == 409
    body = response.content.decode()
    assert "someone else changed the same fields" in body
    assert "Saved by dresden-editor on " in body
    # The other person's saved value and the user's own unsaved value, side by side.
    assert '<td class="conflict-theirs">Title by the editor</td>' in body
    assert '<td class="conflict-mine">Title by the lead</td>' in body
    # The form keeps what the lead typed, now based on the current version.
    assert 'value="Title by the lead"' in body
    assert 'name="version" value="2"' in body
    measure.refresh_from_db()
    assert (measure.title, measure.version) == ("Title by the editor", 2)

    # Saving again after looking is a deliberate choice, and it works.
    assert second.post(url, measure_data(commitment=commitments[0].pk, title="Merged title", version=2)).status_code == 302
    measure.refresh_from_db()
    assert (measure.title, measure.version) == ("Merged title", 3)
    assert [h.title for h in measure.history.all()] == ["Merged title", "Title by the editor", "Ausgangstitel"]


def test_it_does_not_edit_a_retired_measure(client, dresden_editor, plan, commitments, staff):
    measure = MeasureFactory(plan=plan, commitment=commitments[0])
    measure.retire(by=staff)
    client.force_login(dresden_editor)
    assert client.get(f"/de/dashboard/dresden/measures/{measure.pk}/").status_code == 404


def test_it_hides_another_members_measure_behind_a_404(client, dresden_editor, plan, duesseldorf, commitments):
    foreign = MeasureFactory(plan=ActionPlanFactory(member=duesseldorf), commitment=commitments[0])
    client.force_login(dresden_editor)
    assert client.get(f"/de/dashboard/dresden/measures/{foreign.pk}/").status_code == 404
    assert client.get(f"/de/dashboard/duesseldorf/measures/{foreign.pk}/").status_code == 404


def test_it_keeps_the_typed_values_when_the_measure_was_retired_meanwhile(client, dresden_editor, dresden_lead, plan, commitments):
    measure = MeasureFactory(plan=plan, commitment=commitments[0], title="Bald zurückgezogen")
    client.force_login(dresden_editor)
    measure.retire(by=dresden_lead)
    response = client.post(
        f"/en/dashboard/dresden/measures/{measure.pk}/",
        measure_data(commitment=commitments[0].pk, title="Typed before the retirement", version=1),
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert "retired in the meantime" in body
    assert 'value="Typed before the retirement"' in body


def test_it_treats_progress_zero_as_a_value_in_the_conflict_table(dresden_editor, dresden_lead, plan, commitments):
    measure = MeasureFactory(plan=plan, commitment=commitments[0], progress=10)
    first, second = Client(), Client()
    first.force_login(dresden_editor)
    second.force_login(dresden_lead)
    url = f"/en/dashboard/dresden/measures/{measure.pk}/"
    first.post(url, measure_data(commitment=commitments[0].pk, title="T", progress="", version=1))
    response = second.post(url, measure_data(commitment=commitments[0].pk, title="T", progress="0", version=1))
    rows = {row["label"]: (row["theirs"], row["mine"]) for row in response.context["conflict"]["rows"]}
    assert rows["Progress (%)"] == ("—", "0")


def test_it_records_the_language_the_coordinator_writes_in_not_the_page_language(client, dresden_lead, dresden, commitments):
    """A Dresden coordinator on the English pages still writes German: the public page must mark it lang="de"."""
    from actionplan.models import Measure

    client.force_login(dresden_lead)
    form = client.get("/en/dashboard/dresden/plan/new/3/").content.decode()
    assert 'name="content_language"' in form
    data = {"commitment": commitments[2].pk, "title": "Beratungsstelle", "status": "planned", "version": 0,
            "is_public": "on", "content_language": "de"}
    assert client.post("/en/dashboard/dresden/plan/new/3/", data).status_code == 302
    measure = Measure.objects.get(title="Beratungsstelle")
    assert measure.content_language == "de"
    assert 'lang="de">Beratungsstelle</a>' in client.get("/en/members/dresden/").content.decode()
    # A post without the field keeps the stored language.
    data = {**data, "version": measure.version, "title": "Beratungsstelle neu"}
    del data["content_language"]
    assert client.post(f"/en/dashboard/dresden/measures/{measure.pk}/", data).status_code == 302
    measure.refresh_from_db()
    assert (measure.title, measure.content_language) == ("Beratungsstelle neu", "de")


def _two_coordinators(dresden_editor, dresden_lead):
    dresden_editor.first_name, dresden_editor.last_name = "Erika", "Muster"
    dresden_editor.save()
    first, second = Client(), Client()
    first.force_login(dresden_editor)
    second.force_login(dresden_lead)
    return first, second


def _stored_form(measure, commitments, **overrides) -> dict:
    # What the form sends when opened at the measure's current state, with the user's own edits.
    data = {
        "commitment": commitments[0].pk, "title": measure.title, "description": measure.description,
        "responsible_unit": measure.responsible_unit, "partners": measure.partners, "status": measure.status,
        "progress": "" if measure.progress is None else str(measure.progress), "start_date": "", "end_date": "",
        "version": measure.version,
    }
    return {**data, **overrides}


def test_it_keeps_a_colleagues_title_when_i_change_only_the_description_from_a_stale_form(
    dresden_editor, dresden_lead, plan, commitments
):
    measure = MeasureFactory(plan=plan, commitment=commitments[0], title="Alt", description="Alte Beschreibung")
    first, second = _two_coordinators(dresden_editor, dresden_lead)
    url = f"/de/dashboard/dresden/measures/{measure.pk}/"
    opened = _stored_form(measure, commitments)
    assert first.post(url, {**opened, "title": "Neuer Titel"}).status_code == 302
    response = second.post(url, {**opened, "description": "Neue Beschreibung"})

    assert response.status_code == 302
    measure.refresh_from_db()
    assert (measure.title, measure.description, measure.version) == ("Neuer Titel", "Neue Beschreibung", 3)
    assert [h.version for h in measure.history.all()] == [3, 2, 1]


def test_it_shows_who_saved_and_when_when_both_change_the_title(dresden_editor, dresden_lead, plan, commitments):
    import datetime as dt

    measure = MeasureFactory(plan=plan, commitment=commitments[0], title="Alt", description="Alte Beschreibung")
    first, second = _two_coordinators(dresden_editor, dresden_lead)
    url = f"/de/dashboard/dresden/measures/{measure.pk}/"
    opened = _stored_form(measure, commitments)
    assert first.post(url, {**opened, "title": "Titel von Erika"}).status_code == 302
    # 13:03 UTC is 14:03 in Dresden in December.
    measure.history.filter(version=2).update(history_date=dt.datetime(2026, 12, 7, 13, 3, tzinfo=dt.timezone.utc))
    response = second.post(url, {**opened, "title": "Mein Titel", "description": "Meine Beschreibung"})

    assert response.status_code == 409
    body = response.content.decode()
    assert "Gespeichert von Erika Muster am 07.12.2026 um 14:03" in body
    # Only the field both changed is the conflict; the description only I changed is not listed.
    assert [row["label"] for row in response.context["conflict"]["rows"]] == ["Titel"]
    assert '<td class="conflict-theirs">Titel von Erika</td>' in body
    assert '<td class="conflict-mine">Mein Titel</td>' in body
    measure.refresh_from_db()
    assert (measure.title, measure.description, measure.version) == ("Titel von Erika", "Alte Beschreibung", 2)


def test_it_never_reverts_a_field_i_did_not_touch_when_i_save_again_after_a_conflict(
    dresden_editor, dresden_lead, plan, commitments
):
    measure = MeasureFactory(plan=plan, commitment=commitments[0], title="Alt", partners="Alte Partner", progress=10)
    first, second = _two_coordinators(dresden_editor, dresden_lead)
    url = f"/en/dashboard/dresden/measures/{measure.pk}/"
    opened = _stored_form(measure, commitments)
    assert first.post(url, {**opened, "title": "Their title", "partners": "Their partners", "progress": "50"}).status_code == 302
    response = second.post(url, {**opened, "title": "My title", "description": "My description"})
    assert response.status_code == 409
    form = response.context["form"]
    # The re-shown form: the current version, my typed values, and the colleague's values where I typed nothing.
    assert (form["version"].value(), form["title"].value(), form["description"].value()) == ("2", "My title", "My description")
    assert (form["partners"].value(), form["progress"].value()) == ("Their partners", "50")
    body = response.content.decode()
    assert 'value="50"' in body and "Their partners</textarea>" in body

    # Saving the page again as it stands.
    resave = {name: value for name, value in form.data.items() if name != "csrfmiddlewaretoken"}
    assert second.post(url, resave).status_code == 302
    measure.refresh_from_db()
    assert (measure.title, measure.description, measure.partners, measure.progress) == (
        "My title", "My description", "Their partners", 50,
    )


def test_it_falls_back_to_the_whole_form_when_the_version_opened_is_unknown(
    dresden_editor, dresden_lead, plan, commitments
):
    measure = MeasureFactory(plan=plan, commitment=commitments[0], title="Alt", description="Alt")
    first, second = _two_coordinators(dresden_editor, dresden_lead)
    url = f"/en/dashboard/dresden/measures/{measure.pk}/"
    opened = _stored_form(measure, commitments)
    assert first.post(url, {**opened, "title": "Their title"}).status_code == 302
    measure.history.update(version=0)  # recorded before the history kept versions
    response = second.post(url, {**opened, "description": "Mine"})

    assert response.status_code == 409
    body = response.content.decode()
    assert "cannot tell which of these values you changed" in body
    # The differing fields are what the form holds, never called the user's own value.
    assert "In your form (not saved)" in body and "Your unsaved value" not in body
    measure.refresh_from_db()
    assert (measure.title, measure.description) == ("Their title", "Alt")


@pytest.mark.parametrize("earlier_saves", [1, 20])
def test_it_merges_in_a_number_of_queries_that_does_not_grow_with_the_history(
    dresden_lead, plan, commitments, django_assert_max_num_queries, earlier_saves
):
    from core.versioning import save_versioned

    measure = MeasureFactory(plan=plan, commitment=commitments[0], title="Alt")
    for number in range(earlier_saves):
        measure.partners = f"Partner {number}"
        save_versioned(measure, expected_version=measure.version)
    opened = _stored_form(measure, commitments)
    measure.title = "Vom Kollegen"
    save_versioned(measure, expected_version=measure.version)
    client = Client()
    client.force_login(dresden_lead)
    with django_assert_max_num_queries(27):
        response = client.post(f"/de/dashboard/dresden/measures/{measure.pk}/", {**opened, "description": "Meine"})
    assert response.status_code == 302
    measure.refresh_from_db()
    assert (measure.title, measure.description) == ("Vom Kollegen", "Meine")
