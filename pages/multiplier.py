"""Local multiplier: what the footprint's spend is worth to the place once re-spent, and what
a change would be worth."""

from datetime import date

import streamlit as st

from anchor import charts, disclosure, lm3, narrative, place_story, tables
from anchor import formatting as fmt
from anchor.auth import Role
from anchor.measures import multiplier as multiplier_measure
from anchor.periods import Period
from anchor.places import Place
from anchor.queries import lm3 as lm3_queries
from anchor.ui import auth as ui_auth
from anchor.ui import components, flash, frame
from anchor.ui.data import query, warehouse
from anchor.ui.reference_upload import reference_upload

frame.require()

filters = components.page_header("Local multiplier (LM3)")
orgs, place, period = filters.orgs, filters.place, filters.period
user = ui_auth.current_user()
inputs = query(lm3_queries.lm3_inputs, orgs, period.first, period.last, place)
assumed, sources = query(lm3_queries.assumptions)
result = inputs.multiplier(assumed)



def lm3_staff(gbp: float | None) -> str:
    return fmt.gbp(gbp) if gbp is not None else "\\* (withheld: 1 to 4 staff live in the place)"


c1, c2, c3, c4 = st.columns(4)
with c1:
    components.tile("LM3", fmt.number(result.lm3, digits=2) if result.is_known
                    else narrative.NOT_YET_KNOWN,
                    detail="Each £1 spent is worth this much to the place, counting two rounds "
                           "of local re-spending." if result.is_known else
                    narrative.known_for(inputs.placed_gbp, result.spend_coverage)
                    + f" of in-scope spend; the multiplier needs {narrative.share_needed()}.")
with c2:
    components.tile("R1: money studied", fmt.gbp(result.r1_gbp),
                    detail="In-scope spend with suppliers plus the gross pay of all staff.")
with c3:
    components.tile("R2: spent in the place", fmt.gbp(result.r2_gbp),
                    detail=f"{fmt.pct(result.r2_gbp / result.r1_gbp if result.r1_gbp else None)} "
                           f"of R1: local suppliers {fmt.gbp(result.r2_suppliers_gbp)}, "
                           f"local staff's pay {lm3_staff(result.r2_staff_shown)}.")
with c4:
    components.tile("R3: re-spent in the place", fmt.gbp(result.r3_gbp),
                    detail=f"{fmt.pct(result.r3_gbp / result.r2_gbp if result.r2_gbp else None)} "
                           f"of R2: by suppliers {fmt.gbp(result.r3_suppliers_gbp)}, by staff "
                           f"{lm3_staff(result.r3_staff_shown)}.")

if not result.is_known:
    st.warning(fmt.md_text(place_story.lm3_not_known(result)) + " R2 and R3 below count only "
               "the suppliers that are placed.", icon=":material/location_off:")
st.plotly_chart(charts.lm3_breakdown(result), config={"displaylogo": False})
if result.staff_withheld:
    st.caption("Local staff's pay is left out of R2, R3 and LM3: a chosen organisation has 1 to "
               "4 staff living in the place, and their pay would give that count away. LM3 is "
               "therefore a floor.")
coverage = (f"{fmt.count(result.surveyed_suppliers)} of the "
            f"{fmt.count(len(inputs.local_suppliers))} local suppliers paid in {period.label} "
            f"answered a supplier survey, covering {fmt.pct(result.surveyed_share_of_r2)} of R2 "
            f"({fmt.pct(result.surveyed_share_of_supplier_spend)} of the spend with local "
            "suppliers); "
            f"{result.staff_surveyed_orgs} of {len(inputs.local_staff)} organisations surveyed "
            "their staff. Everything else uses the assumptions below.")
st.info(coverage, icon=":material/fact_check:")

st.subheader("Assumptions")
st.dataframe(tables.lm3_assumptions(assumed, sources), hide_index=True)
if user.can(Role.ANALYST):
    with st.expander("Change an assumption", icon=":material/edit:"):
        with st.form("lm3_assumption"):
            key = st.selectbox("Assumption", list(lm3.LABELS), format_func=lm3.LABELS.get)
            value = st.number_input("New value (shares as a fraction: 0.4 for 40%)",
                                    min_value=0.0, value=0.4, step=0.01, format="%.3f")
            source = st.text_input("Source", placeholder="Staff survey, October 2025")
            if st.form_submit_button("Save"):
                try:
                    lm3_queries.save_assumption(warehouse(), key, value, source, user)
                except ValueError as exc:
                    st.error(fmt.md_text(exc))
                else:
                    flash.done(f"Saved: {lm3.LABELS[key]} is now {value:g}.")
    reference_upload("supplier_survey", user)
    reference_upload("staff_survey", user)

