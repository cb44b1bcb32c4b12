"""Tables for display and download: query frames in, readable columns out. No I/O."""

from __future__ import annotations

import pandas as pd

from anchor import disclosure
from anchor import formatting as fmt
from anchor.lm3 import LABELS as LM3_LABELS


def organisation_summary(spend_by_org: pd.DataFrame, staff_by_org: pd.DataFrame,
                         land_by_org: pd.DataFrame, org_names: dict[str, str]) -> pd.DataFrame:
    """One row per organisation: spend, local shares, residents employed, idle land.
    `staff_by_org` is `employment.protected_residents`: a withheld count reads '*', an
    organisation with no workforce return '–'."""
    staff = staff_by_org[["org_code", "headcount", "local_headcount"]].assign(has_staff=True)
    # Every organisation with any figure in the period: spend, staff or land.
    t = (
        spend_by_org[["org_code", "spend_gbp", "influenceable_gbp", "local_gbp", "local_share",
                      "influenceable_local_share"]]
        .merge(staff, on="org_code", how="outer")
        .merge(land_by_org[["org_code", "land_not_delivering_ha"]], on="org_code", how="outer")
        .sort_values("org_code", ignore_index=True)
    )

    def local_share(col: str, spend_col: str) -> list[str]:
        # spend whose suppliers are too little placed has a share not yet known, not none
        return [fmt.pct(v) if not pd.isna(v) else ("Not known" if g else "–")
                for v, g in zip(t[col], t[spend_col].fillna(0))]

    def people(col: str) -> list[str]:
        return [disclosure.show_count(v) if has is True else "–"
                for v, has in zip(t[col], t["has_staff"])]

    return pd.DataFrame({
        "Code": t["org_code"],
        "Organisation": t["org_code"].map(lambda c: org_names.get(c, c)),
        "In-scope spend": t["spend_gbp"].map(fmt.gbp),
        "Local spend": t["local_gbp"].map(fmt.gbp),
        "Local share (all)": local_share("local_share", "spend_gbp"),
        "Local share (influenceable)": local_share("influenceable_local_share",
                                                   "influenceable_gbp"),
        "Staff": people("headcount"),
        "Residents employed": people("local_headcount"),
        "Land not delivering services": t["land_not_delivering_ha"].map(fmt.hectares),
    })


def leakage_by_category(by_cat: pd.DataFrame, influenceable: bool) -> pd.DataFrame:
    """Non-local spend per category, largest first, with the share of the category that leaks.
    Columns: category, spend_gbp, non_local_gbp, non_local_share, label."""
    total = "influenceable_gbp" if influenceable else "spend_gbp"
    local = "influenceable_local_gbp" if influenceable else "local_gbp"
    d = by_cat[by_cat[total] != 0]
    out = pd.DataFrame({
        "category": d["category"],
        "spend_gbp": d[total],
        "non_local_gbp": d[total] - d[local],
    })
    out["non_local_share"] = out["non_local_gbp"] / out["spend_gbp"]
    out["label"] = [f"{fmt.gbp(v)} · {fmt.pct(s, digits=0)}"
                    for v, s in zip(out["non_local_gbp"], out["non_local_share"])]
    return out.sort_values("non_local_gbp", ascending=False).reset_index(drop=True)


def leakage_table(by_cat: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "Category": by_cat["category"],
        "Spend (£)": by_cat["spend_gbp"].round(2),
        "Spent outside the place (£)": by_cat["non_local_gbp"].round(2),
        "Share outside the place (%)": (100 * by_cat["non_local_share"]).round(1),
    })


def leakage_by_destination(by_lad: pd.DataFrame, lads: pd.DataFrame,
                           influenceable: bool) -> pd.DataFrame:
    """Non-local spend by the local authority suppliers are based in, largest first."""
    total = "influenceable_gbp" if influenceable else "spend_gbp"
    local = "influenceable_local_gbp" if influenceable else "local_gbp"
    d = by_lad.assign(non_local=by_lad[total] - by_lad[local])
    d = d[d["non_local"] > 0].merge(lads, on="lad_code", how="left")
    d["lad_name"] = d["lad_name"].fillna("Postcode not placed")
    all_non_local = float(d["non_local"].sum())
    d = d.sort_values("non_local", ascending=False)
    return pd.DataFrame({
        "Based in": d["lad_name"],
        "Spend": d["non_local"].map(fmt.gbp),
        "Share of leakage": (d["non_local"] / (all_non_local or 1.0)).map(fmt.pct),
    })


