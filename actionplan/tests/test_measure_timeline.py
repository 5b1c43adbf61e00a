import pytest

from actionplan.models import MeasureStatus, MeasureUpdate
from actionplan.tests.factories import ActionPlanFactory, MeasureFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def measure(dresden, commitments):
    return MeasureFactory(plan=ActionPlanFactory(member=dresden), commitment=commitments[2], status=MeasureStatus.PLANNED)


def test_it_posts_a_dated_update_with_its_author(client, dresden_editor, measure):
    client.force_login(dresden_editor)
    url = f"/de/dashboard/dresden/measures/{measure.pk}/updates/"
    response = client.post(url, {"update-date": "2026-03-15", "update-text": "Erste Beratungen fanden statt."})
    assert response.status_code == 302
    entry = MeasureUpdate.objects.get()
    assert (str(entry.date), entry.text, entry.author, entry.status_change) == (
        "2026-03-15", "Erste Beratungen fanden statt.", dresden_editor, ""
    )
    measure.refresh_from_db()
    assert (measure.status, measure.version) == (MeasureStatus.PLANNED, 1)
    page = client.get(f"/de/dashboard/dresden/measures/{measure.pk}/").content.decode()
    assert "Erste Beratungen fanden statt." in page and "dresden-editor" in page


def test_it_moves_the_measures_status_with_a_status_change(client, dresden_lead, measure):
    client.force_login(dresden_lead)
    client.post(
        f"/en/dashboard/dresden/measures/{measure.pk}/updates/",
        {"update-date": "2026-04-01", "update-text": "Started.", "update-status_change": MeasureStatus.IN_PROGRESS},
    )
    measure.refresh_from_db()
    assert (measure.status, measure.version) == (MeasureStatus.IN_PROGRESS, 2)
    assert measure.history.first().history_user == dresden_lead


@pytest.mark.parametrize(("lang", "message"), [("de", "Dieses Feld ist zwingend erforderlich."), ("en", "This field is required.")])
def test_it_refuses_an_update_without_text_and_keeps_the_date(client, dresden_editor, measure, lang, message):
    client.force_login(dresden_editor)
    response = client.post(
        f"/{lang}/dashboard/dresden/measures/{measure.pk}/updates/",
        {"update-date": "2026-02-02", "update-text": "", "update-status_change": MeasureStatus.IMPLEMENTED},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    assert 'value="2026-02-02"' in body
    assert f'<option value="{MeasureStatus.IMPLEMENTED}" selected>' in body
    assert not MeasureUpdate.objects.exists()


def test_it_refuses_a_date_that_is_no_date(client, dresden_editor, measure):
    client.force_login(dresden_editor)
    response = client.post(
        f"/en/dashboard/dresden/measures/{measure.pk}/updates/", {"update-date": "31.02.2026", "update-text": "Text bleibt"}
    )
    assert response.status_code == 200
    assert "Enter a valid date." in response.content.decode()
    assert "Text bleibt" in response.content.decode()


def test_it_accepts_no_get(client, dresden_editor, measure):
    client.force_login(dresden_editor)
    assert client.get(f"/de/dashboard/dresden/measures/{measure.pk}/updates/").status_code == 405


def test_it_says_at_the_top_of_the_page_that_the_update_was_not_posted(client, dresden_editor, measure):
    """On a phone the update form sits below the long measure form: the page must say so where it opens."""
    client.force_login(dresden_editor)
    response = client.post(f"/en/dashboard/dresden/measures/{measure.pk}/updates/", {"update-date": "2026-03-15", "update-text": ""})
    body = response.content.decode()
    alert = body.index("The update has not been posted.")
    assert alert < body.index('id="id_title"')  # above the measure form
    assert '<a href="#post-update-heading">' in body and 'id="post-update-heading"' in body
    assert MeasureUpdate.objects.count() == 0
