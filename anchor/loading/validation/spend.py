"""The spend check: each line's organisation (by code, name or a spelling confirmed
before, or the one the analyst names), its dates read in one order for the whole file, its
amount, category and supplier, the months the file is for and its lines paid in others."""

from __future__ import annotations

import re
from datetime import date

import pandas as pd

from anchor.loading import aliases, months, parse
from anchor.loading.validation.cells import _col, _duplicates, _money, _paid_dates, _quarter_column, _required
from anchor.loading.validation.common import CheckedFile, Issues, Progress, Reference, _choose, reference
from anchor.loading.validation.slices import _slices
from anchor.loading.validation.supplier import _look_alikes, _register_ids
from anchor.periods import quarter_label


def _day_month_order(cells: pd.DataFrame, issues: Issues, result: CheckedFile | None) -> str:
    """One order for all of a file's dates (`parse.day_month_order`), said in the report
    and the audit trail whenever it is not plainly day first."""
    order, why = parse.day_month_order([cells[c] for c in ("paid_date", "invoice_date",
                                                            "due_date") if c in cells])
    if result is None:
        return order
    if why == "us":
        _choose(result, issues, "dates in US order (month first)",
                "Dates read in US order, month first, for the whole file: some can be read no "
                "other way (such as 4/30/2020), and none only day first.", "paid_date")
    elif why == "ambiguous":
        _choose(result, issues, "dates read day first (UK order), which every date allows",
                "Every date in the file reads either way (such as 03/04/2020 for 3 April or "
                "4 March): read in UK order, day first. If the file is in US order, check "
                "its months in the preview.", "paid_date")
    return order


