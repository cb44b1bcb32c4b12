"""Reference files as NHS Digital publishes them: ODS organisation files (no header row)
and ERIC's site data (a column name given nine times), loaded with no hand edits into an
empty warehouse. Expected counts are worked out by hand from the files in tests/data/real."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from anchor import loading
from anchor.auth import Role, User, setup_user
from anchor.cli import main
from anchor.db import Warehouse
from anchor.geography.install import install_geography
from anchor.loading.published import readable_name
from anchor.loading.report import LAYOUT_PHRASES

REAL = Path(__file__).resolve().parents[1] / "data" / "real"
ETR, ECCG = REAL / "ods_etr.csv", REAL / "ods_eccg.csv"
ERIC = REAL / "eric_2019-20_site_data.csv"
ANALYST = User("ana@example.nhs.uk", Role.ANALYST, "signed in", "ana@example.nhs.uk")


def checked(wh, table: str, path: Path, **kw):
    raw = loading.read_path(path)
    return loading.check(wh, raw, loading.spec(table), **kw)


def problems(c) -> list[str]:
    return list(c.issues["problem"])


@pytest.fixture(scope="module")
def ods_db(tmp_path_factory, geography_cache) -> Path:
    """An empty warehouse with geography, filled from eccg.csv and then etr.csv."""
    path = tmp_path_factory.mktemp("ods") / "anchor.duckdb"
    wh = Warehouse(path)
    try:
        install_geography(wh, geography_cache, setup_user())
        for f in (ECCG, ETR):
            c = checked(wh, "organisation", f)
            assert c.ok, c.errors
            loading.load(wh, c, ANALYST)
    finally:
        wh.close()
    return path


@pytest.fixture
def ods_wh(ods_db, tmp_path):
    copy = tmp_path / "anchor.duckdb"
    shutil.copy(ods_db, copy)
    wh = Warehouse(copy)
    yield wh
    wh.close()


def test_two_commands_fill_an_empty_warehouse(tmp_path, monkeypatch, geography_cache, capsys):
    """From a warehouse that does not exist yet: the geography comes first, then the ICB
    file names the footprints and the trusts file fills them."""
    db = tmp_path / "new.duckdb"
    monkeypatch.setenv("ANCHOR_DB", str(db))
    monkeypatch.setenv("ANCHOR_GEO_CACHE", str(geography_cache))
    monkeypatch.setenv("ANCHOR_USER", "analyst")
    monkeypatch.delenv("ANCHOR_ROLE", raising=False)
    assert main(["load", "organisation", str(ECCG)]) == 0
    out = capsys.readouterr()
    assert "The warehouse has no geography yet: installing it first." in out.err
    # eccg.csv: 320 rows = 161 closed + 53 commissioning hubs + 106 sub-ICB locations of
    # 42 ICBs (64 folded into the first of their ICB)
    assert "161 entries closed before today" in out.err
    assert "53 entries neither trusts, ICBs nor CCGs" in out.err
    assert "64 entries further sub-ICB locations" in out.err
    assert "42 rows from ods_eccg.csv (ODS standard file, UTF-8)" in out.out
    assert main(["load", "organisation", str(ETR)]) == 0
    out = capsys.readouterr()
    # etr.csv: 273 rows = 68 closed + 3 Welsh trusts in no ICB + 202 loaded
    assert "68 entries closed before today" in out.err
    assert "3 entries with no high level health geography" in out.err
    assert "RQF, RT4, RYT" in out.err
    assert "202 rows from ods_etr.csv" in out.out
    wh = Warehouse(db)
    try:
        assert wh.rows("select org_type, count(*) from organisation group by 1 order by 1") == [
            ("Integrated care board", 42), ("NHS foundation trust", 140), ("NHS trust", 62)]
        assert wh.value("select count(*) from footprint") == 42
    finally:
        wh.close()


def test_a_trust_has_its_readable_name_postcode_and_icb(ods_wh):
    assert ods_wh.rows(
        "select o.name, o.org_type, o.postcode, o.footprint_code, f.name"
        " from organisation as o join footprint as f using (footprint_code)"
        " where org_code = 'RJ1'") == [
        ("Guy's and St Thomas' NHS Foundation Trust", "NHS foundation trust", "SE1 7EH",
         "QKK", "NHS South East London ICB")]
    # the ICB is an organisation of its own footprint, with no address of its own in the file
    assert ods_wh.rows("select name, footprint_code, postcode from organisation"
                       " where org_code = 'QKK'") == [("NHS South East London ICB", "QKK", None)]
    # closed trusts are not loaded: R1C closed in the file
    assert ods_wh.value("select count(*) from organisation where org_code = 'R1C'") == 0


def test_an_icb_footprint_takes_its_local_authorities_as_home(ods_wh):
    """South East London ICB: Bexley, Bromley, Greenwich, Lambeth, Lewisham, Southwark."""
    assert ods_wh.rows("select lad_code from footprint_lad where footprint_code = 'QKK'"
                       " order by lad_code") == [
        ("E09000004",), ("E09000006",), ("E09000011",), ("E09000022",), ("E09000023",),
        ("E09000028",)]


def test_trusts_before_the_icb_file_are_refused_naming_it(tmp_path, geography_cache):
    wh = Warehouse(tmp_path / "anchor.duckdb")
    try:
        c = checked(wh, "organisation", ETR)
        assert not c.ok
        first = c.errors.iloc[0]["problem"]
        assert first.startswith("The footprints QE1, QF7,")
        assert "Load NHS Digital's ICB file (eccg.csv) as organisations first" in first
        assert wh.value("select count(*) from organisation") == 0
    finally:
        wh.close()


@pytest.mark.parametrize("published, readable", [
    ("GUY'S AND ST THOMAS' NHS FOUNDATION TRUST", "Guy's and St Thomas' NHS Foundation Trust"),
    ("NHS NORTH EAST AND NORTH CUMBRIA ICB", "NHS North East and North Cumbria ICB"),
    ("THE QUEEN ELIZABETH HOSPITAL, KING'S LYNN, NHS FOUNDATION TRUST",
     "The Queen Elizabeth Hospital, King's Lynn, NHS Foundation Trust"),
    ("TEES, ESK AND WEAR VALLEYS NHS FOUNDATION TRUST",
     "Tees, Esk and Wear Valleys NHS Foundation Trust"),
    ("STOCKTON-ON-TEES", "Stockton-on-Tees"),
    ("2GETHER NHS FOUNDATION TRUST", "2gether NHS Foundation Trust"),
])
def test_readable_names(published, readable):
    assert readable_name(published) == readable


def _ets_row(code: str, name: str, postcode: str, close: str = "", parent: str = "") -> str:
    """A row of ets.csv in the ODS standard layout: 27 quoted fields."""
    fields = [code, name, "Y56", "QKK", "ADDRESS", "", "", "LONDON", "", postcode, "19930401",
              close, "", "", parent] + [""] * 12
    return ",".join(f'"{f}"' for f in fields)


def test_trust_sites_load_from_ets(ods_wh, tmp_path):
    ets = tmp_path / "ets.csv"
    ets.write_text("\n".join([
        _ets_row("RJ121", "GUY'S HOSPITAL", "SE1 9RT", parent="RJ1"),
        _ets_row("RJ122", "ST THOMAS' HOSPITAL", "SE1 7EH"),  # no parent: RJ1 from the code
        _ets_row("RJ1XX", "A CLOSED SITE", "SE1 7EH", close="20190331", parent="RJ1"),
    ]) + "\n", encoding="utf-8")
    c = checked(ods_wh, "site", ets)
    assert c.ok, c.errors
    assert c.layout.kind == "ODS standard file"
    assert LAYOUT_PHRASES[c.layout.kind] == "NHS Digital's ODS layout (no header row)"
    assert "1 entry closed before today (a close date in the file) left out: RJ1XX." \
        in problems(c)
    loading.load(ods_wh, c, ANALYST)
    assert ods_wh.rows("select site_code, org_code, name, postcode from site order by 1") == [
        ("RJ121", "RJ1", "Guy's Hospital", "SE1 9RT"),
        ("RJ122", "RJ1", "St Thomas' Hospital", "SE1 7EH")]


def test_eric_loads_as_sites_then_as_estates_returns(ods_wh):
    sites = checked(ods_wh, "site", ERIC)
    assert sites.ok, sites.errors
    assert ("The column 'PFI Contractor (SPV) costs (£)' appears 9 times (columns X, DB, DF, "
            "EE, EN, ER, EW, FD and FH); Anchor does not use it, so each is ignored."
            in problems(sites))
    assert sites.layout.kind == "ERIC site data"
    loading.load(ods_wh, sites, ANALYST)
    assert ods_wh.value("select count(*) from site") == 20
    assert ods_wh.rows("select org_code, name, postcode from site where site_code = 'RJ121'"
                       ) == [("RJ1", "Guy's Hospital", "SE1 9RT")]  # 'SE1  9RT' in the file

    estates = checked(ods_wh, "estate", ERIC, quarter=date(2020, 1, 1))
    assert estates.ok, estates.errors
    assert estates.layout.kind == "ERIC site data"
    assert LAYOUT_PHRASES[estates.layout.kind] == "NHS Digital's ERIC site data"
    assert any(p.startswith("Read as NHS Digital's ERIC site data: org_code from 'Trust Code'")
               for p in problems(estates))
    assert any(p.startswith("135 columns are not loaded: 'Trust Name',")
               for p in problems(estates))
    loading.load(ods_wh, estates, ANALYST)
    rows = {r[0]: r[1:] for r in ods_wh.rows(
        "select site_code, quarter_start, gia_m2, occupied_m2, empty_m2, site_area_ha,"
        " backlog_cost_gbp::double from estate")}
    assert len(rows) == 20
    # R0A01: 292,119 m², 5% empty; backlog 275,000 + 5,946,156 + 4,214,957 + 10,462,956
    assert rows["R0A01"] == (date(2020, 1, 1), 292_119.0, 292_119.0, 14_605.95, 6.0,
                             20_899_069.0)
    # RJ121: 160,983 m², 85.44% occupied, 2.45% empty
    assert rows["RJ121"][1:5] == (160_983.0, 137_543.88, 3_944.08, 2.9)
    # RALRA: land and every backlog cell 'Not Applicable'
    assert rows["RALRA"][4:] == (None, None)


def test_eric_estates_need_a_quarter(ods_wh):
    c = checked(ods_wh, "estate", ERIC)
    assert not c.ok
    assert c.errors.iloc[0]["problem"].startswith("No column for quarter.")


def test_a_repeated_column_anchor_reads_is_refused_naming_both(ods_wh, tmp_path):
    f = tmp_path / "sites.csv"
    f.write_text("Site Code,Trust Code,Site Name,Site Code,Post Code\n"
                 "RJ121,RJ1,Guy's Hospital,RJ122,SE1 9RT\n", encoding="utf-8")
    c = checked(ods_wh, "site", f)
    assert not c.ok
    assert problems(c) == [
        "The column 'Site Code' appears twice (columns A and D), and Anchor reads it as "
        "site_code: it cannot tell which to load. Rename or delete all but one."]
    assert ods_wh.value("select count(*) from site") == 0


def test_a_national_eric_file_loads_for_the_organisations_held(ods_wh, tmp_path):
    """ERIC holds every trust's sites: rows of trusts not held (here RQM's three, given a
    code no trust has) and sites with no postcode are left out and named; estates returns
    for sites not loaded are left out too."""
    lines = ERIC.read_text(encoding="utf-8").splitlines()
    national = [lines[0]] + [ln.replace("RQM,", "ZZZ,", 1) for ln in lines[1:]]
    national[1] = national[1].replace("M13 9WL", "", 1)  # R0A01 with no postcode
    f = tmp_path / "eric.csv"
    f.write_text("\n".join(national) + "\n", encoding="utf-8")
    sites = checked(ods_wh, "site", f)
    assert sites.ok, sites.errors
    assert ("Rows for 1 organisation the warehouse does not hold left out (load them first "
            "to include their sites): ZZZ." in problems(sites))
    assert ("Rows for 1 site with no postcode left out (they cannot be placed): R0A01."
            in problems(sites))
    loading.load(ods_wh, sites, ANALYST)
    assert ods_wh.value("select count(*) from site") == 16  # 20 - 3 - 1
    estates = checked(ods_wh, "estate", f, quarter=date(2020, 1, 1))
    assert estates.ok, estates.errors
    assert ("Rows for 1 site not in the warehouse left out (load the file as sites first): "
            "R0A01." in problems(estates))
    assert len(estates.rows) == 16


def test_eric_estates_before_its_sites_load_nothing(ods_wh):
    c = checked(ods_wh, "estate", ERIC, quarter=date(2020, 1, 1))
    assert not c.ok
    assert ("None of the file's rows is for an organisation and site the warehouse holds: "
            "nothing to load." in list(c.errors["problem"]))