def supplier_table(suppliers: pd.DataFrame, influenceable: bool) -> pd.DataFrame:
    """Suppliers for display and download, largest first, amounts in pounds."""
    col = "influenceable_gbp" if influenceable else "spend_gbp"
    d = suppliers.sort_values(col, ascending=False)
    yes_no = {True: "Yes", False: "No"}
    return pd.DataFrame({
        "Supplier": d["name"],
        "Postcode": d["postcode"],
        "Based in": d["lad_name"].fillna("Not placed"),
        "Local": d["is_local"].map(yes_no),
        "SME": d["is_sme"].map(yes_no).fillna("Unknown"),
        "VCSE": d["is_vcse"].map(yes_no).fillna("Unknown"),
        "Main category": d["main_category"],
        "Spend (£)": d["spend_gbp"].round(2),
        "Influenceable (£)": d["influenceable_gbp"].round(2),
        "Invoice lines": d["invoice_lines"],
        "Paid by": d["org_codes"],
    })


def bppc_table(pay: pd.DataFrame) -> pd.DataFrame:
    """Prompt payment by segment, with a total row."""
    rows = []
    groups = [(seg, pay[pay["segment"] == seg]) for seg in ("Local SMEs", "Other suppliers")]
    for name, d in [*groups, ("All suppliers", pay)]:
        n, on_time = d["invoices"].sum(), d["paid_on_time"].sum()
        v, v_on_time = d["value_gbp"].sum(), d["paid_on_time_gbp"].sum()
        rows.append({
            "Suppliers": name,
            "Invoices": fmt.count(n),
            "Paid within 30 days (number)": fmt.pct(on_time / n) if n else "–",
            "Value": fmt.gbp(v),
            "Paid within 30 days (value)": fmt.pct(v_on_time / v) if v else "–",
        })
    return pd.DataFrame(rows)


def bppc_series(pay_by_quarter: pd.DataFrame) -> pd.DataFrame:
    """Each quarter's share of invoices paid within 30 days (all suppliers)."""
    q = pay_by_quarter.groupby("quarter_start", as_index=False)[
        ["invoices", "paid_on_time", "value_gbp", "paid_on_time_gbp"]].sum()
    q = q[q["invoices"] > 0]
    q["by_number"] = q["paid_on_time"] / q["invoices"]
    q["by_value"] = q["paid_on_time_gbp"] / q["value_gbp"]
    return q.reset_index(drop=True)


def shared_suppliers(suppliers: pd.DataFrame, influenceable: bool) -> pd.DataFrame:
    """Suppliers paid by two or more of the organisations, largest combined spend first. With
    `influenceable`, only the spend the organisations could redirect counts: a national
    framework or another NHS body bought by everyone is not an opportunity to buy together."""
    prefix = "influenceable_" if influenceable else ""
    value_col = "influenceable_gbp" if influenceable else "spend_gbp"
    d = suppliers[(suppliers[f"{prefix}organisations"] >= 2) & (suppliers[value_col] > 0)]
    d = d.sort_values(value_col, ascending=False)
    return pd.DataFrame({
        "Supplier": d["name"],
        "Main category": d["main_category"],
        "Organisations": d[f"{prefix}organisations"],
        "Paid by": d[f"{prefix}org_codes"],
        "Combined spend (£)": d[value_col].round(2),
        "Based in": d["lad_name"].fillna("Not placed"),
    })


def for_display(df: pd.DataFrame) -> pd.DataFrame:
    """A download table made readable on screen: '(£)' columns as £1.7m, '(%)' as 14.3%."""
    out = df.copy()
    renames = {}
    for col in df.columns:
        if col.endswith(" (£)"):
            out[col] = df[col].map(fmt.gbp)
            renames[col] = col[:-4]
        elif col.endswith(" (%)"):
            out[col] = (df[col] / 100).map(fmt.pct)
            renames[col] = col[:-4]
    return out.rename(columns=renames)


def lm3_assumptions(assumed, sources: dict[str, str]) -> pd.DataFrame:
    """Every LM3 assumption with its value and where it came from."""
    rows = []
    for key, label in LM3_LABELS.items():
        v = getattr(assumed, key)
        rows.append({"Assumption": label,
                     "Value": fmt.gbp(v) if key == "gbp_per_job" else fmt.pct(v, digits=0),
                     "Source": sources[key]})
    return pd.DataFrame(rows)