def _spend_organisations(wh, cells: pd.DataFrame, ref: Reference, issues: Issues,
                         org: str | None, result: CheckedFile | None) -> pd.Series:
    """Each line's organisation: by code, exact name or a spelling confirmed before
    (`aliases`); with `org` (the analyst's), every other spelling is taken as that
    organisation and remembered when the file loads (unless it plainly means another).
    Without it, a spelling not yet known is refused once, at its first row with how many
    rows have it, saying which organisation it looks like (`org_proposals`)."""
    raw = _col(cells, "org_code")
    p = parse.text(raw)
    by_code = dict(zip(ref.orgs["org_code"].str.upper(), ref.orgs["org_code"]))
    by_name = dict(zip(parse.normalise_names(ref.orgs["name"].astype("str")), ref.orgs["org_code"]))
    # a spelling confirmed for an organisation since removed (a council whose first load
    # was undone) is not one any more
    confirmed = {k: by_code[v.upper()] for k, v in aliases.remembered(wh).items()
                 if v.upper() in by_code}
    # commonest first: a council added is named as most of its lines name it
    spellings = pd.Series(p.values[~p.missing].value_counts().index, dtype="str")
    keys = parse.normalise_names(spellings)
    known = {s: by_code.get(s.upper()) or by_name.get(k) or confirmed.get(k) or ""
             for s, k in zip(spellings, keys)}
    codes = p.values.map(known).astype("object").fillna("").astype("str")
    chosen = _chosen_org(wh, org, ref, spellings, issues, result) if org else None
    if org:
        if chosen is None:
            return codes
        if "org_code" not in cells and result is not None:
            _choose(result, issues, f"organisation {chosen} as named (--org)",
                    f"The file has no Entity or organisation column: every line is loaded "
                    f"for {chosen}, the organisation you named.", "org_code")
        other = (codes != "") & (codes != chosen)
        issues.rows(other, "org_code", raw,
                    "Names " + codes + f", not {chosen}, the organisation you said the file is "
                    "for (--org).")
        new = [s for s in spellings if not known[s]]
        # a spelling that plainly means another organisation is not taken as this one
        councils = _councils(wh) if new else pd.DataFrame()
        for s in new[:MAX_SPELLINGS]:
            other = aliases.propose(s, ref.orgs, councils)
            if other is not None and other.plain and other.org_code.upper() != chosen.upper():
                first = p.values.index[p.values == s][0]
                issues.at(int(first), "org_code", s,
                          f"Looks like {other.describe()}, not {chosen}, the organisation you "
                          "said the file is for (--org): check the file is that "
                          "organisation's.")
        if new and result is not None:
            result.aliases = pd.DataFrame({
                "alias_key": parse.normalise_names(pd.Series(new, dtype="str")).to_numpy(),
                "alias": new, "org_code": chosen}).drop_duplicates("alias_key")
            shown = ", ".join(f"'{s}'" for s in new[:5])
            _choose(result, issues, f"{shown} confirmed as {chosen}",
                    f"{shown} {'is' if len(new) == 1 else 'are'} taken as {chosen}, as you "
                    "confirmed: remembered when the file loads, so the next file spelt so loads "
                    "without asking.", "org_code")
        return codes.where(codes != "", chosen)
    if p.missing.all():  # an Entity column left blank: as if there were none
        if result is not None:
            _unnamed_organisation(wh, result.file_name, result, issues,
                                  "its organisation column is empty")
        return codes
    _required(issues, p, "org_code", raw, "an organisation")
    councils = _councils(wh)
    unknown = p.values[(codes == "") & ~p.missing]
    first_rows = pd.Series(unknown.index, index=unknown.to_numpy()).groupby(level=0).first()
    counts = unknown.value_counts()
    for n, s in enumerate(s for s in spellings if not known[s]):
        if n == MAX_SPELLINGS:  # a column of anything but organisations: say so once
            issues.whole(f"The organisation column holds {len(counts):,} spellings that are "
                         "not organisations in the warehouse: is it the organisation column? "
                         "Map the file's columns to ours, or name the organisation (--org).",
                         column="org_code")
            break
        first_row, count = first_rows[s], int(counts[s])
        proposal = aliases.propose(s, ref.orgs, councils)
        if result is not None:
            result.org_proposals[s] = proposal
        where = "" if count == 1 else f" (this row and {count - 1:,} more)"
        if ref.orgs.empty:
            problem = ("There are no organisations in the warehouse yet: load the "
                       "organisations file first (Organisations and footprints).")
        elif proposal is None:
            problem = (f"Not the code or name of an organisation in the warehouse{where}, and "
                       "none looks like it. Use its ODS code, or say which organisation the "
                       "file is for (--org CODE, or in the sidebar): the spelling is then "
                       "remembered.")
        else:
            problem = (f"Not the code or name of an organisation in the warehouse{where}. It "
                       f"looks like {proposal.describe()}. If it is, confirm it: load again "
                       f"with --org {proposal.org_code}, or confirm it in the sidebar; the "
                       "spelling is then remembered.")
        issues.at(int(first_row), "org_code", s, problem)
    return codes


def _unnamed_organisation(wh, file_name: str, result: CheckedFile, issues: Issues,
                          why: str) -> None:
    """A spend file that does not name its organisation: refused, saying so, with the
    organisation its file name names by ODS code ('spend_RJ6_croydon.csv'), if one."""
    orgs = reference(wh).orgs
    codes = dict(zip(orgs["org_code"].str.upper(), zip(orgs["org_code"], orgs["name"])))
    named = [codes[w] for w in dict.fromkeys(re.split(r"[^0-9A-Za-z]+", file_name.upper()))
             if w in codes and len(w) >= 3]
    hint = ""
    if len(named) == 1:
        code, name = named[0]
        result.org_proposals[""] = aliases.Proposal(code, name, "the file's name")
        hint = (f" Its file name suggests {code}, {name}: if so, load again with --org {code}, "
                "or confirm it in the sidebar.")
    issues.whole(f"The file does not say which organisation it is for: {why}. Name the "
                 "organisation: load again with --org CODE (its ODS code), or choose it in "
                 f"the sidebar.{hint}", column="org_code")


MAX_SPELLINGS = 20  # spellings of organisations matched and reported one by one


