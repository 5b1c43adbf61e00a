"""Personal data past its use: declined and never-confirmed applications are deleted after
APPLICATION_RETENTION_DAYS, their IP addresses after APPLICATION_IP_RETENTION_DAYS."""

import datetime as dt
from pathlib import Path

import pytest
import time_machine
from django.core.files.base import ContentFile

from actionplan.models import ActionPlan
from actionplan.tests.factories import ActionPlanFactory
from core.models import SecurityEvent, SecurityEventKind
from members import services
from members.models import (
    ApplicationStatus, Contact, CoordinatorRole, Invitation, Member, MemberNote, MemberStatus, MembershipApplication,
)
from members.tests.factories import ApplicationFactory, ContactFactory

pytestmark = pytest.mark.django_db

SENT = dt.datetime(2027, 1, 1, 9, 0, tzinfo=dt.UTC)
IP = "203.0.113.7"


def _on(day: dt.date):
    return time_machine.travel(dt.datetime.combine(day, dt.time(4, 0), tzinfo=dt.UTC), tick=False)


def _prune(day: dt.date, capture) -> services.ApplicationsPruned:
    with _on(day), capture(execute=True):
        return services.applications_prune()


@pytest.fixture
def applications(settings, tmp_path, staff):
    settings.MEDIA_ROOT = tmp_path
    settings.APPLICATION_RETENTION_DAYS, settings.APPLICATION_IP_RETENTION_DAYS = 180, 30
    with time_machine.travel(SENT, tick=False):
        unconfirmed = ApplicationFactory(status=ApplicationStatus.UNCONFIRMED, name="Unbestätigt", member=None, submitted_from=IP)
        declined = ApplicationFactory(
            status=ApplicationStatus.DECLINED, name="Abgelehnt", submitted_from=IP, decided_at=SENT, decided_by=staff,
            decline_reason="Kein Ratsbeschluss", member__status=MemberStatus.DECLINED, member__slug="abgelehnt", member__name="Abgelehnt",
        )
        waiting = ApplicationFactory(name="Wartet", submitted_from=IP, member__slug="wartet", member__name="Wartet")
        for application in (unconfirmed, declined, waiting):
            application.resolution.save("beschluss.pdf", ContentFile(b"%PDF-1.4 Ratsbeschluss"))
        member = declined.member
        ContactFactory(member=member, name="Paula Probst", email="paula.probst@example.org")
        Invitation.issue(member=member, email="paula.probst@example.org", role=CoordinatorRole.LEAD, language="de", by=staff, application=declined)
        MemberNote.objects.create(member=member, text="Telefonat mit Frau Probst", author=staff)
        plan = ActionPlanFactory(member=member)
        plan.resolution_document.save("plan.pdf", ContentFile(b"%PDF-1.4 Plan"))
    return {"unconfirmed": unconfirmed, "declined": declined, "waiting": waiting}


def _files(applications) -> dict[str, bool]:
    return {key: Path(application.resolution.path).exists() for key, application in applications.items()}


def test_it_keeps_everything_before_the_periods_end(applications, django_capture_on_commit_callbacks):
    pruned = _prune(dt.date(2027, 1, 30), django_capture_on_commit_callbacks)
    assert pruned == services.ApplicationsPruned(deleted=0, kept=0, addresses_cleared=0)
    assert set(MembershipApplication.objects.values_list("submitted_from", flat=True)) == {IP}
    assert not SecurityEvent.objects.filter(kind=SecurityEventKind.PERSONAL_DATA_DELETED).exists()


def test_it_clears_the_ip_addresses_after_a_month_and_deletes_nothing_yet(applications, django_capture_on_commit_callbacks):
    pruned = _prune(dt.date(2027, 2, 1), django_capture_on_commit_callbacks)
    assert pruned == services.ApplicationsPruned(deleted=0, kept=0, addresses_cleared=3)
    assert set(MembershipApplication.objects.values_list("submitted_from", flat=True)) == {None}
    assert MembershipApplication.objects.count() == 3 and all(_files(applications).values())
    # Half a year minus a day: still nothing deleted.
    assert _prune(dt.date(2027, 6, 29), django_capture_on_commit_callbacks).deleted == 0
    assert MembershipApplication.objects.count() == 3
    [event] = SecurityEvent.objects.filter(kind=SecurityEventKind.PERSONAL_DATA_DELETED)
    assert event.detail == "applications: 0 deleted, 3 IP addresses cleared, 0 kept (referenced)"


def test_it_deletes_declined_and_unconfirmed_applications_with_their_people_and_files_after_the_period(
    applications, django_capture_on_commit_callbacks
):
    declined_member = applications["declined"].member
    plan_file = Path(ActionPlan.objects.get(member=declined_member).resolution_document.path)
    assert Contact.history.filter(member_id=declined_member.pk).exists()
    pruned = _prune(dt.date(2027, 7, 1), django_capture_on_commit_callbacks)
    assert pruned == services.ApplicationsPruned(deleted=2, kept=0, addresses_cleared=3)
    assert list(MembershipApplication.objects.values_list("name", flat=True)) == ["Wartet"]
    assert _files(applications) == {"unconfirmed": False, "declined": False, "waiting": True}
    assert not plan_file.exists()
    # The declined applicant member goes with everything that named a person, and with the copies in the history.
    assert not Member.objects.filter(pk=declined_member.pk).exists()
    for model in (Contact, Invitation, MemberNote, ActionPlan):
        assert not model.objects.filter(member_id=declined_member.pk).exists(), model
    for model in (Contact, MemberNote, ActionPlan):
        assert not model.history.filter(member_id=declined_member.pk).exists(), model
    assert not Member.history.filter(id=declined_member.pk).exists()
    assert Member.objects.filter(slug="wartet", status=MemberStatus.APPLICANT).exists()
    event = SecurityEvent.objects.filter(kind=SecurityEventKind.PERSONAL_DATA_DELETED).get()
    assert event.detail == "applications: 2 deleted, 3 IP addresses cleared, 0 kept (referenced)"


def test_it_is_safe_to_rerun(applications, django_capture_on_commit_callbacks):
    _prune(dt.date(2027, 7, 1), django_capture_on_commit_callbacks)
    again = _prune(dt.date(2027, 7, 1), django_capture_on_commit_callbacks)
    assert again == services.ApplicationsPruned(deleted=0, kept=0, addresses_cleared=0)
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.PERSONAL_DATA_DELETED).count() == 1
    assert MembershipApplication.objects.count() == 1


def test_it_keeps_the_files_when_the_deletion_is_rolled_back(applications):
    # The files go only after the commit: a run that fails later keeps rows and files together.
    with _on(dt.date(2027, 7, 1)), pytest.raises(RuntimeError):
        from django.db import transaction

        with transaction.atomic():
            services.applications_prune()
            raise RuntimeError("stop")
    assert all(_files(applications).values()) and MembershipApplication.objects.count() == 3


def test_it_follows_the_configured_periods(applications, settings, django_capture_on_commit_callbacks):
    settings.APPLICATION_RETENTION_DAYS, settings.APPLICATION_IP_RETENTION_DAYS = 10, 5
    assert _prune(dt.date(2027, 1, 5), django_capture_on_commit_callbacks).addresses_cleared == 0
    assert _prune(dt.date(2027, 1, 12), django_capture_on_commit_callbacks) == services.ApplicationsPruned(deleted=2, kept=0, addresses_cleared=3)
