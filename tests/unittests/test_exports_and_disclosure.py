import io

import pandas as pd
from openpyxl import load_workbook

from anchor import disclosure, spreadsheets


def test_text_that_would_run_as_a_formula_is_neutralised():
    df = pd.DataFrame({"Supplier": ["=HYPERLINK(\"x\")", "+44 1234", "-cmd", "@SUM(A1)", "Acme"],
                       "Amount": [1.0, -500.0, 2.0, 3.0, 4.0]})
    safe = spreadsheets.safe_frame(df)
    assert list(safe["Supplier"]) == ["'=HYPERLINK(\"x\")", "'+44 1234", "'-cmd", "'@SUM(A1)", "Acme"]
    assert list(safe["Amount"]) == [1.0, -500.0, 2.0, 3.0, 4.0]  # numbers stay numbers
    text = spreadsheets.to_csv_bytes(df).decode("utf-8-sig")
    assert text.splitlines()[1] == '"\'=HYPERLINK(""x"")",1.0'
    assert text.splitlines()[2] == "'+44 1234,-500.0"
    wb = load_workbook(io.BytesIO(spreadsheets.to_xlsx_bytes(df, notes=["=not a formula"])))
    ws = wb["Data"]
    assert ws["A2"].value == "'=HYPERLINK(\"x\")"
    assert ws["A2"].data_type == "s"
    assert ws["B3"].value == -500
    assert wb["Notes"]["A2"].value == "'=not a formula"


def test_counts_below_five_are_suppressed_with_their_shares():
    df = pd.DataFrame({"lsoa": ["a", "b", "c", "d"], "headcount": [0, 3, 5, 12],
                       "share": [0.0, 0.1, 0.2, 0.7]})
    out = disclosure.suppress(df, ["headcount"], linked={"share": "headcount"})
    assert list(out["headcount"]) == [0, None, 5, 10]  # 12 to the nearest 5
    assert list(out["share"]) == [0.0, None, 0.2, 0.7]
    assert [disclosure.show_count(x) for x in [0, 4, 5, None]] == ["0", "*", "5", "*"]
    assert [disclosure.show_count(x) for x in [7, 8, 92, 93, 1234]] == [
        "5", "10", "90", "95", "1,235"]


def test_file_stem():
    from datetime import date
    assert spreadsheets.file_stem("Local spend: by category", date(2026, 11, 24)) == (
        "anchor-local-spend-by-category-2026-11-24")
