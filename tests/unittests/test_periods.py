from datetime import date

import pytest

from anchor.periods import (
    Period,
    add_quarters,
    fy_label,
    parse_quarter_label,
    quarter_end,
    quarter_label,
    quarter_start,
)


@pytest.mark.parametrize("d, label", [
    (date(2024, 4, 1), "2024/25 Q1"), (date(2024, 6, 30), "2024/25 Q1"),
    (date(2024, 7, 1), "2024/25 Q2"), (date(2024, 12, 31), "2024/25 Q3"),
    (date(2025, 1, 1), "2024/25 Q4"), (date(2025, 3, 31), "2024/25 Q4"),
    (date(1999, 4, 1), "1999/00 Q1"),
])
def test_quarter_labels(d, label):
    assert quarter_label(d) == label
    assert parse_quarter_label(label) == quarter_start(d)


def test_financial_years_and_arithmetic():
    assert fy_label(date(2015, 3, 31)) == "2014/15"
    assert add_quarters(date(2024, 10, 1), 2) == date(2025, 4, 1)
    assert add_quarters(date(2024, 4, 1), -1) == date(2024, 1, 1)
    assert quarter_end(date(2024, 1, 1)) == date(2024, 3, 31)


def test_periods():
    fy = Period.parse("2014/15")
    assert (fy.first, fy.last, fy.n_quarters, fy.label) == (date(2014, 4, 1), date(2015, 1, 1), 4, "2014/15")
    assert Period.parse("2025/26 Q2") == Period.quarter(date(2025, 7, 1))
    assert Period.quarter(date(2025, 7, 1)).year_earlier().label == "2024/25 Q2"
    assert fy.clipped_to(date(2014, 7, 1)).label == "2014/15 Q1 to 2014/15 Q2"


@pytest.mark.parametrize("bad", ["2024/26 Q1", "2024-25 Q1", "2024/25 Q5", "Q1 2024", ""])
def test_bad_labels_are_named(bad):
    with pytest.raises(ValueError, match="is not a quarter"):
        parse_quarter_label(bad)
