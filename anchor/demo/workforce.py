"""Synthetic staff, aggregated by home LSOA: realistic commuting and turnover.

Each trust's staff live mostly near its main hospital, fewer further out, with
medical staff travelling furthest. About 3% leave each quarter and are replaced;
starters at RXK come increasingly from Sandwell and its most deprived
neighbourhoods (its community training centre). Only aggregates are stored.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from anchor.demo import reference as ref
from anchor.demo.spend import N_YEARS

N_QUARTERS = N_YEARS * 4 - 2
QUARTERLY_LEAVING_RATE = 0.031
ANNUAL_GROWTH = 0.012
COMMUTE_RADIUS_M = 60_000


def _home_weights(lsoa: pd.DataFrame, site_en: tuple[float, float], scale_km: float) -> np.ndarray:
    d_km = np.hypot(lsoa["easting"] - site_en[0], lsoa["northing"] - site_en[1]).to_numpy() / 1000
    # Most live near; a long, thin tail commutes from across the region.
    return np.exp(-d_km / scale_km) + 0.015 * np.exp(-d_km / 40)


def _pay(band: str, year: int) -> float:
    rise = 1.01**min(year, 4) * 1.025 ** max(0, year - 4)
    if year >= 9:  # the 2023 and 2024 awards
        rise *= 1.05
    return ref.BAND_PAY_2014[band] * rise


def _below_living_wage(band: np.ndarray, year: np.ndarray, org: str) -> np.ndarray:
    """Band 1 fell below the Real Living Wage until it closed to new staff in 2018/19;
    TAJ and RXK became Living Wage employers sooner."""
    cutoff = 3 if org in ("RXK", "TAJ") else 5
    return (band == "Band 1") & (year < cutoff)


@dataclass(frozen=True)
class _Catchment:
    """Where one organisation's staff can live, with each staff group's home weights."""

    org: str
    lsoa_codes: np.ndarray
    weights: dict[str, np.ndarray]
    sandwell: np.ndarray
    deprived: np.ndarray


def _draw_staff(rng: np.random.Generator, c: _Catchment, n: int, q: int,
                starters: bool) -> pd.DataFrame:
    """`n` people: staff in post at the start (starters=False) or joining in quarter `q`."""
    groups = ref.STAFF_GROUPS
    year = q // 4
    gi = rng.choice(len(groups), size=n, p=[g[1] for g in groups])
    homes = np.empty(n, dtype=object)
    bands = np.empty(n, dtype=object)
    for k, (gname, _share, gbands, _scale) in enumerate(groups):
        m = gi == k
        if not m.any():
            continue
        w = c.weights[gname].copy()
        if starters and c.org == "RXK":
            w *= 1 + 0.10 * min(year, 8) * c.sandwell
            w *= 1 + 0.12 * min(year, 8) * c.deprived
        homes[m] = c.lsoa_codes[rng.choice(len(w), size=m.sum(), p=w / w.sum())]
        bands[m] = np.array(gbands, dtype=object)[rng.integers(len(gbands), size=m.sum())]
    # About 0.4% of staff have no usable home postcode on record.
    homes[rng.random(n) < 0.004] = None
    fte = rng.choice([1.0, 1.0, 1.0, 0.8, 0.6, 0.5], size=n)
    apprentice = (starters & (rng.random(n) < _apprentice_rate(c.org, year))
                  & np.isin(bands, ["Band 2", "Band 3", "Band 4"]))
    return pd.DataFrame({
        "home_lsoa": homes,
        "staff_group": np.array([g[0] for g in groups], dtype=object)[gi],
        "afc_band": bands,
        "fte": fte,
        "start_q": q if starters else -1,
        "apprentice": apprentice,
    })


def build_workforce(
    rng: np.random.Generator, lsoa: pd.DataFrame, imd: pd.DataFrame, site_en: dict[str, tuple]
) -> pd.DataFrame:
    """Rows of the `workforce` table for every organisation and quarter."""
    lsoa = lsoa.merge(imd, on="lsoa_code", how="left")
    deprived = (lsoa["imd_decile"].fillna(10) <= 2).to_numpy()
    sandwell = (lsoa["lad_code"] == ref.SANDWELL).to_numpy()
    frames = []
    for org in ref.ORGS:
        main_site = next(s for s in ref.SITES if s.org == org.code)
        en = site_en[main_site.postcode]
        distance = np.hypot(lsoa["easting"] - en[0], lsoa["northing"] - en[1]).to_numpy()
        near = distance < COMMUTE_RADIUS_M
        cand = lsoa[near].reset_index(drop=True)
        catchment = _Catchment(
            org.code, cand["lsoa_code"].to_numpy(),
            {g[0]: _home_weights(cand, en, g[3]) for g in ref.STAFF_GROUPS},
            sandwell[near], deprived[near],
        )
        staff = _draw_staff(rng, catchment, org.headcount_2014, 0, starters=False)
        staff["end_q"] = N_QUARTERS
        cohorts = [staff]
        for q in range(N_QUARTERS):
            # Leavers among everyone active now; replaced, plus growth.
            alive = pd.concat(cohorts, ignore_index=True)
            is_active = (alive["start_q"] <= q) & (alive["end_q"] > q)
            idx = np.flatnonzero(is_active.to_numpy())
            leavers = idx[rng.random(len(idx)) < QUARTERLY_LEAVING_RATE]
            alive.loc[leavers, "end_q"] = q
            cohorts = [alive]
            target = org.headcount_2014 * (1 + ANNUAL_GROWTH) ** (q / 4)
            n_new = int(round(target - (len(idx) - len(leavers))))
            if q + 1 < N_QUARTERS and n_new > 0:
                new = _draw_staff(rng, catchment, n_new, q + 1, starters=True)
                new["end_q"] = N_QUARTERS
                cohorts.append(new)
        people = pd.concat(cohorts, ignore_index=True)
        people.loc[people["start_q"] < 0, "start_q"] = 0
        frames.append(_aggregate(people, org.code))
    return pd.concat(frames, ignore_index=True)


def _apprentice_rate(org: str, year: int) -> float:
    """Share of starters in bands 2 to 4 who start as apprentices: rising after the 2017 levy."""
    base = 0.14 if year < 3 else 0.34 + 0.02 * (year - 3)
    return min(0.8, base * (1.25 if org in ("RXK", "TAJ") else 1.0))


def _aggregate(people: pd.DataFrame, org: str) -> pd.DataFrame:
    """One row per quarter, home LSOA, staff group and band."""
    span = (people["end_q"] - people["start_q"]).to_numpy()
    rows = np.repeat(np.arange(len(people)), span)
    q = np.concatenate([np.arange(s, e) for s, e in zip(people["start_q"], people["end_q"])])
    pq = people.iloc[rows].reset_index(drop=True)
    pq["q"] = q
    year = q // 4
    band_codes, band_index = np.unique(pq["afc_band"].to_numpy().astype(str), return_inverse=True)
    pay_table = np.array([[_pay(b, y) for y in range(N_YEARS)] for b in band_codes])
    pay = pay_table[band_index, year] * pq["fte"].to_numpy() / 4
    pq["gross_pay_gbp"] = np.round(pay, 2)
    pq["headcount"] = 1
    pq["starters"] = (pq["start_q"] == pq["q"]) & (pq["q"] > 0)
    pq["apprentices"] = pq["starters"] & pq["apprentice"]
    pq["below_living_wage"] = _below_living_wage(pq["afc_band"].to_numpy(), year, org)
    out = (
        pq.groupby(["q", "home_lsoa", "staff_group", "afc_band"], dropna=False, as_index=False)
        .agg(headcount=("headcount", "sum"), fte=("fte", "sum"),
             gross_pay_gbp=("gross_pay_gbp", "sum"), starters=("starters", "sum"),
             apprentices=("apprentices", "sum"), below_living_wage=("below_living_wage", "sum"))
    )
    out["org_code"] = org
    return out
