import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from actionplan.indicators import progress_percent, progress_share
from actionplan.models import Indicator
from actionplan.tests.factories import IndicatorFactory, IndicatorValueFactory, MeasureFactory

pytestmark = pytest.mark.django_db


def test_it_computes_the_share_of_the_way_from_baseline_to_target():
    assert progress_share(baseline=Decimal(40), target=Decimal(100), latest=Decimal(70)) == Decimal("0.5")
    assert progress_percent(progress_share(baseline=Decimal(40), target=Decimal(100), latest=Decimal(85))) == 75


def test_it_counts_going_down_as_progress_toward_a_lower_target():
    assert progress_share(baseline=Decimal(20), target=Decimal(10), latest=Decimal(15)) == Decimal("0.5")


def test_it_limits_the_share_to_nothing_and_everything():
    assert progress_share(baseline=Decimal(40), target=Decimal(100), latest=Decimal(30)) == 0
    assert progress_share(baseline=Decimal(40), target=Decimal(100), latest=Decimal(130)) == 1


def test_it_has_no_share_without_a_target_or_with_a_target_equal_to_the_baseline():
    assert progress_share(baseline=Decimal(40), target=None, latest=Decimal(50)) is None
    assert progress_share(baseline=Decimal(40), target=Decimal(40), latest=Decimal(50)) is None


def test_it_takes_the_latest_dated_value_not_the_last_entered():
    indicator = IndicatorFactory(baseline_value=Decimal(0), target_value=Decimal(100))
    IndicatorValueFactory(indicator=indicator, date=datetime.date(2024, 6, 1), value=Decimal(80))
    IndicatorValueFactory(indicator=indicator, date=datetime.date(2023, 6, 1), value=Decimal(20))
    assert indicator.progress_share() == Decimal("0.8")


def test_it_starts_at_the_baseline_without_values():
    assert IndicatorFactory().progress_share() == 0


def test_it_refuses_a_target_without_a_date():
    indicator = IndicatorFactory.build(target_date=None)
    with pytest.raises(ValidationError) as error:
        indicator.full_clean(exclude=["plan", "commitment"])
    assert "target_date" in error.value.message_dict


def test_it_refuses_a_value_dated_before_the_baseline():
    indicator = IndicatorFactory(baseline_date=datetime.date(2022, 1, 1))
    value = IndicatorValueFactory.build(indicator=indicator, date=datetime.date(2021, 12, 31))
    with pytest.raises(ValidationError) as error:
        value.full_clean()
    assert "date" in error.value.message_dict


def test_it_keeps_one_value_per_date_in_the_database():
    value = IndicatorValueFactory()
    with pytest.raises(IntegrityError):
        IndicatorValueFactory(indicator=value.indicator, date=value.date)


def test_it_files_a_measure_indicator_under_the_measure_commitment():
    measure = MeasureFactory()
    indicator = IndicatorFactory.build(plan=measure.plan, measure=measure, commitment=None)
    indicator.commitment_id = None
    indicator.clean()
    assert indicator.commitment_id == measure.commitment_id


def test_it_hides_an_indicator_of_an_internal_measure():
    measure = MeasureFactory(is_public=False)
    indicator = IndicatorFactory(plan=measure.plan, commitment=measure.commitment, measure=measure)
    plan_indicator = IndicatorFactory(plan=measure.plan, commitment=measure.commitment)
    public = set(Indicator.objects.filter(plan=measure.plan).public())
    assert indicator not in public
    # The plan's member is public in the factory defaults only if the member factory says so; compare both ways.
    assert (plan_indicator in public) == Indicator.objects.filter(pk=plan_indicator.pk).public().exists()
