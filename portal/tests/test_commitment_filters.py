"""The commitment page's indicator block follows the page's filters (the seed data plus the housing measures of
portal/tests/housing.py)."""

from portal.tests.housing import add_housing_measures


def test_it_shows_the_indicators_that_follow_the_filters(client, seeded):
    add_housing_measures()
    unfiltered = client.get("/de/commitments/7/").content.decode()
    assert "Grazer Wohnungsindikator" in unfiltered and "Vermittelte Wohnungen" in unfiltered
    body = client.get("/de/commitments/7/", {"country": "DE", "q": "Wohnung"}).content.decode()
    indicators = body[body.index('id="indicators-heading"'):]
    assert "Vermittelte Wohnungen" in indicators  # Dresden's housing indicator
    assert "Grazer" not in indicators  # neither the Austrian town's measure indicator nor its plan-wide one
    austria = client.get("/de/commitments/7/", {"country": "AT"}).content.decode()
    assert "Grazer Wohnungsindikator" in austria and "Grazer Gesamtindikator" in austria
    assert "Vermittelte Wohnungen" not in austria
    planned = client.get("/de/commitments/7/", {"status": "planned", "country": "AT"}).content.decode()
    assert "Vermittelte Wohnungen" not in planned and "Grazer" not in planned  # in progress; without a status
    in_progress = client.get("/de/commitments/7/", {"status": "in_progress"}).content.decode()
    assert "Vermittelte Wohnungen" in in_progress and "Grazer Wohnungsindikator" in in_progress
    assert "Grazer Gesamtindikator" not in in_progress
