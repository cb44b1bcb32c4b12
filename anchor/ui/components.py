"""Pieces every page uses: the demo banner, the partial-period note, headline tiles, the
definitions note, context.

Their text arguments are plain text, names and all: each is escaped here where it enters
Markdown (`formatting.md_text`) or HTML (`html.escape`), so a name never becomes a link,
an image or formatting."""

from __future__ import annotations

from html import escape

import streamlit as st

from anchor import charts, coverage, narrative, spc, spc_icons, spreadsheets
from anchor.chart_text import describe_spc
from anchor.filters import Filters
from anchor.formatting import md_text
from anchor.periods import month_label, quarter_label
from anchor.queries import reference
from anchor.ui import chart, state
from anchor.ui.data import query

DEMO_TEXT = (
    "**Demo data.** A synthetic Black Country and West Birmingham footprint: the "
    "organisations and hospital sites are real; suppliers, invoices, staff and estate "
    "figures are invented, calibrated to RXK's published 2014/15 spend study. "
    "Remove it with `anchor demo --remove` before loading real data."
)


def demo_banner(filters: Filters | None) -> None:
    orgs = list(filters.orgs) if filters else None
    if query(reference.has_demo_data, tuple(orgs) if orgs else None):
        st.warning(DEMO_TEXT, icon=":material/science:")


def partial_period_note(filters: Filters | None) -> None:
    """Says so when the chosen period holds a quarter that not every chosen organisation
    has in full, naming the organisations and months it holds."""
    if filters is None:
        return
    months = query(reference.spend_months, tuple(filters.orgs))
    note = coverage.partial_note(months, filters.orgs, filters.period)
    if note:
        st.caption(f":material/calendar_month: {note}")


def context_line(filters: Filters) -> None:
    """Who, when and where: the line under every page title."""
    n = len(filters.orgs)
    who = filters.orgs[0] if n == 1 else f"{n} organisations of {filters.footprint_name}"
    st.caption(md_text(f"{who} · {filters.period.label} · {filters.place.describe()}"))


# A tile's label wraps onto a second line instead of being cut short ("Local spend: influenc…")
# when five tiles share a row on a laptop or a projector at 1,280 pixels; its number shrinks
# with the tile (a container query on the metric's own width) instead of becoming "50.…";
# a value in words ("Not yet known") wraps at its spaces.
PAGE_CSS = """<style>
[data-testid="stMetricLabel"] .stMarkdownEllipsis,
[data-testid="stMetricLabel"] .stMarkdownEllipsis p {
    white-space: normal; overflow: visible; text-overflow: clip;
}
[data-testid="stMetric"] { container-type: inline-size; }
[data-testid="stMetricValue"] { font-size: clamp(1.2rem, 23cqi, 2.25rem); }
[data-testid="stMetricValue"] > div, [data-testid="stMetricValue"] p {
    overflow: visible; text-overflow: clip; white-space: normal; line-height: 1.15;
}
/* Captions in NHS secondary text grey at full strength (6.4:1 on white): Streamlit fades
   them to 60%, under the 4.5:1 that WCAG AA asks of small text. */
[data-testid="stCaptionContainer"] { opacity: 1; color: #4C6272; }
/* Columns made by `stacking_columns` stand one above the other when the page is narrow
   (a laptop with the sidebar open), so a table beside a map is not squeezed to a sliver. */
/* A chart's text alternative (anchor/ui/chart.py): read by screen readers, out of sight and
   taking no room on the page. */
.anchor-sr-only { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0;
  overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
[data-testid="stElementContainer"]:has(.anchor-sr-only) { position: absolute; width: 1px;
  height: 1px; overflow: hidden; }
@media (max-width: 1299px) {
  [class*="st-key-stack-"] [data-testid="stHorizontalBlock"] { flex-wrap: wrap; }
  [class*="st-key-stack-"] [data-testid="stHorizontalBlock"] > [data-testid="stColumn"] {
    min-width: 100%; }
}
</style>"""


def stacking_columns(spec: list[float], *, key: str):
    """Columns side by side on a wide page that stand one above the other on a narrow one."""
    with st.container(key=f"stack-{key}"):
        return st.columns(spec)


