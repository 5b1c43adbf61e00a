"""The report editor merges a stale save three ways, like every other versioned form of the portal."""

import datetime as dt

import pytest

from reports.models import ImplementationReport
from reports.services import report_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(dresden, dresden_lead, commitments):
    return report_create(member=dresden, start=dt.date(2023, 1, 1), end=dt.date(2024, 12, 31), by=dresden_lead)


def save_url(report, lang="en"):
    return f"/{lang}/dashboard/{report.member.slug}/reports/{report.pk}/save/"


def form_data(version, **extra):
    data = {"version": version, "title": "Bericht", "summary": "Zusammenfassung"}
    data.update({f"narrative_{n}": "" for n in range(1, 11)})
    data.update(extra)
    return data


@pytest.fixture
def opened(client, draft, dresden_lead):
    """A first save by the lead (version 2): the state both colleagues open their editors at."""
    client.force_login(dresden_lead)
    assert client.post(save_url(draft), form_data(1, narrative_3="Alt 3", narrative_5="Alt 5")).status_code == 302
    return form_data(2, narrative_3="Alt 3", narrative_5="Alt 5")


def narratives(report):
    return dict(report.narratives.values_list("commitment__number", "text"))


def test_it_keeps_a_colleagues_narrative_and_mine(client, draft, dresden_lead, dresden_editor, opened):
    client.force_login(dresden_lead)
    assert client.post(save_url(draft), {**opened, "narrative_3": "Ihr 3"}).status_code == 302
    client.force_login(dresden_editor)
    response = client.post(save_url(draft), {**opened, "narrative_5": "Mein 5"})
    assert response.status_code == 302
    texts = narratives(draft)
    assert texts[3] == "Ihr 3" and texts[5] == "Mein 5"
    assert ImplementationReport.objects.get(pk=draft.pk).version == 4


def test_it_keeps_a_colleagues_title_and_my_summary(client, draft, dresden_lead, dresden_editor, opened):
    client.force_login(dresden_lead)
    assert client.post(save_url(draft), {**opened, "title": "Ihr Titel"}).status_code == 302
    client.force_login(dresden_editor)
    assert client.post(save_url(draft), {**opened, "summary": "Meine Zusammenfassung"}).status_code == 302
    report = ImplementationReport.objects.get(pk=draft.pk)
    assert report.title == "Ihr Titel" and report.summary == "Meine Zusammenfassung"
    assert narratives(report)[3] == "Alt 3"


def test_it_shows_only_the_narrative_both_changed(client, draft, dresden_lead, dresden_editor, opened):
    client.force_login(dresden_lead)
    assert client.post(save_url(draft), {**opened, "narrative_3": "Ihr 3", "narrative_5": "Ihr 5"}).status_code == 302
    client.force_login(dresden_editor)
    stale = {**opened, "narrative_3": "Mein 3", "summary": "Meine Zusammenfassung"}
    response = client.post(save_url(draft, "de"), stale)
    assert response.status_code == 409
    body = response.content.decode()
    assert "Gespeichert von" in body
    assert body.count('class="conflict-theirs small') == 1 and "Ihr 3" in body and "Mein 3" in body
    assert "conflict-table" not in body  # title and summary are no conflict
    assert 'class="conflict-narratives"' in body and '<a href="#commitment-3">3</a></p>' in body
    assert "Sie haben beide die Berichte zu diesen Verpflichtungen geändert" in body
    # Nothing was written.
    report = ImplementationReport.objects.get(pk=draft.pk)
    assert report.version == 3 and report.summary == "Zusammenfassung" and narratives(report)[3] == "Ihr 3"
    # The re-shown form carries the current version and the colleague's narrative 5; saving it reverts nothing.
    assert 'name="version" value="3"' in body
    assert ">Ihr 5</textarea>" in body
    resave = {**stale, "version": 3, "narrative_5": "Ihr 5"}
    assert client.post(save_url(draft), resave).status_code == 302
    report = ImplementationReport.objects.get(pk=draft.pk)
    assert narratives(report)[3] == "Mein 3" and narratives(report)[5] == "Ihr 5"
    assert report.summary == "Meine Zusammenfassung"


def test_it_lists_a_title_both_changed_in_the_table(client, draft, dresden_lead, dresden_editor, opened):
    client.force_login(dresden_lead)
    assert client.post(save_url(draft), {**opened, "title": "Ihr Titel", "narrative_5": "Ihr 5"}).status_code == 302
    client.force_login(dresden_editor)
    response = client.post(save_url(draft), {**opened, "title": "Mein Titel"})
    assert response.status_code == 409
    body = response.content.decode()
    assert "conflict-table" in body and "Ihr Titel" in body and "Mein Titel" in body
    assert 'class="conflict-theirs small' not in body
    assert 'class="conflict-narratives"' not in body
    assert ">Ihr 5</textarea>" in body


def test_it_refuses_the_whole_form_without_a_base(client, draft, dresden_lead, dresden_editor, opened):
    client.force_login(dresden_lead)
    assert client.post(save_url(draft), {**opened, "narrative_3": "Ihr 3"}).status_code == 302
    # Records from before the history kept versions carry 0: no base is known.
    ImplementationReport.history.filter(id=draft.pk).update(version=0)
    client.force_login(dresden_editor)
    response = client.post(save_url(draft), {**opened, "narrative_5": "Mein 5"})
    assert response.status_code == 409
    body = response.content.decode()
    assert body.count('class="conflict-theirs small') == 10
    assert 'class="conflict-narratives"' not in body  # the whole form is in question, as before
    assert narratives(draft)[5] == "Alt 5"



def test_it_merges_in_queries_that_do_not_grow_with_the_history(client, draft, dresden_lead, dresden_editor, opened, django_assert_max_num_queries):
    def colleague_saves(times: int) -> None:
        for _ in range(times):
            current = ImplementationReport.objects.get(pk=draft.pk)
            current.save_draft(
                expected_version=current.version, title=f"Titel {current.version}", summary=current.summary, narratives={}, by=dresden_lead
            )

    def stale_save(number: int) -> int:
        with django_assert_max_num_queries(40) as captured:
            assert client.post(save_url(draft), {**opened, f"narrative_{number}": "Mein Text"}).status_code == 302
        return len(captured)

    client.force_login(dresden_editor)
    colleague_saves(1)
    few = stale_save(5)
    colleague_saves(20)
    assert stale_save(6) <= few
    report = ImplementationReport.objects.get(pk=draft.pk)
    assert narratives(report)[5] == narratives(report)[6] == "Mein Text" and report.title.startswith("Titel ")
