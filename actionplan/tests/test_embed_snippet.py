"""The <iframe> snippet in the plan editor: shown to those who edit the member's plan, with the absolute address."""

import html

import pytest
from django.urls import reverse

from actionplan.embed_snippet import FRAME_HEIGHT
from actionplan.tests.factories import ActionPlanFactory
from core.tests.permissions import PERSONAS
from members.models import MemberStatus

pytestmark = pytest.mark.django_db

SNIPPET_BOX = "embed-snippet"
EDITORS = {"dresden_editor", "dresden_lead", "staff"}


@pytest.fixture
def users(dresden, dresden_editor, dresden_lead, outsider, staff, bare_staff):
    ActionPlanFactory(member=dresden)
    return {"anonymous": None, "outsider": outsider, "dresden_editor": dresden_editor, "dresden_lead": dresden_lead,
            "staff": staff, "bare_staff": bare_staff}


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_shows_the_snippet_only_to_those_who_edit_the_plan(client, users, persona, settings):
    settings.PORTAL_URL = "https://portal.eccar.example"
    if users[persona] is not None:
        client.force_login(users[persona])
    editor = client.get(reverse("actionplan:plan_editor", args=["dresden"]))
    page = editor.content.decode()
    if persona in EDITORS:
        assert editor.status_code == 200
        codes = [html.unescape(part.split(">", 1)[1].split("</textarea>")[0]) for part in page.split("<textarea")[1:]]
        assert codes == [
            '<iframe src="https://portal.eccar.example/de/members/dresden/embed/" title="Aktionsplan der Landeshauptstadt '
            f'Dresden" width="100%" height="{FRAME_HEIGHT}" loading="lazy"></iframe>',
            '<iframe src="https://portal.eccar.example/en/members/dresden/embed/" title="Action plan of Landeshauptstadt '
            f'Dresden" width="100%" height="{FRAME_HEIGHT}" loading="lazy"></iframe>',
        ]
        assert "readonly" in page.split("<textarea")[1].split(">")[0]
        assert 'src="/static/js/copy-snippet.js"' in page
    else:
        assert editor.status_code in (302, 404)
        assert SNIPPET_BOX not in page
    # The public member page never carries it, whoever looks.
    assert SNIPPET_BOX not in client.get(reverse("members:detail", args=["dresden"])).content.decode()


def test_it_offers_no_snippet_while_the_member_is_not_public(client, users, dresden):
    dresden.status = MemberStatus.APPLICANT
    dresden.save()
    client.force_login(users["dresden_lead"])
    response = client.get(reverse("actionplan:plan_editor", args=["dresden"]))
    assert response.status_code == 200
    assert SNIPPET_BOX not in response.content.decode()
