"""Free text has limits: shown in the form, checked by the form, enforced by the database."""

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, models, transaction

from actionplan.models import Measure
from actionplan.tests.factories import ActionPlanFactory, MeasureFactory
from core.fields import BoundedTextField
from reports.models import ReportNarrative
from reports.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db

PORTAL_APPS = {"core", "members", "actionplan", "reports", "portal", "secretariat", "seeding"}
# Written by the portal itself, never typed: the addresses a mail went to or failed for, the members it missed.
SYSTEM_TEXT = {
    ("reports", "reportreminder", "recipients"),
    ("secretariat", "announcement", "failed_addresses"),
    ("secretariat", "announcement", "unreached_members"),
    # The history's copy of a file's stored name (django-simple-history keeps file fields as text).
    ("actionplan", "actionplan", "resolution_document"),
    ("reports", "reportdocument", "file"),
    ("members", "membershipapplication", "council_resolution_document"),
    # The warnings a period change confirmed, composed by the portal from its own messages.
    ("reports", "reportperiodchange", "confirmed"),
}
MEGABYTE = "x" * 1_000_000


def test_it_bounds_every_free_text_field_of_the_portal():
    unbounded = []
    for model in apps.get_models():
        if model._meta.app_label not in PORTAL_APPS:
            continue
        for field in model._meta.get_fields():
            if isinstance(field, models.TextField) and not isinstance(field, BoundedTextField):
                key = (model._meta.app_label, model._meta.model_name.removeprefix("historical"), field.name)
                if key not in SYSTEM_TEXT:
                    unbounded.append(key)
            if isinstance(field, models.CharField) and field.max_length is None:
                unbounded.append((model._meta.label, field.name))
    assert unbounded == []


def test_it_has_a_database_check_on_every_bounded_column():
    missing = []
    with connection.cursor() as cursor:
        for model in apps.get_models():
            if model._meta.app_label not in PORTAL_APPS or model._meta.model_name.startswith("historical"):
                continue
            fields = [f for f in model._meta.local_fields if isinstance(f, BoundedTextField)]
            if not fields:
                continue
            constraints = connection.introspection.get_constraints(cursor, model._meta.db_table)
            checked = {c["columns"][0] for c in constraints.values() if c["check"] and c["columns"]}
            missing += [f"{model._meta.db_table}.{f.column}" for f in fields if f.column not in checked]
    assert missing == []


def test_it_enforces_the_limit_in_the_database(dresden, commitments):
    measure = MeasureFactory(plan=ActionPlanFactory(member=dresden), commitment=commitments[0])
    with pytest.raises(IntegrityError), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE actionplan_measure SET description = %s WHERE id = %s", [MEGABYTE, measure.pk])
    with pytest.raises(IntegrityError), transaction.atomic():
        Measure.objects.filter(pk=measure.pk).update(description="x" * 5001)
    Measure.objects.filter(pk=measure.pk).update(description="x" * 5000)


def test_it_shows_and_checks_the_limit_in_the_measure_form(client, dresden, dresden_editor, commitments):
    ActionPlanFactory(member=dresden)
    client.force_login(dresden_editor)
    page = client.get("/de/dashboard/dresden/plan/new/1/").content.decode()
    assert 'maxlength="5000"' in page and "Höchstens 5000 Zeichen." in page
    data = {"commitment": commitments[0].pk, "title": "Beratung", "status": "planned", "version": 1, "description": MEGABYTE}
    response = client.post("/de/dashboard/dresden/plan/new/1/", data)
    assert response.status_code == 200
    assert "höchstens 5000 Zeichen" in response.content.decode()
    assert not Measure.objects.exists()


def test_it_checks_the_limit_of_a_report_narrative_and_keeps_the_text(client, dresden, dresden_lead, commitments):
    report = ReportFactory(member=dresden)
    client.force_login(dresden_lead)
    page = client.get(f"/de/dashboard/dresden/reports/{report.pk}/").content.decode()
    assert 'maxlength="20000"' in page
    data = {"version": report.version, "title": "Bericht", "summary": "Kurz", "narrative_1": "y" * 20001}
    response = client.post(f"/de/dashboard/dresden/reports/{report.pk}/save/", data)
    body = response.content.decode()
    assert "höchstens 20000 Zeichen" in body
    assert "y" * 20001 in body  # what was typed stays in the form
    assert not ReportNarrative.objects.filter(report=report, text__startswith="y").exists()
