"""Geography questions for maps: boundaries, centroids and site locations."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from anchor.places import Place, local_predicate
from anchor.queries import registered
from anchor.queries.common import ORG_CTES


@registered
def lad_shapes_near(wh, lad_codes: Sequence[str], margin_km: float = 12.0) -> pd.DataFrame:
    """The given LADs and every LAD whose centre lies within `margin_km` of their extent:
    lad_code, lad_name, geometry_wkb (WGS84), in_focus."""
    return wh.df(
        """
        with centre as (
            select lad_code, avg(easting) as e, avg(northing) as n
            from geo_lsoa where easting is not null group by lad_code
        ),
        extent as (
            select min(e) - $margin_m as e0, max(e) + $margin_m as e1,
                   min(n) - $margin_m as n0, max(n) + $margin_m as n1
            from centre where lad_code = any($lads)
        ),
        final as (
            select l.lad_code, l.lad_name, l.geometry_wkb, l.lad_code = any($lads) as in_focus
            from geo_lad as l
            join centre as c using (lad_code), extent as x
            where l.geometry_wkb is not null
              and c.e between x.e0 and x.e1 and c.n between x.n0 and x.n1
        )
        select * from final order by lad_code
        """,
        {"margin_m": margin_km * 1000, "lads": list(lad_codes)},
    )


@registered
def lsoa_shapes(wh, lad_codes: Sequence[str]) -> pd.DataFrame:
    """LSOA polygons of the given LADs: lsoa_code, lsoa_name, lad_code, geometry_wkb."""
    return wh.df(
        "select lsoa_code, lsoa_name, lad_code, geometry_wkb from geo_lsoa"
        " where lad_code = any(?) and geometry_wkb is not null order by lsoa_code",
        [list(lad_codes)],
    )


@registered
def site_points(wh, orgs: Sequence[str]) -> pd.DataFrame:
    """Each site of the organisations with its location; sites without a known postcode
    come back with null coordinates so the page can say so."""
    return wh.df(
        """
        select s.site_code, s.org_code, s.name, s.postcode, p.lat, p.lon, p.lad_code
        from site as s
        left join geo_postcode as p on p.postcode = s.postcode
        where s.org_code = any(?)
        order by s.org_code, s.site_code
        """,
        [list(orgs)],
    )


@registered
def lads_of_sites(wh, orgs: Sequence[str]) -> list[str]:
    """The LADs the organisations' sites are in (for centring radius-based maps)."""
    rows = wh.rows(
        "select distinct p.lad_code from site as s join geo_postcode as p using (postcode)"
        " where s.org_code = any(?) and p.lad_code is not null order by 1",
        [list(orgs)],
    )
    return [r[0] for r in rows]


def local_postcodes(wh, org_code: str, place: Place, postcodes: Sequence[str]) -> dict[str, bool]:
    """Which of these (normalised) postcodes count as local to the organisation."""
    pred, params = local_predicate(place, point="p", org="o")
    rows = wh.rows(
        f"with {ORG_CTES} select p.postcode, {pred} from selected_org as o"
        " cross join geo_postcode as p where p.postcode = any($postcodes)",
        {"orgs": [org_code], **params, "postcodes": list(postcodes)},
    )
    return dict(rows)


def icb_local_authorities(wh) -> pd.DataFrame:
    """The local authorities of each ICB: those with most of their LSOAs in it (ICBs follow
    local authority boundaries, near enough): icb_name, lad_code."""
    return wh.df(
        """
        with lsoas as (
            select lad_code, icb_code, count(*) as lsoas
            from geo_lsoa where lad_code is not null and icb_code is not null
            group by all
        ),
        main_icb as (
            select lad_code, arg_max(icb_code, lsoas) as icb_code from lsoas group by lad_code
        ),
        final as (
            select i.icb_name, m.lad_code
            from main_icb as m join geo_icb as i using (icb_code)
        )
        select * from final order by icb_name, lad_code
        """
    )
