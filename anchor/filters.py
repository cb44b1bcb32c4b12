"""What the user has chosen in the sidebar, as one value every query and page can take."""

from __future__ import annotations

from dataclasses import dataclass

from anchor.periods import Period
from anchor.places import Place


@dataclass(frozen=True)
class Filters:
    footprint_code: str
    footprint_name: str
    orgs: tuple[str, ...]
    period: Period
    place: Place
    influenceable: bool = True

    @property
    def basis(self) -> str:
        return "influenceable spend" if self.influenceable else "all in-scope spend"