def scenario_sentence(res, period_label: str, place_phrase: str) -> str:
    """One sentence a board can repeat: what the levers are worth."""
    s = res.scenario
    parts = []
    if res.moved_gbp:
        where = ", ".join(s.categories) if s.categories else "every influenceable category"
        parts.append(f"moving {fmt.pct(s.shift_share, digits=0)} of non-local spend in {where} "
                     f"to suppliers {place_phrase} would keep {fmt.gbp(res.moved_gbp)} more there")
    if res.extra_local_starters:
        more = "more" if res.extra_local_starters > 0 else "fewer"
        parts.append(f"hiring {fmt.pct(s.local_starter_share, digits=0)} of new starters locally "
                     f"means about {abs(res.extra_local_starters):,.0f} {more} local staff, "
                     f"{fmt.gbp(abs(res.extra_local_pay_gbp))} of pay")
    if not parts:
        return "Move the sliders to see what a change would be worth."
    lm3_before, lm3_after = res.base.lm3, res.after.lm3
    lm3_part = (f"LM3 would go from {lm3_before:.2f} to {lm3_after:.2f}"
                if lm3_before is not None and lm3_after is not None
                else "LM3 is not yet known (too few suppliers are placed)")
    return (f"In {period_label}, " + "; ".join(parts) + f". {lm3_part}, and the moved spend "
            f"would support about {res.jobs_supported:,.0f} jobs.")


def scenario_comparison(rows) -> pd.DataFrame:
    """Saved scenarios side by side: (row, period, place, result) tuples in, one row each."""
    out = []
    for row, period, place, res in rows:
        s = res.scenario
        out.append({
            "Scenario": row.name,
            "Organisations": ", ".join(row.definition["orgs"]),
            "Period": period.label,
            "Place": place.name,
            "Categories": ", ".join(s.categories) if s.categories else "All influenceable",
            "Share moved (%)": round(100 * s.shift_share, 1),
            "Starters hired locally (%)": (round(100 * s.local_starter_share, 1)
                                           if s.local_starter_share is not None else None),
            "Spend moved (£)": round(res.moved_gbp, 2),
            "Extra local pay (£)": round(res.extra_local_pay_gbp, 2),
            "LM3 now": round(res.base.lm3, 3) if res.base.lm3 else None,
            "LM3 after": round(res.after.lm3, 3) if res.after.lm3 else None,
            "Jobs supported": round(res.jobs_supported, 1),
            "Saved by": row.created_by,
        })
    return pd.DataFrame(out)


def opportunities_table(opps: pd.DataFrame) -> pd.DataFrame:
    """Opportunities for download: where spend leaves the place and local firms can supply."""
    return pd.DataFrame({
        "Category": opps["category"],
        "Influenceable spend (£)": opps["influenceable_gbp"].round(2),
        "Spent outside the place (£)": opps["non_local_gbp"].round(2),
        "Suppliers outside the place": opps["non_local_suppliers"],
        "Local businesses that can supply": opps["businesses"],
        "Of which approved for health-sector supply": opps["health_approved"],
    })


def directory_table(businesses: pd.DataFrame) -> pd.DataFrame:
    yes_no = {True: "Yes", False: "No"}
    return pd.DataFrame({
        "Business": businesses["name"],
        "Postcode": businesses["postcode"],
        "Based in": businesses["lad_name"].fillna("Not placed"),
        "Can supply": businesses["categories"].map(lambda cs: "; ".join(cs)),
        "SME": businesses["is_sme"].map(yes_no).fillna("Unknown"),
        "VCSE": businesses["is_vcse"].map(yes_no).fillna("Unknown"),
        "Health-sector approved": businesses["health_approved"].map(yes_no).fillna("Unknown"),
        "Frameworks": businesses["frameworks"].fillna(""),
        "Already a supplier": businesses["is_supplier"].map(yes_no),
    })


def showcase(businesses: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    """'What our place can supply': each category with its businesses, most businesses first."""
    long = businesses.assign(category=businesses["categories"]).explode("category")
    long = long[long["category"].notna()]
    out = []
    for cat, group in long.groupby("category"):
        g = group.sort_values(["health_approved", "name"], ascending=[False, True])
        out.append((cat, g))
    return sorted(out, key=lambda x: (-len(x[1]), x[0]))


def shared_category_savings(cats: pd.DataFrame, influenceable: bool, saving: float) -> pd.DataFrame:
    """Categories bought by two or more organisations, with an estimated saving; with
    `influenceable`, counting only the spend the organisations could redirect."""
    prefix = "influenceable_" if influenceable else ""
    value_col = "influenceable_gbp" if influenceable else "spend_gbp"
    d = cats[(cats[f"{prefix}organisations"] >= 2) & (cats[value_col] > 0)]
    d = d.sort_values(value_col, ascending=False)
    return pd.DataFrame({
        "Category": d["category"],
        "Organisations": d[f"{prefix}organisations"],
        "Bought by": d[f"{prefix}org_codes"],
        "Suppliers used": d[f"{prefix}suppliers"],
        "Combined spend (£)": d[value_col].round(2),
        "Estimated saving (£)": (d[value_col] * saving).round(2),
    })
