import csv
import datetime
import io
import re
from decimal import ROUND_HALF_UP, Decimal

import pytest

from actionplan.models import MeasureStatus
from actionplan.tests.factories import ActionPlanFactory, IndicatorFactory, IndicatorValueFactory, MeasureFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(dresden):
    plan = ActionPlanFactory(member=dresden)
    MeasureFactory(plan=plan, status=MeasureStatus.IN_PROGRESS, progress=40)
    MeasureFactory(plan=plan, status=MeasureStatus.IMPLEMENTED, progress=100)
    MeasureFactory(plan=plan, status=MeasureStatus.PLANNED, progress=None)  # not stated: left out, not 0
    MeasureFactory(plan=plan, status=MeasureStatus.PLANNED, progress=7)
    MeasureFactory(plan=plan, status=MeasureStatus.IN_PROGRESS, progress=90, is_public=False)  # not counted
    rising = IndicatorFactory(plan=plan, baseline_value=Decimal(40), target_value=Decimal(100))
    IndicatorValueFactory(indicator=rising, date=datetime.date(2023, 1, 1), value=Decimal(50))
    IndicatorValueFactory(indicator=rising, date=datetime.date(2024, 1, 1), value=Decimal("61.5"))
    falling = IndicatorFactory(plan=plan, baseline_value=Decimal(30), target_value=Decimal(10))
    IndicatorValueFactory(indicator=falling, date=datetime.date(2024, 1, 1), value=Decimal(25))
    IndicatorFactory(plan=plan, target_value=None, target_date=None)  # no target: no share
    return plan


def _rows(client, url: str, slug: str) -> list[dict]:
    text = b"".join(client.get(url).streaming_content).decode()
    return [row for row in csv.DictReader(io.StringIO(text)) if row["member_slug"] == slug]


def _percent(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def test_it_shows_figures_that_anyone_can_recompute_from_the_open_data(client, plan):
    page = client.get("/en/members/dresden/").content.decode()

    # The documented formula, followed with nothing but the CSV files.
    measures = _rows(client, "/open-data/v2/measures.csv", "dresden")
    progress = [Decimal(row["progress"]) for row in measures if row["progress"] != ""]
    mean_progress = _percent(sum(progress) / len(progress))
    shares = [Decimal(row["share"]) for row in _rows(client, "/open-data/v2/indicators.csv", "dresden") if row["share"] != ""]
    mean_share = _percent(100 * sum(shares) / len(shares))

    assert len(measures) == 4 and len(progress) == 3 and len(shares) == 2
    # (40 + 100 + 7) / 3 = 49; shares 0.3583 and 0.25 → 30.415 → 30
    assert (mean_progress, mean_share) == (49, 30)
    assert re.search(rf"{mean_progress} %, over the 3 measures that state their progress", page)
    assert re.search(rf"{mean_share} % of the way, the mean of 2 indicators with a target", page)
    assert "How these figures are computed" in page and "/en/open-data/#rollup" in page


def test_it_says_so_when_nothing_states_a_figure(client, dresden):
    ActionPlanFactory(member=dresden)
    page = client.get("/de/members/dresden/").content.decode()
    assert "Keine Maßnahme gibt ihren Fortschritt an." in page
    assert "Noch kein öffentlicher Indikator mit Ziel." in page
