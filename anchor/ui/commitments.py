"""Commitments on the pages: each one that speaks for the organisations chosen, charted as a
trajectory over its measure's SPC chart with the assurance icon; and, on the Data page, the
form and the file analysts enter them with."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from anchor import change_points, charts, commitments, spc, spc_icons
from anchor import formatting as fmt
from anchor.auth import PermissionDenied, Role, User
from anchor.filters import Filters
from anchor.loading.readers import UnreadableFile, read_bytes
from anchor.loading.report import issues_table, report_csv
from anchor.periods import quarter_label
from anchor.queries import commitments as held_q
from anchor.queries import reference
from anchor.ui import components, state
from anchor.ui.data import query, warehouse

FOOTPRINT_PREFIX = "footprint:"
DEFINITION = commitments.DEFINITION


def for_selection(filters: Filters) -> list[commitments.Tracked]:
    """The commitments that speak for the sidebar's organisations, to the period's end."""
    return commitments.tracked_for(
        query, footprint_code=filters.footprint_code, footprint_name=filters.footprint_name,
        orgs=filters.orgs, place=filters.place, last=filters.period.last)


def trend_phases(filters: Filters, quarters, values, measure: str = "local_spend_share"):
    """The phases a chart of `measure` (`values` over `quarters`) takes from the change points
    recorded for the sidebar's organisations, and those it could not use (in words)."""
    held = query(held_q.change_points_for, tuple(sorted(filters.orgs)), filters.footprint_code)
    members = list(query(reference.organisations, filters.footprint_code)["org_code"])
    return change_points.phases(list(quarters),
                                change_points.applying(held, filters.orgs, members, measure),
                                list(values))


def unused_note(unused: list[str]) -> None:
    if unused:
        st.caption(fmt.md_text(
            "Not used, as a phase needs at least two quarters on each side within the chart: "
            + "; ".join(unused) + "."))


def title(t: commitments.Tracked) -> str:
    c = t.commitment
    verb = "raise" if t.measure.improvement == "up" else "lower"
    return (f"Commitment: {verb} {t.what} {c.rise_text} by "
            f"{quarter_label(c.target_quarter)}")


def show(tracked: list[commitments.Tracked], *, key: str, height: int = 360,
         basis_shown: str | None = None, heading: str | None = None,
         compact: bool = False) -> None:
    """Each commitment: its title, the icons (the assurance judged against its target), the
    measure's SPC chart with the trajectory, and its sentence. `basis_shown` is the spend the
    page's other figures are on, to say when the commitment's differs; `heading` a subheader
    over them, drawn only when there is one. `compact` puts the words beside the chart."""
    if tracked and heading:
        st.subheader(heading)
    for i, t in enumerate(tracked):
        result = t.spc()
        committed_basis = commitments.BASES.get(t.commitment.basis, t.commitment.basis)
        note = ""
        if basis_shown is not None and committed_basis not in basis_shown:
            note = f" The chart shows {committed_basis}, the spend the commitment was made on."
        if compact and result is not None:  # the words beside the chart
            words, figure = st.columns([2, 3])
        else:
            words = figure = st.container()
        with words:
            st.markdown(f"**{fmt.md_text(title(t))}**")
            if result is not None:
                components.spc_badges(result)
            if compact:
                _sentence(t, result, note)
        if result is not None:
            figure.plotly_chart(charts.spc_chart(
                result, value_kind=t.measure.value_kind, height=height,
                y_title=f"{t.measure.label.capitalize()} of {committed_basis}",
                trajectory=t.chart_path(), point_legend=not compact,
                two_sigma=st.session_state.get(state.TWO_SIGMA, False)),
                config={"displaylogo": False}, key=f"{key}-commitment-{i}")
        if not compact:
            _sentence(t, result, note)


def _sentence(t: commitments.Tracked, result, note: str) -> None:
    st.caption(fmt.md_text(t.sentence() + note),
               help=spc.describe(result) if result is not None else None)


def story_commitments(story, chart) -> None:
    """The Place page's commitments: each one's icons and chart (`chart(key)` draws one of
    the story's charts), with the assurance in words."""
    for m in story.messages:
        if not m.key.startswith("commitment") or not m.chart:
            continue
        st.subheader(fmt.md_text(m.title))
        if m.icons:
            st.html('<div style="display:flex;gap:6px">'
                    + "".join(spc_icons.img(svg, 34) for svg in m.icons) + "</div>")
        chart(m.chart)
        st.caption(fmt.md_text(m.sentence + (" " + m.detail if m.detail else "")))


# -- the Data page: entering commitments ------------------------------------------------------

def _who_options() -> dict[str, str]:
    orgs = query(reference.organisations)
    feet = query(reference.footprints)
    out = {f"{FOOTPRINT_PREFIX}{r.footprint_code}": f"{r.name} (its organisations together)"
           for r in feet.itertuples()}
    out.update({r.org_code: f"{r.org_code} · {fmt.short_org_name(r.name)}"
                for r in orgs.itertuples()})
    return out


