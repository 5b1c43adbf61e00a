"""Every coordinator URL of the action plan × every kind of user × GET and POST, with the exact outcome.

A new coordinator URL must be added here (and to MATRIX_URL_NAMES), or the global check that every
non-public URL name appears in some app's matrix fails.
"""

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import translation

from actionplan.models import MeasureStatus, PlanImport
from actionplan.tests.factories import (
    ActionPlanFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    MeasureFactory,
    MeasureUpdateFactory,
)
from core.tests.permissions import LOGIN, PERSONAS, assert_outcome
from reports.tests.pdfs import make_pdf

pytestmark = pytest.mark.django_db


# url name -> (kwargs, POST data, {persona: GET status}, {persona: POST status}).
COORDINATOR = {"dresden_editor", "dresden_lead", "staff"}


def _measure_post(ctx) -> dict:
    return {"commitment": ctx["commitment"].pk, "title": "Geändert", "status": MeasureStatus.PLANNED, "progress": "10",
            "version": ctx["measure"].version, "is_public": "on"}


def _expect(get_ok: int | None, post_ok: int | None, *, lead_only: bool = False) -> tuple[dict, dict]:
    def row(ok: int | None) -> dict:
        # Staff without permissions are outsiders to every member.
        outcome = {"anonymous": LOGIN, "outsider": 404 if ok != 405 else 405, "bare_staff": 404 if ok != 405 else 405}
        for persona in COORDINATOR:
            outcome[persona] = ok
        if lead_only and ok != 405:
            outcome["dresden_editor"] = 403
        return outcome

    return row(get_ok), row(post_ok)


def _everyone(get_ok: int, post_ok: int) -> tuple[dict, dict]:
    return ({"anonymous": LOGIN, **{p: get_ok for p in PERSONAS[1:]}}, {"anonymous": LOGIN, **{p: post_ok for p in PERSONAS[1:]}})


MATRIX = {
    # name: (kwargs builder, POST data builder, expected GET, expected POST)
    # The dashboard is every logged-in user's own page: the outsider sees theirs (without Dresden).
    "actionplan:dashboard": (lambda c: {}, lambda c: {}, {**_expect(200, 405)[0], "outsider": 200, "bare_staff": 200}, _expect(200, 405)[1]),
    "actionplan:plan_editor": (lambda c: {"slug": "dresden"}, lambda c: {}, *_expect(200, 405)),
    "actionplan:measure_create": (lambda c: {"slug": "dresden", "number": 3}, lambda c: {}, *_expect(200, 200)),
    "actionplan:measure_edit": (lambda c: {"slug": "dresden", "pk": c["measure"].pk}, _measure_post, *_expect(200, 302)),
    # The entry was written by the lead: the editor may read it on the measure page but not change it.
    "actionplan:timeline_entry_edit": (
        lambda c: {"slug": "dresden", "pk": c["measure"].pk, "entry_pk": c["entry"].pk},
        lambda c: {"date": "2026-05-01", "text": "Korrigiert", "status_change": "", "version": c["entry"].version},
        *_expect(200, 302, lead_only=True),
    ),
    "actionplan:timeline_entry_remove": (
        lambda c: {"slug": "dresden", "pk": c["measure"].pk, "entry_pk": c["entry"].pk},
        lambda c: {},
        *_expect(200, 302, lead_only=True),
    ),
    "actionplan:measure_retire": (lambda c: {"slug": "dresden", "pk": c["measure"].pk}, lambda c: {}, *_expect(200, 302)),
    "actionplan:measure_history": (lambda c: {"slug": "dresden", "pk": c["measure"].pk}, lambda c: {}, *_expect(200, 405)),
    "actionplan:adoption_edit": (
        lambda c: {"slug": "dresden"},
        lambda c: {"adopted_on": "2025-01-01", "adopting_body": "Stadtrat", "adoption_note": "", "version": c["plan"].version},
        *_expect(200, 302, lead_only=True),
    ),
    # Removing the council resolution is the lead's act, like recording it.
    "actionplan:resolution_remove": (lambda c: {"slug": "dresden"}, lambda c: {}, *_expect(200, 302, lead_only=True)),
    "actionplan:plan_export": (lambda c: {"slug": "dresden"}, lambda c: {}, *_expect(200, 405)),
    "actionplan:plan_import": (lambda c: {"slug": "dresden"}, lambda c: {}, *_expect(200, 200)),
    "actionplan:plan_import_template": (lambda c: {"slug": "dresden", "fmt": "csv"}, lambda c: {}, *_expect(200, 405)),
    "actionplan:plan_import_preview": (lambda c: {"slug": "dresden", "pk": c["plan_import"].pk}, lambda c: {}, *_expect(200, 405)),
    "actionplan:plan_import_confirm": (lambda c: {"slug": "dresden", "pk": c["plan_import"].pk}, lambda c: {}, *_expect(405, 302)),
    "actionplan:indicator_create": (
        lambda c: {"slug": "dresden"},
        lambda c: {"name": "Neu", "unit": "Fälle", "baseline_value": "1", "baseline_date": "2022-01-01", "version": "1"},
        *_expect(200, 302),
    ),
    "actionplan:indicator_edit": (
        lambda c: {"slug": "dresden", "pk": c["indicator"].pk},
        lambda c: {"name": "Geändert", "unit": "Fälle", "baseline_value": "1", "baseline_date": "2022-01-01",
                   "version": c["indicator"].version},
        *_expect(200, 302),
    ),
    "actionplan:indicator_history": (lambda c: {"slug": "dresden", "pk": c["indicator"].pk}, lambda c: {}, *_expect(200, 405)),
    "actionplan:indicator_retire": (lambda c: {"slug": "dresden", "pk": c["indicator"].pk}, lambda c: {}, *_expect(200, 302)),
    "actionplan:indicator_value_edit": (
        lambda c: {"slug": "dresden", "pk": c["indicator"].pk, "value_pk": c["value"].pk},
        lambda c: {"date": "2023-02-01", "value": "3", "version": c["value"].version},
        *_expect(200, 302),
    ),
    "actionplan:indicator_value_remove": (
        lambda c: {"slug": "dresden", "pk": c["indicator"].pk, "value_pk": c["value"].pk},
        lambda c: {},
        *_expect(200, 302),
    ),
    # The account pages that need a login: every logged-in user has their own.
    "accounts:password_change": (lambda c: {}, lambda c: {}, *_everyone(200, 200)),
    "accounts:password_change_done": (lambda c: {}, lambda c: {}, *_everyone(200, 405)),
}

