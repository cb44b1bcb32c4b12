"""Loading organisations (with their footprint and its home place) and sites, worked by hand
on the fixture warehouse: what is written, what the preview and the audit trail say, what
undo puts back, and how the demo's entries are replaced."""

from __future__ import annotations

import pytest

from anchor import loading
from anchor.auth import PermissionDenied, Role, User
from anchor.db import Warehouse
from anchor.loading.report import changes_table, history_table
from anchor.queries.loads import load_history, table_fingerprints
from anchor.queries.reference import has_demo_data

ANALYST = User("ana@example.nhs.uk", Role.ANALYST, "signed in", "ana@example.nhs.uk")
VIEWER = User("vic@example.nhs.uk", Role.VIEWER, "signed in", "vic@example.nhs.uk")
ORG_HEADER = "org_code,name,org_type,footprint_code,footprint_name,home_local_authorities\n"
# A new trust in a new footprint whose home place is given by name and by code, and AAA
# renamed; FP1's name and home place are not given, so they stay as they are.
NEW_ORGS = (ORG_HEADER
            + "ccc,Gamma Hospitals NHS Trust,Acute trust,fp2,Second footprint,"
              "sandwell; E08000025\n"
            + "AAA,Alpha Hospitals University NHS Trust,Acute trust,FP1,,\n")
SITE_HEADER = "site_code,org_code,name,postcode\n"
LOAD_TABLES = {"load", "load_slice", "data_version"}


def checked_csv(wh, table: str, text: str, name: str = "file.csv"):
    return loading.check(wh, loading.read_bytes(name, text.encode()), loading.spec(table))


def organisations(wh) -> list[tuple]:
    return wh.rows("select org_code, name, org_type, footprint_code, is_demo from organisation"
                   " order by org_code")


def footprints(wh) -> list[tuple]:
    return wh.rows("select footprint_code, name from footprint order by footprint_code")


def home(wh) -> list[tuple]:
    return wh.rows("select footprint_code, lad_code from footprint_lad order by all")


def changed(before: dict, after: dict) -> set[str]:
    return {t for t in before if before[t] != after[t]}


def test_an_organisations_file_sets_up_organisations_footprint_and_home_place(fixture_wh):
    checked = checked_csv(fixture_wh, "organisation", NEW_ORGS, "orgs.csv")
    assert checked.ok, checked.issues
    assert checked.issues.empty
    version = fixture_wh.data_version()
    before = table_fingerprints(fixture_wh)

    pv = loading.preview(fixture_wh, checked, ANALYST)
    assert table_fingerprints(fixture_wh) == before  # rolled back
    assert changes_table(pv.changes).values.tolist() == [
        ["Organisation", "CCC", "–", "Gamma Hospitals NHS Trust · Acute trust · FP2", "new"],
        ["Organisation", "AAA", "Alpha Hospitals NHS Trust · Acute trust · FP1",
         "Alpha Hospitals University NHS Trust · Acute trust · FP1", "replaced"],
        ["Footprint", "FP2", "–", "Second footprint", "new"],
        ["Home local authorities", "FP2", "–", "Birmingham; Sandwell", "new"],
    ]
    assert pv.figures.empty

    result = loading.load(fixture_wh, checked, ANALYST)
    assert (result.rows_added, result.rows_replaced) == (2, 1)
    assert organisations(fixture_wh) == [
        ("AAA", "Alpha Hospitals University NHS Trust", "Acute trust", "FP1", False),
        ("BBB", "Beta Healthcare NHS Trust", "Acute trust", "FP1", False),
        ("CCC", "Gamma Hospitals NHS Trust", "Acute trust", "FP2", False),
    ]
    assert footprints(fixture_wh) == [("FP1", "Fixture footprint"), ("FP2", "Second footprint")]
    assert home(fixture_wh) == [("FP1", "E08000025"), ("FP1", "E08000028"),
                                ("FP2", "E08000025"), ("FP2", "E08000028")]
    assert fixture_wh.data_version() == version + 1
    assert fixture_wh.rows("select loaded_by, file_name, table_name, outcome from load") == [
        ("ana@example.nhs.uk", "orgs.csv", "organisation", "loaded")]
    assert fixture_wh.rows("select table_name, org_code, quarter_start, rows_added,"
                           " rows_replaced from load_slice order by all") == [
        ("footprint", None, None, 1, 0), ("footprint_lad", None, None, 2, 0),
        ("organisation", "AAA", None, 1, 1), ("organisation", "CCC", None, 1, 0)]
    history = history_table(load_history(fixture_wh)).iloc[0]
    assert (history["Data"], history["Organisations and quarters"], history["Rows added"],
            history["Rows replaced"]) == ("Organisations and footprints", "AAA, CCC", "2", "1")


