"""The slide pack (PPTX) of a place story, with python-pptx.

16:9 slides for a projector: a title slide with the headline numbers, one slide per
message (its numbers large on the left, its chart on the right), and a closing slide
with the definitions and the data sources' licence attribution. Every slide carries the
period, the place definition, the source and the generation date in its footer, and the
demo label when the data is demo. Charts come in as PNG bytes (`anchor.reports.images`).
"""

from __future__ import annotations

import io
from collections.abc import Mapping

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Emu, Inches, Pt

from anchor.config import GEOGRAPHY_ATTRIBUTION
from anchor.reports.story import DEMO_LABEL, Message, PlaceStory

NHS_BLUE = RGBColor(0x00, 0x5E, 0xB8)
DARK_BLUE = RGBColor(0x00, 0x30, 0x87)
TEXT = RGBColor(0x21, 0x2B, 0x32)
GREY = RGBColor(0x42, 0x55, 0x63)
PALE = RGBColor(0xE8, 0xED, 0xEE)
ORANGE = RGBColor(0xE6, 0x61, 0x00)
WHITE = RGBColor(0xFF, 0xFF, 0xFF)
FONT = "Arial"

SLIDE_W, SLIDE_H = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.5)

# Chart images: the size (px) their figures are laid out at, and the box (in) they fill.
# Chosen so that 21 px type prints at about 13 pt on the slide.
CHART_PX = (900, 560)
CHART_BOX = (Inches(7.6), Inches(4.73))
WIDE_CHART_PX = (1300, 470)
WIDE_CHART_BOX = (Inches(12.3), Inches(4.45))
CHART_FONT_PX = 21
CHART_SCALE = 2.0  # images drawn at twice their layout size, sharp on a projector


def chart_layouts(story: PlaceStory) -> dict[str, tuple[int, int]]:
    """The pixel size each chart is exported at: wide for a message with no numbers."""
    out = {}
    for m in story.messages:
        if m.chart and m.chart in story.charts:
            out[m.chart] = WIDE_CHART_PX if not m.numbers else CHART_PX
    return out


def icons_key(m: Message) -> str:
    """The key of a message's SPC icons among the images: drawn beside its chart."""
    return f"{m.key}:icons"


ICONS_H = Inches(0.55)


def _text(slide, left, top, width, height, text: str, *, size: int, bold: bool = False,
          colour: RGBColor = TEXT, align=PP_ALIGN.LEFT, anchor=MSO_ANCHOR.TOP, name: str = ""):
    box = slide.shapes.add_textbox(left, top, width, height)
    if name:
        box.name = name
    tf = box.text_frame
    tf.word_wrap = True
    tf.vertical_anchor = anchor
    tf.margin_left = tf.margin_right = Inches(0.05)
    tf.margin_top = tf.margin_bottom = Inches(0.03)
    p = tf.paragraphs[0]
    p.alignment = align
    run = p.add_run()
    run.text = text
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = FONT
    run.font.color.rgb = colour
    return box


def _band(slide, top, height, colour: RGBColor):
    shape = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, top, SLIDE_W, height)
    shape.fill.solid()
    shape.fill.fore_color.rgb = colour
    shape.line.fill.background()
    return shape


def _demo_tag(slide) -> None:
    tag = slide.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, SLIDE_W - Inches(3.1),
                                 Inches(0.12), Inches(2.95), Inches(0.42))
    tag.name = "Demo label"
    tag.fill.solid()
    tag.fill.fore_color.rgb = ORANGE
    tag.line.fill.background()
    tf = tag.text_frame
    tf.margin_top = tf.margin_bottom = 0
    p = tf.paragraphs[0]
    p.alignment = PP_ALIGN.CENTER
    run = p.add_run()
    run.text = "DEMO DATA: not real figures"
    run.font.size = Pt(13)
    run.font.bold = True
    run.font.name = FONT
    run.font.color.rgb = WHITE