def _quarters() -> list[date]:
    orgs = list(query(reference.organisations)["org_code"])
    held = query(reference.data_quarters, orgs)
    if not held:
        return []
    return commitments.quarter_choices(held[0], held[-1])


def held_table(held: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """The commitments held, as the Data page lists them."""
    return pd.DataFrame({
        "Made by": [names.get(o if isinstance(o, str) else f"{FOOTPRINT_PREFIX}{f}", o or f)
                    for o, f in zip(held["org_code"], held["footprint_code"])],
        "Measure": [commitments.MEASURES[m].label.capitalize() if m in commitments.MEASURES
                    else m for m in held["measure"]],
        "Spend": held["basis"].map(lambda b: commitments.BASES.get(b, b)),
        "Baseline": [commitments.Commitment.from_row(r).baseline_label
                     for r in held.to_dict("records")],
        "Rise": [commitments.Commitment.from_row(r).rise_text.removeprefix("by ")
                 for r in held.to_dict("records")],
        "Target quarter": held["target_quarter"].map(lambda q: quarter_label(q)),
        "Made in": held["made_in"].fillna("–"),
        "Load": [("demo" if d else str(int(x)) if pd.notna(x) else "–")
                 for x, d in zip(held["load_id"], held["is_demo"])],
    })


def _report(checked: commitments.CheckedCommitments, key: str) -> None:
    st.dataframe(issues_table(checked.issues), hide_index=True)
    st.download_button("Download this report", report_csv(checked.issues),
                       "commitments-report.csv", "text/csv", key=f"{key}_report")


def _save(checked: commitments.CheckedCommitments, user: User) -> None:
    try:
        load_id = commitments.save_commitments(warehouse(), checked, user)
    except PermissionDenied as exc:
        st.error(fmt.md_text(exc))
        return
    st.session_state[state.COMMITMENT_DONE] = (
        f"Entered as load {load_id}: {fmt.md_text(checked.summary())}. It is charted on the "
        "Overview, Local spend and Place pages; undo it under Loads.")
    st.rerun()


def entry(user: User) -> None:
    """The commitments held, the form to enter one, and a file of them. Analysts only."""
    if not user.can(Role.ANALYST):
        return
    done = st.session_state.pop(state.COMMITMENT_DONE, None)
    if done:
        st.success(done, icon=":material/flag:")
    who = _who_options()
    held = query(held_q.all_commitments)
    if held.empty:
        st.caption("No commitment is held yet.")
    else:
        st.dataframe(held_table(held, who), hide_index=True)
    quarters = _quarters()
    if not quarters:
        st.caption("Commitments can be entered once some data is loaded.")
        return
    labels = {q: quarter_label(q) for q in quarters}
    with st.form("commitment_form", clear_on_submit=False, border=True):
        st.markdown("**Enter a commitment**")
        st.caption("An entry replaces the commitment held for the same organisation (or "
                   "footprint) and measure; undo puts it back.")
        left, right = st.columns([2, 1])
        made_by = left.selectbox("Made by", list(who), format_func=who.get,
                                 key="commitment_who")
        measure = right.selectbox("Measure", list(commitments.MEASURES),
                                  format_func=lambda k: commitments.MEASURES[k].label.capitalize(),
                                  key="commitment_measure")
        b1, b2, t1 = st.columns(3)
        first = b1.selectbox("Baseline: first quarter", quarters, format_func=labels.get,
                             key="commitment_first")
        last = b2.selectbox("Baseline: last quarter", quarters, format_func=labels.get,
                            index=min(3, len(quarters) - 1), key="commitment_last")
        target_q = t1.selectbox("Target quarter", quarters, format_func=labels.get,
                                index=min(15, len(quarters) - 1), key="commitment_target_q")
        r1, r2, r3 = st.columns(3)
        rise = r1.number_input("Rise promised", min_value=0.0, max_value=1000.0, value=None,
                               step=0.5, key="commitment_rise",
                               help="10 with relative raises 20% to 22%; 2 with points "
                                    "raises 20% to 22%.")
        kind = r2.radio("Rise in", list(commitments.KINDS), format_func=commitments.KINDS.get,
                        key="commitment_kind")
        basis = r3.radio("Measured on", list(commitments.BASES),
                         format_func=commitments.BASES.get, key="commitment_basis")
        made_in = st.text_input("Where it was made", key="commitment_made_in",
                                placeholder="e.g. Public Health Plan 2014-17",
                                max_chars=commitments.MAX_MADE_IN)
        submitted = st.form_submit_button("Enter the commitment", type="primary",
                                          icon=":material/flag:")
    if submitted:
        is_footprint = made_by.startswith(FOOTPRINT_PREFIX)
        raw = commitments.form_file(
            org_code=None if is_footprint else made_by,
            footprint_code=made_by.removeprefix(FOOTPRINT_PREFIX) if is_footprint else None,
            measure=measure, baseline_first=first, baseline_last=last, rise=rise, kind=kind,
            target_quarter=target_q, made_in=made_in or "", basis=basis)
        checked = commitments.check_commitments(warehouse(), raw)
        if checked.ok:
            _save(checked, user)
        else:
            problems = "; ".join(f"{c.replace('_', ' ')}: {p}" for c, p in
                                 zip(checked.errors["column"], checked.errors["problem"]))
            st.error(f"Nothing was entered. {fmt.md_text(problems)}", icon=":material/error:")
    with st.expander("Enter commitments from a file", icon=":material/upload_file:"):
        st.caption("One commitment a row, CSV or Excel; the same as `anchor load commitment "
                   "FILE`. Columns:")
        st.dataframe(commitments.columns_guide(), hide_index=True)
        st.download_button("Template (CSV)", commitments.template_csv(),
                           "anchor-commitment-template.csv", "text/csv",
                           key="commitment_template", icon=":material/download:")
        upload = st.file_uploader("Commitments file", type=["csv", "xlsx"],
                                  key="commitment_file")
        if upload is None:
            return
        try:
            raw = read_bytes(upload.name, upload.getvalue(),
                             known_columns=commitments.known_columns())
        except UnreadableFile as exc:
            st.error(fmt.md_text(exc))
            return
        checked = commitments.check_commitments(warehouse(), raw)
        if not checked.issues.empty:
            _report(checked, "commitment_file")
        if not checked.ok:
            st.error(f"{fmt.md_text(checked.summary())}", icon=":material/error:")
            return
        st.success(f"{fmt.md_text(upload.name)} is ready: "
                   f"{fmt.count(len(checked.rows))} commitments.")
        if st.button("Enter them", key="commitment_file_confirm", type="primary"):
            _save(checked, user)


def change_point_entry(user: User) -> None:
    """Change points held, a form to record one, and removing one. Analysts only."""
    if not user.can(Role.ANALYST):
        return
    done = st.session_state.pop(state.CHANGE_POINT_DONE, None)
    if done:
        st.success(done, icon=":material/timeline:")
    who = _who_options()
    held = query(held_q.all_change_points)
    if held.empty:
        st.caption("No change point is recorded yet.")
    else:
        st.dataframe(pd.DataFrame({
            "Made for": [who.get(o if isinstance(o, str) else f"{FOOTPRINT_PREFIX}{f}", o or f)
                         for o, f in zip(held["org_code"], held["footprint_code"])],
            "Measure": held["measure"].map(lambda m: change_points.MEASURES.get(m, m)),
            "From": held["quarter_start"].map(quarter_label),
            "What changed": held["name"],
            "Recorded by": held["recorded_by"],
        }), hide_index=True)
    quarters = _quarters()
    if not quarters:
        return
    labels = {q: quarter_label(q) for q in quarters}
    with st.form("change_point_form", border=True):
        st.markdown("**Record a change point**")
        left, mid, right = st.columns([2, 1, 2])
        made_for = left.selectbox("For", list(who), format_func=who.get, key="change_point_who")
        quarter = mid.selectbox("From the quarter", quarters, format_func=labels.get,
                                index=len(quarters) - 41 if len(quarters) > 41 else 0,
                                key="change_point_quarter")
        name = right.text_input("What changed", max_chars=change_points.MAX_NAME,
                                placeholder="e.g. Midland Metropolitan opens",
                                key="change_point_name")
        measure = st.selectbox("Measure", list(change_points.MEASURES),
                               format_func=change_points.MEASURES.get, key="change_point_measure")
        submitted = st.form_submit_button("Record the change point", icon=":material/timeline:")
    if submitted:
        is_footprint = made_for.startswith(FOOTPRINT_PREFIX)
        try:
            change_points.save_change_point(
                warehouse(), user, org_code=None if is_footprint else made_for,
                footprint_code=made_for.removeprefix(FOOTPRINT_PREFIX) if is_footprint else None,
                measure=measure, quarter_start=quarter, name=name or "")
        except (ValueError, PermissionDenied) as exc:
            st.error(f"Nothing was recorded. {fmt.md_text(exc)}", icon=":material/error:")
            return
        st.session_state[state.CHANGE_POINT_DONE] = (
            f"Recorded: {fmt.md_text(name.strip())} from {labels[quarter]}. The chart's limits "
            "are worked out afresh from there.")
        st.rerun()
    if not held.empty:
        names = {int(r.change_point_id): f"{r.name} ({quarter_label(r.quarter_start)}, "
                 f"{r.org_code if isinstance(r.org_code, str) else r.footprint_code})"
                 for r in held.itertuples()}
        left, right = st.columns([3, 1], vertical_alignment="bottom")
        chosen = left.selectbox("Change point to remove", list(names), format_func=names.get,
                                key="change_point_remove_choice")
        if right.button("Remove it", key="change_point_remove", icon=":material/delete:"):
            try:
                change_points.remove_change_point(warehouse(), chosen, user)
            except (ValueError, PermissionDenied) as exc:
                st.error(fmt.md_text(exc))
                return
            st.session_state[state.CHANGE_POINT_DONE] = f"Removed {fmt.md_text(names[chosen])}."
            st.rerun()
