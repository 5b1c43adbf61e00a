"""The secretariat's notes on a member: written on the member's admin page, kept with their history, and seen
by nobody outside the secretariat."""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.urls import reverse

from core.tests.admin_forms import admin_form_data
from core.tests.permissions import ADMIN_LOGIN, PERSONAS, assert_outcome
from members.models import MemberNote, MemberNoteKind
from members.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SECRET = "Frau Schönfelder rief an: der Ratsbeschluss verschiebt sich auf März."
TODAY = dt.date(2027, 3, 10)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2027, 3, 10, 11, 0, tzinfo=dt.timezone.utc), tick=False):
        yield


@pytest.fixture
def note(dresden, staff):
    return MemberNote.objects.create(member=dresden, kind=MemberNoteKind.CALL, contact_on=dt.date(2027, 3, 1), text=SECRET, author=staff)


def _member_page(dresden) -> str:
    return reverse("admin:members_member_change", args=[dresden.pk])


def _with_new_note(client, dresden, **values) -> dict:
    data = admin_form_data(client.get(_member_page(dresden)))
    index = int(data["notes-TOTAL_FORMS"])
    data["notes-TOTAL_FORMS"] = index + 1
    data.update({f"notes-{index}-{name}": value for name, value in values.items()})
    return data


def test_it_adds_a_note_on_the_member_page_written_by_whoever_is_logged_in(client, staff, dresden, outsider):
    staff.first_name, staff.last_name = "Sven", "Sekretariat"
    staff.save()
    client.force_login(staff)
    # A forged author is ignored: the field is not in the form.
    data = _with_new_note(client, dresden, kind="meeting", contact_on="09.03.2027", text=SECRET, author=outsider.pk)
    response = client.post(_member_page(dresden), data)
    assert response.status_code == 302, response.context["errors"] if response.context else response
    note = MemberNote.objects.get(member=dresden)
    assert (note.kind, note.contact_on, note.text, note.author) == (MemberNoteKind.MEETING, dt.date(2027, 3, 9), SECRET, staff)
    assert note.history.get().history_user == staff
    body = client.get(_member_page(dresden)).content.decode()
    assert SECRET in body and "Sven Sekretariat, 10.03.2027 12:00" in body
    assert reverse("admin:members_membernote_history", args=[note.pk]) in body


def test_it_lists_the_notes_newest_first(client, staff, dresden):
    for day, text in ((1, "Erster Anruf"), (8, "Dritter Anruf: Vereinbarung"), (4, "Zweiter Brief")):
        MemberNote.objects.create(member=dresden, contact_on=dt.date(2027, 3, day), text=text, author=staff)
    client.force_login(staff)
    body = client.get(_member_page(dresden)).content.decode()
    assert body.index("Dritter Anruf: Vereinbarung") < body.index("Zweiter Brief") < body.index("Erster Anruf")


def test_it_keeps_the_history_and_the_author_when_a_colleague_edits_a_note(client, staff, dresden, note):
    colleague = UserFactory(username="colleague", is_staff=True)
    colleague.groups.add(*staff.groups.all())
    client.force_login(colleague)
    data = admin_form_data(client.get(_member_page(dresden)))
    data["notes-0-text"] = "Korrigiert: der Beschluss kommt im April."
    assert client.post(_member_page(dresden), data).status_code == 302
    note.refresh_from_db()
    assert note.text == "Korrigiert: der Beschluss kommt im April." and note.author == staff
    versions = list(note.history.order_by("history_date").values_list("text", "history_user__username"))
    assert versions == [(SECRET, None), ("Korrigiert: der Beschluss kommt im April.", "colleague")]
    history = client.get(reverse("admin:members_membernote_history", args=[note.pk]))
    assert history.status_code == 200 and "colleague" in history.content.decode()


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"kind": "call", "contact_on": "11.03.2027", "text": SECRET}, "Das Datum des Kontakts darf nicht in der Zukunft liegen."),
        ({"kind": "call", "contact_on": "01.01.1900", "text": SECRET}, "Geben Sie ein Datum zwischen 01.01.1990"),
        ({"kind": "call", "contact_on": "kein Datum", "text": SECRET}, "Bitte ein gültiges Datum eingeben."),
        ({"kind": "call", "contact_on": "09.03.2027", "text": ""}, "Dieses Feld ist zwingend erforderlich."),
        ({"kind": "call", "contact_on": "09.03.2027", "text": "x" * 5001}, "höchstens 5000 Zeichen"),
        ({"kind": "gossip", "contact_on": "09.03.2027", "text": SECRET}, "Bitte eine gültige Auswahl treffen."),
    ],
)
def test_it_refuses_a_bad_note_saying_why_and_keeping_what_was_typed(client, staff, dresden, values, message):
    client.force_login(staff)
    response = client.post(_member_page(dresden), _with_new_note(client, dresden, **values))
    body = response.content.decode()
    assert response.status_code == 200 and message in body
    assert values["text"][:60] in body and not MemberNote.objects.exists()