def _councils(wh) -> pd.DataFrame:
    try:
        return wh.df("select lad_code, lad_name from geo_lad order by lad_code")
    except Exception:  # noqa: BLE001 - no geography installed: no council to propose
        return pd.DataFrame(columns=["lad_code", "lad_name"])


def _chosen_org(wh, org: str, ref: Reference, spellings: pd.Series, issues: Issues,
                result: CheckedFile | None) -> str | None:
    """The organisation the analyst named: one the warehouse holds, or a local authority's
    code for a council not yet held, then added as an organisation in the footprint whose
    home place holds it (its name from the file, where the file gives one)."""
    by_code = dict(zip(ref.orgs["org_code"].str.upper(), ref.orgs["org_code"]))
    if org in by_code:
        return by_code[org]
    lad = wh.rows("select lad_code, lad_name from geo_lad where upper(lad_code) = ?", [org]) \
        if not _councils(wh).empty else []
    if not lad:
        issues.whole(f"{org} (--org) is not an organisation in the warehouse, nor a local "
                     "authority's code (for a council). Give the organisation's ODS code.",
                     column="org_code")
        return None
    lad_code, lad_name = lad[0]
    footprints = [r[0] for r in wh.rows(
        "select footprint_code from footprint_lad where lad_code = ? order by footprint_code",
        [lad_code])]
    if not footprints:
        issues.whole(f"{lad_code} ({lad_name}) is a local authority, but no footprint's home "
                     "place includes it, so Anchor cannot tell which footprint the council "
                     "belongs to: load it as an organisation first (Organisations and "
                     "footprints).", column="org_code")
        return None
    name = spellings.iloc[0] if len(spellings) else f"{lad_name} Council"  # the commonest
    if result is not None:
        result.new_organisations = pd.DataFrame([{
            "org_code": lad_code, "name": name, "org_type": aliases.COUNCIL_TYPE,
            "footprint_code": footprints[0], "postcode": None}])
        _choose(result, issues, f"{lad_code} {name} added as a council in {footprints[0]}",
                f"{name} is added as an organisation: a council, code {lad_code} (the local "
                f"authority {lad_name}), in the footprint {footprints[0]}, whose home place "
                "includes it.", "org_code")
    return lad_code


def _check_spend(wh, cells: pd.DataFrame, ref: Reference, issues: Issues, quarter: date | None,
                 progress: Progress, whole: pd.DataFrame, *, org: str | None = None,
                 result: CheckedFile | None = None):
    progress(0.10, "Checking organisations")
    org = _spend_organisations(wh, cells, ref, issues, org, result)
    progress(0.20, "Checking dates")
    order = _day_month_order(cells, issues, result)
    paid = _paid_dates(cells, issues, "paid_date", required=True, order=order)
    invoice = _paid_dates(cells, issues, "invoice_date", required=False, order=order)
    due = _paid_dates(cells, issues, "due_date", required=False, order=order)
    q = parse.quarter_starts(paid.values)
    raw_paid = _col(cells, "paid_date")
    if "quarter" in cells:
        stated = _quarter_column(cells, issues, required=False, quarter=quarter)
        labels = parse.by_unique(q.dt.strftime("%Y-%m-%d").fillna(""), _labels)
        outside = stated.notna() & q.notna() & (stated != q)
        issues.rows(outside, "paid_date", raw_paid,
                    "Paid in " + labels + ", outside the quarter given in the file's quarter "
                    "column (" + parse.by_unique(stated.dt.strftime("%Y-%m-%d").fillna(""),
                                                 _labels) + ").")
    if quarter is not None:
        labels = parse.by_unique(q.dt.strftime("%Y-%m-%d").fillna(""), _labels)
        issues.rows(q.notna() & (q != pd.Timestamp(quarter)), "paid_date", raw_paid,
                    "Paid in " + labels + f", outside {quarter_label(quarter)}, the quarter "
                    "this file is being loaded for.")
    progress(0.35, "Checking amounts")
    amount = _money(cells, issues, "amount_gbp", required=True, negative_ok=True)
    category = parse.text(_col(cells, "category"))
    _required(issues, category, "category", _col(cells, "category"), "a category")
    progress(0.50, "Matching suppliers")
    supplier_id, new_suppliers = _spend_suppliers(cells, ref, issues)
    progress(0.65, "Looking for repeated rows")
    # a repeat is a line whose every cell in the file is the same, not just the cells Anchor
    # keeps: published files tell lines apart by Expense Area or Description too
    _duplicates(issues, whole, _col(cells, "amount_gbp"), "amount_gbp",
                "every column is the same; if both are real, give them transaction numbers")
    if ref.categories:
        new_cat = ~category.values.isin(ref.categories) & ~category.missing
        firsts = new_cat & ~category.values.duplicated()
        issues.rows(firsts, "category", _col(cells, "category"),
                    "A new category: counted as in scope and influenceable until it is flagged.",
                    severity="warning")
    if issues.has_errors:
        return None, None, {}
    progress(0.75, "Preparing rows")
    rows = pd.DataFrame({
        "org_code": org,
        "quarter_start": q,
        "paid_date": paid.values,
        "supplier_id": supplier_id,
        "category": category.values,
        "amount_gbp": amount.values,
        "invoice_date": invoice.values,
        "due_date": due.values,
        "transaction_number": parse.text(_col(cells, "transaction_number")).values.replace("", None),
    })
    return rows, _slices(rows), {"new_suppliers": new_suppliers}


