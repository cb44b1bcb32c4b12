"""Presentation mode for the Place page, and the place story's export buttons.

Full screen (the browser's Fullscreen API, asked for as Present is pressed; the sidebar and
Streamlit's header and toolbar hidden), large type for a projector, one message per step, no
chart toolbars. The step moves with the buttons or the left and right arrow keys
(Streamlit's own button shortcuts); Esc leaves full screen and the presentation together.
The period, the place definition and the data source (and the demo label) stay in a bar
along the bottom on every step.

Session-state keys of the Place page: named here, kept in anchor/ui/state.py.
"""

from __future__ import annotations

from html import escape

import streamlit as st

from anchor.formatting import md_text
from anchor.reports import exports, figures
from anchor.reports.story import Message, PlaceStory
from anchor.ui import chart, components, state

PRESENTING = state.PLACE_PRESENTING
STEP = state.PLACE_STEP
CHOICE = state.PLACE_CHOICE
RADIUS_KM = state.PLACE_RADIUS_KM

_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
[data-testid="stAlertContainer"], [data-testid="stMainMenu"],
.js-plotly-plot .modebar-container { display: none !important; }
[data-testid="stMainBlockContainer"] { max-width: 100% !important; padding: 1.2rem 3rem 5.5rem; }
.anchor-present-kicker { font-size: 1.15rem; color: #425563; letter-spacing: .02em; }
.anchor-present-title { font-size: 3.1rem; font-weight: 700; color: #003087; line-height: 1.15;
  margin: .2rem 0 1.2rem; }
.anchor-present-subtitle { font-size: 1.8rem; color: #425563; margin-bottom: 1.5rem; }
.anchor-present-value { font-size: 4.2rem; font-weight: 700; color: #005EB8; line-height: 1.05; }
.anchor-present-label { font-size: 1.45rem; color: #425563; margin-bottom: 1.6rem; }
.anchor-present-sentence { font-size: 1.75rem; line-height: 1.4; color: #212B32; }
.anchor-present-bar { position: fixed; left: 0; right: 0; bottom: 0; z-index: 999990;
  background: #E8EDEE; color: #212B32; font-size: 1.05rem; padding: .55rem 3rem;
  border-top: 3px solid #005EB8; }
.anchor-present-demo { background: #E66100; color: white; font-weight: 700;
  padding: .1rem .5rem; border-radius: .25rem; margin-left: .4rem; }
</style>
"""


# The browser lets a page go full screen only while handling a click: so the listener is on
# the page before Present is pressed, and asks as the click happens. Leaving full screen
# (Esc, or the browser's own control) presses Exit; pressing Exit leaves full screen. The
# listeners go on the document once, whichever page draws this first.
_FULLSCREEN_JS = """<script>
(() => {
  if (window.__anchorFullscreen) return;
  window.__anchorFullscreen = true;
  const exitButton = () => document.querySelector('.st-key-present-exit button');
  document.addEventListener('click', (e) => {
    if (e.target.closest('.st-key-present-start button') && !document.fullscreenElement
        && document.documentElement.requestFullscreen) {
      document.documentElement.requestFullscreen().catch(() => {});
    } else if (e.target.closest('.st-key-present-exit button') && document.fullscreenElement) {
      document.exitFullscreen().catch(() => {});
    }
  }, true);
  document.addEventListener('fullscreenchange', () => {
    if (!document.fullscreenElement && exitButton()) exitButton().click();
  });
})();
</script>"""

# Charts on a slide: no toolbar, no zooming by scrolling.
CHART_CONFIG = {"displayModeBar": False, "displaylogo": False, "scrollZoom": False}


# Back on the page after Exit or its Esc shortcut (which press no button the page can see).
_LEAVE_FULLSCREEN_JS = """<script>
if (document.fullscreenElement) document.exitFullscreen().catch(() => {});
</script>"""


def full_screen_control(*, presenting: bool) -> None:
    """Lets Present take the whole screen, and the page leave it (drawn out of sight)."""
    st.html(_FULLSCREEN_JS if presenting else _FULLSCREEN_JS + _LEAVE_FULLSCREEN_JS,
            unsafe_allow_javascript=True, width="content")


def start() -> None:
    st.session_state[PRESENTING] = True
    st.session_state[STEP] = 0


def stop() -> None:
    st.session_state[PRESENTING] = False


def _move(by: int, n_steps: int) -> None:
    st.session_state[STEP] = max(0, min(n_steps - 1, st.session_state.get(STEP, 0) + by))


def is_presenting() -> bool:
    return bool(st.session_state.get(PRESENTING))


def export_buttons(story: PlaceStory, *, key: str) -> None:
    """Slide pack and board paper. Made only when clicked: drawing the charts starts
    Chromium and takes a few seconds, which every rerun should not pay."""
    c1, c2 = st.columns(2)
    c1.download_button(
        "Slide pack (PPTX)", data=lambda: exports.slide_pack(story),
        file_name=exports.file_name(story, "slides", "pptx"), mime=exports.PPTX_MIME,
        on_click="ignore", icon=":material/slideshow:", key=f"{key}-pptx", width="stretch")
    c2.download_button(
        "Board paper (PDF)", data=lambda: exports.board_paper(story),
        file_name=exports.file_name(story, "board paper", "pdf"), mime=exports.PDF_MIME,
        on_click="ignore", icon=":material/description:", key=f"{key}-pdf", width="stretch")


def png_button(story: PlaceStory, chart: str) -> None:
    """This chart as a PNG, with its title and a footer of period, place and sources."""
    st.download_button(
        "PNG", data=lambda: exports.chart_png(story, chart),
        file_name=exports.file_name(story, chart, "png"), mime=exports.PNG_MIME,
        on_click="ignore", icon=":material/image:", key=f"png-{chart}",
        help="Download this chart as an image, labelled with the period, place and sources.")


def keep_place_choice() -> None:
    """Keep the page's place chooser's values while it is not drawn (in presentation mode),
    so the same place returns."""
    for key in (CHOICE, RADIUS_KM):
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]
    st.session_state.setdefault(RADIUS_KM, 10)


def place_chooser(labels: dict[str, str], *, radius: str) -> str:
    """The Place page's choice of place (`labels`: choice -> words), and the kilometres when
    the choice is `radius`."""
    left, right = st.columns([3, 2])
    choice = left.selectbox("Place", list(labels), format_func=labels.get, key=CHOICE,
                            help="The area whose story to tell. Figures add up across the "
                                 "organisations chosen in the sidebar.")
    if choice == radius:
        right.slider("Kilometres", 1, 50, key=RADIUS_KM)
    return choice


def page_head(story: PlaceStory, caption: str) -> None:
    """The Place page's head: the story's title, Present, what and where, and the exports."""
    full_screen_control(presenting=False)
    head, present = st.columns([4, 1], vertical_alignment="bottom")
    head.subheader(md_text(story.title))
    present.button("Present", icon=":material/slideshow:", type="primary", width="stretch",
                   on_click=start, key="present-start",
                   help="Full screen, large type, one message per step. Arrow keys move; Esc "
                        "leaves.")
    st.caption(md_text(caption))
    export_buttons(story, key="page")


def tiles(numbers: tuple[tuple[str, str], ...], *, across: bool = True) -> None:
    """(label, value) pairs as the page's tiles, side by side or one under another."""
    cols = st.columns(len(numbers)) if across else [st.container() for _ in numbers]
    for col, (label, value) in zip(cols, numbers):
        with col:
            components.tile(label, value, label_below=True)


def page_chart(story: PlaceStory, key: str) -> None:
    """One of the story's charts on the page, titled, with its PNG button."""
    if key not in story.charts:
        st.info("No data to chart for this place and period.")
        return
    st.markdown(f"**{md_text(story.chart_titles[key])}**")
    chart.show(story.charts[key], config={"scrollZoom": False},
                    key=f"chart-{key}")
    png_button(story, key)


def multiplier_section(story: PlaceStory, step: Message, numbers) -> None:
    """The local multiplier's step on the page: its numbers and assumptions beside its chart."""
    st.subheader(md_text(step.title))
    left, right = st.columns([2, 3])
    with left:
        tiles(numbers, across=False)
        st.caption(md_text(step.detail))
    with right:
        page_chart(story, "lm3")


def _numbers(numbers, *, across: bool) -> None:
    if not numbers:
        return
    cols = st.columns(len(numbers)) if across else [st.container() for _ in numbers]
    for col, (value, label) in zip(cols, numbers):
        col.html(f'<div class="anchor-present-value">{escape(value)}</div>'
                 f'<div class="anchor-present-label">{escape(label)}</div>')


def render(story: PlaceStory) -> None:
    """Draw the current step full screen."""
    st.html(_CSS)
    n = len(story.messages)
    step = max(0, min(n - 1, int(st.session_state.get(STEP, 0))))
    m = story.messages[step]

    full_screen_control(presenting=True)
    # One row whose buttons are as wide as their words ("Take a…" in a fixed column).
    with st.container(horizontal=True, vertical_alignment="center", wrap=False,
                      key="present-controls"):
        st.html(f'<div class="anchor-present-kicker">{escape(story.title)} · '
                f'<span data-testid="anchor-step">{step + 1} of {n}</span></div>')
        st.button("Previous", icon=":material/arrow_back:", shortcut="Left",
                  on_click=_move, args=(-1, n), disabled=step == 0, key="present-prev")
        st.button("Next", icon=":material/arrow_forward:", shortcut="Right",
                  on_click=_move, args=(1, n), disabled=step == n - 1, key="present-next")
        st.button("Exit", icon=":material/close:", shortcut="Esc", on_click=stop,
                  key="present-exit")
        with st.popover("Take away", icon=":material/download:"):
            export_buttons(story, key="present")

    if m.key == "intro":
        st.html(f'<div class="anchor-present-title">{escape(story.title)}</div>'
                f'<div class="anchor-present-subtitle">{escape(story.subtitle)}</div>')
        _numbers(m.numbers, across=True)
    else:
        st.html(f'<div class="anchor-present-title">{escape(m.title)}</div>')
        fig = story.charts.get(m.chart) if m.chart else None
        if m.numbers:
            left, right = st.columns([2, 3], gap="large")
            with left:
                _numbers(m.numbers, across=False)
                st.html(f'<div class="anchor-present-sentence">{escape(m.sentence)}</div>')
                if m.detail:
                    st.caption(md_text(m.detail))
            if fig is not None:
                right.plotly_chart(figures.for_screen(fig, font_size=19, height=560),
                                   config=CHART_CONFIG, key=f"present-chart-{m.key}")
        else:
            st.html(f'<div class="anchor-present-sentence">{escape(m.sentence)}</div>')
            if fig is not None:
                chart.show(figures.for_screen(fig, font_size=19, height=520),
                                config=CHART_CONFIG, key=f"present-chart-{m.key}")

    demo = '<span class="anchor-present-demo">DEMO DATA</span>' if story.is_demo else ""
    st.html(f'<div class="anchor-present-bar">{escape(story.period.label)} · '
            f'{escape(story.place.describe())} · {escape(story.data_source_short)}{demo}</div>')
