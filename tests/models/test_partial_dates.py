import datetime

import pytest

from orgs.dates import PartialDate, PartialDateError, Precision, is_before


@pytest.mark.parametrize(
    ("text", "earliest", "latest", "precision", "display"),
    [
        ("2024", datetime.date(2024, 1, 1), datetime.date(2024, 12, 31), Precision.YEAR, "2024"),
        (
            "2024-01",
            datetime.date(2024, 1, 1),
            datetime.date(2024, 1, 31),
            Precision.MONTH,
            "January 2024",
        ),
        (
            "2024-02",
            datetime.date(2024, 2, 1),
            datetime.date(2024, 2, 29),
            Precision.MONTH,
            "February 2024",
        ),
        (
            "2024-07-04",
            datetime.date(2024, 7, 4),
            datetime.date(2024, 7, 4),
            Precision.DAY,
            "4 July 2024",
        ),
        (
            " 2024-7-4 ",
            datetime.date(2024, 7, 4),
            datetime.date(2024, 7, 4),
            Precision.DAY,
            "4 July 2024",
        ),
        (
            "≤2025-06-09",
            datetime.date(2025, 6, 9),
            datetime.date(2025, 6, 9),
            Precision.BY,
            "by 9 June 2025",
        ),
    ],
)
def test_it_parses_and_prints_at_precision(text, earliest, latest, precision, display):
    value = PartialDate.parse(text)
    assert (value.earliest, value.latest, value.precision, value.display) == (
        earliest,
        latest,
        precision,
        display,
    )
    assert PartialDate.parse(value.iso) == value


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2024-13", "Month 13 does not exist"),
        ("2024-00", "Month 0 does not exist"),
        ("2023-02-29", "February 2023 has no day 29"),
        ("2024-04-31", "April 2024 has no day 31"),
        ("yesterday", "is not a date"),
        ("", "is not a date"),
        ("24-01-01", "is not a date"),
        ("2024/01/01", "is not a date"),
        ("≤2024", "needs a full date"),
        ("0000", "out of range"),
    ],
)
def test_it_refuses_bad_dates_with_a_readable_message(text, message):
    with pytest.raises(PartialDateError, match=message):
        PartialDate.parse(text)


def test_end_before_start_is_judged_at_the_coarser_precision():
    assert is_before(PartialDate.parse("2015-06"), PartialDate.parse("2015-07"))
    assert not is_before(PartialDate.parse("2015-07"), PartialDate.parse("2015"))
    assert not is_before(PartialDate.parse("2015"), PartialDate.parse("2015-07-10"))
    assert is_before(PartialDate.parse("2014"), PartialDate.parse("2015-07-10"))
