import datetime
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from actionplan.models import ActionPlan, Commitment, Indicator, IndicatorValue, Measure, MeasureStatus, MeasureUpdate
from members.tests.factories import MemberFactory


class CommitmentFactory(DjangoModelFactory):
    class Meta:
        model = Commitment
        django_get_or_create = ["number"]

    number = factory.Sequence(lambda n: n % 10 + 1)
    title_de = factory.LazyAttribute(lambda o: f"Verpflichtung {o.number}")
    title_en = factory.LazyAttribute(lambda o: f"Commitment {o.number}")


class ActionPlanFactory(DjangoModelFactory):
    class Meta:
        model = ActionPlan
        django_get_or_create = ["member"]

    member = factory.SubFactory(MemberFactory)


class MeasureFactory(DjangoModelFactory):
    class Meta:
        model = Measure

    plan = factory.SubFactory(ActionPlanFactory)
    commitment = factory.SubFactory(CommitmentFactory)
    title = factory.Sequence(lambda n: f"Maßnahme {n}")
    status = MeasureStatus.IN_PROGRESS
    progress = 40
    is_public = True


class MeasureUpdateFactory(DjangoModelFactory):
    class Meta:
        model = MeasureUpdate

    measure = factory.SubFactory(MeasureFactory)
    text = factory.Sequence(lambda n: f"Fortschritt {n}")


class IndicatorFactory(DjangoModelFactory):
    class Meta:
        model = Indicator

    plan = factory.SubFactory(ActionPlanFactory)
    commitment = factory.SubFactory(CommitmentFactory)
    name = factory.Sequence(lambda n: f"Beratungsfälle pro Jahr {n}")
    unit = "Fälle"
    baseline_value = Decimal("40")
    baseline_date = datetime.date(2022, 1, 1)
    target_value = Decimal("100")
    target_date = datetime.date(2027, 12, 31)
    is_public = True


class IndicatorValueFactory(DjangoModelFactory):
    class Meta:
        model = IndicatorValue

    indicator = factory.SubFactory(IndicatorFactory)
    date = factory.Sequence(lambda n: datetime.date(2023, 1, 1) + datetime.timedelta(days=n))
    value = Decimal("55")
