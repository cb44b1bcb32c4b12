"""Session-state keys, in one place."""

FOOTPRINT = "footprint"
ORGS = "orgs"  # suffixed with the footprint code, so a new footprint starts with all its orgs
ORGS_SEEN = "_seen"  # prefix of ORGS's key: the organisations that footprint listed last run
PERIOD_KIND = "period_kind"
PERIOD = "period"
PLACE_KIND = "place_kind"
PLACE_LAD = "place_lad"
PLACE_SET = "place_set"
PLACE_EDIT = "place_edit"
RADIUS_KM = "radius_km"
INFLUENCEABLE = "influenceable"
FILTERS = "_filters"  # the Filters built by the sidebar on this run
FLASH = "_flash"  # a write's confirmation, shown once on the rerun after it (anchor/ui/flash.py)
FLASH_NONCE = "_flash_nonce"  # bumped by a load from a file uploader, which then starts empty

PERIOD_QUARTER = "Quarter"
PERIOD_YEAR = "Financial year"

PLACE_FOOTPRINT = "The footprint's local authorities"
PLACE_ONE_LAD = "One local authority"
PLACE_NAMED = "A LEP or combined authority"
PLACE_RADIUS = "Distance from each organisation's sites"

# Loading data (anchor/ui/upload.py) and the Data page
UPLOAD_TABLE = "upload_table"
UPLOAD_QUARTER = "upload_quarter"
UPLOAD_STRAYS = "upload_strays"  # spend lines paid outside the file's months: left out or not
UPLOAD_ORG = "upload_org"  # spend: the organisation the file is for, as the analyst names it
# spend: (the files' ids, the organisation) a proposal confirmed for those files
UPLOAD_ORG_CONFIRMED = "_upload_org_confirmed"
UPLOAD_SKIP_BAD_ROWS = "upload_skip_bad_rows"  # spend: leave out the rows with a fault
UPLOAD_SHRINK_OK = "upload_shrink_ok"  # the analyst confirms replacing months with fewer lines
UPLOAD_FILE = "upload_file"  # suffixed with UPLOAD_NONCE, so a new key empties the uploader
UPLOAD_NONCE = "_upload_nonce"
UPLOAD_MAPPING = "upload_mapping"  # prefix of the column-mapping selectboxes
UPLOAD_CHECKED = "_upload_checked"  # the last file checked: (key, CheckedFile, Preview)
UPLOAD_DONE = "_upload_done"  # what the last load did, shown once after it
UNDO_CHOICE = "undo_choice"
UNDO_DONE = "_undo_done"
PLACE_DONE = "_place_done"  # what placing or correcting suppliers did, shown once

# The Place page and its presentation mode (anchor/ui/presentation.py)
PLACE_PRESENTING = "place_presenting"  # the page is being presented, full screen
PLACE_STEP = "place_step"  # the step of the presentation shown
PLACE_CHOICE = "place_choice"  # the place the page is for: the sidebar's, or one chosen there
PLACE_RADIUS_KM = "place_radius_km"  # the page's own distance, when chosen by radius

# Local employment and Estates and assets pages
ESTATES_SIZE_BY = "estates_size_by"  # what the circles on the sites map are sized by
IMD_FILE = "imd_file"  # the deprivation file an analyst uploads on the Local employment page
SPC_WINDOW = "spc_window"  # how many quarters the SPC charts show; suffixed with the page
SPEND_POINTS = "spend_points"  # the Local spend trend: a point a month or a quarter
TWO_SIGMA = "spc_two_sigma"  # the SPC charts draw their two-sigma lines
COMMITMENT_DONE = "_commitment_done"  # what the last commitment entry did, shown once after it
CHANGE_POINT_DONE = "_change_point_done"  # what the last change point recorded or removed did