def _footer(slide, story: PlaceStory, number: int, total: int) -> None:
    _band(slide, SLIDE_H - Inches(0.62), Inches(0.62), PALE)
    line1 = f"{story.period.label} · {story.place.describe()}"
    line2 = (f"{story.data_source_short} · {len(story.organisations)} organisations of "
             f"{story.footprint_name} · Generated {story.generated:%d %B %Y}")
    _text(slide, MARGIN, SLIDE_H - Inches(0.6), SLIDE_W - MARGIN * 2 - Inches(0.9),
          Inches(0.3), line1, size=11, colour=GREY, name="Footer place")
    _text(slide, MARGIN, SLIDE_H - Inches(0.33), SLIDE_W - MARGIN * 2 - Inches(0.9),
          Inches(0.3), line2, size=10, colour=GREY, name="Footer source")
    _text(slide, SLIDE_W - MARGIN - Inches(0.9), SLIDE_H - Inches(0.5), Inches(0.9),
          Inches(0.35), f"{number} / {total}", size=11, colour=GREY, align=PP_ALIGN.RIGHT)
    if story.is_demo:
        _demo_tag(slide)


# The average width of a character of bold Arial (Liberation Sans) text, in ems, with a margin.
_EM_PER_CHAR = 0.6
TITLE_PT, TITLE_MIN_PT = 32, 24


def title_size(text: str, width_in: float) -> int:
    """The largest size from 32 pt down to 24 pt at which a title fits on one line. A title
    that needs two lines even at 24 pt stays short enough to clear the demo label above it."""
    fits = int(width_in * 72 / (_EM_PER_CHAR * max(len(text), 1)))
    return max(TITLE_MIN_PT, min(TITLE_PT, fits))


def _title(slide, text: str) -> None:
    width = SLIDE_W - MARGIN * 2
    _text(slide, MARGIN, Inches(0.55), width, Inches(0.9), text,
          size=title_size(text, Emu(width).inches), bold=True, colour=DARK_BLUE,
          anchor=MSO_ANCHOR.BOTTOM, name="Title")


def _picture(slide, png: bytes, left, top, box_w, box_h, name: str):
    pic = slide.shapes.add_picture(io.BytesIO(png), left, top, width=box_w)
    if pic.height > box_h:  # keep within the box, centred across it
        ratio = box_h / pic.height
        pic.height = Emu(int(pic.height * ratio))
        pic.width = Emu(int(pic.width * ratio))
        pic.left = Emu(int(left + (box_w - pic.width) / 2))
    pic.name = name
    return pic


def _title_slide(prs, story: PlaceStory, intro: Message, total: int) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    _band(slide, 0, Inches(3.2), NHS_BLUE)
    _text(slide, MARGIN, Inches(0.8), SLIDE_W - MARGIN * 2, Inches(1.4), story.title, size=40,
          bold=True, colour=WHITE, anchor=MSO_ANCHOR.BOTTOM, name="Title")
    _text(slide, MARGIN, Inches(2.25), SLIDE_W - MARGIN * 2, Inches(0.7), story.subtitle,
          size=22, colour=WHITE, name="Subtitle")
    n = max(1, len(intro.numbers))
    col_w = (SLIDE_W - MARGIN * 2) / n
    for i, (value, label) in enumerate(intro.numbers):
        left = MARGIN + int(col_w * i)
        _text(slide, left, Inches(3.55), int(col_w) - Inches(0.2), Inches(0.95), value, size=44,
              bold=True, colour=NHS_BLUE, name=f"Number {i + 1}")
        _text(slide, left, Inches(4.5), int(col_w) - Inches(0.3), Inches(0.9), label, size=18,
              colour=TEXT, name=f"Number {i + 1} label")
    _text(slide, MARGIN, Inches(5.55), SLIDE_W - MARGIN * 2, Inches(1.2),
          f"Organisations: {story.organisations_text}.", size=13, colour=GREY,
          name="Organisations")
    _footer(slide, story, 1, total)


