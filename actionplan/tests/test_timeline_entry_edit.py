"""Correcting and removing a timeline entry: its author, the lead and the secretariat; the history keeps both."""

import datetime as dt

import pytest
import time_machine
from django.test import Client

from actionplan.models import MeasureUpdate
from actionplan.tests.factories import ActionPlanFactory, MeasureFactory, MeasureUpdateFactory
from members.models import CoordinatorRole
from members.tests.factories import AssignmentFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(dresden, commitments, dresden_editor):
    measure = MeasureFactory(plan=ActionPlanFactory(member=dresden), commitment=commitments[2])
    return MeasureUpdateFactory(measure=measure, author=dresden_editor, date=dt.date(2026, 3, 1), text="Tippfehlr")


def edit_url(entry, lang="de") -> str:
    return f"/{lang}/dashboard/dresden/measures/{entry.measure_id}/entries/{entry.pk}/"


def data(entry, **overrides) -> dict:
    return {"date": "2026-03-02", "text": "Tippfehler behoben", "status_change": "", "version": entry.version, **overrides}


@pytest.mark.parametrize("persona", ["dresden_editor", "dresden_lead", "staff"])
def test_it_lets_the_author_the_lead_and_the_secretariat_correct_an_entry(client, entry, persona, request):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    assert "Tippfehlr" in client.get(edit_url(entry)).content.decode()
    response = client.post(edit_url(entry), data(entry))
    assert response.status_code == 302
    assert response["Location"].endswith(f"/measures/{entry.measure_id}/#timeline-heading")
    entry.refresh_from_db()
    assert (entry.text, entry.date, entry.version) == ("Tippfehler behoben", dt.date(2026, 3, 2), 2)
    before, after = entry.history.order_by("history_date")[:2]
    assert (before.text, after.text, after.history_user) == ("Tippfehlr", "Tippfehler behoben", user)


def test_it_refuses_another_editors_entry(client, entry, dresden):
    other = UserFactory(username="zweite-redakteurin")
    AssignmentFactory(user=other, member=dresden, role=CoordinatorRole.EDITOR)
    client.force_login(other)
    assert client.post(edit_url(entry), data(entry)).status_code == 403
    entry.refresh_from_db()
    assert entry.text == "Tippfehlr"
    # The measure page offers the author's links only to those who may use them.
    page = client.get(f"/de/dashboard/dresden/measures/{entry.measure_id}/").content.decode()
    assert "Tippfehlr" in page and edit_url(entry) not in page


@time_machine.travel(dt.datetime(2026, 4, 1, 12, tzinfo=dt.UTC))
def test_it_refuses_a_future_date_and_keeps_the_typed_text(client, entry, dresden_editor):
    client.force_login(dresden_editor)
    response = client.post(edit_url(entry, "en"), data(entry, date="2026-05-01", text="Neuer Text"))
    assert response.status_code == 400
    body = response.content.decode()
    assert "The date cannot be in the future." in body and "Neuer Text" in body
    entry.refresh_from_db()
    assert entry.text == "Tippfehlr"


def test_it_refuses_the_second_of_two_concurrent_corrections(client, entry, dresden_editor, dresden_lead):
    stale = data(entry, text="Meine Fassung")
    lead = Client()
    lead.force_login(dresden_lead)
    assert lead.post(edit_url(entry), data(entry, text="Fassung der Leitung")).status_code == 302
    client.force_login(dresden_editor)
    response = client.post(edit_url(entry), stale)
    assert response.status_code == 409
    body = response.content.decode()
    assert "Fassung der Leitung" in body and "Meine Fassung" in body
    entry.refresh_from_db()
    assert entry.text == "Fassung der Leitung"


def test_it_removes_an_entry_after_a_confirmation_and_keeps_it_in_the_history(client, entry, dresden_lead):
    client.force_login(dresden_lead)
    confirm = client.get(edit_url(entry) + "remove/")
    assert confirm.status_code == 200 and "Tippfehlr" in confirm.content.decode()
    assert MeasureUpdate.objects.filter(pk=entry.pk).exists()  # a GET removes nothing
    response = client.post(edit_url(entry) + "remove/")
    assert response.status_code == 302
    assert not MeasureUpdate.objects.filter(pk=entry.pk).exists()
    removal = MeasureUpdate.history.filter(id=entry.pk).order_by("-history_date").first()
    assert (removal.history_type, removal.text, removal.history_user) == ("-", "Tippfehlr", dresden_lead)


def test_it_gives_a_404_for_an_entry_of_another_measure(client, entry, dresden, commitments, dresden_lead):
    other = MeasureFactory(plan=entry.measure.plan, commitment=commitments[0])
    client.force_login(dresden_lead)
    assert client.get(f"/de/dashboard/dresden/measures/{other.pk}/entries/{entry.pk}/").status_code == 404


def test_it_keeps_the_reason_given_for_a_removal(client, entry, dresden_lead):
    client.force_login(dresden_lead)
    assert 'name="reason"' in client.get(edit_url(entry) + "remove/").content.decode()
    assert client.post(edit_url(entry) + "remove/", {"reason": "  Doppelt eingetragen "}).status_code == 302
    removal = MeasureUpdate.history.get(id=entry.pk, history_type="-")
    assert (removal.history_change_reason, removal.history_user) == ("Doppelt eingetragen", dresden_lead)


def test_it_refuses_a_too_long_reason_and_keeps_the_entry_and_the_typed_reason(client, entry, dresden_lead):
    client.force_login(dresden_lead)
    response = client.post(edit_url(entry) + "remove/", {"reason": "x" * 101})
    assert response.status_code == 400
    body = response.content.decode()
    assert "x" * 101 in body and "höchstens 100 Zeichen" in body
    assert MeasureUpdate.objects.filter(pk=entry.pk).exists()
