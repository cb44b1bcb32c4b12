"""Importing the English Indices of Deprivation, 2019 (LSOA 2011) and 2025 (LSOA 2021)."""

import io
import re

import pandas as pd
import pytest

from anchor.geography.imd import ImdFileError, read_imd, save_imd

LSOA_2011 = pd.DataFrame({
    "lsoa_code": ["E01009001", "E01009002", "E01009003", "W01000001"],
    "lsoa_name": ["Sandwell 010A", "Sandwell 010B", "Sandwell 011A", "Cardiff 001A"],
})
DECILE = "Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOAs)"


def csv(text: str) -> io.BytesIO:
    return io.BytesIO(text.encode("utf-8-sig"))


def test_2019_file_seven():
    f = csv("LSOA code (2011),LSOA name (2011),Local Authority District code (2019),"
            f"Index of Multiple Deprivation (IMD) Score,{DECILE}\n"
            "E01009001,Sandwell 010A,E08000028,45.1,1\n"
            "E01009002,Sandwell 010B,E08000028,30.2,3\n"
            "E01009003,Sandwell 011A,E08000028,10.0,9\n")
    imp = read_imd(f, LSOA_2011)
    assert imp.edition == "2019"
    assert dict(zip(imp.deciles["lsoa_code"], imp.deciles["imd_decile"])) == {
        "E01009001": 1, "E01009002": 3, "E01009003": 9}
    assert (imp.matched, imp.mapped, imp.missing) == (3, 0, 0)  # Wales is not in the English IoD


def test_2025_file_maps_changed_codes_through_the_msoa():
    # E01009002 was split in 2021 into E01035001 (decile 2) and E01035002 (decile 4).
    f = csv(f"LSOA code (2021),LSOA name (2021),{DECILE}\n"
            "E01009001,Sandwell 010A,1\n"
            "E01035001,Sandwell 010C,2\n"
            "E01035002,Sandwell 010D,4\n"
            "E01009003,Sandwell 011A,8\n")
    imp = read_imd(f, LSOA_2011)
    deciles = dict(zip(imp.deciles["lsoa_code"], imp.deciles["imd_decile"]))
    assert deciles == {"E01009001": 1, "E01009002": 3, "E01009003": 8}
    assert (imp.edition, imp.matched, imp.mapped) == ("2025", 2, 1)
    assert "mapped to 2011" in imp.source


@pytest.mark.parametrize("text, message", [
    ("code,decile\nE01009001,1\n", "has no 'LSOA code (2011)' column"),
    (f"LSOA code (2011),{DECILE}\nE01009001,eleven\n", "row 2"),
    (f"LSOA code (2011),{DECILE}\nE01009001,11\n", "not a decile from 1 to 10"),
])
def test_bad_files_say_what_is_wrong(text, message):
    with pytest.raises(ImdFileError, match=re.escape(message)):
        read_imd(csv(text), LSOA_2011, file_name="imd.csv")


def test_import_replaces_synthetic_deciles(fixture_wh):
    fixture_wh.rows("insert into imd_lsoa values ('E01010104', 5, 'synthetic', true)")
    f = csv(f"LSOA code (2011),{DECILE}\nE01010104,1\nE01009345,2\n")
    imp = read_imd(f, fixture_wh.df("select lsoa_code, lsoa_name from geo_lsoa"))
    assert save_imd(fixture_wh, imp) == 2
    assert fixture_wh.rows("select lsoa_code, imd_decile, is_synthetic from imd_lsoa order by 1") == [
        ("E01009345", 2, False), ("E01010104", 1, False)]
