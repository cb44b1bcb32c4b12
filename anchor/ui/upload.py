"""Loading data through the app: the sidebar's Load data box, the check-and-preview panel it
opens above the page, and the Data page's undo and demo-removal controls.

Nothing is written until the analyst confirms a preview with no errors; the load then runs
`anchor.loading.load`, the same transaction as `anchor load` on the command line. Viewers
see none of these controls, and the load functions refuse them anyway.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import streamlit as st

from anchor import auth, demo, loading
from anchor import formatting as fmt
from anchor.filters import Filters
from anchor.loading import layouts, months, report, templates
from anchor.loading.readers import file_size_text, upload_limit_bytes
from anchor.loading.validation import plural
from anchor.periods import add_quarters, quarter_label, quarter_start
from anchor.queries import reference
from anchor.ui import auth as ui_auth
from anchor.ui import state
from anchor.ui.data import query, warehouse

DATA_PAGE = "pages/data.py"
SHOWN_ISSUES = 500  # on screen; the downloadable report has them all
SHOWN_AS_TABLE = 50  # up to this many, a plain table whose text wraps
STRAY_LABELS = {months.LEAVE_OUT: "Leave them out",
                months.OWN_MONTHS: "Add them to their own months"}
ISSUE_COLUMNS = {
    "Severity": st.column_config.TextColumn(width="small"),
    "Row": st.column_config.TextColumn(width="small"),
    "Problem": st.column_config.TextColumn(width="large"),
}


def render(filters: Filters | None) -> auth.User:
    """Called once per run by app.py, after the sidebar: the account line, and for analysts
    the Load data box and, while a file waits, the panel above the page."""
    sb = st.sidebar
    user = ui_auth.render_account(sb)
    _show_done()
    if not user.can_load:
        return user
    if warehouse().read_only:
        sb.info(warehouse().read_only_message(), icon=":material/lock:")
        return user
    files, spec, choices = _sidebar_box(sb)
    if files:
        _panel(files, spec, choices, user, filters)
    return user


# -- the sidebar box ----------------------------------------------------------------------------

def _quarter_choices() -> list[date | None]:
    latest = quarter_start(date.today())
    return [None] + [add_quarters(latest, -i) for i in range(12)]


def _sidebar_box(sb):
    waiting = st.session_state.get(state.UPLOAD_CHECKED) is not None
    first_load = query(reference.organisations).empty
    no_data = first_load or query(reference.freshness)["latest_quarter"].isna().all()
    kinds = list(loading.SPECS)
    with sb.expander("Load data", icon=":material/upload_file:", expanded=waiting):
        if no_data:
            st.caption("Starting out: load **organisations and footprints** first, then "
                       "**sites**, the **supplier register**, then spend, workforce and "
                       "estates.")
        key = st.selectbox("What the file holds", kinds,
                           index=kinds.index("organisation") if first_load else 0,
                           format_func=lambda k: loading.SPECS[k].label, key=state.UPLOAD_TABLE)
        spec = loading.SPECS[key]
        st.download_button(f"{spec.label} template (CSV)", templates.template_csv(spec),
                           file_name=templates.template_name(spec, "csv"), mime="text/csv",
                           icon=":material/download:", on_click="ignore", width="stretch",
                           key=f"template_csv_{key}")
        st.download_button(f"{spec.label} template (Excel)", templates.template_xlsx(spec),
                           file_name=templates.template_name(spec, "xlsx"),
                           mime="application/vnd.openxmlformats-officedocument."
                                "spreadsheetml.sheet",
                           icon=":material/download:", on_click="ignore", width="stretch",
                           key=f"template_xlsx_{key}")
        quarter = None
        if key not in layouts.REFERENCE_KINDS:  # the others are not by quarter
            quarter = st.selectbox(
                "Quarter", _quarter_choices(), key=state.UPLOAD_QUARTER,
                format_func=lambda q: ("Any: from the file's dates" if q is None
                                       else quarter_label(q)),
                help="Optional. When chosen, every row must fall in this quarter.")
        strays, org, skip = months.LEAVE_OUT, None, False
        if key == "spend":
            names = _org_names()
            # a council not yet held is named by its local authority, and added as one
            councils = {r.lad_code: f"{r.lad_name} (a council, added with the load)"
                        for r in query(reference.lads).itertuples() if r.lad_code not in names}
            shown = {**names, **councils}
            org = st.selectbox(
                "Organisation the file is for", [None, *shown], key=state.UPLOAD_ORG,
                format_func=lambda c: "As the file names it" if c is None
                else f"{c} · {shown[c]}",
                help="For a file with no Entity column, or to say which organisation the "
                     "file's own spelling of a name means: that spelling is then remembered. "
                     "A council not yet held is listed by its local authority.")
            skip = st.checkbox(
                "Leave out rows with a fault of their own", key=state.UPLOAD_SKIP_BAD_ROWS,
                help="A row with a blank amount or a date that is not one is left out, and "
                     "listed in the report; the rest loads. Off, such a row stops the load.")
            strays = st.radio(
                "Lines paid outside the file's months", months.STRAY_CHOICES,
                format_func=STRAY_LABELS.get, key=state.UPLOAD_STRAYS,
                help="A spend file replaces the months it is for: its busiest month and the "
                     "busy months beside it, or the month its name gives. Lines paid in other "
                     "months (strays) are left out, or added to their own months alongside "
                     "what those hold, replacing nothing.")
        nonce = st.session_state.get(state.UPLOAD_NONCE, 0)
        streamlit_mb = st.get_option("server.maxUploadSize")
        limit = upload_limit_bytes(streamlit_mb)
        files = st.file_uploader(
            "CSV or Excel files", type=["csv", "xlsx", "xls", "zip"],
            accept_multiple_files=True, key=f"{state.UPLOAD_FILE}_{nonce}",
            help=f"Up to {file_size_text(limit)} each. {spec.label}: loading replaces "
                 f"{spec.replaces}. For spend, several files (or a zip of them, such as a "
                 "year of monthly files) are checked together and load as one.")
        if limit < streamlit_mb * 1024 * 1024:  # the drop zone states Streamlit's larger one
            st.caption(f"Files up to {file_size_text(limit)} (ANCHOR_MAX_UPLOAD_MB).")
        st.caption("Spend in the published “spend over £25,000” layout (and councils' "
                   "“over £500”) is recognised; any other layout can be mapped to ours once "
                   "and is remembered.")
    confirmed = st.session_state.get(state.UPLOAD_ORG_CONFIRMED)
    if org is None and key == "spend" and confirmed and files:
        # confirmed for these very files only: another file is asked about afresh
        ids, code = confirmed
        org = code if ids == tuple(f.file_id for f in files) else None
    return files or [], spec, (quarter, strays, org, skip)


# -- the panel: check, report, preview, confirm ---------------------------------------------

def _org_names() -> dict[str, str]:
    orgs = query(reference.organisations)
    return {c: fmt.short_org_name(n) for c, n in zip(orgs["org_code"], orgs["name"])}


def _reset() -> None:
    st.session_state[state.UPLOAD_NONCE] = st.session_state.get(state.UPLOAD_NONCE, 0) + 1
    st.session_state.pop(state.UPLOAD_CHECKED, None)
    st.session_state.pop(state.UPLOAD_SHRINK_OK, None)
    st.session_state.pop(state.UPLOAD_ORG_CONFIRMED, None)


def _check(files, spec, choices, filters: Filters | None, user: auth.User):
    """The files checked together and previewed, once per set of files, choice and version
    of the data. A refused file is recorded in the audit trail, as `anchor load` records
    it."""
    quarter, strays, org, skip = choices
    wh = warehouse()
    key = (tuple(f.file_id for f in files), spec.key, quarter, strays, org, skip,
           wh.data_version())
    cached = st.session_state.get(state.UPLOAD_CHECKED)
    if cached is not None and cached[0] == key:
        return cached[1:]
    bar = st.progress(0.0, text="Reading the file")
    place = filters.place if filters else None
    context = ((list(filters.orgs), filters.period.first, filters.period.last)
               if filters else None)
    first, *others = files
    offered = loading.check_offered(
        wh, first.name, first.getvalue(), spec, user, quarter=quarter, stray_rows=strays,
        org=org, skip_bad_rows=skip, more=[(f.name, f.getvalue()) for f in others],
        place=place,
        context=context, progress=lambda f, m: bar.progress(min(1.0, f), text=m))
    bar.empty()
    checked, pv, error = offered.checked, offered.preview, offered.error
    st.session_state[state.UPLOAD_CHECKED] = (key, checked, pv, error)
    return checked, pv, error


def _panel(files, spec, choices, user: auth.User, filters: Filters | None) -> None:
    with st.container(border=True):
        shown = files[0].name if len(files) == 1 else plural(len(files), "file")
        st.subheader(f"Load {spec.label.lower()}: {fmt.md_text(shown)}", anchor=False)
        checked, pv, error = _check(files, spec, choices, filters, user)
        if error:
            st.error(f"{fmt.md_text(error)} Nothing has been written.", icon=":material/block:")
            _cancel_button()
            return
        _describe(checked)
        _mapping_editor(checked, user)
        if not checked.ok:
            _confirm_organisation(checked, files)
            _report(checked)
            _cancel_button()
            return
        if not checked.warnings.empty:
            _warnings(checked)
        names = _org_names()
        st.markdown("**What this load replaces**")
        replaces = report.slices_table(checked, pv, names)
        if checked.spec.key in ("organisation", "site") and len(replaces) <= SHOWN_AS_TABLE:
            # each entry as it is now and as it will be, in full
            st.table(fmt.md_table(replaces), hide_index=True, border="horizontal")
        else:
            st.dataframe(replaces, hide_index=True)
        shrinks = report.shrinking_slices(checked, pv, names)
        for text in shrinks:
            st.warning(fmt.md_text(text), icon=":material/warning:")
        confirmed = True
        if shrinks and checked.spec.key == "spend":  # a month left with far fewer lines
            confirmed = st.checkbox("Yes, replace these months with fewer than half the lines "
                                    "they hold", key=state.UPLOAD_SHRINK_OK)
        figures = report.figures_table(pv, names)
        if not figures.empty:
            st.markdown("**How the headline figures change**")
            st.caption(fmt.md_text(pv.place.describe() + " Counts of people are to the nearest "
                                   "5, as the pages show them; * is 1 to 4."))
            st.dataframe(figures, hide_index=True)
        left, right = st.columns([1, 4])
        noun = {"organisation": "organisation", "site": "site"}.get(checked.spec.key, "row")
        rows = plural(len(checked.rows), noun)
        if left.button(f"Load {rows}", type="primary", icon=":material/check:",
                       key="confirm_load", disabled=not confirmed):
            _confirm(checked, pv, user, names)
        if right.button("Cancel", key="cancel_load"):
            _reset()
            st.rerun()


def _confirm_org(file_ids: tuple[str, ...], code: str) -> None:
    st.session_state[state.UPLOAD_ORG_CONFIRMED] = (file_ids, code)
    st.session_state.pop(state.UPLOAD_CHECKED, None)


def _confirm_organisation(checked, files) -> None:
    """The organisation each spelling of the file looks like, to confirm once: confirmed,
    the file is checked again as that organisation's, and the spelling is remembered when
    it loads."""
    for spelling, proposal in checked.org_proposals.items():
        if proposal is None:
            st.warning(f"“{fmt.md_text(spelling)}” is not an organisation Anchor holds, and "
                       "none looks like it: choose the organisation the file is for in the "
                       "Load data box.", icon=":material/help:")
            continue
        said = (f"The file names its organisation “{fmt.md_text(spelling)}”. It looks like"
                if spelling else "The file does not name its organisation. Its file name "
                                 "suggests")
        st.info(f"{said} **{fmt.md_text(proposal.describe())}**.", icon=":material/help:")
        st.button(f"Yes, it is {proposal.org_code}: confirm and check again", type="primary",
                  key=f"confirm_org_{proposal.org_code}", on_click=_confirm_org,
                  args=(tuple(f.file_id for f in files), proposal.org_code),
                  icon=":material/check:")


def _describe(checked) -> None:
    rows = "" if checked.rows is None else f": {plural(len(checked.rows), 'row')}"
    kind = ", ".join(report.LAYOUT_PHRASES.get(k, k) for k in checked.layout.kind.split(", "))
    text = (f"Read as **{kind}** ({checked.encoding}){rows}, "
            f"{plural(len(checked.columns), 'column')}.")
    if checked.layout.ignored and checked.layout.kind != "unrecognised":
        text += f" Not loaded: {fmt.md_text(', '.join(checked.layout.ignored))}."
    st.caption(text)


def _mapping_editor(checked, user: auth.User) -> None:
    """Map the file's columns to ours; saved in the warehouse for files with these columns."""
    spec = checked.spec
    unrecognised = checked.layout.kind == "unrecognised"
    label = ("Map your columns to ours" if unrecognised
             else "Columns: check or change how they map")
    with st.expander(label, expanded=unrecognised, icon=":material/table_chart:"):
        if unrecognised:
            st.write("Anchor does not recognise this layout. Choose which of your columns "
                     "holds each of ours; the mapping is remembered for files with the same "
                     "columns.")
        none = "—"
        options = [none, *checked.columns]
        with st.form(f"{state.UPLOAD_MAPPING}_form"):
            cols = st.columns(3)
            chosen = {}
            for i, col in enumerate(spec.columns):
                current = checked.layout.mapping.get(col.name, none)
                chosen[col.name] = cols[i % 3].selectbox(
                    col.name + (" (required)" if col.required else ""), options,
                    index=options.index(current) if current in options else 0,
                    help=col.help, key=f"{state.UPLOAD_MAPPING}_{spec.key}_{col.name}")
            submitted = st.form_submit_button("Check with this mapping", type="primary")
        if spec.key == "spend":
            st.caption("Spend also needs a supplier id or a supplier name.")
    if submitted:
        mapping = {k: v for k, v in chosen.items() if v != none}
        try:
            layout = layouts.custom_layout(spec, checked.columns, mapping)
        except ValueError as exc:
            st.error(fmt.md_text(exc))
            return
        missing = layout.missing(spec)
        if missing:
            st.error(f"Choose a column for {', '.join(missing)}.")
            return
        layouts.save_mapping(warehouse(), spec.key, checked.columns, mapping, user)
        st.session_state.pop(state.UPLOAD_CHECKED, None)
        st.rerun()