def test_a_footprint_is_renamed_and_its_home_place_replaced_only_when_the_file_says(fixture_wh):
    same = ORG_HEADER + "BBB,Beta Healthcare NHS Trust,Acute trust,FP1,Fixture footprint,\n"
    checked = checked_csv(fixture_wh, "organisation", same)
    assert checked.ok and checked.related["footprint"].empty
    assert checked.related["footprint_lad"].empty
    renamed = ORG_HEADER + ("BBB,Beta Healthcare NHS Trust,Acute trust,FP1,Fixture ICS,\n"
                            "AAA,Alpha Hospitals NHS Trust,Acute trust,FP1,,Westminster\n")
    result = loading.load(fixture_wh, checked_csv(fixture_wh, "organisation", renamed), ANALYST)
    assert footprints(fixture_wh) == [("FP1", "Fixture ICS")]
    assert home(fixture_wh) == [("FP1", "E09000033")]
    assert result.related.values.tolist() == [["footprint", 1, 1], ["footprint_lad", 1, 2]]


def test_local_authorities_by_code_name_and_the_ways_people_write_them(fixture_wh):
    fixture_wh.rows("insert into geo_lad (lad_code, lad_name) values"
                    " ('E06000023', 'Bristol, City of'), ('E08000031', 'Wolverhampton')")
    text = ORG_HEADER + ("CCC,Gamma,Acute trust,FP2,Two,e08000028;Birmingham ;;City of Bristol;"
                         " City of Wolverhampton; Westminster City Council; sandwell\n")
    checked = checked_csv(fixture_wh, "organisation", text)
    assert checked.ok, checked.issues
    assert sorted(checked.related["footprint_lad"]["lad_code"]) == [
        "E06000023", "E08000025", "E08000028", "E08000031", "E09000033"]
    bristol = ORG_HEADER + "CCC,Gamma,Acute trust,FP2,Two,\"Bristol, City of; Bristol\"\n"
    assert list(checked_csv(fixture_wh, "organisation", bristol).related["footprint_lad"][
        "lad_code"]) == ["E06000023"]


def test_a_long_list_of_local_authorities_does_not_look_like_the_separator(fixture_wh):
    """Excel saves 'Sandwell; Birmingham; …' unquoted: seven semicolons on the one data row
    against five commas must still read as a comma-separated file."""
    lads = ("Sandwell; Birmingham; Westminster; E08000028; E08000025; E09000033; sandwell; "
            "BIRMINGHAM")
    checked = checked_csv(fixture_wh, "organisation",
                          ORG_HEADER + f"CCC,Gamma,Acute trust,FP2,Two,{lads}\n")
    assert checked.ok, checked.issues
    assert checked.columns == ORG_HEADER.strip().split(",")
    assert sorted(checked.related["footprint_lad"]["lad_code"]) == [
        "E08000025", "E08000028", "E09000033"]


