"""The maintained public-measure figures (PlanFigures, kept by PostgreSQL triggers) always equal a recount."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.models import Count, Q
from django.utils import timezone

from actionplan import services
from actionplan.figures import coalition_figures, public_figures
from actionplan.models import COMMITMENT_NUMBERS, Commitment, Measure, MeasureStatus, PlanFigures
from actionplan.tests.factories import ActionPlanFactory, MeasureFactory
from members.models import MemberStatus
from members.tests.factories import MemberFactory


def recount() -> dict[int, dict[str, int]]:
    """Per member: public measures by status and by commitment number, counted from Measure.objects.public()."""
    aggregates = {value: Count("id", filter=Q(status=value)) for value in MeasureStatus.values}
    aggregates |= {f"c{n}": Count("id", filter=Q(commitment__number=n)) for n in COMMITMENT_NUMBERS}
    aggregates["measures"] = Count("id")
    aggregates["commitments_covered"] = Count("commitment", distinct=True)
    rows = Measure.objects.public().values("plan__member_id").annotate(**aggregates)
    return {row.pop("plan__member_id"): row for row in rows}


def maintained() -> dict[int, dict[str, int]]:
    fields = [*MeasureStatus.values, *(f"c{n}" for n in COMMITMENT_NUMBERS), "measures", "commitments_covered"]
    rows = public_figures().values("plan__member_id", *fields)
    return {row.pop("plan__member_id"): row for row in rows}


def assert_figures_right() -> None:
    expected = recount()
    assert maintained() == expected
    coalition = coalition_figures()
    assert coalition["measures"] == Measure.objects.public().count()
    for n in COMMITMENT_NUMBERS:
        assert coalition["members_by_commitment"][n] == sum(1 for row in expected.values() if row[f"c{n}"])
    # No row is kept for a plan without public measures.
    assert not PlanFigures.objects.filter(measures=0).exists()


@pytest.fixture
def plans(commitments):
    first = ActionPlanFactory(member=MemberFactory(status=MemberStatus.MEMBER))
    second = ActionPlanFactory(member=MemberFactory(status=MemberStatus.FORMER))
    three = Commitment.objects.get(number=3)
    for i, status in enumerate(MeasureStatus.values):
        MeasureFactory(plan=first, commitment=three, status=status, title=f"A {i}")
        MeasureFactory(plan=second, commitment=Commitment.objects.get(number=i + 1), status=status, title=f"B {i}")
    MeasureFactory(plan=first, commitment=three, is_public=False, title="internal")
    assert_figures_right()
    return first, second


def test_it_counts_created_measures_and_leaves_out_internal_ones(plans):
    first, _second = plans
    assert maintained()[first.member_id]["measures"] == 5
    assert maintained()[first.member_id]["c3"] == 5
    assert maintained()[first.member_id]["commitments_covered"] == 1


def test_it_follows_a_status_edit_through_the_service(plans, dresden_lead):
    first, _second = plans
    measure = first.measures.filter(is_public=True).first()
    measure.status = MeasureStatus.DISCONTINUED if measure.status != MeasureStatus.DISCONTINUED else MeasureStatus.PLANNED
    services.measure_save(measure=measure, expected_version=measure.version, by=dresden_lead)
    assert_figures_right()


def test_it_follows_retiring_and_restoring(plans, dresden_lead):
    measure = plans[0].measures.filter(is_public=True).first()
    measure.retire(by=dresden_lead)
    assert_figures_right()
    measure.restore(by=dresden_lead)
    assert_figures_right()


def test_it_follows_making_a_measure_private_and_public(plans):
    first, _second = plans
    measure = first.measures.filter(is_public=True).first()
    measure.is_public = False
    measure.save()
    assert_figures_right()
    first.measures.filter(title="internal").update(is_public=True)
    assert_figures_right()


def test_it_follows_deleting_measures_and_plans(plans):
    first, second = plans
    first.measures.first().delete()
    assert_figures_right()
    second.member.delete()
    assert_figures_right()
    assert not PlanFigures.objects.filter(plan_id=second.pk).exists()


def test_it_follows_moving_a_measure_to_another_commitment_or_plan(plans):
    first, second = plans
    measure = first.measures.filter(is_public=True).first()
    measure.commitment = Commitment.objects.get(number=9)
    measure.save()
    assert_figures_right()
    Measure.objects.filter(pk=measure.pk).update(plan=second)
    assert_figures_right()


def test_it_follows_member_status_changes_without_any_rewrite(plans, staff):
    first, _second = plans
    member = first.member
    member.change_status(MemberStatus.FORMER, by=staff, on=timezone.localdate(), reason="Austritt")
    assert_figures_right()
    # Back to a status that is not public: the member's measures drop out of every public figure at once.
    type(member).objects.filter(pk=member.pk).update(status=MemberStatus.APPLICANT)
    assert first.member_id not in maintained()
    assert_figures_right()
    type(member).objects.filter(pk=member.pk).update(status=MemberStatus.MEMBER)
    assert maintained()[first.member_id]["measures"] == 5
    assert_figures_right()


def test_it_follows_bulk_create_and_queryset_update(plans):
    first, second = plans
    commitments = list(Commitment.objects.all())
    Measure.objects.bulk_create(
        [
            Measure(plan=plan, commitment=commitments[i % 10], title=f"bulk {i}", status=MeasureStatus.values[i % 5], is_public=i % 3 != 0)
            for plan in (first, second)
            for i in range(40)
        ]
    )
    assert_figures_right()
    Measure.objects.filter(title__startswith="bulk").update(status=MeasureStatus.IMPLEMENTED)
    assert_figures_right()
    Measure.objects.filter(title__startswith="bulk 1").update(retired_at=timezone.now())
    assert_figures_right()
    Measure.objects.filter(title__startswith="bulk 2").delete()
    assert_figures_right()
    # A title edit changes no figure and leaves the rows as they were.
    Measure.objects.update(title="same")
    assert_figures_right()


def test_it_follows_raw_sql_writes(plans):
    first, _second = plans
    with connection.cursor() as cursor:
        cursor.execute("UPDATE actionplan_measure SET is_public = NOT is_public WHERE plan_id = %s", [first.pk])
    assert_figures_right()


def test_it_follows_a_plan_import(plans, dresden, dresden_lead):
    from actionplan.models import PlanImport

    values = {"commitment": 4, "title": "Importiert", "description": "", "responsible_unit": "", "partners": "",
              "status": MeasureStatus.PLANNED, "progress": None, "start_date": "", "end_date": "", "is_public": True}
    plan_import = PlanImport.objects.create(member=dresden, uploaded_by=dresden_lead, file_name="plan.xlsx",
                                            content_hash="x" * 64, rows=[{"values": values}])
    assert services.plan_import(plan_import=plan_import, by=dresden_lead) == 1
    assert maintained()[dresden.pk]["c4"] >= 1
    assert_figures_right()


def test_it_agrees_with_generate_demo(commitments):
    from django.core.management import call_command

    call_command("generate_demo", members=3, measures_per_member=12, stdout=None)
    assert recount()
    assert_figures_right()


def test_it_keeps_to_the_public_rule_of_the_models(plans):
    """The trigger mirrors the measure part of public_measure_q: a measure the rule calls public is counted, and
    no other. A change to the rule that the trigger does not follow fails here."""
    first, _second = plans
    Measure.objects.filter(pk__in=first.measures.values("pk")[:2]).update(retired_at=timezone.now() - dt.timedelta(days=1))
    counted = sum(row["measures"] for row in maintained().values())
    assert counted == Measure.objects.public().count()
    assert PlanFigures.objects.aggregate(n=Count("pk"))["n"] == len(
        set(Measure.objects.filter(is_public=True, retired_at__isnull=True).values_list("plan_id", flat=True))
    )
    assert set(Measure.objects.public().values_list("pk", flat=True)) == set(
        Measure.objects.filter(is_public=True, retired_at__isnull=True, plan__member__status__in=[
            s for s in MemberStatus.values if s != MemberStatus.APPLICANT
        ]).values_list("pk", flat=True)
    )
