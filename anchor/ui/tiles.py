"""A measure's figure as a headline tile (anchor/measures/)."""

from __future__ import annotations

from anchor.measures import Figure
from anchor.ui import components


def figure_tile(figure: Figure) -> None:
    """The figure's value, its change on a year earlier, its SPC icons, the line under it and
    the sentence that states it."""
    components.tile(figure.measure.label, figure.now.shown, delta=figure.delta,
                    delta_note=figure.delta_note, detail=figure.now.detail,
                    spc_result=figure.spc, sentence=figure.sentence)