def test_a_new_footprint_without_home_local_authorities_is_a_warning(fixture_wh):
    checked = checked_csv(fixture_wh, "organisation",
                          ORG_HEADER + "CCC,Gamma,Council,FP2,Two,\nDDD,Delta,University,FP2,,\n")
    assert checked.ok
    assert checked.warnings[["row", "column", "problem"]].values.tolist() == [
        [2, "footprint_code", "FP2 has no home local authorities: until it has, 'local' means "
                              "within 10 km of its organisations' sites. Give them in "
                              "home_local_authorities."]]


def test_a_sites_file_adds_and_replaces_sites(fixture_wh):
    loading.load(fixture_wh, checked_csv(fixture_wh, "organisation", NEW_ORGS), ANALYST)
    text = SITE_HEADER + ("ccc01,Gamma Hospitals NHS Trust,Gamma General,b709pl\n"
                          "AAA01,AAA,Alpha General Hospital,B71 4HJ\n"
                          "CCC02,CCC,Gamma Community,zz9 9zz\n")
    checked = checked_csv(fixture_wh, "site", text)
    assert checked.ok, checked.issues
    assert checked.warnings[["row", "column", "value", "problem"]].values.tolist() == [
        [4, "postcode", "zz9 9zz", "ZZ9 9ZZ is not a postcode the geography can place (new, "
                                   "mistyped, or known without a location): the site is left "
                                   "off the maps, out of distances from the sites and out of "
                                   "every place until it has one."]]
    pv = loading.preview(fixture_wh, checked, ANALYST)
    assert changes_table(pv.changes)[["Code", "Now", "Change"]].values.tolist() == [
        ["CCC01", "–", "new"], ["AAA01", "Alpha General · AAA · B71 4HJ", "replaced"],
        ["CCC02", "–", "new"]]
    assert pv.slices[["org_code", "rows_added", "rows_replaced"]].values.tolist() == [
        ["AAA", 1, 1], ["CCC", 2, 0]]
    loading.load(fixture_wh, checked, ANALYST)
    assert fixture_wh.rows("select site_code, org_code, name, postcode from site"
                           " order by site_code") == [
        ("AAA01", "AAA", "Alpha General Hospital", "B71 4HJ"),
        ("BBB01", "BBB", "Beta City", "B18 7QH"),
        ("CCC01", "CCC", "Gamma General", "B70 9PL"),
        ("CCC02", "CCC", "Gamma Community", "ZZ9 9ZZ")]


def test_a_site_moving_to_another_organisation_is_a_warning(fixture_wh):
    checked = checked_csv(fixture_wh, "site", SITE_HEADER + "BBB01,AAA,Beta City,B18 7QH\n")
    assert checked.ok
    assert list(checked.warnings["problem"]) == [
        "Site BBB01 moves from BBB to AAA; its earlier estates returns stay with BBB."]


def test_estates_for_a_new_site_load_once_the_site_is_loaded(fixture_wh):
    estate = ("org_code,site_code,quarter,site_area_ha,land_not_delivering_ha\n"
              "AAA,AAA02,2024/25 Q1,3.0,0.5\n")
    refused = checked_csv(fixture_wh, "estate", estate)
    assert list(refused.errors["problem"]) == ["Not a site in the warehouse."]
    loading.load(fixture_wh, checked_csv(
        fixture_wh, "site", SITE_HEADER + "AAA02,AAA,Alpha Annexe,B70 9PL\n"), ANALYST)
    checked = checked_csv(fixture_wh, "estate", estate)
    assert checked.ok, checked.issues
    result = loading.load(fixture_wh, checked, ANALYST)
    assert fixture_wh.rows("select site_code, land_not_delivering_ha from estate"
                           " where load_id = ?", [result.load_id]) == [("AAA02", 0.5)]


