"""A tiny warehouse with answers worked by hand.

Geography: four real postcodes with their real grid references, in three LADs.
    B71 4HJ  Sandwell    LSOA E01010104  (400852, 292245)  site AAA01
    B70 9PL  Sandwell    LSOA E01032887  (400200, 291500)  990 m from B71 4HJ
    B18 7QH  Birmingham  LSOA E01009345  (404680, 287859)  site BBB01; 5.82 km from B71 4HJ
    SW1A 1AA Westminster LSOA E01004736  (529090, 179645)
Footprint FP1 (home LADs Sandwell and Birmingham): organisations AAA and BBB.

Spend, AAA, 2024/25 Q1 (worked in tests/unittests/test_queries.py):
    S1 Sandwell SME   Catering    100.00 and a credit note of -20.00
    S2 Birmingham VCSE Catering   300.00
    S3 Westminster    Catering    400.00, Framework 1,000.00, Tax (out of scope) 5,000.00
    S4 unknown postcode Catering   50.00
    S5 Birmingham public body Catering 200.00
  in scope 2,030.00; local (FP1) 580.00; unplaced 50.00
  influenceable 830.00 (no Framework, no public body); influenceable local 380.00
Spend, AAA, 2023/24 Q1: S1 100.00, S3 300.00 (local 25%).
Spend, BBB, 2024/25 Q1: S3 1,000.00.

Deprivation (IMD_DECILES, added by add_fixture_deciles): Sandwell 010A decile 1, Sandwell 020B
3, Birmingham 050C 2, Westminster 018C 7 (imported, not synthetic).
Workforce, AAA (worked in tests/unittests/test_employment.py), place FP1:
    2024/25 Q2: headcount 18 (2 with no home LSOA), residents 16 (14.0 of 16.0 FTE), pay
      £90,000 of which £80,000 to residents; starters 7, all in the most deprived 20%, 3 of
      them (suppressed) in the most deprived 10%; staff with a decile 16: 12 (75.0%) in the
      most deprived 10%, 16 (100%) in the most deprived 20% (the 10% figure is withheld on
      screen: with the 20% it would give away the 4 in decile 2); 1 below the Real Living
      Wage.
    2024/25 Q1: headcount 13, residents 10 (all Sandwell); pay £80,000, £50,000 to residents.
    2024/25 (Q1 and Q2): pay £170,000, £130,000 to residents; starters 9: 5 (55.6%) in the
      most deprived 10%, 9 (100%) in the 20%; apprenticeship starts 2 (suppressed).
Estate (ESTATE, with ESTATE_USE for occupied m², energy, carbon and community use):
    2024/25 Q1, both sites: 15.0 ha, 2.0 ha not delivering; GIA 28,000 m², empty 500 and
      under-used 400 (3.2%), non-clinical 11,000 (39.3%); backlog £1.4m (£50/m²);
      700,000 kWh, 140.0 tCO2e, 180 community hours.
    2024/25 Q2: only AAA01 returned: 2.0 ha; GIA 20,000, empty 500, under-used 300 (4.0%),
      non-clinical 40.0%; backlog £1.1m (£55/m²); 400,000 kWh, 80.0 tCO2e, 150 hours.
    2024/25: AAA01 from Q2, BBB01 from Q1: 2.5 ha; empty 600 + under-used 400 of 28,000
      (3.6%); backlog £1.5m (£54/m²); energy, carbon and hours summed over both quarters:
      1,100,000 kWh, 220.0 tCO2e, 330 hours.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from anchor import summary
from anchor.db import Warehouse, bump_data_version

SANDWELL, BIRMINGHAM, WESTMINSTER = "E08000028", "E08000025", "E09000033"
Q1_2024, Q2_2024, Q1_2023 = date(2024, 4, 1), date(2024, 7, 1), date(2023, 4, 1)

POSTCODES = [
    # postcode, easting, northing, lat, lon, lsoa, lad
    ("B71 4HJ", 400852, 292245, 52.528076, -1.988872, "E01010104", SANDWELL),
    ("B70 9PL", 400200, 291500, 52.5214, -1.9985, "E01032887", SANDWELL),
    ("B18 7QH", 404680, 287859, 52.488627, -1.932507, "E01009345", BIRMINGHAM),
    ("SW1A 1AA", 529090, 179645, 51.501009, -0.141588, "E01004736", WESTMINSTER),
]
LSOAS = [
    ("E01010104", "Sandwell 010A", SANDWELL, 400852, 292245),
    ("E01032887", "Sandwell 020B", SANDWELL, 400200, 291500),
    ("E01009345", "Birmingham 050C", BIRMINGHAM, 404680, 287859),
    ("E01004736", "Westminster 018C", WESTMINSTER, 529090, 179645),
]
LADS = [(SANDWELL, "Sandwell"), (BIRMINGHAM, "Birmingham"), (WESTMINSTER, "Westminster")]

SUPPLIERS = [
    # id, name, postcode, company, sme, vcse, public
    ("S1", "Local One Ltd", "B70 9PL", "01234567", True, False, False),
    ("S2", "Brum Two CIC", "B18 7QH", None, True, True, False),
    ("S3", "London Three plc", "SW1A 1AA", "07654321", False, False, False),
    ("S4", "Unknown Four Ltd", "ZZ9 9ZZ", "01111111", True, False, False),
    ("S5", "Brum NHS Body", "B18 7QH", None, False, False, True),
]
CATEGORIES = [("Catering", True, True), ("Framework", True, False), ("Tax", False, False)]

SPEND = [
    # org, quarter, supplier, category, amount, days from invoice to payment
    ("AAA", Q1_2024, "S1", "Catering", 100.00, 10),
    ("AAA", Q1_2024, "S1", "Catering", -20.00, 10),
    ("AAA", Q1_2024, "S2", "Catering", 300.00, 45),
    ("AAA", Q1_2024, "S3", "Catering", 400.00, 20),
    ("AAA", Q1_2024, "S3", "Framework", 1000.00, 30),
    ("AAA", Q1_2024, "S4", "Catering", 50.00, 31),
    ("AAA", Q1_2024, "S5", "Catering", 200.00, 5),
    ("AAA", Q1_2024, "S3", "Tax", 5000.00, 1),
    ("AAA", Q1_2023, "S1", "Catering", 100.00, 10),
    ("AAA", Q1_2023, "S3", "Catering", 300.00, 10),
    ("BBB", Q1_2024, "S3", "Catering", 1000.00, 10),
]

WORKFORCE = [
    # org, quarter, home_lsoa, group, band, headcount, fte, pay, starters, apprentices, below_lw
    ("AAA", Q1_2024, "E01010104", "Nursing", "Band 5", 10, 8.0, 50000, 2, 1, 0),
    ("AAA", Q1_2024, "E01004736", "Medical", "Medical", 3, 3.0, 30000, 0, 0, 0),
    ("AAA", Q2_2024, "E01010104", "Nursing", "Band 5", 12, 10.0, 60000, 3, 1, 1),
    ("AAA", Q2_2024, "E01009345", "Estates", "Band 2", 4, 4.0, 20000, 4, 0, 0),
    ("AAA", Q2_2024, None, "Admin", "Band 3", 2, 2.0, 10000, 0, 0, 0),
]

ESTATE = [
    # org, site, quarter, site ha, idle ha, gia, empty, underused, clinical, non-clinical, backlog
    ("AAA", "AAA01", Q1_2024, 10.0, 1.5, 20000, 400, 300, 12000, 8000, 1_000_000),
    ("AAA", "AAA01", Q2_2024, 10.0, 2.0, 20000, 500, 300, 12000, 8000, 1_100_000),
    ("BBB", "BBB01", Q1_2024, 5.0, 0.5, 8000, 100, 100, 5000, 3000, 400_000),
]

IMD_DECILES = [
    # lsoa, decile (1 = most deprived 10%)
    ("E01010104", 1),
    ("E01032887", 3),
    ("E01009345", 2),
    ("E01004736", 7),
]

ESTATE_USE = [
    # site, quarter, occupied m², energy kWh, carbon tCO2e, community use hours
    ("AAA01", Q1_2024, 19_600, 500_000, 100.0, 120),
    ("AAA01", Q2_2024, 19_500, 400_000, 80.0, 150),
    ("BBB01", Q1_2024, 7_900, 200_000, 40.0, 60),
]


def build_fixture_warehouse(path: Path) -> Warehouse:
    wh = Warehouse(path)
    with wh.transaction() as cur:
        cur.executemany(
            "insert into geo_postcode (postcode, easting, northing, lat, lon, lsoa_code, lad_code,"
            " is_live, located_by, lsoa_from_neighbour) values (?, ?, ?, ?, ?, ?, ?, true,"
            " 'postcode', false)",
            POSTCODES,
        )
        cur.executemany(
            "insert into geo_lsoa (lsoa_code, lsoa_name, lad_code, easting, northing)"
            " values (?, ?, ?, ?, ?)",
            LSOAS,
        )
        cur.executemany("insert into geo_lad (lad_code, lad_name) values (?, ?)", LADS)
        cur.execute("insert into footprint (footprint_code, name) values ('FP1', 'Fixture footprint')")
        cur.executemany("insert into footprint_lad (footprint_code, lad_code) values ('FP1', ?)",
                        [[SANDWELL], [BIRMINGHAM]])
        cur.executemany(
            "insert into organisation (org_code, name, org_type, footprint_code)"
            " values (?, ?, 'Acute trust', 'FP1')",
            [("AAA", "Alpha Hospitals NHS Trust"), ("BBB", "Beta Healthcare NHS Trust")],
        )
        cur.executemany(
            "insert into site (site_code, org_code, name, postcode) values (?, ?, ?, ?)",
            [("AAA01", "AAA", "Alpha General", "B71 4HJ"), ("BBB01", "BBB", "Beta City", "B18 7QH")],
        )
        cur.executemany(
            "insert into supplier (supplier_id, name, postcode, company_number, is_sme, is_vcse,"
            " is_public_body) values (?, ?, ?, ?, ?, ?, ?)",
            SUPPLIERS,
        )
        cur.executemany(
            "insert into category (category, is_in_scope, is_influenceable) values (?, ?, ?)",
            CATEGORIES,
        )
        cur.executemany(
            "insert into spend (org_code, quarter_start, paid_date, supplier_id, category,"
            " amount_gbp, invoice_date, due_date)"
            " values (?, ?, ?::date + 14, ?, ?, ?, ?::date + 14 - ?::integer,"
            " ?::date + 44 - ?::integer)",
            [(o, q, q, s, c, a, q, d, q, d) for o, q, s, c, a, d in SPEND],
        )
        cur.executemany(
            "insert into workforce (org_code, quarter_start, home_lsoa, staff_group, afc_band,"
            " headcount, fte, gross_pay_gbp, starters, apprentices, below_living_wage)"
            " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            WORKFORCE,
        )
        cur.executemany(
            "insert into estate (org_code, site_code, quarter_start, site_area_ha,"
            " land_not_delivering_ha, gia_m2, empty_m2, underused_m2, clinical_m2,"
            " non_clinical_m2, backlog_cost_gbp) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            ESTATE,
        )
        cur.executemany(
            "update estate set occupied_m2 = ?, energy_kwh = ?, carbon_tco2e = ?,"
            " community_use_hours = ? where site_code = ? and quarter_start = ?",
            [(o, e, c, h, s, q) for s, q, o, e, c, h in ESTATE_USE],
        )
        summary.rebuild(cur)  # as a load keeps it
        bump_data_version(cur)
    return wh


def add_fixture_deciles(wh: Warehouse) -> Warehouse:
    """IMD_DECILES as imported (not synthetic) deciles. Kept out of the base fixture, whose
    empty `imd_lsoa` other tests rely on."""
    with wh.transaction() as cur:
        cur.executemany(
            "insert into imd_lsoa values (?, ?, 'Fixture deciles', false)", IMD_DECILES)
        bump_data_version(cur)
    return wh
