"""The exports of a place story: slide pack (PPTX), board paper (PDF), one chart (PNG).

Each draws the story's charts through `images` at the fixed size its layout needs (a
copy of each figure, never the app's own), then hands them to its builder. File names say
what, where and when.
"""

from __future__ import annotations

import plotly.graph_objects as go

from anchor import spreadsheets
from anchor.reports import figures, images, paper, slides
from anchor.reports.story import PlaceStory

PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
PDF_MIME = "application/pdf"
PNG_MIME = "image/png"

PNG_SIZE = (1400, 760)
PNG_FONT_PX = 20


def file_name(story: PlaceStory, what: str, ext: str) -> str:
    """'anchor-sandwell-2025-26-q2-slides-2026-11-24.pptx'."""
    stem = spreadsheets.file_stem(f"{story.place.name} {story.period.label} {what}",
                                    story.generated)
    return f"{stem}.{ext}"


def slide_figures(story: PlaceStory) -> dict[str, go.Figure]:
    """The figures the slide pack's images are drawn from, each at its slide's fixed size."""
    return {k: figures.for_export(story.charts[k], font_size=slides.CHART_FONT_PX,
                                  width=w, height=h)
            for k, (w, h) in slides.chart_layouts(story).items()}


def slide_pack(story: PlaceStory) -> bytes:
    figs = slide_figures(story)
    figs.update({slides.icons_key(m): figures.icons_figure(m.icons)
                 for m in story.messages if m.icons})
    return slides.build(story, images.to_png(figs, scale=slides.CHART_SCALE))


def paper_figures(story: PlaceStory) -> dict[str, go.Figure]:
    """The figures the board paper draws, each at the paper's fixed chart size."""
    w, h = paper.CHART_PX
    out = {k: figures.for_export(fig, font_size=paper.CHART_FONT_PX, width=w, height=h)
           for k, fig in story.charts.items()}
    return out


def board_paper(story: PlaceStory) -> bytes:
    """Charts as SVG, drawn in the PDF as vectors; the map, which has none, as a PNG."""
    drawn = images.to_svg(paper_figures(story), png=("map",), scale=paper.MAP_SCALE)
    return paper.build(story, drawn)


def chart_png(story: PlaceStory, key: str) -> bytes:
    """One chart with its title, and a footer naming the period, place, organisations,
    sources with their attribution, the generation date and any demo label."""
    w, h = PNG_SIZE
    fig = figures.for_export(story.charts[key], font_size=PNG_FONT_PX, width=w, height=h,
                             title=story.chart_titles.get(key), footer=story.footer())
    return images.figure_png(fig, scale=1.5)


def build(story: PlaceStory, fmt: str) -> bytes:
    """`fmt` is 'pptx' or 'pdf'."""
    if fmt == "pptx":
        return slide_pack(story)
    if fmt == "pdf":
        return board_paper(story)
    raise ValueError(f"Unknown report format {fmt!r}: choose pptx or pdf.")