# -- Scenarios -------------------------------------------------------------------------------
st.subheader("What if?")
scen_in = query(lm3_queries.scenario_inputs, orgs, period.first, period.last, place)
categories = list(scen_in.non_local_by_category["category"])
left, right = st.columns([2, 3])
with left:
    chosen = st.multiselect("Categories to buy more locally", categories, key="scenario_categories",
                            placeholder="Every influenceable category")
    shift = st.slider("Share of their non-local influenceable spend moved to local suppliers",
                      0, 100, 0, format="%d%%", key="scenario_shift") / 100
    # The lever works from the shown (rounded) counts; it is not offered on 1 to 4 starters.
    hiring = lm3.hiring_base(scen_in.starters, scen_in.local_starters)
    now_share = hiring[1] / hiring[0] if hiring and hiring[0] else 0.0
    hire = st.slider("Share of new starters who live in the place", 0, 100,
                     round(100 * now_share), format="%d%%", key="scenario_hire",
                     disabled=hiring is None,
                     help=(f"Now {fmt.pct(now_share)} of {fmt.count(hiring[0])} starters "
                           f"in {period.label} (counts to the nearest 5)." if hiring else
                           f"Not offered: {period.label}'s starters or local starters number "
                           "1 to 4, which the result would give away.")) / 100
# Scenarios start neutral: no spend moved, starters' slider at today's share (rounded), so
# only a move of a slider is a lever.
hire_lever = hire if hiring and abs(hire - now_share) >= 0.005 else None
scenario = lm3.Scenario("Unsaved", shift, tuple(chosen), hire_lever)
res = lm3.run_scenario(scenario, result, scen_in.non_local_by_category, scen_in.starters,
                       scen_in.local_starters, scen_in.pay_per_head_gbp, assumed,
                       period_years=period.n_quarters / 4)
with right:
    r1, r2, r3 = st.columns(3)
    r1.metric("More spent in the place", fmt.gbp(res.extra_local_gbp),
              help="Spend moved to local suppliers plus the pay of extra local starters.")
    r2.metric("LM3", fmt.number(res.after.lm3, digits=2),
              delta=f"{res.after.lm3 - result.lm3:+.2f}" if result.lm3 else None)
    r3.metric("Jobs supported", fmt.number(res.jobs_supported, digits=0),
              help=f"Jobs the moved spend sustains through {period.label}: the moved spend ÷ "
                   f"the {fmt.gbp(assumed.gbp_per_job * period.n_quarters / 4)} that keeps one "
                   f"job going for the period ({fmt.gbp(assumed.gbp_per_job)} a year, an "
                   "assumption).")
    st.markdown(fmt.md_text(tables.scenario_sentence(res, period.label, place.phrase)))

if user.can(Role.ANALYST):
    with st.form("save_scenario", clear_on_submit=True):
        name = st.text_input("Name this scenario to save it", max_chars=80)
        if st.form_submit_button("Save scenario"):
            definition = {
                "orgs": list(orgs), "first": period.first.isoformat(),
                "last": period.last.isoformat(), "place": place.to_dict(),
                "shift_share": shift, "categories": list(chosen),
                "local_starter_share": hire_lever,
            }
            try:
                lm3_queries.save_scenario(warehouse(), name, definition, user)
            except ValueError as exc:
                st.error(fmt.md_text(exc))
            else:
                flash.done(f"Saved “{fmt.md_text(name.strip())}”.")

saved = query(lm3_queries.saved_scenarios)
if not saved.empty:
    st.subheader("Saved scenarios, side by side")
    rows = []
    for row in saved.itertuples():
        d = row.definition
        p = Period(date.fromisoformat(d["first"]), date.fromisoformat(d["last"]))
        pl = Place.from_dict(d["place"])
        base_in = query(lm3_queries.lm3_inputs, tuple(d["orgs"]), p.first, p.last, pl)
        base = base_in.multiplier(assumed)
        si = query(lm3_queries.scenario_inputs, tuple(d["orgs"]), p.first, p.last, pl)
        s = lm3.Scenario(row.name, d["shift_share"], tuple(d["categories"]),
                         d.get("local_starter_share"))
        rows.append((row, p, pl, lm3.run_scenario(s, base, si.non_local_by_category, si.starters,
                                                   si.local_starters, si.pay_per_head_gbp, assumed,
                                                   period_years=p.n_quarters / 4)))
    comparison = tables.scenario_comparison(rows)
    st.dataframe(tables.for_display(comparison), hide_index=True)
    components.downloads(comparison, "Scenarios", notes=[
        "Each scenario is worked out on its own organisations, period and place, with the "
        "assumptions in force today."] + [f"{lm3.LABELS[k]}: {getattr(assumed, k):g} ({sources[k]})"
                                           for k in lm3.LABELS])
    if user.can(Role.ANALYST):
        with st.expander("Delete a scenario"):
            names = dict(zip(saved["scenario_id"], saved["name"]))
            sid = st.selectbox("Scenario", list(names), format_func=names.get, key="scenario_delete")
            if st.button("Delete", key="scenario_delete_button"):
                lm3_queries.delete_scenario(warehouse(), sid, user)
                flash.done(f"Deleted “{fmt.md_text(names[sid])}”.")

components.definitions([
    ("Place", place.describe()),
    ("LM3", multiplier_measure.DEFINITION),
    ("Disclosure control", disclosure.RULE),
    ("Surveys", "Supplier surveys give each supplier's share of its own spending with local "
     "suppliers and of its payroll paid to local residents; staff surveys give the share of net "
     "pay spent locally. Load them above; they replace the assumptions where they exist."),
    ("Scenarios", "Moved spend goes to new local suppliers, who re-spend at the assumed rate; "
     "extra local starters are paid the period's average pay per head for half the period "
     "(starters join all through it). Jobs supported divide "
     "the moved spend by the spend that supports one job for the length of the period (the "
     "assumption is a year's spend, so a quarter needs a quarter of it)."),
])
