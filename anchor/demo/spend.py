"""Synthetic suppliers and invoice lines for the demo footprint.

The shape follows real trust spend: a few large contracts and catalogue
frameworks, a long tail of small suppliers, credit notes, and most money going
outside the area. RXK's 2014/15 large-supplier spend reproduces the CLES
study's published figures exactly; its local share then rises after the trust's
commitment.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from anchor.demo import reference as ref
from anchor.demo.names import name_stem, supplier_name
from anchor.periods import add_quarters

LARGE_FLOOR_GBP = 120_000.0  # every "large" supplier is well above the £100k line
TAIL_CAP_GBP = 92_000.0  # every tail supplier is well below it
LARGE_SHARE = 0.78  # share of an organisation's spend with its large suppliers
N_YEARS = 12  # 2014/15 .. 2025/26 (the last only to Q2)
LOCAL_CLASSES = [ref.SANDWELL, ref.BIRMINGHAM, ref.DUDLEY, ref.WALSALL, ref.WOLVERHAMPTON]
CATEGORY = {c.name: c for c in ref.CATEGORIES}


@dataclass
class SupplierPool:
    frame: pd.DataFrame  # supplier_id, name, postcode, company_number, flags, category, cls
    popularity: np.ndarray


def build_suppliers(rng: np.random.Generator, postcodes: dict[str, pd.DataFrame]) -> SupplierPool:
    """The supplier register: fictional names at real postcodes, by location class."""
    rows = []
    influenceable = [c for c in ref.CATEGORIES if c.is_influenceable]
    for cls in ref.SUPPLIER_CLASSES:
        n = ref.SUPPLIER_POOL_SIZE[cls]
        local = cls in LOCAL_CLASSES
        if local:
            p = np.array([c.weight * c.localness for c in influenceable])
        elif cls == "wm":
            p = np.array([c.weight * (0.5 * c.localness + 0.25) for c in influenceable])
        else:
            p = np.array([c.weight * (1 - c.localness) for c in influenceable])
        # Every category needs suppliers everywhere, so floor the probabilities.
        p = np.maximum(p / p.sum(), 0.02)
        # Two suppliers of every category in every class, the rest by likelihood.
        cats = np.r_[np.repeat(np.arange(len(influenceable)), 2),
                     rng.choice(len(influenceable), size=n - 2 * len(influenceable), p=p / p.sum())]
        for k in cats:
            cat = influenceable[k]
            sme_rate = 0.86 if local else (0.7 if cls == "wm" else 0.3)
            is_sme = bool(rng.random() < sme_rate)
            vcse_rate = {"Community and voluntary sector services": 0.9,
                         "Training and education": 0.2, "Catering and food": 0.06}.get(cat.name, 0.01)
            is_vcse = bool(rng.random() < vcse_rate)
            rows.append((cat.name, cls, is_sme or is_vcse, is_vcse, False, None))
    # National frameworks and contracts: a handful of large national suppliers.
    for cat_name, n in [("Drugs and medicines (national contracts)", 5),
                        ("Energy and utilities (national framework)", 4),
                        ("PFI unitary charge", 1)]:
        rows += [(cat_name, "national", False, False, False, None)] * n
    for name, postcode, cat_name, cls in ref.PUBLIC_BODIES:
        rows.append((cat_name, cls, False, False, True, (name, postcode)))
    for org in ref.ORGS:
        rows.append(("Healthcare services from NHS bodies", org.home_lad, False, False, True,
                     (org.name, org.hq_postcode)))

    # Names differ by more than a suffix: "Everley Pharma Ltd" and "Everley Pharma plc"
    # would read as a duplicate in the register.
    records, seen = [], set()
    for i, (cat_name, cls, is_sme, is_vcse, is_public, named) in enumerate(rows):
        if named:
            name, postcode = named
        else:
            pcs = postcodes[cls]
            postcode = pcs["postcode"].iat[rng.integers(len(pcs))]
            name = supplier_name(rng, cat_name, cls in LOCAL_CLASSES, is_sme, is_vcse)
            while name_stem(name) in seen:
                name = supplier_name(rng, cat_name, cls in LOCAL_CLASSES, is_sme, is_vcse,
                                     partners=True)
        seen.add(name_stem(name))
        company_number = None
        if not is_public and (not is_vcse or rng.random() < 0.5):
            company_number = f"{rng.integers(1_000_000, 13_000_000):08d}"
        records.append({
            "supplier_id": f"S{i + 1:05d}",
            "name": name,
            "postcode": postcode,
            "company_number": company_number,
            "is_sme": is_sme,
            "is_vcse": is_vcse,
            "is_public_body": is_public,
            "category": cat_name,
            "cls": cls,
        })
    frame = pd.DataFrame.from_records(records)
    # Some suppliers are popular with every trust: the shared-procurement opportunities.
    popularity = rng.normal(0, 1, len(frame))
    return SupplierPool(frame, popularity)


def _local_multiplier(org: str, year: int) -> float:
    """How much more local an organisation's influenceable spend is than in 2014/15."""
    if org == "RXK":  # the commitment after the CLES study, from 2015/16
        return 1.0 + 0.12 * min(year, 4) + 0.03 * max(0, year - 4)
    return {"RNA": 1.0 + 0.012 * year, "RBK": 1.0 + 0.02 * year,
            "RL4": 1.04 + 0.01 * year, "TAJ": 1.1 + 0.025 * year}[org]


