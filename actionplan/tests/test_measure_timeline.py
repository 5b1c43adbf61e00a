"""The timeline on the measure page: a new entry is part of the measure form, so no submit loses what is typed."""

import datetime as dt

import pytest
import time_machine

from actionplan.models import MeasureStatus, MeasureUpdate
from actionplan.tests.factories import ActionPlanFactory, MeasureFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def measure(dresden, commitments):
    return MeasureFactory(
        plan=ActionPlanFactory(member=dresden), commitment=commitments[2], status=MeasureStatus.PLANNED, progress=40
    )


def page_data(measure, **overrides) -> dict:
    # What the browser sends for the whole page: the measure's fields as they stand, plus the entry fields.
    data = {
        "version": measure.version,
        "commitment": measure.commitment_id,
        "title": measure.title,
        "status": measure.status,
        "progress": str(measure.progress),
        "is_public": "on",
        "content_language": "de",
        "update-date": "2026-03-15",
        "update-text": "",
    }
    data.update(overrides)
    return data


def url(measure, lang="de") -> str:
    return f"/{lang}/dashboard/dresden/measures/{measure.pk}/"


@time_machine.travel(dt.datetime(2026, 4, 1, 12, tzinfo=dt.UTC))
def test_it_keeps_a_changed_progress_when_an_entry_is_posted(client, dresden_editor, measure):
    client.force_login(dresden_editor)
    response = client.post(
        url(measure), page_data(measure, progress="60", **{"update-text": "Erste Beratungen fanden statt.", "next": "timeline"})
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"/de/dashboard/dresden/measures/{measure.pk}/#timeline-heading")
    measure.refresh_from_db()
    assert (measure.progress, measure.version) == (60, 2)
    entry = MeasureUpdate.objects.get()
    assert (entry.date, entry.text, entry.author, entry.status_change) == (
        dt.date(2026, 3, 15), "Erste Beratungen fanden statt.", dresden_editor, ""
    )
    page = client.get(url(measure)).content.decode()
    assert "Erste Beratungen fanden statt." in page and "dresden-editor" in page
    assert "Ihre Änderungen an" in page and "der Eintrag veröffentlicht" in page


@time_machine.travel(dt.datetime(2026, 4, 1, 12, tzinfo=dt.UTC))
def test_it_records_a_status_changed_above_with_the_entry(client, dresden_lead, measure):
    client.force_login(dresden_lead)
    client.post(url(measure, "en"), page_data(measure, status=MeasureStatus.IN_PROGRESS, **{"update-text": "Started."}))
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.IN_PROGRESS
    assert MeasureUpdate.objects.get().status_change == MeasureStatus.IN_PROGRESS
    assert measure.history.order_by("-history_id").first().history_user == dresden_lead


def test_it_saves_the_measure_without_an_entry_when_no_entry_text_is_typed(client, dresden_editor, measure):
    client.force_login(dresden_editor)
    response = client.post(url(measure), page_data(measure, progress="70", next="timeline"))
    assert response.status_code == 302
    measure.refresh_from_db()
    assert measure.progress == 70
    assert not MeasureUpdate.objects.exists()


@time_machine.travel(dt.datetime(2026, 4, 1, 12, tzinfo=dt.UTC))
@pytest.mark.parametrize(("lang", "message"), [("de", "Das Datum darf nicht in der Zukunft liegen."), ("en", "The date cannot be in the future.")])
def test_it_refuses_a_future_date_and_keeps_everything_typed(client, dresden_editor, measure, lang, message):
    client.force_login(dresden_editor)
    response = client.post(
        url(measure, lang), page_data(measure, progress="60", **{"update-date": "2026-04-02", "update-text": "Text bleibt"})
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    assert 'value="2026-04-02"' in body and "Text bleibt" in body and 'value="60"' in body
    measure.refresh_from_db()
    assert (measure.progress, measure.version) == (40, 1)  # nothing saved: neither the measure nor the entry
    assert not MeasureUpdate.objects.exists()


@pytest.mark.parametrize(
    ("lang", "message"),
    [("en", "This day does not exist: February 2026 has 28 days."), ("de", "Diesen Tag gibt es nicht: Der Februar 2026 hat 28 Tage.")],
)
def test_it_refuses_a_date_that_is_no_date(client, dresden_editor, measure, lang, message):
    client.force_login(dresden_editor)
    response = client.post(url(measure, lang), page_data(measure, **{"update-date": "31.02.2026", "update-text": "Text bleibt"}))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert 'value="31.02.2026"' in response.content.decode()
    assert "Text bleibt" in response.content.decode()
    assert not MeasureUpdate.objects.exists()


def test_it_says_at_the_top_of_the_page_that_nothing_was_saved(client, dresden_editor, measure):
    """On a phone the entry form sits below the long measure form: the page must say so where it opens."""
    client.force_login(dresden_editor)
    response = client.post(url(measure, "en"), page_data(measure, **{"update-date": "", "update-text": "Etwas"}))
    body = response.content.decode()
    alert = body.index("Nothing has been saved yet. Please correct the marked fields under “Post an entry”")
    assert alert < body.index('id="id_title"')  # above the measure form
    assert '<a href="#post-update-heading">' in body and 'id="post-update-heading"' in body
    assert MeasureUpdate.objects.count() == 0


def test_it_posts_no_entry_when_someone_else_saved_the_measure_meanwhile(client, dresden_editor, dresden_lead, measure):
    stale = page_data(measure, progress="60", **{"update-text": "Mein Eintrag"})
    other = client.__class__()
    other.force_login(dresden_lead)
    assert other.post(url(measure), page_data(measure, progress="50")).status_code == 302
    client.force_login(dresden_editor)
    response = client.post(url(measure), stale)
    assert response.status_code == 409
    body = response.content.decode()
    assert "Mein Eintrag" in body and 'value="60"' in body
    assert not MeasureUpdate.objects.exists()
    measure.refresh_from_db()
    assert measure.progress == 50


def test_it_lands_back_on_the_measure_in_the_plan_editor(client, dresden_editor, measure):
    client.force_login(dresden_editor)
    response = client.post(url(measure), page_data(measure, progress="45", next="plan"))
    assert response["Location"] == f"/de/dashboard/dresden/plan/#measure-{measure.pk}"
    page = client.get(response["Location"]).content.decode()
    assert f'id="measure-{measure.pk}"' in page


def test_it_has_one_form_so_every_button_sends_every_field(client, dresden_editor, measure):
    client.force_login(dresden_editor)
    body = client.get(url(measure)).content.decode()
    assert body.count("<form") == 2  # the page's form and the logout button in the header
    form = body[body.index('class="measure-form"'):]
    form = form[: form.index("</form>")]
    assert 'name="progress"' in form and 'name="update-text"' in form
    assert 'name="next" value="timeline"' in form and 'name="next" value="plan"' in form
