"""Housing measures on top of the seed data: Dresden's real housing work, an Austrian town's, and German members
found under "Fair Access to Housing" only by the commitment's title."""

from __future__ import annotations

from decimal import Decimal

from actionplan.models import ActionPlan, Commitment, MeasureStatus
from actionplan.tests.factories import ActionPlanFactory, IndicatorFactory, IndicatorValueFactory, MeasureFactory
from members.models import Member
from members.tests.factories import MemberFactory


def add_housing_measures() -> dict:
    housing = Commitment.objects.get(number=7)
    dresden = Member.objects.get(slug="dresden")
    plan = ActionPlan.objects.get(member=dresden)
    flats = MeasureFactory(plan=plan, commitment=housing, title="Wohnungsvermittlung ohne Diskriminierung",
                           description="Die Stadt vermittelt Wohnungen an Menschen, die auf dem Wohnungsmarkt "
                           "benachteiligt werden.", status=MeasureStatus.IN_PROGRESS, content_language="de")
    MeasureFactory(plan=plan, commitment=housing, title="Fair housing counselling",
                   description="Advice for tenants who face discrimination when looking for housing.",
                   status=MeasureStatus.PLANNED, content_language="en")
    MeasureFactory(plan=plan, commitment=housing, title="Racism in housing: testing landlords",
                   description="Test applications show where landlords turn down applicants.",
                   status=MeasureStatus.PLANNED, content_language="en")
    indicator = IndicatorFactory(plan=plan, commitment=housing, measure=flats, name="Vermittelte Wohnungen",
                                 unit="Wohnungen", baseline_value=Decimal(10), target_value=Decimal(50))
    IndicatorValueFactory(indicator=indicator, value=Decimal(30))
    # German members with measures under the commitment whose own words say nothing about housing.
    early = MemberFactory(slug="amtsstadt", name="Amtsstadt Beispiel", country="DE")
    for member in (early, *Member.objects.filter(slug__in=["duesseldorf", "heilbronn", "staedteregion-aachen"])):
        MeasureFactory(plan=ActionPlanFactory(member=member), commitment=housing, title="Beratung für Vermieter",
                       description="Gespräche mit Vermietern.", content_language="de")
    graz = MemberFactory(slug="graz", name="Stadt Graz", country="AT")
    graz_measure = MeasureFactory(plan=ActionPlanFactory(member=graz), commitment=housing, title="Wohnungsbörse Graz",
                                  description="Wohnungen für alle.", content_language="de")
    IndicatorFactory(plan=graz_measure.plan, commitment=housing, measure=graz_measure, name="Grazer Wohnungsindikator")
    IndicatorFactory(plan=graz_measure.plan, commitment=housing, name="Grazer Gesamtindikator")
    return {"dresden": dresden, "graz": graz, "flats": flats, "early": early}
