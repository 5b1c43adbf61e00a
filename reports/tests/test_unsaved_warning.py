"""Every coordinator form a user types into warns before the page is left with the typing unsaved.

The pages are listed here: a new coordinator page belongs in this list, and a form on it that takes typing but
lacks `data-warn-unsaved` (static/js/unsaved.js) fails the test.
"""

import datetime as dt
from html.parser import HTMLParser

import pytest

from actionplan.tests.factories import ActionPlanFactory, IndicatorFactory, IndicatorValueFactory, MeasureFactory, MeasureUpdateFactory
from reports.services import report_create

pytestmark = pytest.mark.django_db

# Inputs that are not typing: sending such a form alone loses nothing.
NOT_TYPED = {"hidden", "submit", "button", "reset", "image"}


class _Forms(HTMLParser):
    """The POST forms of a page: whether each warns, and whether it holds a field the user types or chooses in."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self._open: dict | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = dict(attrs)
        if tag == "form" and (attributes.get("method") or "").lower() == "post":
            self._open = {"action": attributes.get("action"), "warns": "data-warn-unsaved" in attributes, "typed": False}
            self.forms.append(self._open)
        elif self._open is not None and (
            tag in ("textarea", "select") or (tag == "input" and (attributes.get("type") or "text").lower() not in NOT_TYPED)
        ):
            self._open["typed"] = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._open = None


def post_forms(html: str) -> list[dict]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


@pytest.fixture
def pages(dresden, dresden_lead, commitments) -> list[str]:
    plan = ActionPlanFactory(member=dresden)
    measure = MeasureFactory(plan=plan, commitment=commitments[2])
    entry = MeasureUpdateFactory(measure=measure, date=dt.date(2024, 3, 1))
    indicator = IndicatorFactory(plan=plan, commitment=commitments[2], measure=measure)
    value = IndicatorValueFactory(indicator=indicator)
    report = report_create(member=dresden, start=dt.date(2023, 1, 1), end=dt.date(2024, 12, 31), by=dresden_lead)
    base = "/de/dashboard/dresden"
    return [
        f"{base}/plan/new/3/",
        f"{base}/measures/{measure.pk}/",
        f"{base}/measures/{measure.pk}/entries/{entry.pk}/",
        f"{base}/measures/{measure.pk}/entries/{entry.pk}/remove/",
        f"{base}/adoption/",
        f"{base}/plan/import/",
        f"{base}/indicators/new/?measure={measure.pk}",
        f"{base}/indicators/{indicator.pk}/",
        f"{base}/indicators/{indicator.pk}/values/{value.pk}/",
        f"{base}/indicators/{indicator.pk}/values/{value.pk}/remove/",
        f"{base}/profile/",
        f"{base}/team/",
        f"{base}/reports/new/",
        f"{base}/reports/{report.pk}/",
        f"{base}/reports/{report.pk}/period/",
        "/de/accounts/two-factor/setup/",
        "/de/accounts/password/change/",
    ]


def test_it_warns_on_every_coordinator_form_that_takes_typing(client, dresden_lead, pages):
    client.force_login(dresden_lead)
    missing = []
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        typed = [form for form in post_forms(response.content.decode()) if form["typed"]]
        assert typed, f"{url} has no form to type into: take it off the list"
        missing += [f"{url} → {form['action'] or '(this page)'}" for form in typed if not form["warns"]]
    assert missing == []


def test_it_notices_a_form_without_the_warning():
    html = '<form method="post" action="/x/"><textarea name="t"></textarea></form><form method="post"><button>Weg</button></form>'
    assert post_forms(html) == [{"action": "/x/", "warns": False, "typed": True}, {"action": None, "warns": False, "typed": False}]
