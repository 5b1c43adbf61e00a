import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from core.tests.permissions import LOGIN, PERSONAS, assert_outcome
from members.models import CoordinatorAssignment, CoordinatorRole, Invitation
from members.services import invitation_send
from members.tests.factories import AssignmentFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(dresden, dresden_editor, dresden_lead, staff):
    invitation = invitation_send(member=dresden, email="offen@dresden.de", role="editor", language="de", by=dresden_lead)
    return {"editor": CoordinatorAssignment.objects.get(user=dresden_editor), "lead": CoordinatorAssignment.objects.get(user=dresden_lead),
            "invitation": invitation}


def _url(name: str, *args) -> str:
    with translation.override("de"):
        return reverse(f"members:{name}", args=["dresden", *args])


def test_it_shows_the_team_open_invitations_and_the_access_log(client, dresden_lead, world):
    client.force_login(dresden_lead)
    body = client.get(_url("team")).content.decode()
    assert "dresden-editor" in body and "dresden-lead" in body and "offen@dresden.de" in body
    assert "nie angemeldet" in body
    assert "Zugangsprotokoll" in body and "Zugang als Bearbeiter" in body


def test_it_invites_an_editor_once(client, dresden_lead, dresden, world, django_capture_on_commit_callbacks):
    client.force_login(dresden_lead)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url("team_invite"), {"email": "neu@dresden.de", "language": "en"})
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="neu@dresden.de")
    assert (invitation.role, invitation.invited_by, invitation.language) == (CoordinatorRole.EDITOR, dresden_lead, "en")
    assert mail.outbox[-1].to == ["neu@dresden.de"]
    response = client.post(_url("team_invite"), {"email": "NEU@dresden.de", "language": "en"})  # double click
    assert response.status_code == 400 and "offene Einladung" in response.content.decode()
    assert Invitation.objects.filter(email__iexact="neu@dresden.de").count() == 1


def test_it_explains_bad_input_and_keeps_it(client, dresden_lead, world, dresden_editor):
    client.force_login(dresden_lead)
    response = client.post(_url("team_invite"), {"email": "kein-at-zeichen", "language": "de"})
    assert response.status_code == 400 and "kein-at-zeichen" in response.content.decode()
    response = client.post(_url("team_invite"), {"email": dresden_editor.email, "language": "de"})
    assert "hat bereits Zugang" in response.content.decode()


def test_it_removes_an_editor_and_logs_who_did_it(client, dresden_lead, dresden_editor, world):
    client.force_login(dresden_lead)
    assert client.post(_url("team_remove", world["editor"].pk)).status_code == 302
    assert not CoordinatorAssignment.objects.filter(user=dresden_editor).exists()
    removal = CoordinatorAssignment.history.filter(user_id=dresden_editor.pk, history_type="-").get()
    assert removal.history_user == dresden_lead
    assert "Zugang entzogen" in client.get(_url("team")).content.decode()


def test_it_never_removes_a_lead_or_someone_of_another_member(client, dresden_lead, outsider, world):
    other_lead = AssignmentFactory(user=UserFactory(username="zweite-leitung"), member=world["lead"].member, role=CoordinatorRole.LEAD)
    client.force_login(dresden_lead)
    assert client.post(_url("team_remove", other_lead.pk)).status_code == 404
    foreign = CoordinatorAssignment.objects.get(user=outsider)
    assert client.post(_url("team_remove", foreign.pk)).status_code == 404
    assert CoordinatorAssignment.objects.filter(pk__in=[other_lead.pk, foreign.pk]).count() == 2


def test_it_resends_and_withdraws_an_editors_invitation(client, dresden_lead, world, django_capture_on_commit_callbacks):
    client.force_login(dresden_lead)
    digest = world["invitation"].digest
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url("team_invitation_resend", world["invitation"].pk))
    world["invitation"].refresh_from_db()
    assert world["invitation"].digest != digest
    client.post(_url("team_invitation_revoke", world["invitation"].pk))
    world["invitation"].refresh_from_db()
    assert world["invitation"].revoked_by == dresden_lead


# name -> (args builder, method, data, outcome per persona in PERSONAS order)
MATRIX = {
    "members:team": (lambda w: [], "get", {}, [LOGIN, 404, 403, 200, 200, 404]),
    "members:team_invite": (lambda w: [], "post", {"email": "x@dresden.de", "language": "de"}, [LOGIN, 404, 403, 302, 302, 404]),
    "members:team_remove": (lambda w: [w["editor"].pk], "post", {}, [LOGIN, 404, 403, 302, 302, 404]),
    "members:team_invitation_resend": (lambda w: [w["invitation"].pk], "post", {}, [LOGIN, 404, 403, 302, 302, 404]),
    "members:team_invitation_revoke": (lambda w: [w["invitation"].pk], "post", {}, [LOGIN, 404, 403, 302, 302, 404]),
}
TEAM_URL_NAMES = set(MATRIX)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_it_gives_each_user_exactly_the_expected_outcome(client, request, world, name, persona):
    args, method, data, expected = MATRIX[name]
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    with translation.override("de"):
        url = reverse(name, args=["dresden", *args(world)])
    before = (CoordinatorAssignment.objects.count(), Invitation.objects.count(), Invitation.objects.filter(revoked_at__isnull=False).count())
    response = getattr(client, method)(url, data)
    assert_outcome(response, expected[PERSONAS.index(persona)], (name, persona))
    if expected[PERSONAS.index(persona)] != 302:
        after = (CoordinatorAssignment.objects.count(), Invitation.objects.count(), Invitation.objects.filter(revoked_at__isnull=False).count())
        assert after == before
    if method == "post":
        client.force_login(request.getfixturevalue("dresden_lead"))
        assert client.get(url).status_code == 405