def _report(checked) -> None:
    errors = checked.errors
    st.error(f"{plural(len(errors), 'problem')} to fix before this file can load. Nothing "
             "has been written.", icon=":material/error:")
    _issues(report.issues_table(checked.issues))
    if len(checked.issues) > SHOWN_ISSUES:
        st.caption(f"The first {SHOWN_ISSUES:,} of {len(checked.issues):,}: download the "
                   "report for them all.")
    st.download_button("Download the validation report (CSV)", report.report_csv(checked.issues),
                       file_name=f"{Path(checked.file_name).stem}-validation-report.csv",
                       mime="text/csv", icon=":material/download:", on_click="ignore",
                       key="download_report")


def _issues(table: pd.DataFrame) -> None:
    """A short report as a plain table, so every problem reads in full; a long one as a
    scrolling grid."""
    if len(table) <= SHOWN_AS_TABLE:
        st.table(fmt.md_table(table), hide_index=True, border="horizontal")
    else:
        st.dataframe(table.head(SHOWN_ISSUES), hide_index=True, column_config=ISSUE_COLUMNS)


def _warnings(checked) -> None:
    n = len(checked.warnings)
    with st.expander(f"{plural(n, 'warning')}: the file can load, but read them first",
                     icon=":material/warning:"):
        _issues(report.issues_table(checked.warnings))
        st.download_button("Download the validation report (CSV)",
                           report.report_csv(checked.issues),
                           file_name=f"{Path(checked.file_name).stem}-validation-report.csv",
                           mime="text/csv", icon=":material/download:", on_click="ignore",
                           key="download_warnings")