def _settle_months(wh, result: CheckedFile, rows: pd.DataFrame, raw_paid: pd.Series,
                   issues: Issues) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Decide the months a spend file is for (anchor/loading/months.py) and list its strays,
    each with its date. Strays are left out, or kept as lines added to their own months
    (never replacing them; a stray the warehouse already holds line for line is not added
    twice). Returns the rows to write and their organisation-months (`_month_slices`)."""
    month = rows["paid_date"].dt.to_period("M").dt.start_time
    chosen, phrase = months.file_months(month, result.file_name)
    stray = ~month.dt.date.isin(chosen)
    result.file_months = chosen
    result.strays = pd.DataFrame({
        "row": rows.index[stray], "org_code": rows["org_code"][stray].to_numpy(),
        "paid_date": rows["paid_date"][stray].to_numpy(),
        "month_start": month[stray].to_numpy(), "amount_gbp": rows["amount_gbp"][stray].to_numpy(),
    })
    if stray.any():
        issues.whole(months.rule_sentence(chosen, phrase, int(stray.sum()), result.stray_rows),
                     column="paid_date", severity="warning")
        issues.rows(stray, "paid_date", raw_paid,
                    months.stray_problem(month, result.stray_rows, chosen), severity="warning")
    if result.stray_rows == months.LEAVE_OUT:
        keep = ~stray
    else:
        held = (_already_held(wh, rows[stray]).reindex(rows.index, fill_value=False)
                if stray.any() else stray)
        keep = ~held
        issues.rows(held, "paid_date", raw_paid,
                    "A stray the warehouse already holds, line for line: not added again.",
                    severity="warning")
    return rows[keep], _month_slices(rows[keep], chosen)


def _already_held(wh, rows: pd.DataFrame) -> pd.Series:
    """Lines the warehouse holds already: the same organisation, payment date, supplier,
    category and amount."""
    key = ["org_code", "paid_date", "supplier_id", "category", "pence"]
    mine = rows.assign(paid_date=rows["paid_date"].dt.date,
                       pence=(pd.to_numeric(rows["amount_gbp"]) * 100).round().astype("int64"))
    held = wh.df(
        "select distinct org_code, paid_date, supplier_id, category,"
        " (amount_gbp * 100)::bigint as pence from spend"
        " where org_code = any(?) and paid_date = any(?)",
        [sorted(set(mine["org_code"])), sorted(set(mine["paid_date"]))])
    held["paid_date"] = pd.to_datetime(held["paid_date"]).dt.date
    found = mine[key].merge(held.assign(_held=True), on=key, how="left")["_held"]
    return pd.Series(found.fillna(False).astype(bool).to_numpy(), index=rows.index)


def _month_slices(rows: pd.DataFrame, file_months: list[date]) -> pd.DataFrame:
    """Each organisation-month the rows fill: org_code, quarter_start, month_start, rows,
    gbp (their £), and `replaces`: whether the load replaces it (one of the file's months)
    or only adds to it (strays kept in their own months)."""
    out = (rows.assign(month_start=rows["paid_date"].dt.to_period("M").dt.start_time,
                       gbp=pd.to_numeric(rows["amount_gbp"]))
           .groupby(["org_code", "quarter_start", "month_start"], as_index=False)
           .agg(rows=("gbp", "size"), gbp=("gbp", "sum"))
           .sort_values(["org_code", "month_start"]).reset_index(drop=True))
    out["replaces"] = out["month_start"].dt.date.isin(file_months)
    return out


def _labels(u: pd.Series) -> pd.Series:
    return pd.Series([quarter_label(date.fromisoformat(v)) if v else "" for v in u],
                     index=u.index, dtype="str")


def _spend_suppliers(cells: pd.DataFrame, ref: Reference, issues: Issues):
    """Supplier ids for every line: by id (in any case), else by name (normalised) from the
    register. Suppliers not in the register are added with no postcode (a warning each)."""
    ids = parse.text(_col(cells, "supplier_id")).values
    names = parse.text(_col(cells, "supplier_name")).values
    register = ref.suppliers
    norm_register = parse.normalise_names(register["name"].astype("str"))
    by_name = dict(zip(norm_register[::-1], register["supplier_id"][::-1]))  # first id wins
    norm = parse.by_unique(names, parse.normalise_names)

    by_id = _register_ids(ids, register, issues, "supplier_id", _col(cells, "supplier_id"))
    matched = norm.map(by_name).astype("str").fillna("")
    out = by_id.where(by_id != "", matched.where(ids == "", ""))
    unknown_id = (ids != "") & (by_id == "")
    issues.rows(unknown_id & (names == ""), "supplier_id", _col(cells, "supplier_id"),
                "Not in the supplier register, and the row has no supplier name to add it by. "
                "Load the supplier register first.")
    issues.rows((ids == "") & (names == ""), "supplier_name", names,
                "Missing: every row needs a supplier (an id or a name).")
    issues.rows((names != "") & (norm == "") & (out == ""), "supplier_name", names,
                "Not a supplier name.")
    new = (out == "") & (names != "") & (norm != "") & ~((ids != "") & (names == ""))
    new_ids = ids.where(unknown_id, parse.new_supplier_ids(norm))
    out = out.where(~new, new_ids)
    firsts = new & ~out.duplicated()
    issues.rows(firsts, "supplier_name", names,
                "Not in the supplier register: it will be added with no postcode, so where its "
                "spend goes is not known (local shares leave it out) until the register gives "
                "one.", severity="warning")
    # the names that choose a supplier: those of lines with no id the register knows
    _look_alikes(issues, names.where(by_id == "", ""), "supplier_name", register["name"],
                 "supplier")
    new_suppliers = pd.DataFrame({"supplier_id": out[firsts].to_numpy(),
                                  "name": names[firsts].to_numpy()})
    # the numbers a file gives for a supplier it adds: the first on any of its lines
    for col, ours in (("supplier_vat_number", "vat_number"),
                      ("supplier_company_number", "company_number")):
        given = parse.text(_col(cells, col)).values.str.replace(" ", "", regex=False).str.upper()
        first = (pd.DataFrame({"supplier_id": out, "n": given})[new & (given != "")]
                 .drop_duplicates("supplier_id").set_index("supplier_id")["n"])
        new_suppliers[ours] = new_suppliers["supplier_id"].map(first)
    return out, new_suppliers
