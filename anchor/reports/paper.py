"""The board paper (PDF) of a place story, with ReportLab.

A4 portrait, as a board secretary files it: title, purpose, the summary sentences, the
headline figures, one section per message with its chart, the local authorities side by
side, and "About these figures" (definitions, organisations, sources with their licence
attribution). Every page's header and footer carry the place, the period and the
generation date, and the demo label when the data is demo. ReportLab's built-in
Helvetica covers £, ², –, · and ©, so the text needs no font file.

Charts come in as SVG and are drawn as vector graphics (svglib), so they stay sharp on a
projector and their labels are text a reader can select and search. Their text is set in
Liberation Sans, the font Chromium laid them out with (Arial's metrics), so each label keeps
the width it was given. Maps come in as PNG: MapLibre draws with WebGL, which has no vectors.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Mapping
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    Image,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from svglib.fonts import register_font
from svglib.svglib import svg2rlg

from anchor.config import GEOGRAPHY_ATTRIBUTION
from anchor.reports.story import DEMO_LABEL, PlaceStory, comparison_table

NHS_BLUE = colors.HexColor("#005EB8")
DARK_BLUE = colors.HexColor("#003087")
TEXT = colors.HexColor("#212B32")
GREY = colors.HexColor("#425563")
PALE = colors.HexColor("#E8EDEE")
ORANGE = colors.HexColor("#E66100")

PAGE_W, PAGE_H = A4
MARGIN = 2.0 * cm
FRAME_W = PAGE_W - 2 * MARGIN

# Charts: laid out at this many px, drawn FRAME_W wide (so 22 px type is about 10 pt).
CHART_PX = (1000, 520)
CHART_FONT_PX = 22
# The map's PNG: drawn at twice its layout size, FRAME_W wide.
MAP_SCALE = 2.0

LIBERATION = Path("/usr/share/fonts/truetype/liberation")
CHART_FONT_FAMILIES = ("Arial", "Liberation Sans")  # as `anchor.charts.FONT` names them

_BASE = ParagraphStyle("base", fontName="Helvetica", fontSize=10.5, leading=14.5,
                       textColor=TEXT, alignment=TA_LEFT, spaceAfter=6)
STYLES = {
    "title": ParagraphStyle("title", _BASE, fontName="Helvetica-Bold", fontSize=22,
                            leading=27, textColor=DARK_BLUE, spaceAfter=4),
    "subtitle": ParagraphStyle("subtitle", _BASE, fontSize=13, leading=17, textColor=GREY,
                               spaceAfter=10),
    "h2": ParagraphStyle("h2", _BASE, fontName="Helvetica-Bold", fontSize=14, leading=18,
                         textColor=DARK_BLUE, spaceBefore=10, spaceAfter=5),
    "body": _BASE,
    "bullet": ParagraphStyle("bullet", _BASE, leftIndent=12, bulletIndent=0, spaceAfter=4),
    "small": ParagraphStyle("small", _BASE, fontSize=8.5, leading=11.5, textColor=GREY,
                            spaceAfter=4),
    "value": ParagraphStyle("value", _BASE, fontName="Helvetica-Bold", fontSize=20, leading=24,
                            textColor=NHS_BLUE, spaceAfter=2),
    "label": ParagraphStyle("label", _BASE, fontSize=9.5, leading=12, textColor=GREY),
    "demo": ParagraphStyle("demo", _BASE, fontName="Helvetica-Bold", fontSize=10.5,
                           textColor=colors.white, spaceAfter=0),
    "cell": ParagraphStyle("cell", _BASE, fontSize=8.5, leading=10.5, spaceAfter=0),
    "head": ParagraphStyle("head", _BASE, fontName="Helvetica-Bold", fontSize=8.5,
                           leading=10.5, spaceAfter=0, textColor=colors.white),
}


def _p(text: str, style: str) -> Paragraph:
    return Paragraph(escape(text), STYLES[style])


def _demo_box() -> Table:
    t = Table([[_p(DEMO_LABEL, "demo")]], colWidths=[FRAME_W])
    t.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), ORANGE),
                           ("LEFTPADDING", (0, 0), (-1, -1), 8),
                           ("TOPPADDING", (0, 0), (-1, -1), 5),
                           ("BOTTOMPADDING", (0, 0), (-1, -1), 6)]))
    return t


def _numbers(numbers) -> Table:
    cells = [[_p(v, "value"), _p(lab, "label")] for v, lab in numbers]
    n = max(1, len(cells))
    row = [[c[0], c[1]] for c in cells]
    t = Table([[Table([[a], [b]], colWidths=[FRAME_W / n - 10]) for a, b in row]],
              colWidths=[FRAME_W / n] * n)
    t.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), PALE),
                           ("VALIGN", (0, 0), (-1, -1), "TOP"),
                           ("LINEAFTER", (0, 0), (-2, -1), 2, colors.white),
                           ("TOPPADDING", (0, 0), (-1, -1), 6),
                           ("BOTTOMPADDING", (0, 0), (-1, -1), 8)]))
    return t


@functools.cache
def _chart_fonts() -> None:
    """Map the charts' font family to Liberation Sans (Debian's fonts-liberation, which
    Chromium needs too). Without the files svglib falls back to Helvetica, whose widths
    are close."""
    for weight, file, name in (("normal", "LiberationSans-Regular.ttf", "LiberationSans"),
                               ("bold", "LiberationSans-Bold.ttf", "LiberationSans-Bold")):
        if (LIBERATION / file).is_file():
            for family in CHART_FONT_FAMILIES:
                register_font(family, str(LIBERATION / file), weight=weight, rlgFontName=name)


def _drawing(svg: bytes) -> Drawing:
    """An SVG chart as a ReportLab drawing FRAME_W wide: vector shapes and real text."""
    _chart_fonts()
    drawing = svg2rlg(io.BytesIO(svg))
    if drawing is None:
        raise ValueError("A chart's SVG could not be read.")
    ratio = FRAME_W / drawing.width
    drawing.scale(ratio, ratio)
    drawing.width, drawing.height = FRAME_W, drawing.height * ratio
    return drawing


def _image(png: bytes) -> Image:
    img = Image(io.BytesIO(png))
    ratio = FRAME_W / img.imageWidth
    img.drawWidth, img.drawHeight = FRAME_W, img.imageHeight * ratio
    return img


def _chart(data: bytes) -> Drawing | Image:
    """SVG as a vector drawing, anything else (the map's PNG) as an image."""
    is_svg = data.lstrip()[:5] in (b"<svg ", b"<?xml")
    return _drawing(data) if is_svg else _image(data)


ICON_PT = 30


def _icons(svgs) -> Table:
    """A chart's SPC icons in a row, each ICON_PT square, with what each says beside it."""
    cells = []
    for svg in svgs:
        drawing = svg2rlg(io.BytesIO(svg.encode()))
        ratio = ICON_PT / drawing.width
        drawing.scale(ratio, ratio)
        drawing.width = drawing.height = ICON_PT
        title = svg.split("<title>", 1)[1].split("</title>", 1)[0]
        cells += [drawing, Paragraph(title, STYLES["label"])]  # already escaped in the SVG
    t = Table([cells], colWidths=[ICON_PT + 6, FRAME_W / 2 - ICON_PT - 6] * len(svgs),
              hAlign="LEFT")
    t.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                           ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return t


def _table(story: PlaceStory) -> Table:
    df = comparison_table(story)
    widths = [3.6, 3.2, 1.4, 2.0, 1.7, 1.2, 2.2]
    scale = FRAME_W / (sum(widths) * cm)
    data = [[Paragraph(escape(c), STYLES["head"]) for c in df.columns]]
    data += [[Paragraph(escape(str(v)), STYLES["cell"]) for v in row]
             for row in df.itertuples(index=False)]
    t = Table(data, colWidths=[w * cm * scale for w in widths], repeatRows=1)
    style = [("BACKGROUND", (0, 0), (-1, 0), NHS_BLUE),
             ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
             ("LINEBELOW", (0, 1), (-1, -1), 0.5, PALE),
             ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 4)]
    for i, in_place in enumerate(story.comparison_data["in_place"], start=1):
        if in_place:
            style.append(("BACKGROUND", (0, i), (-1, i), colors.HexColor("#DCE9F6")))
    t.setStyle(TableStyle(style))
    return t