def _cancel_button() -> None:
    if st.button("Choose another file", key="cancel_load"):
        _reset()
        st.rerun()


def _confirm(checked, pv, user: auth.User, names: dict[str, str]) -> None:
    bar = st.progress(0.0, text="Loading")
    try:
        result = loading.load(warehouse(), checked, user, expected=pv.slices,
                              progress=lambda f, m: bar.progress(f, text=m))
    except (loading.LoadError, auth.PermissionDenied) as exc:
        bar.empty()
        st.error(fmt.md_text(exc))
        st.session_state.pop(state.UPLOAD_CHECKED, None)
        return
    if checked.spec.key == "supplier":
        what = f"{plural(result.rows_added, 'supplier')} ({result.rows_replaced:,} replaced)"
    elif checked.spec.key in ("organisation", "site"):
        noun = "organisation" if checked.spec.key == "organisation" else "site"
        what = f"{plural(result.rows_added, noun)} ({result.rows_replaced:,} replaced)"
        for r in result.related.itertuples():
            if r.table_name == "footprint":
                what += f", {plural(r.rows_added, 'footprint')} named"
            else:
                lads = "local authority" if r.rows_added == 1 else "local authorities"
                what += f", {r.rows_added:,} home {lads} set"
    elif checked.spec.key == "spend":
        what = "; ".join(report.month_changes(result.slices))
    else:
        where = ", ".join(f"{r.org_code} {quarter_label(pd.Timestamp(r.quarter_start).date())}"
                          for r in result.slices.itertuples())
        what = (f"{plural(result.rows_added, 'row')} for {where}, replacing "
                f"{result.rows_replaced:,}")
    st.session_state[state.UPLOAD_DONE] = (
        f"Loaded {fmt.md_text(checked.file_name)} as load {result.load_id}: {what}.")
    _reset()
    st.rerun()