def test_it_refuses_a_bad_note_on_the_notes_own_page_too(client, staff, dresden):
    client.force_login(staff)
    response = client.post(reverse("admin:members_membernote_add"), {"member": dresden.pk, "kind": "call", "contact_on": "11.03.2027", "text": SECRET})
    assert response.status_code == 200 and "Das Datum des Kontakts darf nicht in der Zukunft liegen." in response.content.decode()
    response = client.post(reverse("admin:members_membernote_add"), {"member": dresden.pk, "kind": "letter", "contact_on": "10.03.2027", "text": SECRET})
    assert response.status_code == 302 and MemberNote.objects.get().author == staff


NOTE_PAGES = [("changelist", False), ("add", False), ("change", True), ("history", True)]


@pytest.mark.parametrize("persona", [*PERSONAS, "superuser"])
@pytest.mark.parametrize(("page", "with_pk"), NOTE_PAGES)
def test_it_opens_the_notes_to_the_secretariat_only(client, request, note, persona, page, with_pk):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse(f"admin:members_membernote_{page}", args=[note.pk] if with_pk else []))
    expected = {"staff": 200, "superuser": 200, "bare_staff": 403}.get(persona, ADMIN_LOGIN)
    assert_outcome(response, expected, (page, persona))
    if expected == 200 and page in ("changelist", "change"):
        assert SECRET[:40] in response.content.decode()


def test_it_shows_no_notes_to_staff_without_the_note_permission(client, dresden, note):
    member_clerk = UserFactory(username="member-clerk", is_staff=True)
    member_clerk.user_permissions.add(*Permission.objects.filter(codename__in=["view_member", "change_member"]))
    client.force_login(member_clerk)
    response = client.get(_member_page(dresden))
    assert response.status_code == 200 and SECRET not in response.content.decode()
    # A forged inline row adds nothing either.
    data = admin_form_data(response)
    data.update({"notes-TOTAL_FORMS": 1, "notes-INITIAL_FORMS": 0, "notes-0-kind": "call", "notes-0-contact_on": "09.03.2027", "notes-0-text": "Untergeschoben"})
    client.post(_member_page(dresden), data)
    assert list(MemberNote.objects.values_list("text", flat=True)) == [SECRET]


@pytest.mark.parametrize("persona", ["anonymous", "dresden_lead", "dresden_editor", "outsider"])
def test_it_never_shows_a_note_on_the_coordinators_or_the_public_pages(client, request, dresden, note, commitments, persona):
    from actionplan.tests.factories import ActionPlanFactory

    ActionPlanFactory(member=dresden)
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    pages = [
        "/de/", "/de/members/", "/de/members/dresden/", "/en/members/dresden/", "/de/members/dresden/embed/",
        "/de/statistics/", "/de/dashboard/", "/de/dashboard/dresden/profile/", "/de/dashboard/dresden/team/",
        "/de/dashboard/dresden/plan/", "/de/dashboard/dresden/reports/", "/feeds/de/members/", "/feeds/de/members/dresden/",
        "/open-data/members.csv", "/open-data/members.json", "/open-data/v2/members.json",
    ]
    seen = 0
    for page in pages:
        response = client.get(page)
        if response.status_code == 200:
            seen += 1
            content = b"".join(response.streaming_content) if response.streaming else response.content
            assert SECRET.encode() not in content and "Schönfelder".encode() not in content, page
    assert seen >= 10  # the public pages at least answered: the check above looked at real pages
