"""Place: the story of one place for a LEP, a combined authority or a council, with a
presentation mode and the slide pack, board paper and chart images to take away."""

from types import SimpleNamespace

import streamlit as st

from anchor import formatting as fmt
from anchor.places import Place
from anchor.queries import places, reference
from anchor.reports import place_spec
from anchor.reports.story import build_story, comparison_table
from anchor.ui import commitments as commitment_view
from anchor.ui import components, frame, presentation, state
from anchor.ui.data import query, shapes

frame.require()

SIDEBAR = "sidebar"
RADIUS = "radius"

if presentation.is_presenting() and st.session_state.get(state.FILTERS) is None:
    presentation.stop()  # the data went while presenting: back to the page, which says so
filters = (st.session_state[state.FILTERS] if presentation.is_presenting()
           else components.page_header("Place", context=False))

# The chooser is not drawn in presentation mode; keep its values so the same place returns.
for key in (presentation.CHOICE, presentation.RADIUS_KM):
    if key in st.session_state:
        st.session_state[key] = st.session_state[key]
st.session_state.setdefault(presentation.RADIUS_KM, 10)


def place_options() -> dict[str, str]:
    """The sidebar's place first; the footprint, its named places and the local authorities
    of both; a distance from the organisations' sites."""
    home = query(reference.footprint_lads, filters.footprint_code)
    named = query(places.named_places)
    lad_names = dict(zip(home["lad_code"], home["lad_name"]))
    for row in named.itertuples():
        lad_names.update(zip(row.lad_codes, row.lad_names))
    labels = {SIDEBAR: f"As in the sidebar: {filters.place.name}",
              place_spec.FOOTPRINT: f"{filters.footprint_name} (the footprint)"}
    labels.update({r.place_code: f"{r.name} ({r.kind.lower()})" for r in named.itertuples()})
    labels.update(sorted(lad_names.items(), key=lambda kv: kv[1]))
    labels[RADIUS] = "A distance from the organisations' sites"
    return labels


def chosen_place(choice: str, km: float) -> Place:
    if choice == SIDEBAR:
        return filters.place
    spec = place_spec.radius_spec(km) if choice == RADIUS else choice
    return place_spec.resolve_place(
        spec, footprint_name=filters.footprint_name,
        footprint_lads=query(reference.footprint_lads, filters.footprint_code),
        named=query(places.named_places), lads=query(reference.lads))


if presentation.is_presenting():
    choice = st.session_state.get(presentation.CHOICE, SIDEBAR)
else:
    labels = place_options()
    left, right = st.columns([3, 2])
    choice = left.selectbox("Place", list(labels), format_func=labels.get,
                            key=presentation.CHOICE,
                            help="The area whose story to tell. Figures add up across the "
                                 "organisations chosen in the sidebar.")
    if choice == RADIUS:
        right.slider("Kilometres", 1, 50, key=presentation.RADIUS_KM)
try:
    place = chosen_place(choice, st.session_state[presentation.RADIUS_KM])
except ValueError as exc:
    presentation.stop()
    st.error(fmt.md_text(exc), icon=":material/error:")
    st.stop()

story = build_story(
    SimpleNamespace(query=query, shapes=shapes), footprint_code=filters.footprint_code,
    footprint_name=filters.footprint_name, orgs=filters.orgs, period=filters.period,
    place=place, influenceable=filters.influenceable)

if presentation.is_presenting():
    presentation.render(story)
    st.stop()

presentation.full_screen_control(presenting=False)
head, present = st.columns([4, 1], vertical_alignment="bottom")
head.subheader(fmt.md_text(story.title))
present.button("Present", icon=":material/slideshow:", type="primary", width="stretch",
               on_click=presentation.start, key="present-start",
               help="Full screen, large type, one message per step. Arrow keys move; Esc leaves.")
st.caption(fmt.md_text(story.subtitle + ". " + place.describe()))
presentation.export_buttons(story, key="page")

intro = story.messages[0]
for col, (value, label) in zip(st.columns(len(intro.numbers)), intro.numbers):
    with col:
        components.tile(label[0].upper() + label[1:], value, label_below=True)

st.markdown("\n".join(f"- {fmt.md_text(m.sentence)}" for m in story.messages[1:]))


def chart(key: str) -> None:
    if key not in story.charts:
        st.info("No data to chart for this place and period.")
        return
    st.markdown(f"**{fmt.md_text(story.chart_titles[key])}**")
    st.plotly_chart(story.charts[key], config={"displaylogo": False, "scrollZoom": False},
                    key=f"chart-{key}")
    presentation.png_button(story, key)


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
multiplier = next((m for m in story.messages if m.key == "lm3"), None)
if multiplier is not None:
    st.subheader(fmt.md_text(multiplier.title))
    left, right = st.columns([2, 3])
    with left:
        for value, label in multiplier.numbers:
            components.tile(label[0].upper() + label[1:], value, label_below=True)
        st.caption(fmt.md_text(multiplier.detail))
    with right:
        chart("lm3")
st.subheader(fmt.md_text(story.messages[-1].title))
chart("compare")
components.wide_table(comparison_table(story), pin=("Local authority",))

components.definitions(story.definitions)
st.caption(" ".join(story.sources))
