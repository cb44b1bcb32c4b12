"""Place: the story of one place for a LEP, a combined authority or a council, with a
presentation mode and the slide pack, board paper and chart images to take away (its figures:
anchor/views/place.py)."""

from functools import partial

import streamlit as st

from anchor import formatting as fmt
from anchor.ui import commitments as commitment_view
from anchor.ui import components, frame, presentation, state
from anchor.ui.data import SOURCE
from anchor.views import place as place_view

frame.require()

if presentation.is_presenting() and st.session_state.get(state.FILTERS) is None:
    presentation.stop()  # the data went while presenting: back to the page, which says so
filters = (st.session_state[state.FILTERS] if presentation.is_presenting()
           else components.page_header("Place", context=False))
presentation.keep_place_choice()

if presentation.is_presenting():
    choice = st.session_state.get(presentation.CHOICE, place_view.SIDEBAR)
else:
    choice = presentation.place_chooser(place_view.place_options(SOURCE, filters),
                                        radius=place_view.RADIUS)
try:
    filters = place_view.with_place(SOURCE, filters, choice,
                                    st.session_state[presentation.RADIUS_KM])
except ValueError as exc:
    presentation.stop()
    st.error(fmt.md_text(exc), icon=":material/error:")
    st.stop()
view = place_view.build(SOURCE, filters)
story = view.story

if presentation.is_presenting():
    presentation.render(story)
    st.stop()

presentation.page_head(story, view.caption)
presentation.tiles(view.intro)
st.markdown("\n".join(f"- {fmt.md_text(s)}" for s in view.sentences))

chart = partial(presentation.page_chart, story)
left, right = components.stacking_columns([1, 1], key="map-trend")
with left:
    chart("map")
with right:
    chart("trend")
commitment_view.story_commitments(story, chart)
left, right = components.stacking_columns([1, 1], key="residents-land")
with left:
    chart("residents")
with right:
    chart("land")
if view.multiplier is not None:
    presentation.multiplier_section(story, view.multiplier, place_view.tiles(view.multiplier))
st.subheader(fmt.md_text(story.messages[-1].title))
chart("compare")
components.wide_table(view.comparison, pin=("Local authority",))
components.definitions(story.definitions)
st.caption(" ".join(story.sources))
