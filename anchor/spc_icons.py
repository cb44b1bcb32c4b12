"""The variation and assurance icons, drawn after NHS England's Making Data Count design as
Anchor's own SVGs: a ringed circle in the signal's colour, holding a small run of points.

Variation: grey points on a level line for common cause; for special cause the last points
climb (H, high) or drop (L, low), blue for improvement, orange for concern, purple where a
metric has no better direction. Assurance: the letter P (consistently passes the target,
blue), F (consistently fails, orange) or ? (hits and misses, grey) over a dashed target line.
Pure functions returning SVG text; the same text goes to the app, the slide pack and the
board paper, each icon with a <title> a screen reader speaks.
"""

from __future__ import annotations

import base64
from html import escape

from anchor import spc
from anchor.charts import NHS_BLUE, NHS_MID_GREY, ORANGE, SIGNAL_COLOURS

_SIZE = 100
_LEVEL = (50, 46, 54, 48, 52, 47, 51)
_HIGH = (60, 56, 62, 54, 44, 38, 32)
_LOW = tuple(100 - y for y in _HIGH)


def side(result: spc.SpcResult) -> str | None:
    """'high' or 'low': which way the latest special cause lies, None for common cause."""
    v = result.variation
    if v == spc.COMMON:
        return None
    if v in (spc.HIGH, spc.LOW):
        return "high" if v == spc.HIGH else "low"
    better_is_high = result.improvement == "up"
    return "high" if (v == spc.IMPROVING) == better_is_high else "low"


def _svg(title: str, ring: str, body: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_SIZE} {_SIZE}" '
            f'width="{_SIZE}" height="{_SIZE}" role="img"><title>{escape(title)}</title>'
            f'<circle cx="50" cy="50" r="45" fill="white" stroke="{ring}" stroke-width="7"/>'
            f"{body}</svg>")


def _points(ys: tuple[int, ...], colours: list[str]) -> str:
    xs = [22 + 9.33 * i for i in range(len(ys))]
    line = " ".join(f"{x:.1f},{y}" for x, y in zip(xs, ys))
    dots = "".join(f'<circle cx="{x:.1f}" cy="{y}" r="4.5" fill="{c}"/>'
                   for x, y, c in zip(xs, ys, colours))
    return (f'<polyline points="{line}" fill="none" stroke="{NHS_MID_GREY}" '
            f'stroke-width="2"/>{dots}')


def _letter(text: str, colour: str, y: int, size: int = 26) -> str:
    return (f'<text x="50" y="{y}" text-anchor="middle" font-family="Liberation Sans, Arial, '
            f'sans-serif" font-weight="bold" font-size="{size}" fill="{colour}">'
            f"{escape(text)}</text>")


def variation_svg(result: spc.SpcResult) -> str:
    """The variation icon of `result`'s latest point."""
    colour = SIGNAL_COLOURS[result.variation]
    where = side(result)
    if where is None:
        return _svg("Common cause variation", colour,
                    _points(_LEVEL, [NHS_MID_GREY] * len(_LEVEL)))
    ys = _HIGH if where == "high" else _LOW
    marks = [NHS_MID_GREY] * 4 + [colour] * 3
    letter = _letter("H", colour, 34) if where == "high" else _letter("L", colour, 84)
    return _svg(f"{result.variation.capitalize()}: {where}", colour, _points(ys, marks) + letter)


_ASSURANCE = {
    spc.PASS: ("P", NHS_BLUE, "Assurance: consistently meets the target"),
    spc.FAIL: ("F", ORANGE, "Assurance: consistently misses the target"),
    spc.HIT_AND_MISS: ("?", NHS_MID_GREY, "Assurance: hits and misses the target"),
}


def assurance_svg(assurance: str) -> str:
    """The assurance icon: P, F or ? over a dashed target line."""
    letter, colour, title = _ASSURANCE[assurance]
    target = (f'<line x1="20" y1="68" x2="80" y2="68" stroke="{NHS_MID_GREY}" stroke-width="3" '
              'stroke-dasharray="6 4"/>')
    return _svg(title, colour, target + _letter(letter, colour, 60, size=44))


def sized(svg: str, px: int) -> str:
    """An icon drawn `px` pixels square (they are drawn 100 square, and scale cleanly)."""
    return svg.replace(f'width="{_SIZE}" height="{_SIZE}"', f'width="{px}" height="{px}"', 1)


def img(svg: str, px: int) -> str:
    """An icon as an <img> `px` square, for a page whose HTML is sanitised: an inline <svg>
    does not survive Streamlit's st.html. Its title is the image's alternative text."""
    title = svg.split("<title>", 1)[1].split("</title>", 1)[0]  # escaped in the SVG already
    data = base64.b64encode(svg.encode()).decode()
    return (f'<img src="data:image/svg+xml;base64,{data}" width="{px}" height="{px}" '
            f'alt="{title}" title="{title}">')


def icons_svg(result: spc.SpcResult) -> list[str]:
    """The icons a chart of `result` carries: variation, then assurance when it has a target."""
    out = [variation_svg(result)]
    if result.assurance:
        out.append(assurance_svg(result.assurance))
    return out


def key() -> list[tuple[str, str]]:
    """Every icon with what it means, for the key under a page's charts and in the exports."""
    def example(variation: str, improvement: str | None) -> spc.SpcResult:
        return spc.SpcResult(points=None, mean=0, mr_bar=0, ucl=0, lcl=0, baseline_points=0,
                             improvement=improvement, target=None, variation=variation,
                             assurance=None)

    rows = [
        (variation_svg(example(spc.COMMON, "up")), "Common cause: no significant change"),
        (variation_svg(example(spc.IMPROVING, "up")), "Improvement: special cause, high "
                                                      "where higher is better"),
        (variation_svg(example(spc.IMPROVING, "down")), "Improvement: special cause, low "
                                                        "where lower is better"),
        (variation_svg(example(spc.CONCERN, "up")), "Concern: special cause, low where higher "
                                                    "is better"),
        (variation_svg(example(spc.CONCERN, "down")), "Concern: special cause, high where "
                                                      "lower is better"),
        (variation_svg(example(spc.HIGH, None)), "Special cause, high: no better direction"),
        (variation_svg(example(spc.LOW, None)), "Special cause, low: no better direction"),
    ]
    rows += [(assurance_svg(a), title.removeprefix("Assurance: ").capitalize())
             for a, (_, _, title) in _ASSURANCE.items()]
    return rows
