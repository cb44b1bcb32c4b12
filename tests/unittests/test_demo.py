"""The demo footprint: calibrated to the CLES study, realistic in volume, removable."""

import duckdb
import pytest

from anchor.auth import Role, User
from anchor.db import Warehouse
from anchor.demo import kept_for_your_data
from anchor.loading import remove_demo_data

ANALYST = User("ana@example.nhs.uk", Role.ANALYST, "signed in", "ana@example.nhs.uk")
RXK_2014_LARGE = """
with supplier_year as (
    select supplier_id, sum(amount_gbp) as amount_gbp
    from spend
    where org_code = 'RXK' and quarter_start between '2014-04-01' and '2015-01-01'
    group by supplier_id
),
large as (
    select y.amount_gbp, p.lad_code
    from supplier_year as y
    join supplier as s using (supplier_id)
    left join geo_postcode as p on p.postcode = s.postcode
    where y.amount_gbp > 100000
)
select sum(amount_gbp)::double,
       (sum(amount_gbp) filter (where lad_code = 'E08000028') / sum(amount_gbp))::double,
       (sum(amount_gbp) filter (where lad_code = 'E08000025') / sum(amount_gbp))::double
from large
"""


@pytest.fixture(scope="module")
def demo(demo_db):
    con = duckdb.connect(str(demo_db), read_only=True)
    yield con
    con.close()


def test_rxk_2014_15_matches_the_cles_study(demo):
    total, sandwell, birmingham = demo.execute(RXK_2014_LARGE).fetchall()[0]
    assert 85e6 <= total <= 93e6
    assert sandwell == pytest.approx(0.019, abs=0.0015)
    assert birmingham == pytest.approx(0.143, abs=0.0015)


def test_rxk_local_share_rises_after_its_commitment(demo):
    rows = demo.execute("""
        select year(quarter_start - interval 3 month) as fy,
               (sum(amount_gbp) filter (where p.lad_code = 'E08000028') / sum(amount_gbp))::double
        from spend join supplier using (supplier_id)
        left join geo_postcode as p on p.postcode = supplier.postcode
        where org_code = 'RXK' group by fy order by fy""").fetchall()
    shares = dict(rows)
    assert shares[2014] < shares[2015] < shares[2017] < shares[2024]


def test_volume_and_shape(demo):
    lines, suppliers, credits, quarters = demo.execute(
        "select count(*), count(distinct supplier_id), count(*) filter (where amount_gbp < 0),"
        " count(distinct quarter_start) from spend").fetchall()[0]
    assert lines >= 1_500_000
    assert suppliers > 4000
    assert credits > 10_000
    assert quarters == 46  # 2014/15 Q1 to 2025/26 Q2
    first, last = demo.execute("select min(quarter_start), max(quarter_start) from spend").fetchall()[0]
    assert (str(first), str(last)) == ("2014-04-01", "2025-07-01")
    # A long tail: in RXK's year most suppliers are paid little, a few take most of the money.
    small, top_share = demo.execute("""
        with s as (select supplier_id, sum(amount_gbp) a from spend
                   where org_code = 'RXK' and quarter_start between '2019-04-01' and '2020-01-01'
                   group by 1)
        select count(*) filter (where a < 25000) / count(*),
               (select sum(a) from (select a from s order by a desc limit 50)) / sum(a)
        from s""").fetchall()[0]
    assert small > 0.6
    assert top_share > 0.4
    cats = {r[0] for r in demo.execute("select distinct category from spend").fetchall()}
    assert {"Clinical consumables (NHS Supply Chain)", "Healthcare services from NHS bodies"} <= cats


def test_every_supplier_and_home_is_at_a_real_place(demo):
    unplaced = demo.execute("select count(*) from supplier s left join geo_postcode p"
                            " using (postcode) where p.lad_code is null").fetchall()[0][0]
    assert unplaced == 0
    near, far = demo.execute("""
        select sum(headcount) filter (where l.lad_code in
                   ('E08000025','E08000027','E08000028','E08000030','E08000031')),
               sum(headcount) filter (where l.lad_code not in
                   ('E08000025','E08000027','E08000028','E08000030','E08000031'))
        from workforce w join geo_lsoa l on l.lsoa_code = w.home_lsoa
        where quarter_start = '2025-07-01'""").fetchall()[0]
    assert near > 3 * far > 0  # most staff live near their trust, some further out


def test_demo_rows_are_marked_and_removable(demo_copy):
    wh = Warehouse(demo_copy)
    assert wh.value("select bool_and(is_demo) from spend")
    assert wh.value("select bool_and(is_demo) from organisation")
    version = wh.data_version()
    removed = remove_demo_data(wh, ANALYST)
    assert removed >= 1_500_000
    for table in ["spend", "workforce", "estate", "supplier", "organisation", "site"]:
        assert wh.value("select count(*) from " + table) == 0, table
    assert wh.value("select count(*) from geo_postcode") > 1_000_000  # geography stays
    assert wh.data_version() > version
    wh.close()