def page_style() -> None:
    """The app's few rules of its own, once per run from the frame."""
    st.html(PAGE_CSS)


def tile(label: str, value: str, *, delta: str | None = None, delta_note: str | None = None,
         delta_color: str = "normal",
         detail: str | None = None, help: str | None = None, spc_result=None,
         sentence: str | None = None, label_below: bool = False) -> None:
    """A headline figure: the number, its change, its SPC icons and a sentence about it.
    `label_below` for a label that is a phrase ("staff living in Sandwell"): it is written in
    full under the number instead of being cut short above it. `delta_note` says what the
    change compares with, on a line of its own that wraps rather than being cut short.
    Every text is plain text (a '*' is a withheld count), escaped here."""
    with st.container(border=True):
        st.metric(md_text(label), value, delta=delta, delta_color=delta_color,
                  help=md_text(help) if help else None,
                  label_visibility="collapsed" if label_below else "visible")
        if delta is not None and delta_note:
            st.caption(md_text(delta_note[:1].upper() + delta_note[1:]))
        if label_below:
            st.markdown(md_text(label))
        if spc_result is not None:
            spc_badges(spc_result)
        if detail:
            st.caption(md_text(detail))
        if sentence:
            st.html(f"<small>{escape(sentence)}</small>")


def wide_table(df, *, pin: tuple[str, ...] = ()) -> None:
    """A table that may be wider than its column: it scrolls sideways rather than being cut
    off, and the `pin` columns (those naming each row) stay in view while it does."""
    st.dataframe(df, hide_index=True,
                 column_config={c: st.column_config.Column(pinned=True) for c in pin} or None)


def unknown_quarters_note(trend, share_col: str = "local_share") -> str | None:
    """Under a local-share trend: which quarters (or months, for a series by month) have no
    point, as their share is not yet known (too little of their spend placed)."""
    total = "influenceable_gbp" if share_col.startswith("influenceable") else "spend_gbp"
    monthly = "month_start" in trend
    gaps = trend.loc[trend[share_col].isna() & (trend[total] != 0),
                     "month_start" if monthly else "quarter_start"]
    if gaps.empty:
        return None
    names = [month_label(m) if monthly else quarter_label(m) for m in gaps]
    listed = ", ".join(names[:6]) + (f" and {len(names) - 6} more" if len(names) > 6 else "")
    return (f"No point for {listed}: the suppliers of less than "
            f"{narrative.share_needed()} of that {'month' if monthly else 'quarter'}'s spend "
            f"are placed, so its local share is not yet known. {narrative.PLACING_SUPPLIERS}")


def definitions(items: list[tuple[str, str]], *, expanded: bool = False) -> None:
    """'How is this calculated': one entry per figure, each a name and its plain text."""
    with st.expander("How these figures are calculated", expanded=expanded,
                     icon=":material/functions:"):
        for name, text in items:
            st.markdown(f"**{md_text(name)}.** {md_text(text)}")


def downloads(df, title: str, *, notes: list[str] | None = None, key: str | None = None) -> None:
    """CSV and XLSX of a table, safe to open in a spreadsheet, named after the table. The
    files are made only when a button is pressed, and pressing one does not rerun the page."""
    stem = spreadsheets.file_stem(title)
    k = key or stem
    c1, c2, _ = st.columns([1, 1, 4])
    c1.download_button("CSV", lambda: spreadsheets.to_csv_bytes(df), f"{stem}.csv", "text/csv",
                       key=f"{k}-csv", icon=":material/download:", on_click="ignore")
    c2.download_button("Excel", lambda: spreadsheets.to_xlsx_bytes(df, notes=notes), f"{stem}.xlsx",
                       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       key=f"{k}-xlsx", icon=":material/download:", on_click="ignore")