def test_undo_puts_back_organisations_footprints_and_home_places_exactly(fixture_wh):
    before = table_fingerprints(fixture_wh)
    first = loading.load(fixture_wh, checked_csv(fixture_wh, "organisation", NEW_ORGS), ANALYST)
    after_first = table_fingerprints(fixture_wh)
    second = loading.load(fixture_wh, checked_csv(
        fixture_wh, "organisation",
        ORG_HEADER + "AAA,Alpha,Mental health trust,FP2,Footprint Two,Westminster\n"), ANALYST)
    assert organisations(fixture_wh)[0] == ("AAA", "Alpha", "Mental health trust", "FP2", False)
    assert home(fixture_wh)[-1] == ("FP2", "E09000033")
    with pytest.raises(loading.LoadError, match=f"Undo load {second.load_id} first"):
        loading.undo(fixture_wh, first.load_id, ANALYST)

    undone = loading.undo(fixture_wh, second.load_id, ANALYST)
    assert (undone.rows_removed, undone.rows_restored) == (1, 1)
    assert changed(after_first, table_fingerprints(fixture_wh)) == LOAD_TABLES
    loading.undo(fixture_wh, first.load_id, ANALYST)
    assert changed(before, table_fingerprints(fixture_wh)) == LOAD_TABLES
    assert [r[0] for r in fixture_wh.rows("select outcome from load order by load_id")] == [
        "undone", "undone"]


def test_undo_of_sites_puts_back_the_sites_it_replaced(fixture_wh):
    before = table_fingerprints(fixture_wh)
    result = loading.load(fixture_wh, checked_csv(
        fixture_wh, "site", SITE_HEADER + "aaa01,AAA,Renamed,B70 9PL\nAAA03,AAA,New,B70 9PL\n"),
        ANALYST)
    assert (result.rows_added, result.rows_replaced) == (2, 1)
    loading.undo(fixture_wh, result.load_id, ANALYST)
    assert changed(before, table_fingerprints(fixture_wh)) == LOAD_TABLES


def test_undo_waits_for_data_that_refers_to_what_the_load_added(fixture_wh):
    orgs = loading.load(fixture_wh, checked_csv(fixture_wh, "organisation", NEW_ORGS), ANALYST)
    sites = loading.load(fixture_wh, checked_csv(
        fixture_wh, "site", SITE_HEADER + "CCC01,CCC,Gamma General,B70 9PL\n"), ANALYST)
    estate = loading.load(fixture_wh, checked_csv(
        fixture_wh, "estate", "org_code,site_code,quarter,gia_m2\nCCC,CCC01,2024/25 Q1,100\n"),
        ANALYST)
    with pytest.raises(loading.LoadError, match=(
            rf"Load {orgs.load_id} added organisations \(CCC\) that other data now refers to "
            rf"\(loads {sites.load_id}, {estate.load_id}\)")):
        loading.undo(fixture_wh, orgs.load_id, ANALYST)
    with pytest.raises(loading.LoadError, match=(
            rf"Load {sites.load_id} added sites \(CCC01\) that other data now refers to "
            rf"\(loads {estate.load_id}\)")):
        loading.undo(fixture_wh, sites.load_id, ANALYST)
    # an organisation loaded later into the footprint the first load created
    later = loading.load(fixture_wh, checked_csv(
        fixture_wh, "organisation", ORG_HEADER + "DDD,Delta,Council,FP2,,\n"), ANALYST)
    for load_id in (estate.load_id, sites.load_id):
        loading.undo(fixture_wh, load_id, ANALYST)
    with pytest.raises(loading.LoadError, match=(
            rf"added footprints \(FP2\) that other data now refers to \(loads {later.load_id}\)")):
        loading.undo(fixture_wh, orgs.load_id, ANALYST)
    loading.undo(fixture_wh, later.load_id, ANALYST)
    loading.undo(fixture_wh, orgs.load_id, ANALYST)
    assert [r[0] for r in organisations(fixture_wh)] == ["AAA", "BBB"]