def test_the_build_is_reproducible(demo_db, demo_copy):
    from anchor.demo import build_demo
    wh = Warehouse(demo_copy)
    build_demo(wh, ANALYST)
    wh.rows("attach ? as first (read_only)", [str(demo_db)])
    differing = wh.value("""
        select count(*) from (
            (select org_code, quarter_start, supplier_id, amount_gbp, paid_date from spend
             except all
             select org_code, quarter_start, supplier_id, amount_gbp, paid_date from first.spend)
            union all
            (select org_code, quarter_start, home_lsoa, headcount::bigint, gross_pay_gbp from workforce
             except all
             select org_code, quarter_start, home_lsoa, headcount::bigint, gross_pay_gbp
             from first.workforce))""")
    assert differing == 0
    wh.close()


def test_rebuilding_the_demo_leaves_loaded_data_alone(demo_copy):
    from anchor.demo import build_demo
    wh = Warehouse(demo_copy)
    # A user's own quarter for RXK, and their own entry for a demo supplier's id.
    wh.rows("delete from spend where org_code = 'RXK' and quarter_start = '2025-07-01'")
    wh.rows("insert into spend (org_code, quarter_start, supplier_id, category, amount_gbp)"
            " values ('RXK', '2025-07-01', 'S00001', 'Catering and food', 123.45)")
    wh.rows("update supplier set name = 'Renamed by the user', is_demo = false"
            " where supplier_id = 'S00001'")
    build_demo(wh, ANALYST)
    assert wh.rows("select amount_gbp::double, is_demo from spend where org_code = 'RXK'"
                   " and quarter_start = '2025-07-01'") == [(123.45, False)]
    assert wh.rows("select name from supplier where supplier_id = 'S00001'") == [
        ("Renamed by the user",)]
    assert wh.value("select count(*) from spend where org_code = 'RNA'"
                    " and quarter_start = '2025-07-01'") > 1000
    wh.close()


def test_removing_the_demo_keeps_what_your_own_rows_need(demo_copy):
    """An analyst's own quarter for RXK, paid to a demo supplier in a demo category, and an
    estates return of theirs for a demo site: removing the demo must not leave them pointing
    at nothing. RXK, its footprint, that supplier, category and site stay, as theirs."""
    wh = Warehouse(demo_copy)
    site = wh.rows("select site_code from site where org_code = 'RXK' order by 1 limit 1")[0][0]
    wh.rows("delete from spend where org_code = 'RXK' and quarter_start = '2025-07-01'")
    wh.rows("insert into spend (org_code, quarter_start, paid_date, supplier_id, category,"
            " amount_gbp, is_demo) values ('RXK', '2025-07-01', '2025-07-15', 'S00001',"
            " 'Catering and food', 123.45, false)")
    wh.rows("delete from estate where org_code = 'RXK' and quarter_start = '2025-07-01'")
    wh.rows("insert into estate (org_code, site_code, quarter_start, gia_m2, is_demo)"
            " values ('RXK', ?, '2025-07-01', 1000, false)", [site])
    kept = kept_for_your_data(wh)
    assert kept == {"site": [site], "organisation": ["RXK"], "supplier": ["S00001"],
                    "category": ["Catering and food"], "footprint": ["BCWB"]}
    remove_demo_data(wh, ANALYST)
    # the analyst's rows, with everything they refer to, and nothing else of the demo
    assert wh.rows("select amount_gbp::double from spend") == [(123.45,)]
    assert wh.rows("select org_code, is_demo from organisation") == [("RXK", False)]
    assert wh.rows("select supplier_id, is_demo from supplier") == [("S00001", False)]
    assert wh.rows("select category, is_demo from category") == [("Catering and food", False)]
    assert wh.rows("select site_code, org_code, is_demo from site") == [(site, "RXK", False)]
    assert wh.rows("select footprint_code, is_demo from footprint") == [("BCWB", False)]
    assert wh.value("select count(*) from footprint_lad where footprint_code = 'BCWB'") > 0
    orphans = wh.value("""
        select count(*) from spend as s
        left join organisation as o using (org_code) left join supplier as p using (supplier_id)
        where o.org_code is null or p.supplier_id is null""")
    assert orphans == 0
    assert wh.value("select count(*) from estate e left join site s using (site_code)"
                    " where s.site_code is null") == 0
    assert wh.value("select count(*) from workforce") == 0
    assert kept_for_your_data(wh) == {t: [] for t in kept}
    wh.close()