_BADGE = {
    spc.COMMON: ("grey", ":material/horizontal_rule:", "Common cause"),
    spc.IMPROVING: ("blue", ":material/trending_up:", "Improving"),
    spc.CONCERN: ("orange", ":material/warning:", "Concern"),
    spc.HIGH: ("violet", ":material/arrow_upward:", "Special cause: high"),
    spc.LOW: ("violet", ":material/arrow_downward:", "Special cause: low"),
}
_ASSURANCE = {
    spc.PASS: ("blue", ":material/check_circle:", "Meets target"),
    spc.FAIL: ("orange", ":material/cancel:", "Misses target"),
    spc.HIT_AND_MISS: ("grey", ":material/swap_vert:", "Hit and miss"),
}


def spc_badges(result) -> None:
    """The variation and assurance icons as coloured badges, each saying what it compares:
    the latest quarter against the chart's limits (not the year-earlier figure beside it)."""
    colour, icon, word = _BADGE[result.variation]
    st.html('<div style="display:flex;gap:6px">'
            + "".join(spc_icons.img(svg, 34) for svg in spc_icons.icons_svg(result))
            + "</div>")
    latest = result.points.loc[result.points["value"].notna(), "label"].iat[-1]
    # coloured words, not badges: a badge is cut short in a narrow tile, words wrap
    text = f":{colour}[{icon} **{word}**] :grey[in {latest}, against its SPC limits"
    text += " (provisional)]" if result.provisional else "]"
    if result.assurance:
        a_colour, a_icon, a_word = _ASSURANCE[result.assurance]
        text += f"  \n:{a_colour}[{a_icon} **{a_word}**]"
    st.caption(text, help=spc.describe(result) + " The change beside the figure compares the "
                "period with the same period a year earlier; the icons compare the latest "
                "quarter with the process limits of the chart.")


def page_header(title: str, *, context: bool = True) -> Filters:
    """The page title, the sidebar's choices and the line saying who, when and where (left to
    the page when `context` is False: the Place page says it under the place it shows).
    Stops the page with a plain message when there is nothing to show yet."""
    st.title(title)
    filters = st.session_state.get(state.FILTERS)
    if filters is None:
        st.info("There is nothing to show yet. Analysts load their organisations' data with "
                "**Load data** in the sidebar (organisations first); or build the demo "
                "footprint with `anchor demo`.")
        st.stop()
    if context:
        context_line(filters)
    return filters


# How many quarters an SPC chart shows; its limits come from those quarters.
SPC_WINDOWS = {"Last 3 years": 12, "Last 5 years": 20, "Every quarter": None}


def spc_window(page_key: str) -> int | None:
    """The 'Chart' control over a page's SPC charts: how many quarters to show; and the key
    to their icons."""
    left, right = st.columns([2, 1], vertical_alignment="bottom")  # room for the toggle's words
    choice = left.segmented_control("Chart", list(SPC_WINDOWS), default="Last 5 years",
                                    required=True, key=f"{state.SPC_WINDOW}_{page_key}")
    right.toggle("Two-sigma lines", key=state.TWO_SIGMA,
                 help="Dotted lines two sigma from the mean: two of three points beyond them, "
                      "on one side, is a special cause.")
    spc_key()
    return SPC_WINDOWS[choice]


def spc_key() -> None:
    """What each SPC icon means, after Making Data Count."""
    with st.expander("What the SPC icons mean"):
        st.html("".join(
            '<div style="display:flex;align-items:center;gap:8px;margin:2px 0">'
            f"{spc_icons.img(svg, 28)}<span>{meaning}</span></div>"
            for svg, meaning in spc_icons.key()))
        st.caption("Icons after NHS England's Making Data Count. Points are marked special "
                   "cause by the rules under Definitions; the latest point sets the icon.")


def spc_card(title: str, result, *, kind: str, key: str, note: str,
             empty: str = "Too few quarters to chart.") -> None:
    """One SPC chart in a grid: its title, icons, chart and note (plain text)."""
    st.markdown(f"**{md_text(title)}**")
    if result is None:
        st.info(md_text(empty))
        return
    spc_badges(result)
    # Three year labels at most: in a grid of three on a laptop, six ran together.
    chart.show(charts.spc_chart(result, value_kind=kind, height=340, point_legend=False,
                                years=3, two_sigma=st.session_state.get(state.TWO_SIGMA, False)),
               key=key, alt=describe_spc(result, kind=kind, title=title))
    st.caption(md_text(note))
