"""Estates and assets: queries against the fixture warehouse and the page's pure logic, with
expected values worked by hand in tests/fixture_warehouse.py."""

from datetime import date

import pandas as pd
import pytest

from anchor import estates, spc
from anchor.charts import spc_chart
from anchor.places import Place
from anchor.queries import estate
from tests.fixture_warehouse import BIRMINGHAM, Q1_2024, Q2_2024, SANDWELL

FP1 = Place.of_lads("Fixture footprint", [SANDWELL, BIRMINGHAM])
BOTH = ["AAA", "BBB"]


def test_estate_sites_snapshot_and_flows(fixture_wh):
    s = estate.estate_sites(fixture_wh, BOTH, Q1_2024, Q2_2024, FP1)
    assert list(s["site_code"]) == ["AAA01", "BBB01"]
    assert list(s["site_name"]) == ["Alpha General", "Beta City"]
    assert list(s["snapshot_quarter"].dt.date) == [Q2_2024, Q1_2024]
    assert list(s["land_not_delivering_ha"]) == [2.0, 0.5]  # AAA01's Q2 return
    assert list(s["empty_m2"]) == [500, 100]
    assert list(s["occupied_m2"]) == [19_500, 7_900]
    # Energy, carbon and community use add up over the period's returns.
    assert list(s["energy_kwh"]) == [900_000, 200_000]
    assert list(s["carbon_tco2e"]) == pytest.approx([180.0, 40.0])
    assert list(s["community_use_hours"]) == [270, 60]
    assert list(s["returns"]) == [2, 1]
    assert list(s["first_return"].dt.date) == [Q1_2024, Q1_2024]
    assert list(s["lat"]) == pytest.approx([52.528076, 52.488627])


def test_estate_sites_by_place(fixture_wh):
    sandwell = Place.of_lads("Sandwell", [SANDWELL])
    assert list(estate.estate_sites(fixture_wh, BOTH, Q1_2024, Q1_2024, sandwell)["site_code"]) == [
        "AAA01"]
    # Every site is within any radius of its own organisation's sites.
    assert len(estate.estate_sites(fixture_wh, BOTH, Q1_2024, Q1_2024, Place.within_km(1))) == 2


@pytest.mark.parametrize("first, last, expected", [
    # land ha, GIA, empty+under-used share, non-clinical share, backlog £, £/m², kWh, tCO2e, hours
    (Q1_2024, Q1_2024, (2.0, 28_000, 900 / 28_000, 11_000 / 28_000, 1_400_000, 50.0, 700_000,
                        140.0, 180)),
    (Q2_2024, Q2_2024, (2.0, 20_000, 800 / 20_000, 8_000 / 20_000, 1_100_000, 55.0, 400_000,
                        80.0, 150)),
    (Q1_2024, Q2_2024, (2.5, 28_000, 1_000 / 28_000, 11_000 / 28_000, 1_500_000,
                        1_500_000 / 28_000, 1_100_000, 220.0, 330)),
])
def test_totals(fixture_wh, first, last, expected):
    t = estates.totals(estate.estate_sites(fixture_wh, BOTH, first, last, FP1))
    got = (t["land_not_delivering_ha"], t["gia_m2"], t["empty_underused_share"],
           t["non_clinical_share"], t["backlog_cost_gbp"], t["backlog_per_m2"], t["energy_kwh"],
           t["carbon_tco2e"], t["community_use_hours"])
    assert got == pytest.approx(expected)


def test_estate_by_quarter(fixture_wh):
    q = estates.quarterly_series(estate.estate_by_quarter(fixture_wh, BOTH, Q1_2024, Q2_2024, FP1))
    assert list(q["label"]) == ["2024/25 Q1", "2024/25 Q2"]
    assert list(q["sites"]) == [2, 1]
    assert list(q["empty_underused_share"]) == pytest.approx([900 / 28_000, 800 / 20_000])
    assert list(q["backlog_per_m2"]) == pytest.approx([50.0, 55.0])
    assert list(q["carbon_tco2e"]) == pytest.approx([140.0, 80.0])
    # Their SPC: tests/unittests/test_view_estates.py.


def test_formatting():
    assert estates.m2(28_000) == "28,000 m²"
    assert estates.energy(1_100_000) == "1.1 GWh"
    assert estates.energy(850_000) == "850 MWh"
    assert estates.energy(640) == "640 kWh"
    assert estates.per_m2(53.57) == "£54/m²"
    assert estates.m2(None) == "–"