def _local_split(org: ref.Org, year: int) -> dict[str, float]:
    """How an organisation's local spend divides between the five local authorities."""
    w = {lad: 0.10 for lad in LOCAL_CLASSES}
    w[ref.BIRMINGHAM] = 0.34
    w[org.home_lad] += 0.30
    if org.code == "RXK":  # Sandwell first: the partnership's "Find it in Sandwell" work
        w[ref.SANDWELL] += 0.02 * min(year, 6)
    total = sum(w.values())
    return {k: v / total for k, v in w.items()}


def _class_shares(org: ref.Org, cat: ref.Category, year: int) -> dict[str, float]:
    local = min(0.92, cat.localness * _local_multiplier(org.code, year))
    split = _local_split(org, year)
    shares = {lad: local * split[lad] for lad in LOCAL_CLASSES}
    shares["wm"] = (1 - local) * 0.16
    shares["national"] = (1 - local) * 0.84
    return shares


def _category_weights(org: ref.Org) -> dict[str, float]:
    w = {c.name: c.weight for c in ref.CATEGORIES}
    if org.code == "TAJ":  # a mental health trust buys few consumables and drugs
        for name in ["Clinical consumables (NHS Supply Chain)",
                     "Drugs and medicines (national contracts)", "Medical and surgical equipment"]:
            w[name] *= 0.3
        w["Agency and locum staffing"] *= 2.0
    if org.code == "RNA":  # Russells Hall Hospital was built under PFI
        w["PFI unitary charge"] = 0.11
    total = sum(w.values())
    return {k: v / total for k, v in w.items()}


def _nhs_body_shares(org: ref.Org, pool: pd.DataFrame) -> pd.Series:
    """Payments to NHS bodies, by body: more to near neighbours."""
    bodies = pool[(pool["category"] == "Healthcare services from NHS bodies")
                  & (pool["name"] != org.name)]
    w = np.where(bodies["cls"].isin(LOCAL_CLASSES), 3.0, 1.0)
    return pd.Series(w / w.sum(), index=bodies.index)


def supplier_years(rng: np.random.Generator, pool: SupplierPool) -> pd.DataFrame:
    """Annual spend per organisation, financial year and supplier."""
    sup = pool.frame
    out = []
    for org in ref.ORGS:
        preference = pool.popularity + rng.normal(0, 0.7, len(sup))
        cat_w = _category_weights(org)
        for year in range(N_YEARS):
            fraction = 0.5 if year == N_YEARS - 1 else 1.0
            total = org.spend_2014_gbp * 1.035**year * fraction * rng.normal(1, 0.015)
            if org.code == "RXK" and year == 0:
                total = org.spend_2014_gbp
            large = total * LARGE_SHARE
            cells: dict[tuple[str, str], float] = {}
            for cat in ref.CATEGORIES:
                amount = large * cat_w[cat.name]
                if amount <= 0:
                    continue
                if cat.is_influenceable:
                    for cls, share in _class_shares(org, cat, year).items():
                        cells[(cat.name, cls)] = amount * share
                elif cat.name == "Healthcare services from NHS bodies":
                    for idx, share in _nhs_body_shares(org, sup).items():
                        cells[(cat.name, f"#{idx}")] = amount * share
                else:
                    cells[(cat.name, "national")] = amount
            if org.code == "RXK" and year == 0:
                cells = _calibrate_rxk_2014(cells, sup)
            cells = _merge_small_cells(cells, sup)
            chosen = []
            for (cat_name, cls), amount in cells.items():
                chosen.append(_allocate_large(rng, sup, preference, cat_name, cls, amount))
            large_rows = pd.concat(chosen)
            tail_rows = _allocate_tail(rng, sup, preference, org, year, total - large,
                                       used=set(large_rows["idx"]))
            rows = pd.concat([large_rows, tail_rows])
            rows["org_code"] = org.code
            rows["year"] = year
            out.append(rows)
    frame = pd.concat(out, ignore_index=True)
    return frame.groupby(["org_code", "year", "idx"], as_index=False)["amount_gbp"].sum()


