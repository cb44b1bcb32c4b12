"""Named places: shipped memberships, and analysts changing them."""

import pytest

from anchor.auth import Role, User
from anchor.queries.places import named_places, save_place
from tests.fixture_warehouse import BIRMINGHAM, SANDWELL

ANALYST = User("Ann Analyst", Role.ANALYST, "local")
VIEWER = User("Val Viewer", Role.VIEWER, "local")


def test_shipped_places(fixture_wh):
    places = named_places(fixture_wh).set_index("place_code")
    assert set(places.index) == {"WMCA", "LEP-BC", "LEP-GBS"}
    assert list(places.loc["LEP-BC", "lad_codes"]) == ["E08000027", "E08000028", "E08000030", "E08000031"]
    # Names come from the geography where it has them (the fixture knows Sandwell).
    assert "Sandwell" in places.loc["LEP-BC", "lad_names"]


def test_an_analyst_changes_a_place(fixture_wh):
    version = fixture_wh.data_version()
    save_place(fixture_wh, "LEP-BC", "Black Country LEP", "Local Enterprise Partnership",
               [SANDWELL, BIRMINGHAM], ANALYST)
    row = named_places(fixture_wh).set_index("place_code").loc["LEP-BC"]
    assert list(row["lad_codes"]) == [BIRMINGHAM, SANDWELL]
    assert fixture_wh.data_version() > version


def test_changes_are_checked_and_only_analysts_make_them(fixture_wh):
    before = named_places(fixture_wh)
    with pytest.raises(PermissionError):
        save_place(fixture_wh, "LEP-BC", "Black Country LEP", "LEP", [SANDWELL], VIEWER)
    with pytest.raises(ValueError, match="Unknown local authority codes: E99999999"):
        save_place(fixture_wh, "LEP-BC", "Black Country LEP", "LEP", ["E99999999"], ANALYST)
    with pytest.raises(ValueError, match="at least one"):
        save_place(fixture_wh, "LEP-BC", "Black Country LEP", "LEP", [], ANALYST)
    assert named_places(fixture_wh).equals(before)
