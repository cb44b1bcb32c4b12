"""The pieces the money pages (Local multiplier, Local suppliers, National comparison) draw
their views with: a row of tiles, a table with its downloads, and the multiplier's forms and
scenario levers, which write through the query modules as the signed-in user."""

from __future__ import annotations

import streamlit as st

from anchor import formatting as fmt
from anchor import lm3
from anchor.auth import Role, User
from anchor.queries import lm3 as lm3_queries
from anchor.ui import components, flash
from anchor.ui.data import warehouse
from anchor.ui.reference_upload import reference_upload
from anchor.views.multiplier import Levers, ScenarioOutcome
from anchor.views.parts import Table, Tile


def tile_row(tiles: tuple[Tile, ...]) -> None:
    for col, t in zip(st.columns(len(tiles)), tiles):
        with col:
            components.tile(t.label, t.value, detail=t.detail)


def table(t: Table) -> None:
    st.dataframe(t.shown, hide_index=True)
    downloads(t)


def downloads(t: Table) -> None:
    components.downloads(t.download, t.title, notes=t.notes, key=t.key)


def assumption_editor(user: User) -> None:
    """For analysts: change an LM3 assumption, or load the surveys that replace them."""
    if not user.can(Role.ANALYST):
        return
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


def scenario_levers(levers: Levers) -> tuple[int, tuple[str, ...], int | None]:
    """The scenario's sliders, each starting at no change: (per cent of spend moved, the
    categories it is moved in, the starters' slider's per cent)."""
    chosen = st.multiselect("Categories to buy more locally", levers.categories,
                            key="scenario_categories", placeholder="Every influenceable category")
    shift = st.slider("Share of their non-local influenceable spend moved to local suppliers",
                      0, 100, 0, format="%d%%", key="scenario_shift")
    hiring = levers.hiring
    hire = st.slider("Share of new starters who live in the place", 0, 100, hiring.now_pct,
                     format="%d%%", key="scenario_hire", disabled=not hiring.offered,
                     help=hiring.help)
    return shift, tuple(chosen), hire


def scenario_result(outcome: ScenarioOutcome) -> None:
    r1, r2, r3 = st.columns(3)
    r1.metric("More spent in the place", outcome.extra_local,
              help="Spend moved to local suppliers plus the pay of extra local starters.")
    r2.metric("LM3", outcome.lm3_after, delta=outcome.lm3_delta)
    r3.metric("Jobs supported", outcome.jobs, help=outcome.jobs_help)
    st.markdown(outcome.sentence_md)


def save_scenario_form(outcome: ScenarioOutcome, user: User) -> None:
    if not user.can(Role.ANALYST):
        return
    with st.form("save_scenario", clear_on_submit=True):
        name = st.text_input("Name this scenario to save it", max_chars=80)
        if st.form_submit_button("Save scenario"):
            try:
                lm3_queries.save_scenario(warehouse(), name, outcome.definition, user)
            except ValueError as exc:
                st.error(fmt.md_text(exc))
            else:
                flash.done(f"Saved “{fmt.md_text(name.strip())}”.")


def saved_scenarios(saved: Table | None, names: dict[int, str], user: User) -> None:
    """Saved scenarios side by side, and for analysts a way to delete one."""
    if saved is None:
        return
    st.subheader("Saved scenarios, side by side")
    table(saved)
    if user.can(Role.ANALYST):
        with st.expander("Delete a scenario"):
            sid = st.selectbox("Scenario", list(names), format_func=names.get,
                               key="scenario_delete")
            if st.button("Delete", key="scenario_delete_button"):
                lm3_queries.delete_scenario(warehouse(), sid, user)
                flash.done(f"Deleted “{fmt.md_text(names[sid])}”.")
