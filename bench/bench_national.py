"""A warehouse shaped like the national one, and the national comparison and the Overview timed
on it, with and without the spend summary. Medians of repeated runs; no thresholds.

The warehouse: the demo footprint, and `--footprints` more, one for each of as many ICBs
(their local authorities from the geography, as `anchor orgs` gives them), each with five
organisations of its own and the demo's invoice lines, workforce and estate returns copied
into it. Each footprint's suppliers are its own: a demo supplier based in the demo's home
local authorities is based, in the copy, at a postcode of the footprint's home local
authorities; the rest keep their postcodes. Spend is written quarter by quarter, every
footprint's lines of a quarter together, as quarterly loads leave it (not one footprint after
another), so a footprint's lines are spread through the file as they would be.

    PYTHONPATH=. python bench/bench_national.py --footprints 20
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from anchor import config, summary  # noqa: E402
from anchor.db import Warehouse, bump_data_version  # noqa: E402
from anchor.demo import reference as ref  # noqa: E402
from anchor.loading.preview import default_place_of_footprint  # noqa: E402
from anchor.periods import Period  # noqa: E402
from anchor.queries import geo, national, reference, spend  # noqa: E402
from bench import apptest_render, median_ms  # noqa: E402  (bench/bench.py, beside this file)

ORGS_PER_FOOTPRINT = len(ref.ORGS)


def build_national(src: Path, dest: Path, footprints: int) -> dict[str, float]:
    """Copy the demo warehouse `src` to `dest` and grow it as the module docstring says.
    Returns seconds per step."""
    shutil.copy(src, dest)
    wh = Warehouse(dest)
    seconds = {}
    icbs = geo.icb_local_authorities(wh)
    home = set(ref.HOME_LADS)
    names = [n for n, g in icbs.groupby("icb_name", sort=True) if not home & set(g["lad_code"])]
    if len(names) < footprints:
        raise SystemExit(f"The geography holds {len(names)} other ICBs; ask for fewer footprints.")
    chosen = names[:footprints]
    t = time.perf_counter()
    with wh.transaction() as cur:
        cur.execute("create temp table nat_fp (k integer, footprint_code varchar, name varchar)")
        cur.executemany("insert into nat_fp values (?, ?, ?)",
                        [(k, f"NAT{k:02d}", n) for k, n in enumerate(chosen, start=1)])
        cur.register("icb_lads", icbs)
        cur.execute("create temp table nat_fp_lad as select f.k, f.footprint_code, i.lad_code"
                    " from nat_fp as f join icb_lads as i on i.icb_name = f.name")
        cur.unregister("icb_lads")
        cur.execute("insert into footprint (footprint_code, name) select footprint_code, name"
                    " from nat_fp")
        cur.execute("insert into footprint_lad (footprint_code, lad_code)"
                    " select footprint_code, lad_code from nat_fp_lad")
        # organisations: the demo's five, as k = 0, and five per footprint
        cur.execute("""
            create temp table nat_org as
            select 0 as k, org_code as demo_org, org_code from organisation where is_demo
            union all
            select f.k, o.org_code, 'N' || lpad(f.k::varchar, 2, '0') || o.org_code
            from nat_fp as f cross join organisation as o where o.is_demo""")
        cur.execute("""
            insert into organisation (org_code, name, org_type, footprint_code)
            select m.org_code, f.name || ' trust ' || o.org_code, o.org_type, f.footprint_code
            from nat_org as m join nat_fp as f using (k)
            join organisation as o on o.org_code = m.demo_org""")
        cur.execute("""
            insert into site (site_code, org_code, name, postcode)
            select s.site_code || '-' || m.k, m.org_code, s.name, s.postcode
            from nat_org as m join site as s on s.org_code = m.demo_org where m.k > 0""")
        # each footprint's own suppliers: the demo's local ones moved into its home place
        cur.execute("""
            create temp table nat_pc as
            select l.k, p.postcode,
                   row_number() over (partition by l.k order by p.postcode) - 1 as i,
                   count(*) over (partition by l.k) as n
            from nat_fp_lad as l join geo_postcode as p using (lad_code)
            where p.is_live and p.located_by = 'postcode'""")
        cur.execute("""
            insert into supplier (supplier_id, name, postcode, company_number, is_sme, is_vcse,
                                  is_public_body)
            with moved as (
                select s.*, f.k, p.lad_code = any(?) as is_home
                from supplier as s cross join nat_fp as f
                left join geo_postcode as p on p.postcode = s.postcode
                where s.is_demo
            ),
            sizes as (
                select k, max(n) as n from nat_pc group by k
            ),
            numbered as (
                select m.*, (hash(m.supplier_id) % z.n)::bigint as i
                from moved as m join sizes as z using (k)
            )
            select m.supplier_id || '-' || m.k, m.name,
                   case when m.is_home then c.postcode else m.postcode end,
                   m.company_number, m.is_sme, m.is_vcse, m.is_public_body
            from numbered as m left join nat_pc as c on c.k = m.k and c.i = m.i""",
                    [list(ref.HOME_LADS)])
        # spend in quarterly-load order: every footprint's lines of a quarter together
        cur.execute("create temp table demo_spend as select * from spend")
        cur.execute("delete from spend")
        quarters = [r[0] for r in cur.execute(
            "select distinct quarter_start from demo_spend order by 1").fetchall()]
        for q in quarters:
            cur.execute("""
                insert into spend by name
                select sp.* exclude (org_code, supplier_id, is_demo), m.org_code,
                       case when m.k = 0 then sp.supplier_id
                            else sp.supplier_id || '-' || m.k end as supplier_id,
                       m.k = 0 as is_demo
                from demo_spend as sp join nat_org as m on m.demo_org = sp.org_code
                where sp.quarter_start = ?
                order by hash(sp.paid_date, m.org_code)""", [q])
        cur.execute("drop table demo_spend")
        for table in ("workforce", "estate"):
            site = (", s.site_code || '-' || m.k as site_code" if table == "estate" else "")
            cur.execute(f"""
                insert into {table} by name
                select s.* exclude (org_code, is_demo{', site_code' if site else ''}),
                       m.org_code, false as is_demo{site}
                from {table} as s join nat_org as m on m.demo_org = s.org_code
                where m.k > 0 and s.is_demo""")
        bump_data_version(cur)
    seconds["copy"] = time.perf_counter() - t
    t = time.perf_counter()
    with wh.transaction() as cur:
        summary.rebuild(cur)
    seconds["summary"] = time.perf_counter() - t
    wh.close()
    return seconds


def summary_totals(wh, orgs, first, last, place, by=()):
    return spend.spend_totals(wh, orgs, first, last, place, by, source="summary")


def overview_spend(wh, footprint: str, totals) -> dict[str, float]:
    """The Overview's spend questions for one footprint, through `totals`."""
    orgs = reference.organisations_with_data(wh, footprint)
    place = default_place_of_footprint(wh, footprint)
    quarters = reference.data_quarters(wh, orgs)
    p = Period.quarter(quarters[-1])
    y = p.year_earlier()
    return {
        "period": median_ms(lambda: totals(wh, orgs, p.first, p.last, place)),
        "year earlier": median_ms(lambda: totals(wh, orgs, y.first, y.last, place)),
        "by quarter (the trend)": median_ms(
            lambda: totals(wh, orgs, quarters[0], quarters[-1], place, ("quarter",))),
        "by organisation": median_ms(lambda: totals(wh, orgs, p.first, p.last, place, ("org",))),
        "by local authority": median_ms(
            lambda: totals(wh, orgs, p.first, p.last, place, ("lad",))),
    }


