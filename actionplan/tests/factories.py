import factory
from factory.django import DjangoModelFactory

from actionplan.models import ActionPlan, Commitment, Measure, MeasureStatus, MeasureUpdate
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
