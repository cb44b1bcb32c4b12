"""The sidebar, built once per run by app.py: footprint, organisations, period, place.

The widgets live in the app frame so their values persist across pages. The
result is a `Filters` value, left in session state for the pages.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from anchor import coverage
from anchor.filters import Filters
from anchor.periods import Period, fy_label, fy_start, quarter_label
from anchor.places import Place
from anchor.queries import places, reference
from anchor.ui import place_editor, state
from anchor.ui.data import query


def render() -> Filters | None:
    """Draw the sidebar. Returns None when the warehouse holds no organisations yet."""
    sb = st.sidebar
    footprints = query(reference.footprints)
    if footprints.empty:
        sb.info("No organisations are loaded yet.")
        st.session_state[state.FILTERS] = None
        return None
    names = dict(zip(footprints["footprint_code"], footprints["name"]))
    fp = sb.selectbox("Footprint", list(names), format_func=names.get, key=state.FOOTPRINT)

    orgs = query(reference.organisations, fp)
    org_names = dict(zip(orgs["org_code"], orgs["name"]))
    key = f"{state.ORGS}_{fp}"
    _add_new_organisations(key, list(org_names))
    # Opened on the organisations that hold data: a footprint filled from NHS Digital's
    # files lists every trust of the ICB, and figures for "the footprint" would otherwise
    # count those with nothing loaded.
    holding = query(reference.organisations_with_data, fp)
    chosen = sb.multiselect(
        "Organisations", list(org_names),
        default=None if key in st.session_state else (holding or list(org_names)),
        format_func=lambda c: f"{c} · {org_names[c]}", key=key,
        help="Figures add up across the organisations chosen.",
    )
    if not chosen:
        sb.warning("Choose at least one organisation.")
        chosen = list(org_names)
    waiting = [c for c in org_names if holding and c not in holding and c not in chosen]
    if waiting:
        listed = ", ".join(waiting[:4]) + (f" and {len(waiting) - 4} more"
                                           if len(waiting) > 4 else "")
        sb.caption(f"{listed} {'holds' if len(waiting) == 1 else 'hold'} no data yet, so "
                   f"{'is' if len(waiting) == 1 else 'are'} not chosen.")

    period = _period_widgets(sb, chosen)
    place = _place_widgets(sb, fp, names[fp])
    influenceable = sb.toggle(
        "Influenceable spend only", value=True, key=state.INFLUENCEABLE,
        help="Leave out spend the organisations cannot redirect locally: national frameworks, "
             "payments to NHS bodies, PFI charges, drugs on national contracts.",
    )
    _freshness(sb)
    if period is None:
        st.session_state[state.FILTERS] = None
        return None
    filters = Filters(fp, names[fp], tuple(sorted(chosen)), period, place, influenceable)
    st.session_state[state.FILTERS] = filters
    return filters


def _add_new_organisations(key: str, codes: list[str]) -> None:
    """An organisation loaded while a session is open joins that session's choice."""
    seen_key = f"{state.ORGS_SEEN}_{key}"
    seen = st.session_state.get(seen_key)
    if seen is not None and key in st.session_state:
        new = [c for c in codes if c not in seen]
        kept = [c for c in st.session_state[key] if c in codes]
        if new or len(kept) != len(st.session_state[key]):
            st.session_state[key] = kept + new
    st.session_state[seen_key] = codes


def _period_widgets(sb, orgs: list[str]) -> Period | None:
    """The period: a quarter or a financial year, opening on the latest quarter that every
    chosen organisation holds in full (anchor/coverage.py), never a partial one."""
    quarters: list[date] = query(reference.data_quarters, tuple(sorted(orgs)))
    if not quarters:
        sb.info("No data for these organisations yet.")
        return None
    kind = sb.segmented_control(
        "Period", [state.PERIOD_QUARTER, state.PERIOD_YEAR], default=state.PERIOD_QUARTER,
        key=state.PERIOD_KIND, required=True,
    )
    latest = quarters[-1]
    months = query(reference.spend_months, tuple(sorted(orgs)))
    opening = coverage.latest_complete(months, orgs, quarters) or latest
    if kind == state.PERIOD_YEAR:
        years = sorted({fy_start(q) for q in quarters}, reverse=True)
        options = [Period.financial_year(y) for y in years]
        default = years.index(fy_start(opening))

        def label(p: Period) -> str:
            text = fy_label(p.first)
            return text + " (to date)" if p.last > latest else text
    else:
        options = [Period.quarter(q) for q in reversed(quarters)]
        default = options.index(Period.quarter(opening))

        def label(p: Period) -> str:
            return quarter_label(p.first)
    chosen = sb.selectbox("Which", options, index=default, format_func=label,
                          key=f"{state.PERIOD}_{kind}", label_visibility="collapsed")
    return chosen.clipped_to(latest)


def _place_widgets(sb, footprint_code: str, footprint_name: str) -> Place:
    named = query(places.named_places)
    kinds = [state.PLACE_FOOTPRINT, state.PLACE_ONE_LAD, state.PLACE_RADIUS]
    if not named.empty:
        kinds.insert(2, state.PLACE_NAMED)
    kind = sb.selectbox("Local means", kinds, key=state.PLACE_KIND,
                        help="Which suppliers, staff homes and sites count as local.")
    home = query(reference.footprint_lads, footprint_code)
    if kind == state.PLACE_NAMED:
        rows = {r.place_code: r for r in named.itertuples()}
        code = sb.selectbox("Which", list(rows), format_func=lambda c: rows[c].name,
                            key=state.PLACE_SET, label_visibility="collapsed")
        row = rows[code]
        place_editor.render(sb, row)
        return Place.of_lads(row.name, list(row.lad_codes), list(row.lad_names))
    if kind == state.PLACE_ONE_LAD:
        lads = query(reference.lads)
        codes = list(lads["lad_code"])
        lad_names = dict(zip(lads["lad_code"], lads["lad_name"]))
        default = home["lad_code"].iat[0] if not home.empty else codes[0]
        code = sb.selectbox("Local authority", codes, index=codes.index(default),
                            format_func=lad_names.get, key=state.PLACE_LAD)
        return Place.of_lads(lad_names[code], [code], [lad_names[code]])
    if kind == state.PLACE_RADIUS:
        km = sb.slider("Kilometres", 1, 50, 10, key=state.RADIUS_KM)
        return Place.within_km(km)
    if home.empty:
        sb.warning("This footprint has no home local authorities; using a 10 km radius.")
        return Place.within_km(10)
    return Place.of_lads(footprint_name, list(home["lad_code"]), list(home["lad_name"]))


def _freshness(sb) -> None:
    df = query(reference.freshness)
    parts = [f"{r.data} to {quarter_label(r.latest_quarter)}"
             for r in df.itertuples() if r.latest_quarter is not None and str(r.latest_quarter) != "NaT"]
    if parts:
        changed = df["last_change"].iat[0]
        when = f" · updated {changed:%d %b %Y}" if changed is not None and str(changed) != "NaT" else ""
        sb.caption("Data: " + "; ".join(parts) + when)