def one_footprint_at_a_time(wh, first, last) -> None:
    """The national comparison as the product's own queries would give it without the national
    query: each footprint's organisations, in their home place."""
    for fp in reference.footprints(wh)["footprint_code"]:
        orgs = reference.organisations_with_data(wh, fp)
        place = default_place_of_footprint(wh, fp)
        if orgs and place is not None:
            spend.spend_totals(wh, orgs, first, last, place, ("org",))


def check_agreement(wh, footprint: str) -> None:
    """The summary's figures are the invoice lines'."""
    orgs = reference.organisations_with_data(wh, footprint)
    place = default_place_of_footprint(wh, footprint)
    q = reference.data_quarters(wh, orgs)
    a = spend.spend_totals(wh, orgs, q[0], q[-1], place, ("quarter",))
    b = summary_totals(wh, orgs, q[0], q[-1], place, ("quarter",))
    money = [c for c in a.columns if c.endswith("_gbp")]
    if not ((a[money] - b[money]).abs() < 0.005).all(axis=None) or not a[
            "invoice_lines"].equals(b["invoice_lines"]):
        raise SystemExit("The summary's trend disagrees with the invoice lines'.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--footprints", type=int, default=20,
                        help="footprints beside the demo's (default 20)")
    parser.add_argument("--keep", type=Path, help="keep the national warehouse at this path")
    parser.add_argument("--skip-render", action="store_true")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        db = args.keep or Path(tmp) / "national.duckdb"
        build = build_national(config.warehouse_path(), db, args.footprints)
        wh = Warehouse(db, read_only=True)
        lines = wh.value("select count(*) from spend")
        kept = wh.value("select count(*) from spend_summary")
        orgs = wh.value("select count(distinct org_code) from spend")
        fps = wh.value("select count(*) from footprint")
        latest = reference.data_quarters(wh, ["RXK"])[-1]
        p = Period.quarter(latest)
        fy = Period(p.year_earlier().first, latest)
        footprint = "NAT01"
        check_agreement(wh, footprint)
        nat = {
            "National comparison, one quarter (summary)": median_ms(
                lambda: national.national_spend(wh, p.first, p.last)),
            "National comparison, one quarter (invoice lines)": median_ms(
                lambda: national.national_spend_from(wh, p.first, p.last, "lines")),
            "National comparison, four quarters (summary)": median_ms(
                lambda: national.national_spend(wh, fy.first, fy.last)),
            "National comparison, four quarters (invoice lines)": median_ms(
                lambda: national.national_spend_from(wh, fy.first, fy.last, "lines")),
            "Each footprint's spend_totals by org, one quarter": median_ms(
                lambda: one_footprint_at_a_time(wh, p.first, p.last), repeat=3),
        }
        lines_ms = overview_spend(wh, footprint, spend.spend_totals)
        summary_ms = overview_spend(wh, footprint, summary_totals)
        wh.close()
        renders = {}
        if not args.skip_render:
            for title, page in (("Overview", "pages/overview.py"),
                                ("National comparison", "pages/national.py")):
                renders[title] = apptest_render(db, page)

    print(f"\nNational-shaped warehouse: {fps} footprints, {orgs} organisations, "
          f"{lines:,} invoice lines, {kept:,} summary rows "
          f"({100 * kept / lines:.1f}% of the lines)")
    print(f"Built in {build['copy']:.0f} s; the summary from scratch in {build['summary']:.1f} s")
    print("\nmedian ms")
    for k, v in nat.items():
        print(f"{k:56}{v:10.0f}")
    print(f"\nOverview's spend questions for {footprint}, median ms")
    print(f"{'':28}{'invoice lines':>16}{'summary':>12}{'ratio':>8}")
    for k in lines_ms:
        print(f"{k:28}{lines_ms[k]:16.0f}{summary_ms[k]:12.0f}{lines_ms[k] / summary_ms[k]:8.1f}")
    for title, (cold, warm) in renders.items():
        print(f"\n{title} page, full AppTest render, median of 5: new session {cold:.0f} ms,"
              f" warm {warm:.0f} ms")


if __name__ == "__main__":
    main()
