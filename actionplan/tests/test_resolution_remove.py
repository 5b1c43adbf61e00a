"""Removing the council resolution: the lead or the secretariat, after a confirmation; the history keeps it."""

import pytest
from django.core.files.base import ContentFile

from actionplan.models import ActionPlan
from actionplan.tests.factories import ActionPlanFactory
from reports.tests.pdfs import make_pdf

pytestmark = pytest.mark.django_db

URL = "/de/dashboard/dresden/adoption/resolution/remove/"


@pytest.fixture
def plan(dresden, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return ActionPlanFactory(member=dresden, adopting_body="Stadtrat", resolution_document=ContentFile(make_pdf("Ratsbeschluss"), name="r.pdf"))


@pytest.mark.parametrize("who", ["dresden_lead", "staff"])
def test_it_removes_the_resolution_after_a_confirmation_and_deletes_the_file_after_the_commit(
    client, plan, who, request, settings, django_capture_on_commit_callbacks
):
    user = request.getfixturevalue(who)
    stored = settings.MEDIA_ROOT / plan.resolution_document.name
    client.force_login(user)
    adoption = client.get("/de/dashboard/dresden/adoption/").content.decode()
    assert f'href="{URL}"' in adoption
    confirm = client.get(URL)
    assert confirm.status_code == 200 and 'method="post"' in confirm.content.decode()
    assert stored.exists() and ActionPlan.objects.get().resolution_document  # a GET changes nothing
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(URL)
    assert response.status_code == 302 and response["Location"] == "/de/dashboard/dresden/adoption/"
    current = ActionPlan.objects.get()
    assert not current.resolution_document and current.adopting_body == "Stadtrat" and current.version == plan.version + 1
    assert stored.exists()  # deleted only once the removal is committed
    for callback in callbacks:
        callback()
    assert not stored.exists()
    assert client.get("/de/members/dresden/resolution.pdf").status_code == 404
    # A repeated confirmation (a second tab, a double click) removes nothing more and is no error.
    assert client.post(URL).status_code == 302


def test_it_keeps_the_removal_in_the_history(client, plan, dresden_lead):
    name = plan.resolution_document.name
    client.force_login(dresden_lead)
    client.post(URL)
    last, before = ActionPlan.history.filter(id=plan.pk).order_by("-history_date", "-history_id")[:2]
    assert (last.history_type, last.resolution_document, last.history_user) == ("~", "", dresden_lead)
    assert before.resolution_document == name
    change = last.diff_against(before).changes
    assert [(c.field, c.old, c.new) for c in change] == [("resolution_document", name, "")]


def test_it_forbids_an_editor(client, plan, dresden_editor):
    client.force_login(dresden_editor)
    assert client.get(URL).status_code == 403
    assert client.post(URL).status_code == 403
    assert ActionPlan.objects.get().resolution_document.name == plan.resolution_document.name


def test_it_does_not_exist_for_an_outsider(client, plan, outsider):
    client.force_login(outsider)
    assert client.get(URL).status_code == 404
    assert client.post(URL).status_code == 404
    assert ActionPlan.objects.get().resolution_document


def test_it_sends_anonymous_visitors_to_the_login(client, plan):
    for response in (client.get(URL), client.post(URL)):
        assert response.status_code == 302 and response["Location"].startswith("/de/accounts/login/")
    assert ActionPlan.objects.get().resolution_document


def test_it_offers_no_removal_without_a_resolution(client, dresden, dresden_lead):
    ActionPlanFactory(member=dresden)
    client.force_login(dresden_lead)
    assert "resolution/remove" not in client.get("/de/dashboard/dresden/adoption/").content.decode()
    assert client.get(URL)["Location"] == "/de/dashboard/dresden/adoption/"
