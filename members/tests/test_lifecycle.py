import datetime as dt

import pytest

from members.models import MemberStatus, MembershipTransition, MembershipTransitionError
from members.tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

DAY = dt.date(2025, 3, 1)


@pytest.fixture
def applicant(db):
    return MemberFactory(status=MemberStatus.APPLICANT, admitted_on=None)


@pytest.fixture
def member(db):
    return MemberFactory(status=MemberStatus.MEMBER, admitted_on=dt.date(2020, 5, 1))


def test_it_admits_an_applicant_with_its_admission_date_and_records_who_when_and_why(applicant, staff):
    applicant.admit(by=staff, on=DAY, reason="Ratsbeschluss liegt vor")
    applicant.refresh_from_db()
    assert (applicant.status, applicant.admitted_on, applicant.status_since) == (MemberStatus.MEMBER, DAY, DAY)
    transition = MembershipTransition.objects.get(member=applicant)
    assert (transition.from_status, transition.to_status, transition.effective_on, transition.by) == (
        MemberStatus.APPLICANT, MemberStatus.MEMBER, DAY, staff
    )
    assert transition.reason == "Ratsbeschluss liegt vor"
    assert applicant.history.first().history_user == staff


@pytest.mark.parametrize(
    ("step", "to_status"),
    [("put_on_hold", MemberStatus.ON_HOLD), ("suspend", MemberStatus.SUSPENDED), ("end_membership", MemberStatus.FORMER)],
)
def test_it_changes_a_members_status_and_moves_its_version_on(member, staff, step, to_status):
    version = member.version
    getattr(member, step)(by=staff, on=DAY, reason="Bericht seit einem Jahr überfällig")
    member.refresh_from_db()
    assert member.status == to_status and member.version == version + 1
    assert MembershipTransition.objects.filter(member=member, to_status=to_status, reason__startswith="Bericht").exists()


def test_it_records_the_end_of_a_membership_and_clears_it_on_rejoining(member, staff):
    member.end_membership(by=staff, on=DAY, reason="Austritt durch Ratsbeschluss")
    member.refresh_from_db()
    assert member.left_on == DAY
    member.reinstate(by=staff, on=dt.date(2026, 1, 1), reason="Wiedereintritt")
    member.refresh_from_db()
    assert (member.status, member.left_on) == (MemberStatus.MEMBER, None)
    assert member.transitions.count() == 2


@pytest.mark.parametrize(
    ("status", "step"),
    [
        (MemberStatus.APPLICANT, "put_on_hold"),
        (MemberStatus.MEMBER, "admit"),
        (MemberStatus.MEMBER, "decline"),
        (MemberStatus.SUSPENDED, "put_on_hold"),
        (MemberStatus.FORMER, "suspend"),
        (MemberStatus.DECLINED, "admit"),
        (MemberStatus.DECLINED, "reinstate"),
    ],
)
def test_it_refuses_a_transition_that_is_not_allowed_and_writes_nothing(staff, status, step):
    member = MemberFactory(status=status)
    version = member.version
    with pytest.raises(MembershipTransitionError) as error:
        getattr(member, step)(by=staff, on=DAY, reason="Grund")
    assert error.value.code == "wrong_status"
    member.refresh_from_db()
    assert (member.status, member.version) == (status, version)
    assert not MembershipTransition.objects.exists()


@pytest.mark.parametrize(("reason", "on", "code"), [("", DAY, "no_reason"), ("   ", DAY, "no_reason"), ("Grund", None, "no_date")])
def test_it_needs_a_reason_and_a_date(member, staff, reason, on, code):
    with pytest.raises(MembershipTransitionError) as error:
        member.suspend(by=staff, on=on, reason=reason)
    assert error.value.code == code
    member.refresh_from_db()
    assert member.status == MemberStatus.MEMBER and not MembershipTransition.objects.exists()


def test_it_refuses_an_end_before_the_admission(member, staff):
    with pytest.raises(MembershipTransitionError) as error:
        member.end_membership(by=staff, on=dt.date(2019, 1, 1), reason="Fehler")
    assert error.value.code == "before_admission"
    member.refresh_from_db()
    assert member.status == MemberStatus.MEMBER and member.left_on is None


@pytest.mark.parametrize("persona", ["bare_staff", "dresden_lead"])
def test_it_lets_only_the_secretariat_change_a_status(request, member, persona):
    with pytest.raises(MembershipTransitionError) as error:
        member.suspend(by=request.getfixturevalue(persona), on=DAY, reason="Grund")
    assert error.value.code == "not_allowed"
    member.refresh_from_db()
    assert member.status == MemberStatus.MEMBER


def test_it_reads_a_status_change_against_the_stored_status_not_a_stale_copy(member, staff):
    stale = type(member).objects.get(pk=member.pk)
    member.end_membership(by=staff, on=DAY, reason="Austritt")
    with pytest.raises(MembershipTransitionError):
        stale.suspend(by=staff, on=DAY, reason="Überfällig")


def test_it_says_since_when_a_public_status_holds(member, staff):
    from django.utils import translation

    member.end_membership(by=staff, on=DAY, reason="Austritt")
    with translation.override("de"):
        assert member.status_display_since == "Ehemaliges Mitglied seit März 2025"
    with translation.override("en"):
        assert member.status_display_since == "Former member since March 2025"


def test_it_shows_the_public_status_line_on_the_member_page(client, member, staff):
    member.end_membership(by=staff, on=DAY, reason="Austritt")
    assert "Ehemaliges Mitglied seit März 2025" in client.get(member.get_absolute_url()).content.decode()
    assert "Former member since March 2025" in client.get(member.get_absolute_url().replace("/de/", "/en/")).content.decode()
