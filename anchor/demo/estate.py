"""Synthetic ERIC-style estate returns for the real hospital sites, and synthetic deprivation."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from anchor.demo import reference as ref
from anchor.periods import add_quarters

SEASON = {4: 0.82, 7: 0.74, 10: 1.08, 1: 1.36}  # heating load by quarter (mean 1)
MMUH_OPENED = date(2024, 10, 1)  # services moved from City Hospital to Midland Met


def build_estate(rng: np.random.Generator, quarters: list[date]) -> pd.DataFrame:
    rows = []
    for site in ref.SITES:
        clinical_share = rng.uniform(0.60, 0.68) if site.gia_m2 > 20_000 else rng.uniform(0.52, 0.6)
        spare_land = rng.uniform(0.02, 0.07) * site.site_area_ha
        backlog_per_m2 = rng.uniform(140, 320)
        community_base = rng.uniform(80, 420)
        for i, q in enumerate(quarters):
            if site.opened and q < site.opened:
                continue
            year = i / 4
            gia = site.gia_m2
            empty = gia * rng.uniform(0.008, 0.022)
            underused = gia * rng.uniform(0.012, 0.03)
            land_idle = spare_land * rng.uniform(0.95, 1.05)
            if site.code == "RXK02" and q >= MMUH_OPENED:
                # City Hospital after the move: most acute wards empty, land for release.
                empty = gia * 0.38
                underused = gia * 0.09
                land_idle = 6.4
            clinical = gia * clinical_share * (1 + 0.004 * year)
            energy = gia * 385 / 4 * SEASON[q.month] * 0.988**year
            carbon_factor = 0.31 - 0.011 * year  # tonnes CO2e per MWh, as the grid decarbonises
            rows.append({
                "org_code": site.org,
                "site_code": site.code,
                "quarter_start": q,
                "site_area_ha": site.site_area_ha,
                "land_not_delivering_ha": round(land_idle, 2),
                "gia_m2": gia,
                "occupied_m2": round(gia - empty),
                "empty_m2": round(empty),
                "underused_m2": round(underused),
                "clinical_m2": round(clinical),
                "non_clinical_m2": round(gia - clinical),
                "backlog_cost_gbp": round(gia * backlog_per_m2 * 1.055**year, -3),
                "energy_kwh": round(energy, -2),
                "carbon_tco2e": round(energy * carbon_factor / 1000, 1),
                "community_use_hours": round(community_base * (1 + 0.05 * year) * rng.uniform(0.85, 1.15)),
            })
    return pd.DataFrame(rows)


# Centres of the places that rank most deprived, in British National Grid metres.
_DEPRIVED_CENTRES = [
    (406900, 286900), (391600, 298800), (400200, 291200), (401300, 298700), (394200, 290600),
    (384000, 398000), (334900, 390400), (430000, 433500), (535000, 182000), (416500, 433000),
    (449600, 520000), (509000, 429000), (330800, 436000), (435300, 387300), (457400, 340000),
    (458600, 304300), (433500, 279000), (388000, 347000), (359000, 173000), (424800, 564200),
]
_DEPRIVED_LADS = set(ref.HOME_LADS)


def synthetic_imd(rng: np.random.Generator, lsoa: pd.DataFrame) -> pd.DataFrame:
    """Deciles for England's LSOAs, shaped like deprivation (inner cities, the Black Country)
    but invented. Every view that uses them says so until real ones are imported."""
    eng = lsoa[lsoa["lsoa_code"].str.startswith("E")].reset_index(drop=True)
    e, n = eng["easting"].to_numpy(float), eng["northing"].to_numpy(float)
    centre = np.zeros(len(eng))
    for ce, cn in _DEPRIVED_CENTRES:
        centre = np.maximum(centre, np.exp(-np.hypot(e - ce, n - cn) / 7000))
    lads = eng["lad_code"].to_numpy()
    uniq, inv = np.unique(lads, return_inverse=True)
    lad_effect = rng.normal(0, 0.5, len(uniq)) + np.array([0.8 if u in _DEPRIVED_LADS else 0 for u in uniq])
    score = 1.3 * centre + lad_effect[inv] + rng.normal(0, 0.55, len(eng))
    rank = score.argsort()[::-1].argsort()  # 0 = most deprived
    decile = 1 + (rank * 10 // len(eng))
    return pd.DataFrame({"lsoa_code": eng["lsoa_code"], "imd_decile": decile.astype(int)})


def quarters() -> list[date]:
    out, q = [], ref.FIRST_QUARTER
    while q <= ref.LAST_QUARTER:
        out.append(q)
        q = add_quarters(q, 1)
    return out
