"""Each headline figure, specified once (`Measure`, anchor/measures/base.py): the Overview, the
Place page, the board paper, the slides and the load preview take their figures from here.

A new figure is a `Measure` in the module of its subject, added to `MEASURES`; a view lists
the measures it shows (anchor/views/)."""

from anchor.measures.base import Figure, Measure, Reading, Selection, Source, WarehouseSource
from anchor.measures.estate import LAND_NOT_DELIVERING
from anchor.measures.multiplier import LM3
from anchor.measures.people import RESIDENTS_EMPLOYED
from anchor.measures.spend import (
    INFLUENCEABLE_DEFINITION,
    LOCAL_SHARE_ALL,
    LOCAL_SHARE_INFLUENCEABLE,
    LOCAL_SME_SHARE,
)

MEASURES: dict[str, Measure] = {m.key: m for m in (
    LOCAL_SHARE_INFLUENCEABLE, LOCAL_SHARE_ALL, LOCAL_SME_SHARE, RESIDENTS_EMPLOYED,
    LAND_NOT_DELIVERING, LM3,
)}

__all__ = ["INFLUENCEABLE_DEFINITION", "LAND_NOT_DELIVERING", "LM3", "LOCAL_SHARE_ALL",
           "LOCAL_SHARE_INFLUENCEABLE", "LOCAL_SME_SHARE", "MEASURES", "RESIDENTS_EMPLOYED",
           "Figure", "Measure", "Reading", "Selection", "Source", "WarehouseSource"]
