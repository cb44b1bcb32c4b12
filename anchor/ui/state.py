"""Session-state keys, in one place."""

FOOTPRINT = "footprint"
ORGS = "orgs"  # suffixed with the footprint code, so a new footprint starts with all its orgs
PERIOD_KIND = "period_kind"
PERIOD = "period"
PLACE_KIND = "place_kind"
PLACE_LAD = "place_lad"
PLACE_SET = "place_set"
PLACE_EDIT = "place_edit"
RADIUS_KM = "radius_km"
INFLUENCEABLE = "influenceable"
FILTERS = "_filters"  # the Filters built by the sidebar on this run

PERIOD_QUARTER = "Quarter"
PERIOD_YEAR = "Financial year"

PLACE_FOOTPRINT = "The footprint's local authorities"
PLACE_ONE_LAD = "One local authority"
PLACE_NAMED = "A LEP or combined authority"
PLACE_RADIUS = "Distance from each organisation's sites"
