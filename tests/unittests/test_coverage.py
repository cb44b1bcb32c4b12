"""Which months of spend are held and which quarters are complete, worked by hand on the
fixture warehouse (whose spend is all paid on 15 April)."""

from __future__ import annotations

from datetime import date

from anchor.coverage import latest_complete, missing_months, partial_note
from anchor.loading.report import coverage_table
from anchor.periods import Period
from anchor.queries import reference

Q1_2023, Q1_2024, Q2_2024 = date(2023, 4, 1), date(2024, 4, 1), date(2024, 7, 1)
NAMES = {"AAA": "Alpha", "BBB": "Beta"}


def add_lines(wh, org: str, paid: str, amount: float, n: int = 1) -> None:
    for _ in range(n):
        wh.rows("insert into spend (org_code, quarter_start, paid_date, supplier_id, category,"
                " amount_gbp) values (?, date_trunc('quarter', ?::date), ?::date, 'S1',"
                " 'Catering', ?)", [org, paid, paid, amount])


def newest_quarter_partial(wh):
    """AAA and BBB hold all of 2024/25 Q1; AAA alone holds one month of 2024/25 Q2."""
    for org in ("AAA", "BBB"):
        add_lines(wh, org, "2024-05-10", 10)
        add_lines(wh, org, "2024-06-10", 20, n=2)
    add_lines(wh, "AAA", "2024-07-10", 30)
    return wh


def test_spend_months_are_counted_by_month_of_payment(fixture_wh):
    months = reference.spend_months(fixture_wh)
    # AAA: 2 lines (£100 + £300) in April 2023; 8 lines in April 2024 (£7,030); BBB: 1 (£1,000)
    assert months.assign(month_start=months["month_start"].dt.date)[
        ["org_code", "month_start", "lines", "spend_gbp"]].values.tolist() == [
        ["AAA", date(2023, 4, 1), 2, 400.0], ["AAA", date(2024, 4, 1), 8, 7030.0],
        ["BBB", date(2024, 4, 1), 1, 1000.0]]
    assert len(reference.spend_months(fixture_wh, ["BBB"])) == 1


def test_the_latest_complete_quarter_skips_one_an_organisation_has_a_month_of(fixture_wh):
    months = reference.spend_months(newest_quarter_partial(fixture_wh))
    quarters = [Q1_2023, Q1_2024, Q2_2024]
    assert latest_complete(months, ["AAA", "BBB"], quarters) == Q1_2024
    assert latest_complete(months, ["BBB"], quarters) == Q1_2024
    # an organisation holding no spend at all does not hold a quarter back
    assert latest_complete(months, ["AAA", "ZZZ"], quarters) == Q1_2024
    assert latest_complete(months, ["AAA"], [Q1_2023]) is None  # April 2023 alone
    assert missing_months(months, ["AAA", "BBB"], Q2_2024) == {
        "AAA": [date(2024, 8, 1), date(2024, 9, 1)],
        "BBB": [date(2024, 7, 1), date(2024, 8, 1), date(2024, 9, 1)]}


def test_a_partial_period_says_which_organisations_and_months_it_holds(fixture_wh):
    months = reference.spend_months(newest_quarter_partial(fixture_wh))
    assert partial_note(months, ["AAA", "BBB"], Period.quarter(Q1_2024)) is None
    assert partial_note(months, ["AAA", "BBB"], Period.quarter(Q2_2024)) == (
        "Spend for this quarter is not complete. 2024/25 Q2 is partial: AAA holds July 2024 "
        "only; BBB holds none of it. Its spend figures cover only the months held.")
    assert partial_note(months, ["AAA"], Period(Q1_2024, Q2_2024)) == (
        "Spend for 2024/25 Q1 to 2024/25 Q2 is not complete. 2024/25 Q2 is partial: AAA "
        "holds July 2024 only. Its spend figures cover only the months held.")


def test_the_data_page_lists_each_organisation_month_and_marks_partial_quarters(fixture_wh):
    months = reference.spend_months(newest_quarter_partial(fixture_wh))
    table = coverage_table(months, NAMES)
    assert table.head(4).values.tolist() == [
        ["AAA · Alpha", "2024/25 Q2", "September 2024", "not held", "–",
         "partial: 1 of 3 months"],
        ["AAA · Alpha", "2024/25 Q2", "August 2024", "not held", "–", "partial: 1 of 3 months"],
        ["AAA · Alpha", "2024/25 Q2", "July 2024", "1", "£30", "partial: 1 of 3 months"],
        ["AAA · Alpha", "2024/25 Q1", "June 2024", "2", "£40", "complete"]]
    assert table["Quarter"].value_counts().to_dict() == {"2024/25 Q1": 6, "2024/25 Q2": 3,
                                                        "2023/24 Q1": 3}
