import pytest
from django.core.management import CommandError, call_command

from actionplan.models import Indicator, IndicatorValue, Measure
from members.models import Member

pytestmark = pytest.mark.django_db


def test_it_generates_marked_demo_data_and_tops_it_up_on_rerun(seeded):
    real = set(Member.objects.values_list("slug", flat=True))
    real_measures = Measure.objects.count()
    call_command("generate_demo", members=30, measures_per_member=4)
    demo = Member.objects.filter(slug__startswith="demo-stadt-")
    assert demo.count() == 30
    assert demo.get(slug="demo-stadt-0001").name == "Demo-Stadt 0001"
    assert set(demo.values_list("source__title", flat=True)) == {"Demo data – synthetic"}
    assert Measure.objects.filter(plan__member__in=demo).count() == 120
    call_command("generate_demo", members=40, measures_per_member=5)
    assert demo.count() == 40
    assert Measure.objects.filter(plan__member__in=demo).count() == 200
    # Two indicators per demo plan with three values each, topped up for new plans only, never for real members.
    assert Indicator.objects.filter(plan__member__in=demo).count() == 80
    assert IndicatorValue.objects.filter(indicator__plan__member__in=demo).count() == 240
    assert not Indicator.objects.exclude(plan__member__in=demo).exists()
    # Real members are untouched.
    assert set(Member.objects.exclude(slug__startswith="demo-stadt-").values_list("slug", flat=True)) == real
    assert Measure.objects.exclude(plan__member__in=demo).count() == real_measures


def test_it_makes_demo_data_findable(client, seeded):
    call_command("generate_demo", members=20, measures_per_member=10)
    assert client.get("/de/members/", {"q": "Schulen"}).context["paginator"].count > 0


def test_it_refuses_negative_numbers(db):
    with pytest.raises(CommandError):
        call_command("generate_demo", members=-1, measures_per_member=1)