def _cell_class(cls: str, sup: pd.DataFrame) -> str:
    return sup.at[int(cls[1:]), "cls"] if cls.startswith("#") else cls


def _calibrate_rxk_2014(cells: dict, sup: pd.DataFrame) -> dict:
    """Scale RXK's 2014/15 large-supplier spend to the study's totals by supplier location."""
    by_class: dict[str, float] = {}
    for (_cat, cls), amount in cells.items():
        c = _cell_class(cls, sup)
        by_class[c] = by_class.get(c, 0.0) + amount
    scale = {
        c: ref.RXK_2014_LARGE_TOTAL_GBP * share / by_class[c]
        for c, share in ref.RXK_2014_LARGE_SHARES.items()
    }
    return {key: amount * scale[_cell_class(key[1], sup)] for key, amount in cells.items()}


def _merge_small_cells(cells: dict, sup: pd.DataFrame) -> dict:
    """Fold cells too small for one large supplier into the largest cell of the same class."""
    merged = dict(cells)
    for key in sorted(cells, key=lambda k: cells[k]):
        if merged.get(key, 0.0) >= LARGE_FLOOR_GBP * 1.05:
            continue
        cls = _cell_class(key[1], sup)
        peers = [k for k in merged if k != key and _cell_class(k[1], sup) == cls]
        if not peers:
            continue
        target = max(peers, key=lambda k: merged[k])
        merged[target] += merged.pop(key)
    return merged