def build(story: PlaceStory, images: Mapping[str, bytes]) -> bytes:
    """The paper as PDF bytes. `images` maps chart keys to SVG (drawn as vectors) or PNG
    bytes (a missing key: no chart)."""
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=2.1 * cm,
        bottomMargin=2.4 * cm, title=f"{story.title}, {story.period.label}",
        author="Anchor", subject=story.place.describe(),
    )

    def decorate(canvas, doc_) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.setFillColor(GREY)
        right = story.period.label
        canvas.drawRightString(PAGE_W - MARGIN, PAGE_H - 1.2 * cm, right)
        room = FRAME_W - stringWidth(right, "Helvetica", 8) - 12
        if story.is_demo:
            demo = "DEMO DATA: not real figures"
            x = PAGE_W - MARGIN - stringWidth(right, "Helvetica", 8) - 12
            canvas.setFillColor(ORANGE)
            canvas.setFont("Helvetica-Bold", 8)
            canvas.drawRightString(x, PAGE_H - 1.2 * cm, demo)
            room -= stringWidth(demo, "Helvetica-Bold", 8) + 12
            canvas.setFillColor(GREY)
            canvas.setFont("Helvetica", 8)
        head = simpleSplit(f"Board paper · {story.title}", "Helvetica", 8, room)
        canvas.drawString(MARGIN, PAGE_H - 1.2 * cm, head[0] + (" …" if len(head) > 1 else ""))
        canvas.setStrokeColor(PALE)
        canvas.line(MARGIN, 1.75 * cm, PAGE_W - MARGIN, 1.75 * cm)
        canvas.setFont("Helvetica", 7.5)
        lines = simpleSplit(story.place.describe(), "Helvetica", 7.5, FRAME_W - 1.6 * cm)[:2]
        lines.append(f"{story.data_source_short}. Generated {story.generated:%d %B %Y} by Anchor.")
        y = 1.4 * cm
        for line in lines:
            canvas.drawString(MARGIN, y, line)
            y -= 0.32 * cm
        canvas.drawRightString(PAGE_W - MARGIN, 1.4 * cm, f"Page {doc_.page}")
        canvas.restoreState()

    intro, rest = story.messages[0], story.messages[1:]
    flow = [_p(story.title, "title"), _p(story.subtitle, "subtitle")]
    if story.is_demo:
        flow += [_demo_box(), Spacer(1, 8)]
    flow += [
        _p("Purpose", "h2"),
        _p(f"To inform the board what {story.who} put into {story.place_name} in "
           f"{story.period.label}: spend with suppliers based there, residents employed and "
           "their pay, and land and buildings. " + story.place.describe(), "body"),
        _numbers(intro.numbers), Spacer(1, 6),
        _p("Summary", "h2"),
        *[Paragraph(escape(m.sentence), STYLES["bullet"], bulletText="•") for m in rest],
    ]
    for m in rest:
        section = [_p(m.title, "h2"), _p(m.sentence, "body")]
        if m.icons:
            section.append(_icons(m.icons))
        if m.detail:
            section.append(_p(m.detail, "small"))
        if m.chart and m.chart in images:
            caption = story.chart_titles.get(m.chart, "")
            if m.chart == "map":
                caption += f". {GEOGRAPHY_ATTRIBUTION}"
            section += [_chart(images[m.chart]), _p(caption, "small")]
        if m.key == "compare":
            section += [Spacer(1, 4), _table(story)]
        flow.append(KeepTogether(section))
    flow += [_p("About these figures", "h2"),
             _p(f"Period: {story.period.label}.", "body"),
             _p(f"Organisations: {story.organisations_text}.", "body")]
    flow += [Paragraph(f"<b>{escape(name)}.</b> {escape(text)}", STYLES["body"])
             for name, text in story.definitions]
    flow += [_p("Sources", "h2"), *[_p(s, "body") for s in story.sources],
             _p(f"Generated {story.generated:%d %B %Y} by Anchor.", "small")]
    doc.build(flow, onFirstPage=decorate, onLaterPages=decorate)
    return buf.getvalue()
