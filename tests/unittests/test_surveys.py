"""Uploading the LM3 surveys and the local supplier directory."""

import pytest

from anchor.auth import Role, User
from anchor.loading.readers import read_bytes
from anchor.surveys import check_reference, save_reference

ANALYST = User("Ann Analyst", Role.ANALYST, "local", "ann@example.nhs.uk")
VIEWER = User("Val Viewer", Role.VIEWER, "local", "val@example.nhs.uk")


def checked(wh, key, text, name="file.csv"):
    return check_reference(wh, key, read_bytes(name, text.encode("utf-8")))


def snapshot(wh):
    return [wh.rows(f"select * from {t} order by all") for t in
            ("supplier_survey", "staff_survey", "local_business", "load")]


def test_supplier_survey_matches_by_id_or_name_and_reads_percentages(fixture_wh):
    c = checked(fixture_wh, "supplier_survey",
                "Supplier,Local spend share,Local payroll share\n"
                "S1,45%,0.8\n"
                "brum two CIC,30,95%\n")
    assert c.errors.empty, c.errors
    rows = c.rows.set_index("supplier_id")
    assert rows.loc["S1", "local_spend_share"] == pytest.approx(0.45)
    assert rows.loc["S2", "local_spend_share"] == pytest.approx(0.30)  # 30 read as 30%
    assert rows.loc["S2", "local_payroll_share"] == pytest.approx(0.95)
    load_id = save_reference(fixture_wh, c, ANALYST)
    assert fixture_wh.value("select count(*) from supplier_survey") == 2
    assert fixture_wh.rows("select table_name, outcome from load where load_id = ?", [load_id]) == [
        ("supplier_survey", "loaded")]


@pytest.mark.parametrize("text, column, problem", [
    ("Supplier,Local spend share\nS1,40%\n", "local_payroll_share", "has no 'local_payroll_share'"),
    ("Supplier,Local spend share,Local payroll share\nNobody Ltd,40%,50%\n", "supplier",
     "Not in the supplier register"),
    ("Supplier,Local spend share,Local payroll share\nS1,140%,50%\n", "local_spend_share",
     "between 0% and 100%"),
    ("Supplier,Local spend share,Local payroll share\nS1,lots,50%\n", "local_spend_share",
     "Not a number"),
    ("Supplier,Local spend share,Local payroll share\n=cmd(),40%,50%\n", "supplier", "formula"),
    ("Supplier,Local spend share,Local payroll share\nS1," + "9" * 400 + ",50%\n",
     "local_spend_share", "between 0% and 100%"),  # reads as infinity
    ("Supplier,Local spend share,Local payroll share\nS1,inf%,50%\n", "local_spend_share",
     "Not a number"),
])
def test_bad_survey_files_change_nothing(fixture_wh, text, column, problem):
    before = snapshot(fixture_wh)
    c = checked(fixture_wh, "supplier_survey", text)
    assert not c.ok
    assert c.errors["column"].eq(column).any()
    assert c.errors["problem"].str.contains(problem).any()
    with pytest.raises(ValueError):
        save_reference(fixture_wh, c, ANALYST)
    assert snapshot(fixture_wh) == before


def test_staff_survey(fixture_wh):
    c = checked(fixture_wh, "staff_survey", "org_code,net_pay_local_share,respondents\nAAA,41%,1,240\n"
                .replace("1,240", '"1,240"'))
    assert c.ok, c.errors
    save_reference(fixture_wh, c, ANALYST)
    assert fixture_wh.rows("select org_code, net_pay_local_share, respondents from staff_survey") == [
        ("AAA", pytest.approx(0.41), 1240)]
    bad = checked(fixture_wh, "staff_survey", "org_code,net_pay_local_share\nZZZ,41%\n")
    assert bad.errors["problem"].str.contains("Not an organisation").any()
    bad = checked(fixture_wh, "staff_survey",
                  "org_code,net_pay_local_share,respondents\nAAA,41%,2000000\n")
    assert bad.errors[["row", "column", "value", "problem"]].values.tolist() == [
        [2, "respondents", "2000000", "More than 1,000,000 people: the largest NHS trusts "
                                      "employ about 30,000."]]


def test_a_supplier_survey_finds_ids_in_any_case(fixture_wh):
    c = checked(fixture_wh, "supplier_survey",
                "Supplier,Local spend share,Local payroll share\ns1,45%,80%\n")
    assert c.errors.empty, c.errors
    assert list(c.rows["supplier_id"]) == ["S1"]


def test_directory_upload_replaces_the_directory(fixture_wh):
    text = ("Name,Postcode,Categories,SME,Health approved\n"
            "Lye Joinery Ltd,b709pl,Catering; Mystery goods,yes,no\n"
            "Tipton Bakes,B18 7QH,Catering,yes,yes\n")
    c = checked(fixture_wh, "directory", text, "directory.csv")
    assert c.ok, c.errors
    warnings = c.issues[c.issues["severity"] == "warning"]
    assert warnings["problem"].str.contains("Not a spend category: Mystery goods").any()
    save_reference(fixture_wh, c, ANALYST)
    rows = fixture_wh.rows("select name, postcode, categories, health_approved from local_business"
                           " order by name")
    assert rows == [("Lye Joinery Ltd", "B70 9PL", ["Catering", "Mystery goods"], False),
                    ("Tipton Bakes", "B18 7QH", ["Catering"], True)]
    again = checked(fixture_wh, "directory", "Name,Postcode,Categories\nOne Ltd,B70 9PL,Catering\n")
    assert again.replaces == 2
    save_reference(fixture_wh, again, ANALYST)
    assert fixture_wh.value("select count(*) from local_business") == 1


def test_directory_bad_postcode_is_named(fixture_wh):
    c = checked(fixture_wh, "directory", "Name,Postcode,Categories\nOne Ltd,B7,Catering\n")
    assert not c.ok
    assert c.errors["problem"].str.contains("'B7' is not a UK postcode").any()


def test_a_viewer_cannot_load_references(fixture_wh):
    c = checked(fixture_wh, "staff_survey", "org_code,net_pay_local_share\nAAA,41%\n")
    before = snapshot(fixture_wh)
    with pytest.raises(PermissionError):
        save_reference(fixture_wh, c, VIEWER)
    assert snapshot(fixture_wh) == before