def test_a_demo_organisation_is_replaced_and_comes_back_on_undo(fixture_wh):
    # BBB and FP1 as the demo's, with BBB's spend: BBB is the only demo organisation
    fixture_wh.rows("update organisation set is_demo = true where org_code = 'BBB'")
    fixture_wh.rows("update footprint set is_demo = true")
    fixture_wh.rows("update spend set is_demo = true where org_code = 'BBB'")
    before = table_fingerprints(fixture_wh)
    checked = checked_csv(fixture_wh, "organisation",
                          ORG_HEADER + "bbb,Beta Healthcare NHS Trust,Acute trust,FP1,,\n")
    assert checked.ok
    assert list(checked.warnings["problem"]) == [
        "FP1 is the demo footprint: it becomes yours, with its home local authorities, and "
        "stays when the demo is removed.",
        "A demo organisation: this entry replaces it and stays when the demo is removed; the "
        "demo's spend, staff and estates for it go with the demo."]
    result = loading.load(fixture_wh, checked, ANALYST)
    assert organisations(fixture_wh)[1] == ("BBB", "Beta Healthcare NHS Trust", "Acute trust",
                                            "FP1", False)
    assert fixture_wh.rows("select name, is_demo from footprint") == [("Fixture footprint", False)]
    assert not has_demo_data(fixture_wh)
    loading.undo(fixture_wh, result.load_id, ANALYST)
    # no demo organisation was left, but the demo's spend was: the demo is still there, so
    # BBB and FP1 come back as the demo's
    assert changed(before, table_fingerprints(fixture_wh)) == LOAD_TABLES
    assert has_demo_data(fixture_wh)


def test_a_viewer_cannot_load_organisations_or_sites(fixture_wh):
    before = table_fingerprints(fixture_wh)
    for table, text in (("organisation", NEW_ORGS),
                        ("site", SITE_HEADER + "AAA02,AAA,Annexe,B70 9PL\n")):
        with pytest.raises(PermissionDenied, match="cannot load data"):
            loading.load(fixture_wh, checked_csv(fixture_wh, table, text), VIEWER)
    assert table_fingerprints(fixture_wh) == before


def test_the_demo_leaves_a_loaded_footprint_alone_and_undo_never_brings_it_back(demo_copy):
    """Loading an organisation into the demo's footprint makes the footprint the analyst's:
    rebuilding the demo keeps their name and home place; removing the demo keeps them and
    their organisation; undoing the load afterwards brings no demo row back."""
    from anchor.demo import build_demo

    wh = Warehouse(demo_copy)
    try:
        text = ORG_HEADER + ("RXK,Sandwell and West Birmingham Hospitals NHS Trust,Acute trust,"
                             "BCWB,Black Country ICS,Sandwell\n")
        result = loading.load(wh, checked_csv(wh, "organisation", text), ANALYST)
        build_demo(wh, ANALYST)
        assert wh.rows("select name, is_demo from footprint") == [("Black Country ICS", False)]
        assert home(wh) == [("BCWB", "E08000028")]
        assert wh.rows("select is_demo, load_id from organisation where org_code = 'RXK'") == [
            (False, result.load_id)]
        assert wh.value("select count(*) from organisation where is_demo") == 4
        loading.remove_demo_data(wh, ANALYST)
        assert [r[0] for r in organisations(wh)] == ["RXK"]
        assert home(wh) == [("BCWB", "E08000028")]
        loading.undo(wh, result.load_id, ANALYST)
        assert organisations(wh) == [] and footprints(wh) == [] and home(wh) == []
        assert wh.value("select count(*) from site") == 0
        assert wh.value("select max(quarter_start) from spend") is None
    finally:
        wh.close()


def test_organisation_history_labels(fixture_wh):
    sites = loading.load(fixture_wh, checked_csv(
        fixture_wh, "site", SITE_HEADER + "AAA02,AAA,Annexe,B70 9PL\nBBB02,BBB,Two,B70 9PL\n"),
        ANALYST)
    row = history_table(load_history(fixture_wh)).iloc[0]
    assert (row["Load"], row["Data"], row["Organisations and quarters"]) == (
        sites.load_id, "Sites", "Sites of AAA, BBB")