def _message_slide(prs, story: PlaceStory, m: Message, png: bytes | None, number: int,
                   total: int, icons: bytes | None = None) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    _title(slide, m.title)
    top = Inches(1.6)
    if m.numbers:
        left_w = Inches(4.45)
        y = top
        for i, (value, label) in enumerate(m.numbers):
            _text(slide, MARGIN, y, left_w, Inches(0.8), value, size=40, bold=True,
                  colour=NHS_BLUE, name=f"Number {i + 1}")
            _text(slide, MARGIN, y + Inches(0.78), left_w, Inches(0.62), label, size=15,
                  colour=GREY, name=f"Number {i + 1} label")
            y += Inches(1.5)
        _text(slide, MARGIN, y + Inches(0.05), left_w, SLIDE_H - y - Inches(0.8), m.sentence,
              size=15, colour=TEXT, name="Sentence")
        if png:
            pic = _picture(slide, png, MARGIN + left_w + Inches(0.25), top - Inches(0.05),
                           *CHART_BOX, name="Chart")
            if m.chart == "map":  # the licence asks for it wherever the boundaries are shown
                _text(slide, pic.left, pic.top + pic.height + Inches(0.02), pic.width,
                      Inches(0.45), GEOGRAPHY_ATTRIBUTION, size=9, colour=GREY,
                      name="Map attribution")
            elif m.detail or icons:
                below = pic.top + pic.height + Inches(0.02)
                indent = 0
                if icons:  # the chart's SPC icons, then what the detail says of them
                    shown = slide.shapes.add_picture(io.BytesIO(icons), pic.left, below,
                                                     height=ICONS_H)
                    shown.name = "SPC icons"
                    indent = shown.width + Inches(0.1)
                if m.detail:
                    _text(slide, pic.left + indent, below, pic.width - indent, Inches(0.55),
                          m.detail, size=9, colour=GREY, name="Detail")
    else:
        _text(slide, MARGIN, top - Inches(0.05), SLIDE_W - MARGIN * 2, Inches(0.75), m.sentence,
              size=18, colour=TEXT, name="Sentence")
        if png:
            _picture(slide, png, MARGIN, top + Inches(0.75), *WIDE_CHART_BOX, name="Chart")
    _footer(slide, story, number, total)


def _about_slide(prs, story: PlaceStory, number: int, total: int) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    _title(slide, "About these figures")
    box = slide.shapes.add_textbox(MARGIN, Inches(1.55), SLIDE_W - MARGIN * 2, Inches(5.2))
    box.name = "Sources"
    tf = box.text_frame
    tf.word_wrap = True
    items = [
        ("Period", story.period.label),
        ("Place", story.place.describe()),
        ("Organisations", story.organisations_text + "."),
        *[(name, text) for name, text in story.definitions if name != "Place"],
        *[("Source", s) for s in story.sources],
        ("Generated", f"{story.generated:%d %B %Y} by Anchor."),
    ]
    if story.is_demo:
        items.insert(0, ("Demo", DEMO_LABEL))
    for i, (name, text) in enumerate(items):
        p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        p.space_after = Pt(4)
        for content, bold in ((f"{name}. ", True), (text, False)):
            run = p.add_run()
            run.text = content
            run.font.size = Pt(11)
            run.font.bold = bold
            run.font.name = FONT
            run.font.color.rgb = TEXT
    _footer(slide, story, number, total)


def build(story: PlaceStory, images: Mapping[str, bytes]) -> bytes:
    """The pack as PPTX bytes. `images` maps chart keys to PNGs (a missing key: no chart)."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_W, SLIDE_H
    prs.core_properties.title = f"{story.title}, {story.period.label}"
    prs.core_properties.subject = story.place.describe()
    prs.core_properties.author = "Anchor"
    intro, rest = story.messages[0], story.messages[1:]
    total = 2 + len(rest)
    _title_slide(prs, story, intro, total)
    for i, m in enumerate(rest, start=2):
        _message_slide(prs, story, m, images.get(m.chart) if m.chart else None, i, total,
                       images.get(icons_key(m)))
    _about_slide(prs, story, total, total)
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()
