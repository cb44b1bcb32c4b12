"""Charts as PNG or SVG through Plotly's static export (kaleido), in Debian's Chromium.

Kaleido 1.x drives a Chrome or Chromium over the DevTools protocol. It is always given
the browser's path (`ANCHOR_CHROMIUM`, else /usr/bin/chromium), so it never looks for, or
fetches, a browser of its own; MathJax is switched off (kaleido would load it from a
CDN) and plotly.js comes from the plotly package. Nothing is fetched from the network.

MapLibre maps (`anchor.maps`) render in this export too: Chromium draws their WebGL
with its software renderer, and the boundaries are our own GeoJSON on a white style
with no tiles or fonts to fetch. `tests/unittests/test_reports_images.py` checks that
an exported map has its shaded areas.

One browser serves every image of a batch: starting Chromium takes about two seconds,
each image a fraction of that.
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Mapping
from pathlib import Path

import plotly.graph_objects as go

DEFAULT_CHROMIUM = "/usr/bin/chromium"
IMAGE_TIMEOUT_S = 90


class ChartExportError(RuntimeError):
    """Charts cannot be drawn as images here (no Chromium, or it failed)."""


def chromium_path() -> str:
    """The browser kaleido must use: `ANCHOR_CHROMIUM`, else Debian's /usr/bin/chromium."""
    path = os.environ.get("ANCHOR_CHROMIUM") or DEFAULT_CHROMIUM
    if not Path(path).is_file():
        raise ChartExportError(
            f"Chart images need Chromium at {path}. Install Debian's: "
            "sudo apt-get install chromium (or set ANCHOR_CHROMIUM to another Chromium).")
    return path


def _run_in_thread(coro_factory):
    """Run a coroutine to completion on a thread of its own, so it neither needs nor
    disturbs an event loop of the caller's (Streamlit's script thread, or pytest's)."""
    box: dict = {}

    def target() -> None:
        try:
            box["value"] = asyncio.run(coro_factory())
        except BaseException as exc:  # handed back to the caller below
            box["error"] = exc

    t = threading.Thread(target=target, name="anchor-chart-export", daemon=True)
    t.start()
    t.join()
    if "error" in box:
        raise box["error"]
    return box["value"]


def _size(fig: go.Figure) -> tuple[int, int]:
    """The figure's own fixed size. Never the browser's or the app's: an image must come out
    the same whatever the window, the screen or the load on the machine."""
    if not (fig.layout.width and fig.layout.height):
        raise ValueError("An exported figure needs a fixed width and height "
                         "(figures.for_export sets them).")
    return fig.layout.width, fig.layout.height


def _render(figs: Mapping[str, go.Figure], formats: Mapping[str, str],
            scale: float) -> dict[str, bytes]:
    """Each figure drawn in its format ('png' at its layout size times `scale`, or 'svg'),
    all in one browser."""
    if not figs:
        return {}
    sizes = {key: _size(fig) for key, fig in figs.items()}
    browser = chromium_path()
    # The environment variable too, so nothing below kaleido can go looking elsewhere.
    os.environ.setdefault("BROWSER_PATH", browser)

    import kaleido  # imported here: the app should start without paying for it

    async def render() -> dict[str, bytes]:
        out = {}
        async with kaleido.Kaleido(path=browser, mathjax=False, n=1,
                                   timeout=IMAGE_TIMEOUT_S) as k:
            for key, fig in figs.items():
                width, height = sizes[key]
                fmt = formats[key]
                out[key] = await k.calc_fig(fig, opts={
                    "format": fmt, "scale": scale if fmt == "png" else 1,
                    "width": width, "height": height})
        return out

    try:
        return _run_in_thread(render)
    except ChartExportError:
        raise
    except Exception as exc:
        raise ChartExportError(f"Chromium could not draw the charts: {exc}") from exc


def to_png(figs: Mapping[str, go.Figure], *, scale: float = 2.0) -> dict[str, bytes]:
    """Each figure as PNG bytes, at its own layout width and height times `scale`."""
    return _render(figs, dict.fromkeys(figs, "png"), scale)


def to_svg(figs: Mapping[str, go.Figure], *, png: tuple[str, ...] = (),
           scale: float = 2.0) -> dict[str, bytes]:
    """Each figure as SVG (lines, shapes and text at its layout size), except the keys in
    `png`, drawn as PNG at `scale`: a WebGL map has no vectors to give."""
    return _render(figs, {k: "png" if k in png else "svg" for k in figs}, scale)


def figure_png(fig: go.Figure, *, scale: float = 2.0) -> bytes:
    return to_png({"figure": fig}, scale=scale)["figure"]