MATRIX_URL_NAMES = set(MATRIX)


@pytest.fixture
def ctx(dresden, commitments, dresden_editor, dresden_lead, outsider, staff, bare_staff, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    plan = ActionPlanFactory(member=dresden, resolution_document=ContentFile(make_pdf("Ratsbeschluss"), name="r.pdf"))
    measure = MeasureFactory(plan=plan, commitment=commitments[2])
    entry = MeasureUpdateFactory(measure=measure, author=dresden_lead, date=dt.date(2026, 4, 1))
    users = {"outsider": outsider, "dresden_editor": dresden_editor, "dresden_lead": dresden_lead, "staff": staff, "bare_staff": bare_staff}
    row = {"line": 2, "skip": False, "values": {"commitment": 1, "title": "Importiert", "description": "", "responsible_unit": "",
           "partners": "", "status": "planned", "progress": None, "start_date": None, "end_date": None,
           "is_public": False, "content_language": "de"}}
    plan_import = PlanImport.objects.create(member=dresden, file_name="plan.csv", content_hash="0" * 64, rows=[row])
    indicator = IndicatorFactory(plan=plan, commitment=commitments[2])
    value = IndicatorValueFactory(indicator=indicator, date=dt.date(2023, 1, 1))
    return {"member": dresden, "plan": plan, "measure": measure, "entry": entry, "commitment": commitments[2], "users": users,
            "plan_import": plan_import, "indicator": indicator, "value": value}


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_it_gives_each_user_exactly_the_expected_outcome(client, ctx, name, persona, method):
    kwargs, data, expected_get, expected_post = MATRIX[name]
    expected = (expected_get if method == "GET" else expected_post)[persona]
    if persona != "anonymous":
        client.force_login(ctx["users"][persona])
    with translation.override("de"):
        url = reverse(name, kwargs=kwargs(ctx))
    if name == "actionplan:indicator_create":
        url += "?commitment=3"
    response = client.get(url) if method == "GET" else client.post(url, data(ctx))
    assert_outcome(response, expected, (name, persona, method))


def test_it_covers_every_coordinator_url_of_the_app_and_the_accounts():
    from actionplan.urls import urlpatterns

    from members.account_urls import urlpatterns as account_urlpatterns

    public = {"commitments", "commitment", "resolution_download"}
    names = {f"actionplan:{p.name}" for p in urlpatterns if p.name not in public}
    # Login, logout and the password reset steps are for anonymous visitors by design.
    names |= {f"accounts:{p.name}" for p in account_urlpatterns if p.name.startswith("password_change")}
    assert names == MATRIX_URL_NAMES
