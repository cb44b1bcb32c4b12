"""Build the geography cache from the open data packages: postcodes, LSOAs, LADs, ICBs.

The cache is a DuckDB file of `geo_*` tables that `install_geography` copies into a
warehouse. Coordinates are kept in British National Grid metres (for distances)
and WGS84 degrees (for maps); polygons are stored as WKB in WGS84.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import py7zr
import pyogrio
import shapely
from pyproj import Transformer

from anchor.geography.sources import SOURCES, fingerprint, source_path

Progress = Callable[[float, str], None]

# Bumped whenever a build from the same sources gives different tables: 2 leaves out the
# Channel Islands and the Isle of Man, and no longer calls an unlocated postcode placed.
BUILD_VERSION = "2"
GB_SCOPE = "GB"  # the scope of a whole-GB build; a region build's scope lists its areas
# Simplification tolerances in metres: enough for a board-room map, small enough
# that LAD areas stay within a fraction of a percent of the official figures.
LAD_TOLERANCE_M = 100.0
ICB_TOLERANCE_M = 150.0
LSOA_TOLERANCE_M = 15.0

GEO_TABLES = ("geo_postcode", "geo_lsoa", "geo_lad", "geo_icb", "geo_outline", "geo_meta")

CPO_COLUMNS = {
    "postcode": "varchar",
    "quality": "integer",
    "easting": "integer",
    "northing": "integer",
    "country_code": "varchar",
    "nhs_region": "varchar",
    "nhs_ha": "varchar",
    "county_code": "varchar",
    "district_code": "varchar",
    "ward_code": "varchar",
}

_AREA_RE = re.compile(r"^[A-Z]{1,2}$")
# Postcode areas outside Great Britain. Northern Ireland's postcodes are under a different
# licence; the Channel Islands and the Isle of Man are not in Great Britain, so Code-Point
# Open has no coordinates for them and the ONS lookup gives them only pseudo local
# authorities (L99999999, M99999999). None of them is in the geography.
OUTSIDE_GB_AREAS = {
    "BT": "Northern Ireland",
    "GY": "Guernsey (the Channel Islands)",
    "JE": "Jersey (the Channel Islands)",
    "IM": "the Isle of Man",
}


@dataclass(frozen=True)
class BuildReport:
    path: Path
    scope: str
    postcodes: int
    lsoas: int
    lads: int
    seconds: float


def no_progress(_fraction: float, _message: str) -> None:
    """A progress callback that reports nothing."""
    pass


def _area_list(areas: Sequence[str] | None) -> list[str]:
    area_list = sorted({a.strip().upper() for a in areas if a.strip()}) if areas else []
    for a in area_list:
        if not _AREA_RE.match(a):
            raise ValueError(f"{a!r} is not a postcode area (one or two letters, such as B or WS).")
        if a in OUTSIDE_GB_AREAS:
            raise ValueError(f"{a} is {OUTSIDE_GB_AREAS[a]}, which is not in Great Britain's "
                             "geography (OS Code-Point Open covers Great Britain only).")
    return area_list


def scope_of(areas: Sequence[str] | None) -> str:
    """'GB' for no areas, else the areas sorted and joined: ['ws', 'B'] -> 'B,WS'.
    Raises ValueError naming an area that is not a GB postcode area."""
    return ",".join(_area_list(areas)) or GB_SCOPE


def describe_scope(scope: str) -> str:
    """'GB' -> 'the whole of Great Britain'; 'B,WS' -> 'postcode areas B, WS only'."""
    if scope == GB_SCOPE:
        return "the whole of Great Britain"
    areas = scope.split(",")
    return f"postcode area{'s' if len(areas) > 1 else ''} {', '.join(areas)} only"


def region_cache_path(gb_cache: Path, scope: str) -> Path:
    """Where a region build goes by default: beside the GB cache, named for its areas
    (data/geography.duckdb -> data/geography-B-WS.duckdb), so it never replaces the GB cache."""
    gb_cache = Path(gb_cache)
    return gb_cache.with_name(f"{gb_cache.stem}-{scope.replace(',', '-')}{gb_cache.suffix}")


def build_geography(
    dest: Path,
    *,
    areas: Sequence[str] | None = None,
    progress: Progress = no_progress,
) -> BuildReport:
    """Build the cache at `dest`: all of Great Britain, or only the given postcode areas.

    A region build (`areas=["B", "WS"]`) keeps whole LADs: every LSOA of any LAD that
    one of its postcodes lies in. The file appears only when complete.
    """
    started = time.perf_counter()
    area_list = _area_list(areas)
    scope = scope_of(area_list)
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    partial = dest.with_name(dest.name + ".partial")
    partial.unlink(missing_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="anchor-geo-"))
    try:
        progress(0.02, "Unpacking OS Code-Point Open")
        cpo_glob = _extract_code_point(workdir, area_list)
        progress(0.10, "Unpacking the ONS postcode lookup")
        ons_csv = _extract_ons_lookup(workdir)
        con = duckdb.connect(str(partial))
        try:
            con.execute("set preserve_insertion_order = false")
            # Stay well inside the 3 GB a first-run build may use on a small machine.
            con.execute("set memory_limit = '1GB'")
            progress(0.20, "Reading postcodes")
            _stage_postcodes(con, cpo_glob, ons_csv, area_list)
            progress(0.45, "Placing postcodes")
            _build_postcode_table(con)
            progress(0.60, "Reading LSOA boundaries")
            _build_boundaries(con, progress)
            progress(0.95, "Recording sources")
            _write_meta(con, scope)
            counts = con.execute(
                "select (select count(*) from geo_postcode), (select count(*) from geo_lsoa"
                " where geometry_wkb is not null), (select count(*) from geo_lad"
                " where geometry_wkb is not null)"
            ).fetchall()[0]
            con.execute("checkpoint")
        finally:
            con.close()
        os.replace(partial, dest)
        progress(1.0, "Geography ready")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
        partial.unlink(missing_ok=True)
    return BuildReport(dest, scope, counts[0], counts[1], counts[2], time.perf_counter() - started)


def _extract_code_point(workdir: Path, areas: list[str]) -> str:
    with zipfile.ZipFile(source_path("code_point_open")) as z:
        members = [
            n
            for n in z.namelist()
            if n.startswith("Data/CSV/")
            and n.endswith(".csv")
            and (not areas or Path(n).stem.upper() in areas)
        ]
        if not members:
            raise ValueError(f"No Code-Point Open file covers the areas {', '.join(areas)}.")
        z.extractall(workdir, members=members)
    return str(workdir / "Data" / "CSV" / "*.csv")


def _extract_ons_lookup(workdir: Path) -> str:
    with py7zr.SevenZipFile(source_path("ons_postcode_lookup")) as z:
        names = [n for n in z.getnames() if n.lower().endswith(".csv")]
        z.extract(workdir, targets=names)
    return str(workdir / names[0])


def _stage_postcodes(
    con: duckdb.DuckDBPyConnection, cpo_glob: str, ons_csv: str, areas: list[str]
) -> None:
    area_filter = "true"
    params: list = []
    if areas:
        area_filter = "regexp_extract(pcds, '^[A-Z]+') = any(?)"
        params = [areas]
    con.execute(
        "create temp table cpo as select"
        " upper(replace(postcode, ' ', '')) as pc_key, quality, easting, northing"
        " from read_csv(?, header = false, columns = ?)",
        [cpo_glob, CPO_COLUMNS],
    )
    # Only Great Britain: Northern Ireland's postcodes are dropped (their licence differs
    # from GB's), and so are the Channel Islands' and the Isle of Man's (not in GB, and
    # under pseudo local authorities such as L99999999 with no coordinates).
    con.execute(
        "create temp table ons as select"
        " upper(replace(pcds, ' ', '')) as pc_key, pcds, doterm, lsoa11cd as lsoa_code,"
        " lsoa11nm as lsoa_name, ladcd as lad_code, ladnm as lad_name"
        " from read_csv(?, header = true, all_varchar = true)"
        " where ladcd not like 'N%' and ladcd not like '_99999999'"
        " and regexp_extract(pcds, '^[A-Z]+') <> all(?) and " + area_filter,
        [ons_csv, sorted(OUTSIDE_GB_AREAS), *params],
    )


def _build_postcode_table(con: duckdb.DuckDBPyConnection) -> None:
    # Live postcodes come from Code-Point Open (coordinates); terminated ones only
    # from the ONS lookup, placed at their LSOA's centroid later.
    con.execute(
        """
        create temp table pc as
        with cpo_placed as (
            select
                c.pc_key,
                nullif(c.easting, 0) as easting,
                nullif(c.northing, 0) as northing,
                o.lsoa_code,
                o.lad_code,
                true as is_live,
                null::varchar as doterm
            from cpo as c
            left join ons as o using (pc_key)
        ),
        ons_only as (
            select o.pc_key, null::integer, null::integer, o.lsoa_code, o.lad_code,
                   o.doterm is null, o.doterm
            from ons as o
            anti join cpo as c using (pc_key)
        ),
        final as (
            select * from cpo_placed
            union all
            select * from ons_only
        )
        select * from final
        """
    )
    # New postcodes (after the ONS lookup's date) take their nearest placed neighbour's LSOA.
    placed = con.execute(
        "select easting, northing, lsoa_code, lad_code from pc"
        " where lsoa_code is not null and easting is not null"
    ).df()
    missing = con.execute(
        "select pc_key, easting, northing from pc"
        " where lsoa_code is null and easting is not null"
    ).df()
    if len(missing) and len(placed):
        tree = shapely.STRtree(shapely.points(placed["easting"], placed["northing"]))
        query_idx, idx = tree.query_nearest(
            shapely.points(missing["easting"], missing["northing"]), all_matches=False
        )
        fill = pd.DataFrame(
            {
                "pc_key": missing["pc_key"].to_numpy()[query_idx],
                "lsoa_code": placed["lsoa_code"].to_numpy()[idx],
                "lad_code": placed["lad_code"].to_numpy()[idx],
            }
        )
        con.execute("alter table pc add column lsoa_from_neighbour boolean default false")
        con.register("fill", fill)
        con.execute(
            "update pc set lsoa_code = f.lsoa_code, lad_code = f.lad_code,"
            " lsoa_from_neighbour = true from fill as f where pc.pc_key = f.pc_key"
        )
        con.unregister("fill")
    else:
        con.execute("alter table pc add column lsoa_from_neighbour boolean default false")


def _lsoa_reference(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """One row per LSOA: its name, LAD and ICB, from the ONS lookup and the ICB files."""
    sub_icb = pd.read_csv(source_path("lsoa_sub_icb"), usecols=["lsoa_code", "region_code"])
    icbs = pd.read_csv(
        source_path("sub_icb_icb"), usecols=["region_code", "icb", "icb_code"]
    ).dropna(subset=["icb_code"])
    con.register("sub_icb", sub_icb)
    con.register("icbs", icbs)
    return con.execute(
        """
        with lsoa_lad as (
            select lsoa_code, any_value(lsoa_name) as lsoa_name, mode(lad_code) as lad_code
            from ons
            where lsoa_code is not null
            group by lsoa_code
        ),
        final as (
            select l.lsoa_code, l.lsoa_name, l.lad_code, i.icb_code, i.icb as icb_name
            from lsoa_lad as l
            left join sub_icb as s using (lsoa_code)
            left join icbs as i using (region_code)
        )
        select * from final
        """
    ).df()


def _to_wgs84_wkb(geoms: np.ndarray, transformer: Transformer) -> list[bytes | None]:
    out = shapely.transform(geoms, lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1])))
    return [None if g is None else shapely.to_wkb(g) for g in out]


def _build_boundaries(con: duckdb.DuckDBPyConnection, progress: Progress) -> None:
    to_wgs84 = Transformer.from_crs(27700, 4326, always_xy=True)
    to_bng = Transformer.from_crs(4326, 27700, always_xy=True)
    lsoa_ref = _lsoa_reference(con)

    lsoa = pyogrio.read_dataframe(
        source_path("lsoa_boundaries"), columns=["LSOA11CD", "BNG_E", "BNG_N", "LAT", "LONG"]
    ).rename(columns={"LSOA11CD": "lsoa_code", "BNG_E": "easting", "BNG_N": "northing",
                      "LAT": "lat", "LONG": "lon"})
    lsoa = lsoa.merge(lsoa_ref, on="lsoa_code", how="inner")
    used_lads = {r[0] for r in con.execute(
        "select distinct lad_code from pc where lad_code is not null").fetchall()}
    lsoa = lsoa[lsoa["lad_code"].isin(used_lads)].reset_index(drop=True)
    geoms_wgs = lsoa.geometry.to_numpy()
    geoms = shapely.transform(
        geoms_wgs, lambda xy: np.column_stack(to_bng.transform(xy[:, 0], xy[:, 1]))
    )
    progress(0.70, "Dissolving local authorities")
    lad_codes = lsoa["lad_code"].to_numpy()
    lads = []
    for code in sorted(set(lad_codes)):
        lads.append((code, shapely.union_all(geoms[lad_codes == code])))
    lad_geoms = np.array([g for _, g in lads], dtype=object)
    lad_area_km2 = shapely.area(lad_geoms) / 1e6
    lad_simple = shapely.coverage_simplify(lad_geoms, tolerance=LAD_TOLERANCE_M)
    progress(0.80, "Dissolving integrated care boards")
    icb_codes = lsoa["icb_code"].fillna("").to_numpy()
    icbs = [
        (code, shapely.union_all(geoms[icb_codes == code])) for code in sorted(set(icb_codes)) if code
    ]
    icb_simple = shapely.coverage_simplify(
        np.array([g for _, g in icbs], dtype=object), tolerance=ICB_TOLERANCE_M
    )
    lsoa_simple = shapely.coverage_simplify(geoms, tolerance=LSOA_TOLERANCE_M)
    progress(0.88, "Writing boundaries")

    lsoa_out = pd.DataFrame(
        {
            "lsoa_code": lsoa["lsoa_code"],
            "easting": lsoa["easting"].astype("int64"),
            "northing": lsoa["northing"].astype("int64"),
            "lat": lsoa["lat"],
            "lon": lsoa["lon"],
            "geometry_wkb": _to_wgs84_wkb(lsoa_simple, to_wgs84),
        }
    )
    con.register("lsoa_geo", lsoa_out)
    con.register("lsoa_ref", lsoa_ref)
    # Scottish data zones and LSOAs outside the boundary file keep a centroid
    # averaged from their postcodes and no polygon.
    con.execute(
        """
        create table geo_lsoa as
        with pc_centroid as (
            select lsoa_code, avg(easting) as easting, avg(northing) as northing
            from pc where easting is not null and not lsoa_from_neighbour
            group by lsoa_code
        ),
        final as (
            select
                r.lsoa_code, r.lsoa_name, r.lad_code, r.icb_code,
                coalesce(g.easting, round(c.easting))::integer as easting,
                coalesce(g.northing, round(c.northing))::integer as northing,
                g.lat, g.lon, g.geometry_wkb
            from lsoa_ref as r
            left join lsoa_geo as g using (lsoa_code)
            left join pc_centroid as c using (lsoa_code)
            where r.lad_code in (select distinct lad_code from pc)
        )
        select * from final order by lsoa_code
        """
    )
    missing = con.execute(
        "select lsoa_code, easting, northing from geo_lsoa where lat is null and easting is not null"
    ).df()
    if len(missing):
        lon, lat = to_wgs84.transform(missing["easting"].to_numpy(), missing["northing"].to_numpy())
        con.register("fill", pd.DataFrame({"lsoa_code": missing["lsoa_code"], "lat": lat, "lon": lon}))
        con.execute(
            "update geo_lsoa set lat = f.lat, lon = f.lon from fill as f"
            " where geo_lsoa.lsoa_code = f.lsoa_code"
        )
        con.unregister("fill")

    lad_out = pd.DataFrame(
        {
            "lad_code": [c for c, _ in lads],
            "area_km2": lad_area_km2,
            "geometry_wkb": _to_wgs84_wkb(lad_simple, to_wgs84),
        }
    )
    con.register("lad_geo", lad_out)
    con.execute(
        """
        create table geo_lad as
        with names as (
            select lad_code, any_value(lad_name) as lad_name
            from ons where lad_code in (select distinct lad_code from pc)
            group by lad_code
        ),
        final as (
            select n.lad_code, n.lad_name, g.area_km2, g.geometry_wkb
            from names as n left join lad_geo as g using (lad_code)
        )
        select * from final order by lad_code
        """
    )
    icb_names = (lsoa_ref.dropna(subset=["icb_code"]).drop_duplicates("icb_code")
                 .set_index("icb_code")["icb_name"])
    con.register(
        "icb_geo",
        pd.DataFrame(
            {
                "icb_code": [c for c, _ in icbs],
                "icb_name": [icb_names.get(c) for c, _ in icbs],
                "geometry_wkb": _to_wgs84_wkb(icb_simple, to_wgs84),
            }
        ),
    )
    con.execute("create table geo_icb as select * from icb_geo order by icb_code")

    outline = pyogrio.read_dataframe(source_path("england_outline"))
    outline_geom = shapely.simplify(shapely.union_all(outline.geometry.to_numpy()), 500.0)
    con.register(
        "outline",
        pd.DataFrame({"name": ["England"],
                      "geometry_wkb": _to_wgs84_wkb(np.array([outline_geom]), to_wgs84)}),
    )
    con.execute("create table geo_outline as select * from outline")

    # Postcodes: WGS84 from OS grid references; terminated and unlocated ones at
    # their LSOA's centroid.
    pts = con.execute("select pc_key, easting, northing from pc where easting is not null").df()
    lon, lat = to_wgs84.transform(pts["easting"].to_numpy(), pts["northing"].to_numpy())
    con.register("pc_wgs", pd.DataFrame({"pc_key": pts["pc_key"], "lat": lat, "lon": lon}))
    con.execute(
        """
        create table geo_postcode as
        with final as (
            select
                substr(p.pc_key, 1, length(p.pc_key) - 3) || ' ' || right(p.pc_key, 3) as postcode,
                coalesce(p.easting, l.easting) as easting,
                coalesce(p.northing, l.northing) as northing,
                coalesce(w.lat, l.lat) as lat,
                coalesce(w.lon, l.lon) as lon,
                p.lsoa_code,
                p.lad_code,
                l.icb_code,
                p.is_live,
                case when p.doterm is not null
                     then make_date(left(p.doterm, 4)::integer, right(p.doterm, 2)::integer, 1)
                end as terminated_month,
                -- null: a known postcode with no location (a few in the ONS lookup
                -- have no LSOA, and Code-Point Open gives them no coordinates)
                case when p.easting is not null then 'postcode'
                     when l.easting is not null then 'lsoa_centroid'
                end as located_by,
                p.lsoa_from_neighbour
            from pc as p
            left join pc_wgs as w using (pc_key)
            left join geo_lsoa as l using (lsoa_code)
        )
        select * from final order by postcode
        """
    )


def _write_meta(con: duckdb.DuckDBPyConnection, scope: str) -> None:
    rows = [
        ("build_version", BUILD_VERSION),
        ("fingerprint", fingerprint()),
        ("scope", scope),
        ("built_at", datetime.now(UTC).isoformat(timespec="seconds")),
    ] + [(f"source:{s.key}", f"{s.description} (sha256 {s.sha256[:12]})") for s in SOURCES.values()]
    con.execute("create table geo_meta (key varchar, value varchar)")
    con.executemany("insert into geo_meta values (?, ?)", rows)


def current_scope(meta: dict[str, str]) -> str | None:
    """The scope ('GB' or the areas of a region) of a geography whose `geo_meta` is `meta`,
    when this release built it from the pinned sources; None when it is stale or missing."""
    if meta.get("build_version") != BUILD_VERSION or meta.get("fingerprint") != fingerprint():
        return None
    return meta.get("scope")


def cache_scope(path: Path) -> str | None:
    """The scope of the complete, current cache at `path`; None when there is none."""
    if not Path(path).is_file():
        return None
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error:
        return None
    try:
        meta = dict(con.execute("select key, value from geo_meta").fetchall())
    except duckdb.Error:
        return None
    finally:
        con.close()
    return current_scope(meta)


def cache_is_current(path: Path, *, scope: str = GB_SCOPE) -> bool:
    """True when `path` holds a complete cache built from the pinned sources for `scope`:
    by default the whole of Great Britain, which is what the app needs."""
    return cache_scope(path) == scope