def _site(code, name, org, first, **v):
    base = dict(site_code=code, site_name=name, org_code=org, first_return=pd.Timestamp(first),
                postcode="B1 1AA", site_area_ha=10.0, land_not_delivering_ha=0.5, gia_m2=80_000.0,
                occupied_m2=78_000.0, empty_m2=2_000.0, underused_m2=1_000.0, clinical_m2=50_000.0,
                non_clinical_m2=30_000.0, backlog_cost_gbp=1e6, energy_kwh=1e6, carbon_tco2e=200.0,
                community_use_hours=100.0)
    base.update(v)
    return base


def test_sentences_tell_what_changed_from_the_data():
    then = pd.DataFrame([_site("C", "City Hospital", "RXK", "2014-04-01", land_not_delivering_ha=0.3,
                               empty_m2=1_500.0, underused_m2=2_000.0),
                         _site("S", "Small Clinic", "RXK", "2014-04-01")])
    now = pd.DataFrame([
        _site("C", "City Hospital", "RXK", "2014-04-01", land_not_delivering_ha=6.4,
              empty_m2=30_780.0, underused_m2=7_290.0),
        _site("M", "Midland Met", "RXK", "2024-10-01", site_area_ha=7.3, gia_m2=86_000.0,
              land_not_delivering_ha=0.0),
    ])
    text = estates.sentences(now, then, period_label="2025/26 Q2", then_label="2024/25 Q2",
                             then_last=date(2024, 7, 1), place_phrase="in Sandwell")
    assert text[0] == ("In 2025/26 Q2, 6.4 ha of the 17.3 ha held at 2 sites in Sandwell did not "
                       "deliver services; the most at City Hospital (6.4 ha, 64.0% of its site).")
    # (30,780 + 7,290 + 2,000 + 1,000) of (80,000 + 86,000) m²
    assert text[1].startswith("24.7% of the floor space (41,070 m²) was empty or under-used")
    assert text[2] == ("At City Hospital (RXK), empty or under-used floor space rose from 4.4% to "
                       "47.6% of its 80,000 m² and land not delivering services rose from 0.3 ha "
                       "to 6.4 ha since 2024/25 Q2: space that could be released for housing, "
                       "regeneration or community use.")
    assert text[3] == ("Midland Met (RXK) made its first return in 2024/25 Q3: 86,000 m² of floor "
                       "space on 7.3 ha.")
    assert text[4] == "Small Clinic (RXK) made no return in 2025/26 Q2."


def test_tables():
    sites = pd.DataFrame([_site("C", "City Hospital", "RXK", "2014-04-01",
                                snapshot_quarter=pd.Timestamp("2025-07-01"), land_not_delivering_ha=6.4),
                          _site("S", "Small Clinic", "RNA", "2014-04-01", gia_m2=5_000.0,
                                snapshot_quarter=pd.Timestamp("2025-07-01"),
                                land_not_delivering_ha=0.0, empty_m2=0.0)])
    shown = estates.site_table(sites)
    assert list(shown["Site"]) == ["City Hospital (RXK)", "Small Clinic (RNA)"]
    assert shown["Empty, under-used"].iat[0] == "3.8%"  # 3,000 of 80,000
    assert shown["Backlog per m²"].iat[0] == "£12"  # £1m over 80,000 m²
    download = estates.site_table(sites, download=True)
    assert download["Empty or under-used (%)"].iat[0] == 3.8
    assert download["Latest return"].iat[0] == "2025/26 Q2"
    release = estates.release_table(sites)
    assert list(release["Site"]) == ["City Hospital (RXK)"]  # nothing to release at the clinic
    orgs = estates.by_organisation(sites)
    assert list(orgs["sites"]) == [1, 1]
    assert estates.organisation_table(orgs, {"RXK": "Sandwell and West Birmingham Hospitals NHS "
                                             "Trust"})["Organisation"].iat[1] == (
        "RXK · Sandwell and West Birmingham Hospitals")


def test_spc_figure_axes_are_readable():
    r = spc.xmr([0.818, 0.819, 0.820, 0.821, 0.823], list("ABCDE"), improvement="up")
    assert spc_chart(r, value_kind="pct").layout.yaxis.tickformat == ".1%"
    zero = spc.xmr([0, 0, 0, 0], list("ABCD"), improvement="down", target=0)
    fig = spc_chart(zero, value_kind="count")
    assert fig.layout.yaxis.dtick == 1 and list(fig.layout.yaxis.range) == [-0.5, 4.5]
    money = spc_chart(spc.xmr([262, 281, 300, 322, 345], list("ABCDE")), value_kind="gbp",
                      point_legend=False)
    assert "£300" in money.layout.yaxis.ticktext and len(money.layout.yaxis.ticktext) >= 3
    names = [t.name for t in money.data]
    assert "Process limits" in names
