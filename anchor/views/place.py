"""The Place page: the story of one place (anchor/reports/story.py), as figures a page
renders, and the places a user may choose."""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from anchor.filters import Filters
from anchor.measures import Figure, Source
from anchor.places import Place
from anchor.queries import places, reference
from anchor.reports import place_spec
from anchor.reports.story import Message, PlaceStory, comparison_table, tell

SIDEBAR = "sidebar"  # the place chosen in the sidebar
RADIUS = "radius"  # a distance from the organisations' sites


@dataclass(frozen=True)
class PlaceView:
    filters: Filters  # with the place the page shows
    story: PlaceStory
    figures: tuple[Figure, ...]  # the headline figures, as the Overview's tiles have them
    intro: tuple[tuple[str, str], ...]  # (label, value) of the tiles under the title
    sentences: tuple[str, ...]  # one per step after the first
    multiplier: Message | None  # the local multiplier's step, if there is a multiplier
    comparison: pd.DataFrame  # the local authorities side by side, as displayed

    @property
    def caption(self) -> str:
        return f"{self.story.subtitle}. {self.filters.place.describe()}"

    def figure(self, key: str) -> Figure:
        return next(f for f in self.figures if f.measure.key == key)


def build(source: Source, filters: Filters) -> PlaceView:
    story = tell(source, filters)
    return PlaceView(
        filters=filters, story=story, figures=tuple(story.figures.values()),
        intro=tiles(story.messages[0]),
        sentences=tuple(m.sentence for m in story.messages[1:]),
        multiplier=next((m for m in story.messages if m.key == "lm3"), None),
        comparison=comparison_table(story))


def tiles(message: Message) -> tuple[tuple[str, str], ...]:
    """A step's numbers as tiles: (label, value), the label capitalised."""
    return tuple((label[0].upper() + label[1:], value) for value, label in message.numbers)


def place_options(source: Source, filters: Filters) -> dict[str, str]:
    """The sidebar's place first; the footprint, its named places and the local authorities
    of both; a distance from the organisations' sites."""
    home = source.query(reference.footprint_lads, filters.footprint_code)
    named = source.query(places.named_places)
    lad_names = dict(zip(home["lad_code"], home["lad_name"]))
    for row in named.itertuples():
        lad_names.update(zip(row.lad_codes, row.lad_names))
    labels = {SIDEBAR: f"As in the sidebar: {filters.place.name}",
              place_spec.FOOTPRINT: f"{filters.footprint_name} (the footprint)"}
    labels.update({r.place_code: f"{r.name} ({r.kind.lower()})" for r in named.itertuples()})
    labels.update(sorted(lad_names.items(), key=lambda kv: kv[1]))
    labels[RADIUS] = "A distance from the organisations' sites"
    return labels


def with_place(source: Source, filters: Filters, choice: str, km: float) -> Filters:
    """The filters with the place chosen on the page; ValueError for a place not known."""
    if choice == SIDEBAR:
        return filters
    spec = place_spec.radius_spec(km) if choice == RADIUS else choice
    place: Place = place_spec.resolve_place(
        spec, footprint_name=filters.footprint_name,
        footprint_lads=source.query(reference.footprint_lads, filters.footprint_code),
        named=source.query(places.named_places), lads=source.query(reference.lads))
    return replace(filters, place=place)