def _show_done() -> None:
    message = st.session_state.pop(state.UPLOAD_DONE, None)
    if message:
        st.success(message, icon=":material/check_circle:")
        st.page_link(DATA_PAGE, label="Undo it on the Data page", icon=":material/undo:")


# -- the Data page's controls ---------------------------------------------------------------------

def undo_control(history: pd.DataFrame, user: auth.User) -> None:
    """Choose a load and undo it, after a confirmation."""
    done = st.session_state.pop(state.UNDO_DONE, None)
    if done:
        st.success(done, icon=":material/undo:")
    undoable = history[(history["outcome"] == "loaded") & ~history["is_demo"].astype(bool)
                       & history["table_name"].isin(loading.transaction.UNDOABLE_TABLES)]
    if undoable.empty:
        st.caption("No load can be undone: every load so far is undone, refused, the demo or "
                   "a deprivation import (import the file you want instead).")
        return
    labels = {int(r.load_id): report.undo_label(r) for r in undoable.itertuples()}
    choice = st.selectbox("Load to undo", list(labels), format_func=labels.get,
                          key=state.UNDO_CHOICE)
    row = undoable[undoable["load_id"] == choice].iloc[0]
    with st.popover(f"Undo load {choice}", icon=":material/undo:"):
        st.write(f"This removes the {fmt.count(row['rows_added'])} rows load {choice} added "
                 f"and puts back the {fmt.count(row['rows_replaced'])} it replaced.")
        if st.button("Yes, undo it", type="primary", key="confirm_undo"):
            try:
                result = loading.undo(warehouse(), choice, user)
            except (loading.LoadError, auth.PermissionDenied) as exc:
                st.error(fmt.md_text(exc))
                return
            st.session_state[state.UNDO_DONE] = (
                f"Undid load {result.load_id}: removed {plural(result.rows_removed, 'row')} "
                f"and put back {result.rows_restored:,}.")
            st.rerun()


def remove_demo_control(user: auth.User) -> None:
    with st.popover("Remove the demo data", icon=":material/delete:"):
        st.write("This deletes every demo organisation, site, supplier, invoice line, staff "
                 "row and estate return. Data you have loaded stays.")
        kept = report.kept_text(demo.kept_for_your_data(warehouse()))
        if kept:
            st.write(f"Rows you loaded refer to demo entries, which stay so those rows keep "
                     f"their organisation and suppliers, and stop being the demo's: "
                     f"{fmt.md_text(kept)}.")
        if st.button("Yes, remove the demo", type="primary", key="confirm_remove_demo"):
            try:
                n = loading.remove_demo_data(warehouse(), user)
            except auth.PermissionDenied as exc:
                st.error(fmt.md_text(exc))
                return
            done = f"Removed the demo data ({n:,} invoice lines)."
            if kept:
                done += f" Kept for the data you loaded: {fmt.md_text(kept)}."
            st.session_state[state.UNDO_DONE] = done
            st.rerun()
