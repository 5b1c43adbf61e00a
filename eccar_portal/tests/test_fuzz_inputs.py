"""Absurd input on every public and coordinator page: never a server error (500).

A table of URLs × a table of hostile GET parameters, and a table of malformed POSTs to every coordinator
form. Each request must answer with a client-side outcome (200, 302, 400, 404, 405, 409), never 500.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from actionplan.tests.factories import (
    ActionPlanFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    MeasureFactory,
    MeasureUpdateFactory,
)
from reports.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db

HOSTILE_PARAMS = [
    {"page": "abc"},
    {"page": "-1"},
    {"page": "0"},
    {"page": "99999999999999999999"},
    {"q": "x" * 10_000},
    {"q": "a\x00b"},
    {"q": "\x00"},
    {"q": "!!& | ( ) :* <-> ' \""},
    {"year": "abc"},
    {"year": "99999999999999999999"},
    {"country": "<script>alert(1)</script>"},
    {"country": "\x00"},
    {"status": "bogus"},
    {"status": "\x00"},
    {"kind": "bogus"},
    {"joined": "abc"},
    {"joined": "\x00"},
    {"network": "abc"},
    {"network": "99999999999999999999"},
    {"network": "\x00"},
    {"member": "\x00"},
    {"member": "<script>"},
    {"region": "\x00"},
    {"next": "\x00"},
]

PUBLIC_URLS = [
    "/de/",
    "/en/",
    "/de/members/",
    "/en/members/",
    "/de/members/dresden/",
    "/de/commitments/",
    "/de/commitments/3/",
    "/de/reports/",
    "/en/reports/",
    "/de/working-groups/",
    "/de/networks/",
    "/de/statistics/",
    "/de/open-data/",
    "/de/privacy/",
    "/open-data/",
    "/open-data/members.csv",
    "/open-data/measures.json",
    "/open-data/datapackage.json",
    "/open-data/catalog.ttl",
    "/open-data/members/dresden/measures.csv",
    "/feeds/de/members/",
    "/feeds/de/reports/",
    "/sitemap.xml",
    "/de/accounts/login/",
    "/de/accounts/password/reset/",
]

BAD_URLS = [
    "/de/commitments/0/",
    "/de/commitments/11/",
    "/de/commitments/999999999999/",
    "/de/commitments/99999999999999999999999/",
    "/de/reports/999999999999/",
    "/de/reports/99999999999999999999999/",
    "/de/reports/1/documents/99999999999999999999999/",
    "/de/members/%00/",
    "/open-data/members.xml",
    "/open-data/bogus.csv",
    "/open-data/catalog.exe",
    "/open-data/members/nobody/measures.xlsx",
    "/open-data/members/dresden/members.csv",
    "/open-data/members/dresden/measures.ods",
    "/sitemap-bogus.xml",
    "/de/accounts/password/reset/abc/def/",
    "/de/dashboard/dresden/plan/new/0/",
    "/de/dashboard/dresden/plan/new/11/",
    "/de/dashboard/dresden/plan/new/999999999999/",
    "/de/dashboard/dresden/plan/new/99999999999999999999999/",
    "/de/dashboard/dresden/measures/999999999999/",
    "/de/dashboard/dresden/measures/99999999999999999999999/",
    "/de/dashboard/dresden/measures/99999999999999999999999/history/",
    "/de/dashboard/dresden/reports/99999999999999999999999/",
    "/de/dashboard/nobody/plan/",
    "/de/dashboard/dresden/indicators/new/?commitment=99999999999999999999999",
    "/de/dashboard/dresden/indicators/new/?measure=-1",
    "/de/dashboard/dresden/indicators/99999999999999999999999/",
    "/de/dashboard/dresden/indicators/1/values/99999999999999999999999/",
]

# 429: the login pauses after a few wrong passwords (django-axes), as it should under a sweep.
CLIENT_OUTCOMES = {200, 301, 302, 400, 403, 404, 405, 409, 429}


@pytest.fixture
def world(dresden, commitments, dresden_lead):
    plan = ActionPlanFactory(member=dresden)
    measure = MeasureFactory(plan=plan, commitment=commitments[2])
    report = ReportFactory(member=dresden)
    entry = MeasureUpdateFactory(measure=measure, author=dresden_lead)
    indicator = IndicatorFactory(plan=plan, commitment=commitments[2])
    value = IndicatorValueFactory(indicator=indicator, date=dt.date(2023, 1, 1))
    return {"member": dresden, "plan": plan, "measure": measure, "entry": entry, "report": report, "lead": dresden_lead,
            "indicator": indicator, "value": value}


def _coordinator_urls(world) -> list[str]:
    m, r = world["measure"].pk, world["report"].pk
    return [
        "/de/dashboard/",
        "/de/dashboard/dresden/plan/",
        "/de/dashboard/dresden/plan/new/3/",
        f"/de/dashboard/dresden/measures/{m}/",
        f"/de/dashboard/dresden/measures/{m}/history/",
        "/de/dashboard/dresden/profile/",
        "/de/dashboard/dresden/adoption/",
        "/de/dashboard/dresden/reports/",
        "/de/dashboard/dresden/reports/new/",
        f"/de/dashboard/dresden/reports/{r}/",
        f"/de/dashboard/dresden/reports/{r}/review/",
        "/de/dashboard/dresden/adoption/resolution/remove/",
        "/de/accounts/two-factor/",
        "/de/accounts/two-factor/setup/",
        "/de/accounts/two-factor/verify/",
        f"/de/dashboard/dresden/indicators/new/?measure={m}",
        f"/de/dashboard/dresden/indicators/{world['indicator'].pk}/",
        f"/de/dashboard/dresden/indicators/{world['indicator'].pk}/values/{world['value'].pk}/",
    ]


def _status(client: Client, method: str, url: str, data=None) -> int | str:
    try:
        # A savepoint per request, so that one database error does not poison the rest of the sweep.
        with transaction.atomic():
            response = getattr(client, method)(url, data or {})
    except Exception as exc:  # the test client re-raises the view's exception: that is the 500
        return f"{type(exc).__name__}: {str(exc)[:120]}"
    return response.status_code


def test_it_answers_hostile_get_parameters_without_a_server_error(world, staff):
    anonymous, coordinator = Client(), Client()
    coordinator.force_login(world["lead"])
    failures = []
    for client, urls in ((anonymous, PUBLIC_URLS), (coordinator, PUBLIC_URLS + _coordinator_urls(world))):
        for url in urls:
            for params in HOSTILE_PARAMS:
                status = _status(client, "get", url, params)
                if status not in CLIENT_OUTCOMES:
                    failures.append((url, {k: v[:20] for k, v in params.items()}, status))
    assert not failures, "\n".join(map(repr, failures))


def test_it_answers_absurd_urls_without_a_server_error(world):
    coordinator = Client()
    coordinator.force_login(world["lead"])
    failures = [(url, s) for url in BAD_URLS if (s := _status(coordinator, "get", url)) not in CLIENT_OUTCOMES]
    assert not failures, "\n".join(map(repr, failures))


BAD_VALUES = ["", "abc", "-1", "101", "0", "99999999999999999999", "2024-02-30", "\x00", "x" * 100_000, "<script>"]


def _form_posts(world) -> dict[str, list[str]]:
    """Each coordinator form (URL) with the field names it reads."""
    m, r = world["measure"].pk, world["report"].pk
    return {
        "/de/dashboard/dresden/plan/new/3/": ["commitment", "title", "description", "responsible_unit", "partners",
                                              "status", "progress", "start_date", "end_date", "is_public", "version"],
        f"/de/dashboard/dresden/measures/{m}/": ["commitment", "title", "description", "responsible_unit", "partners",
                                                 "status", "progress", "start_date", "end_date", "is_public", "version",
                                                 "update-date", "update-text"],
        f"/de/dashboard/dresden/measures/{m}/entries/{world['entry'].pk}/": ["date", "text", "status_change", "version"],
        "/de/dashboard/dresden/profile/": ["description", "content_language", "lead_department", "version",
                                           "contacts-TOTAL_FORMS", "contacts-INITIAL_FORMS", "contacts-0-name",
                                           "contacts-0-email", "contacts-0-consent", "contacts-0-consent_given_on",
                                           "contacts-0-id", "contacts-0-publish"],
        "/de/dashboard/dresden/adoption/": ["adopted_on", "adopting_body", "adoption_note", "version"],
        "/de/dashboard/dresden/reports/create/": ["period_start", "period_end"],
        f"/de/dashboard/dresden/reports/{r}/save/": ["version", "title", "summary", "narrative_1", "document_language",
                                                    "document_title", "commitment"],
        f"/de/dashboard/dresden/reports/{r}/draft/": ["version", "title", "summary", "narrative_1", "document_language",
                                                     "document_title"],
        f"/de/dashboard/dresden/reports/{r}/draft/discard/": [],
        f"/de/dashboard/dresden/reports/{r}/submit/": ["version"],
        "/de/accounts/login/": ["username", "password"],
        "/de/accounts/password/reset/": ["email"],
        "/de/accounts/password/change/": ["old_password", "new_password1", "new_password2"],
        "/de/accounts/two-factor/setup/": ["code", "next"],
        "/de/accounts/two-factor/verify/": ["code", "next"],
        "/de/dashboard/dresden/adoption/resolution/remove/": ["version"],
        "/de/dashboard/dresden/indicators/new/?commitment=3": _INDICATOR_FIELDS,
        f"/de/dashboard/dresden/indicators/{world['indicator'].pk}/": [*_INDICATOR_FIELDS, "value-date", "value-value", "value-source"],
        f"/de/dashboard/dresden/indicators/{world['indicator'].pk}/values/{world['value'].pk}/": ["date", "value", "source", "note", "version"],
    }


_INDICATOR_FIELDS = ["name", "unit", "baseline_value", "baseline_date", "target_value", "target_date", "is_public", "version"]


def _valid_base(world) -> dict[str, str]:
    return {
        "commitment": str(world["measure"].commitment_id), "title": "T", "status": "planned", "progress": "10",
        "version": str(world["measure"].version), "update-date": "2025-01-01", "update-text": "x",
        "content_language": "de", "contacts-TOTAL_FORMS": "1", "contacts-INITIAL_FORMS": "0",
        "contacts-MIN_NUM_FORMS": "0", "contacts-MAX_NUM_FORMS": "50", "contacts-0-name": "N",
        "contacts-0-consent": "none", "period_start": "2025-01-01", "period_end": "2025-12-31",
        "name": "N", "unit": "u", "baseline_value": "1", "baseline_date": "2022-01-01", "value-date": "2024-01-01",
        "value-value": "2,5", "value": "3",
    }


def test_it_answers_malformed_posts_to_every_form_without_a_server_error(world):
    coordinator = Client()
    coordinator.force_login(world["lead"])
    failures = []
    for url, fields in _form_posts(world).items():
        # Nothing at all, and a version-less post.
        for data in ({}, {k: v for k, v in _valid_base(world).items() if k != "version"}):
            if (s := _status(coordinator, "post", url, data)) not in CLIENT_OUTCOMES:
                failures.append((url, "base", s))
        for field in fields:
            for value in BAD_VALUES:
                data = {**_valid_base(world), field: value}
                if (s := _status(coordinator, "post", url, data)) not in CLIENT_OUTCOMES:
                    failures.append((url, field, value[:12], s))
    assert not failures, "\n".join(map(repr, failures))


def test_it_answers_wrong_methods_without_a_server_error(world):
    coordinator = Client()
    coordinator.force_login(world["lead"])
    failures = []
    for url in _coordinator_urls(world) + PUBLIC_URLS:
        for method in ("put", "delete", "patch", "options"):
            if (s := _status(coordinator, method, url)) not in CLIENT_OUTCOMES:
                failures.append((url, method, s))
    assert not failures, "\n".join(map(repr, failures))


ADMIN_PARAMS = [
    {"q": "\x00"},
    {"q": "x" * 10_000},
    {"p": "abc"},
    {"p": "-1"},
    {"o": "abc"},
    {"o": "99"},
    {"status__exact": "\x00"},
    {"report_overdue": "\x00"},
    {"admitted_on__year": "abc"},
    {"admitted_on__month": "13", "admitted_on__year": "2020"},
    {"member__id__exact": "abc"},
    {"plan__member__id__exact": "99999999999999999999"},
    {"retired_at__isempty": "abc"},
]


def test_it_answers_hostile_admin_filters_without_a_server_error(world, staff):
    from django.contrib import admin

    client = Client()
    client.force_login(staff)
    failures = []
    for model in admin.site._registry:
        if model._meta.app_label not in {"members", "actionplan", "reports", "core", "secretariat"}:
            continue
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for params in ADMIN_PARAMS:
            if (s := _status(client, "get", url, params)) not in CLIENT_OUTCOMES:
                failures.append((url, {k: v[:12] for k, v in params.items()}, s))
    for url in ("/admin/members/member/99999999999999999999/change/", "/admin/members/member/abc/change/",
                "/admin/reports/implementationreport/99999999999999999999/documents.zip"):
        if (s := _status(client, "get", url)) not in CLIENT_OUTCOMES:
            failures.append((url, s))
    assert not failures, "\n".join(map(repr, failures))
