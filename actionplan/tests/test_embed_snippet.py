"""The <iframe> snippet in the plan editor: shown to those who edit the member's plan, with the absolute address."""

import html
import math

import pytest
from django.urls import reverse

from actionplan.embed_layout import NARROW, embed_heights, page_height, plan_glance_rows
from actionplan.models import Commitment
from actionplan.tests.factories import ActionPlanFactory, MeasureFactory
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


def codes_of(page: str) -> list[str]:
    return [html.unescape(part.split(">", 1)[1].split("</textarea>")[0]) for part in page.split("<textarea")[1:]]


def tallest_height() -> int:
    return max(h.px for h in embed_heights(plan_glance_rows(None, None), 0))


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_shows_the_snippet_only_to_those_who_edit_the_plan(client, users, persona, settings):
    settings.PORTAL_URL = "https://portal.eccar.example"
    if users[persona] is not None:
        client.force_login(users[persona])
    editor = client.get(reverse("actionplan:plan_editor", args=["dresden"]))
    page = editor.content.decode()
    if persona in EDITORS:
        assert editor.status_code == 200
        height = tallest_height()
        assert codes_of(page) == [
            '<iframe src="https://portal.eccar.example/de/members/dresden/embed/" title="Aktionsplan der Landeshauptstadt '
            f'Dresden" width="100%" height="{height}" loading="lazy"></iframe>',
            '<iframe src="https://portal.eccar.example/en/members/dresden/embed/" title="Action plan of Landeshauptstadt '
            f'Dresden" width="100%" height="{height}" loading="lazy"></iframe>',
            # The optional script, under its unhashed name: the code stays on the other site through every release.
            '<script src="https://portal.eccar.example/static/js/embed-resize.js" defer></script>',
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


def test_it_gives_the_height_the_plan_needs_today_in_the_narrow_layout(client, users, dresden, commitments):
    plan = dresden.plan
    client.force_login(users["dresden_lead"])
    empty = tallest_height()
    for _ in range(7):
        MeasureFactory(plan=plan, commitment=commitments[0], status="planned", is_public=True)
    MeasureFactory(plan=plan, commitment=commitments[1], status="planned", is_public=False)  # not shown, not counted
    page = client.get(reverse("actionplan:plan_editor", args=["dresden"])).content.decode()
    rows = plan_glance_rows(plan, plan.figures, titles=False)
    expected = math.ceil(page_height(rows, 1, NARROW) * 16) + 4
    # One status line and a bar for the plan, a status line, five titles and "and 2 more" under commitment 1.
    assert expected > empty
    assert f'height="{expected}"' in codes_of(page)[0] and f'height="{expected}"' in codes_of(page)[1]
    assert f"Der Rahmen ist {expected} Pixel hoch" in page
    assert Commitment.objects.count() == 10
