"""The demo's local supplier directory (the "virtual hospital") and its LM3 surveys.

Businesses are fictional, at real postcodes in the footprint: some already supply the
trusts, others do not yet. A few dozen local suppliers answered an LM3 survey, and two
trusts surveyed their staff.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from anchor.demo import reference as ref
from anchor.demo.names import supplier_name
from anchor.demo.spend import LOCAL_CLASSES, SupplierPool

FRAMEWORKS = ["NHS Supply Chain", "Crown Commercial Service", "ESPO", "NHS Shared Business Services",
              "Health Trust Europe"]
# Categories a local business could take on, weighted by where the trusts' spend leaks most.
DIRECTORY_CATEGORIES = {
    c.name: c.weight * (1.6 - c.localness) for c in ref.CATEGORIES if c.is_influenceable
}


# Businesses that supply one category often supply a neighbouring one.
RELATED = {
    "Medical and surgical equipment": ["Furniture, fittings and equipment"],
    "Agency and locum staffing": ["Training and education"],
    "Estates maintenance and construction": ["Grounds, gardening and waste",
                                             "Furniture, fittings and equipment"],
    "Cleaning, portering and security": ["Laundry and linen", "Grounds, gardening and waste"],
    "Catering and food": ["Community and voluntary sector services"],
    "IT, digital and telecoms": ["Printing, stationery and office supplies",
                                 "Professional and consultancy services"],
    "Professional and consultancy services": ["Training and education"],
    "Transport, couriers and taxis": ["Grounds, gardening and waste"],
    "Laundry and linen": ["Cleaning, portering and security"],
    "Grounds, gardening and waste": ["Estates maintenance and construction"],
    "Printing, stationery and office supplies": ["IT, digital and telecoms"],
    "Training and education": ["Community and voluntary sector services"],
    "Furniture, fittings and equipment": ["Estates maintenance and construction"],
    "Community and voluntary sector services": ["Training and education", "Catering and food"],
}


def _with_related(rng: np.random.Generator, category: str) -> list[str]:
    if rng.random() < 0.3:
        options = RELATED[category]
        return [category, options[rng.integers(len(options))]]
    return [category]


def build_directory(rng: np.random.Generator, pool: SupplierPool,
                    postcodes: dict[str, pd.DataFrame]) -> pd.DataFrame:
    sup = pool.frame
    cats = list(DIRECTORY_CATEGORIES)
    p = np.array(list(DIRECTORY_CATEGORIES.values()))
    p /= p.sum()
    rows = []
    local = sup[sup["cls"].isin(LOCAL_CLASSES) & ~sup["is_public_body"]]
    for r in local.sample(n=min(230, len(local)), random_state=int(rng.integers(1 << 31))).itertuples():
        rows.append(_business(rng, f"B{len(rows) + 1:04d}", r.name, r.postcode,
                              _with_related(rng, r.category), r.is_sme, r.is_vcse, r.supplier_id))
    names = set(sup["name"])
    for _ in range(170):
        cls = LOCAL_CLASSES[rng.integers(len(LOCAL_CLASSES))]
        cat = cats[rng.choice(len(cats), p=p)]
        is_vcse = bool(rng.random() < (0.6 if cat.startswith("Community") else 0.05))
        name = supplier_name(rng, cat, True, True, is_vcse)
        while name in names:
            name = supplier_name(rng, cat, True, True, is_vcse, partners=True)
        names.add(name)
        pcs = postcodes[cls]
        rows.append(_business(rng, f"B{len(rows) + 1:04d}", name,
                              pcs["postcode"].iat[rng.integers(len(pcs))], _with_related(rng, cat),
                              True, is_vcse, None))
    return pd.DataFrame(rows)


def _business(rng, business_id, name, postcode, categories, is_sme, is_vcse, supplier_id) -> dict:
    approved = bool(rng.random() < 0.45)
    frameworks = ", ".join(sorted(set(rng.choice(FRAMEWORKS, size=rng.integers(1, 3)).tolist()))) \
        if approved and rng.random() < 0.5 else None
    return {
        "business_id": business_id, "name": name, "postcode": postcode,
        "categories": sorted(set(categories)), "is_sme": bool(is_sme), "is_vcse": bool(is_vcse),
        "health_approved": approved, "frameworks": frameworks,
        "description": f"Supplies {', '.join(sorted(set(categories))).lower()}.",
        "supplier_id": supplier_id,
    }


def build_surveys(rng: np.random.Generator, pool: SupplierPool) -> tuple[pd.DataFrame, pd.DataFrame]:
    sup = pool.frame
    # Surveys go to the suppliers the trusts use most; about half of those answer.
    local = sup[sup["cls"].isin(LOCAL_CLASSES) & ~sup["is_public_body"]]
    popular = local.iloc[np.argsort(-pool.popularity[local.index.to_numpy()])[:100]]
    answered = popular.sample(n=48, random_state=int(rng.integers(1 << 31)))
    suppliers = pd.DataFrame({
        "supplier_id": answered["supplier_id"].to_numpy(),
        "local_spend_share": np.round(rng.uniform(0.12, 0.55, len(answered)), 2),
        "local_payroll_share": np.round(rng.uniform(0.55, 0.95, len(answered)), 2),
        "surveyed_on": date(2019, 11, 1),
        "source": "Demo supplier survey (synthetic)",
    })
    staff = pd.DataFrame({
        "org_code": ["RXK", "TAJ"],
        "net_pay_local_share": [0.43, 0.47],
        "respondents": [1240, 410],
        "surveyed_on": [date(2019, 10, 1), date(2021, 3, 1)],
        "source": "Demo staff survey (synthetic)",
    })
    return suppliers, staff
