"""The security log: what it records, who may read it, how long it keeps events."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command

from core.models import FormSubmission, SecurityEvent, SecurityEventKind
from core.security import security_record

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


def kinds() -> list[str]:
    return list(SecurityEvent.objects.order_by("id").values_list("kind", flat=True))


def test_it_records_logins_failures_and_logouts_with_the_address(client, dresden_lead):
    client.post("/de/accounts/login/", {"username": "dresden-lead", "password": "falsch"}, REMOTE_ADDR="198.51.100.4")
    client.post("/de/accounts/login/", {"username": "dresden-lead", "password": PASSWORD}, REMOTE_ADDR="198.51.100.4")
    client.post("/de/accounts/logout/")
    assert kinds() == [SecurityEventKind.LOGIN_FAILED, SecurityEventKind.LOGIN, SecurityEventKind.LOGOUT]
    failed = SecurityEvent.objects.get(kind=SecurityEventKind.LOGIN_FAILED)
    assert (failed.username, failed.ip_address, failed.path) == ("dresden-lead", "198.51.100.4", "/de/accounts/login/")
    assert SecurityEvent.objects.get(kind=SecurityEventKind.LOGIN).user == dresden_lead


def test_it_records_password_changes(client, dresden_editor):
    client.force_login(dresden_editor)
    new = "ein-neues-langes-Passwort-2026"
    client.post("/de/accounts/password/change/", {"old_password": PASSWORD, "new_password1": new, "new_password2": new})
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.PASSWORD_CHANGED, user=dresden_editor).exists()


def test_it_records_permission_denials(client, dresden_editor, dresden):
    client.force_login(dresden_editor)
    # The team page is the lead's: an editor gets a 403.
    assert client.get("/de/dashboard/dresden/team/").status_code == 403
    event = SecurityEvent.objects.get(kind=SecurityEventKind.PERMISSION_DENIED)
    assert (event.user, event.path) == (dresden_editor, "/de/dashboard/dresden/team/")


def test_it_records_invitations_and_staff_exports(client, dresden_lead, staff, dresden):
    client.force_login(dresden_lead)
    client.post("/de/dashboard/dresden/team/invite/", {"email": "neu@example.org", "role": "editor", "language": "de"})
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.INVITATION_SENT, user=dresden_lead, detail__contains="neu@example.org").exists()
    client.force_login(staff)
    client.post("/admin/members/member/", {"action": "export_members_csv", "_selected_action": [dresden.pk]})
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.STAFF_EXPORT, user=staff).exists()


def test_it_shows_the_log_to_superusers_and_the_secretariat_only(client, superuser, staff, bare_staff):
    # What the secretariat sees of it (coordinator accounts only): members/tests/test_user_admin_help.py.
    security_record(SecurityEventKind.LOGIN_FAILED, username="someone")
    client.force_login(bare_staff)
    assert client.get("/admin/core/securityevent/").status_code == 403
    client.force_login(staff)
    assert "someone" in client.get("/admin/core/securityevent/").content.decode()
    client.force_login(superuser)
    page = client.get("/admin/core/securityevent/")
    assert page.status_code == 200 and "someone" in page.content.decode()
    event = SecurityEvent.objects.get(username="someone")
    assert client.post(f"/admin/core/securityevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    assert SecurityEvent.objects.filter(pk=event.pk).exists()


def test_it_keeps_events_for_the_retention_period_only(settings):
    settings.SECURITY_LOG_DAYS = 365
    with time_machine.travel(dt.datetime(2025, 1, 1, tzinfo=dt.UTC)):
        security_record(SecurityEventKind.LOGIN_FAILED, username="old")
        FormSubmission.objects.create(token="0b7e0a4e-2d55-4c55-9d7c-2a4c8f7d7b01")
    with time_machine.travel(dt.datetime(2026, 6, 1, tzinfo=dt.UTC)):
        security_record(SecurityEventKind.LOGIN_FAILED, username="recent")
        out = io.StringIO()
        call_command("prune_records", stdout=out)
        call_command("prune_records", stdout=io.StringIO())  # safe to rerun
    assert list(SecurityEvent.objects.values_list("username", flat=True)) == ["recent"]
    assert not FormSubmission.objects.exists()
    assert "Deleted 1 security events and 1 form tokens." in out.getvalue()