def _allocate_large(rng, sup, preference, cat_name, cls, amount) -> pd.DataFrame:
    if cls.startswith("#"):
        candidates = np.array([int(cls[1:])])
    else:
        mask = (sup["category"] == cat_name) & (sup["cls"] == cls)
        candidates = np.flatnonzero(mask.to_numpy())
        candidates = candidates[np.argsort(-preference[candidates])]
    cat = CATEGORY[cat_name]
    if cat.typical_contract_gbp <= 0 or len(candidates) == 1:
        k = 1
    else:
        k = int(np.clip(round(amount / cat.typical_contract_gbp), 1, len(candidates)))
        k = max(1, min(k, int(amount // LARGE_FLOOR_GBP)))
    pick = candidates[:k]
    w = (np.arange(1, k + 1) ** -1.0) * rng.lognormal(0, 0.25, k)
    w /= w.sum()
    floor = min(LARGE_FLOOR_GBP, amount / k)
    amounts = floor + (amount - floor * k) * w
    return pd.DataFrame({"idx": pick, "amount_gbp": amounts})


def _allocate_tail(rng, sup, preference, org, year, total, used) -> pd.DataFrame:
    """The long tail: many small suppliers, more of them local than the large ones."""
    influenceable = sup["category"].map(lambda c: CATEGORY[c].is_influenceable).to_numpy()
    mean_localness = 0.55
    local = min(0.9, mean_localness * _local_multiplier(org.code, year))
    split = _local_split(org, year)
    shares = {lad: local * split[lad] for lad in LOCAL_CLASSES}
    shares["wm"] = (1 - local) * 0.25
    shares["national"] = (1 - local) * 0.75
    parts = []
    for cls, share in shares.items():
        amount = total * share
        mask = (sup["cls"].to_numpy() == cls) & influenceable & ~sup.index.isin(list(used))
        candidates = np.flatnonzero(mask)
        # Tail suppliers come and go: a fresh draw each year, popular ones more often.
        weights = np.exp(preference[candidates])
        n = int(np.clip(round(amount / 9_000), 1, len(candidates)))
        pick = rng.choice(candidates, size=n, replace=False, p=weights / weights.sum())
        amounts = np.exp(rng.uniform(np.log(60), np.log(60_000), n))
        amounts *= amount / amounts.sum()
        parts.append(pd.DataFrame({"idx": pick, "amount_gbp": np.minimum(amounts, TAIL_CAP_GBP)}))
    return pd.concat(parts)


def invoice_lines(rng: np.random.Generator, years: pd.DataFrame, pool: SupplierPool) -> pd.DataFrame:
    """Split each supplier's year into invoice lines (with credit notes) that sum exactly."""
    sup = pool.frame
    amount_p = np.round(years["amount_gbp"].to_numpy() * 100).astype(np.int64)
    cat = sup["category"].to_numpy()[years["idx"].to_numpy()]
    order_based = np.array([CATEGORY[c].order_based for c in cat])
    a = amount_p / 100
    n_lines = np.where(
        order_based,
        np.maximum(1, np.round(a / rng.uniform(1300, 2600, len(a)))),
        np.maximum(1, np.round(1.25 * (a / 1000) ** 0.6)),
    ).astype(np.int64)
    group = np.repeat(np.arange(len(years)), n_lines)
    n = len(group)
    # Line weights; about 1.5% of lines of busier suppliers are credit notes.
    w = rng.lognormal(0, 0.7, n)
    per_group_n = n_lines[group]
    credit = (rng.random(n) < 0.015) & (per_group_n >= 4)
    first_of_group = np.r_[True, group[1:] != group[:-1]]
    credit &= ~first_of_group  # the first line of each group absorbs rounding, and stays positive
    mean_w = np.bincount(group, weights=w) / n_lines
    w = np.where(credit, -rng.uniform(0.1, 0.8, n) * mean_w[group], w)
    pos = np.bincount(group, weights=np.where(credit, 0, w), minlength=len(years))
    share = w / pos[group]  # positives sum to 1 per group; credits are negative fractions
    credit_p = np.where(credit, amount_p[group] * share, 0.0)
    credit_total = -np.bincount(group, weights=credit_p, minlength=len(years))
    # Positive lines carry the year's amount plus whatever the credit notes take back.
    line_p = np.where(credit, credit_p, share * (amount_p + credit_total)[group])
    line_p = np.round(line_p).astype(np.int64)
    residual = amount_p - np.bincount(group, weights=line_p, minlength=len(years)).astype(np.int64)
    line_p[first_of_group] += residual

    # When each line was paid: a random day in a random quarter of the year.
    year = years["year"].to_numpy()[group]
    n_quarters = np.where(year == N_YEARS - 1, 2, 4)
    q_in_year = (rng.random(n) * n_quarters).astype(np.int64)
    quarter_index = year * 4 + q_in_year
    q_starts = np.array([add_quarters(ref.FIRST_QUARTER, i) for i in range(N_YEARS * 4)],
                        dtype="datetime64[D]")
    q_lengths = (np.r_[q_starts[1:], np.datetime64(add_quarters(ref.FIRST_QUARTER, N_YEARS * 4))]
                 - q_starts).astype(np.int64)
    qs = q_starts[quarter_index]
    paid = qs + (rng.random(n) * q_lengths[quarter_index]).astype("timedelta64[D]")
    org = years["org_code"].to_numpy()[group]
    idx = years["idx"].to_numpy()[group]
    late = rng.random(n) < _late_rate(org, year, sup["is_sme"].to_numpy()[idx],
                                      np.isin(sup["cls"].to_numpy()[idx], LOCAL_CLASSES))
    delay = np.where(late, 31 + rng.exponential(18, n), rng.uniform(4, 30, n)).astype(np.int64)
    invoice = paid - delay.astype("timedelta64[D]")
    return pd.DataFrame({
        "org_code": org,
        "quarter_start": qs,
        "paid_date": paid,
        "supplier_id": sup["supplier_id"].to_numpy()[idx],
        "category": cat[group],
        "amount_p": line_p,
        "invoice_date": invoice,
        "due_date": invoice + np.timedelta64(30, "D"),
    })


def _late_rate(org: np.ndarray, year: np.ndarray, is_sme: np.ndarray, is_local: np.ndarray):
    """Share of invoices paid after 30 days: improving over the years, worse for small firms
    early on."""
    base = np.select([org == "RXK", org == "RNA", org == "RBK", org == "RL4"],
                     [0.16, 0.10, 0.22, 0.08], 0.13)
    rate = base * (1 - 0.045 * year)
    rate += np.where(is_sme & is_local, 0.06 * np.maximum(0, 1 - year / 8), 0)
    return np.clip(rate, 0.02, 0.6)


def first_quarters() -> list[date]:
    return [add_quarters(ref.FIRST_QUARTER, i) for i in range(N_YEARS * 4 - 2)]
