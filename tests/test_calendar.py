"""Deadline arithmetic, checked against dates worked out by hand on a real calendar.

Every expected date below was counted day by day (weekdays checked with GNU `date`), never produced
by the code under test. The bank holidays come from the pinned `holidays` package (0.108), as they
will in the build.
"""

from __future__ import annotations

import calendar as stdlib_calendar
import datetime as dt
import functools
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.core.calendar import (
    Calendar,
    OutOfRange,
    Reckoning,
    Skipped,
    calendar_for,
    describe,
    describe_skipped,
    uk_holidays,
)

D = dt.date
NATIONS = ("england", "wales", "scotland", "northern-ireland")
FIRST, LAST = 2024, 2030


@functools.cache
def cal(nation: str) -> Calendar:
    return calendar_for(nation, FIRST, LAST)


@functools.cache
def raw_holidays(nation: str) -> frozenset[dt.date]:
    """Straight from the package, as an oracle independent of `Calendar`."""
    import holidays

    subdiv = {"england": "ENG", "wales": "WLS", "scotland": "SCT", "northern-ireland": "NIR"}[nation]
    return frozenset(holidays.UK(subdiv=subdiv, years=range(FIRST, LAST + 1)))


def working(nation: str, day: dt.date) -> bool:
    return day.weekday() < 5 and day not in raw_holidays(nation)


def sk(*pairs: tuple[dt.date, str]) -> tuple[Skipped, ...]:
    return tuple(Skipped(day, name) for day, name in pairs)


XMAS = (D(2026, 12, 25), "Christmas Day")
BOXING_SUB = (D(2026, 12, 28), "Boxing Day, substitute day")
NYD_2027 = (D(2027, 1, 1), "New Year's Day")
NY_HOLIDAY_SUB_2027 = (D(2027, 1, 4), "New Year Holiday, substitute day")
GOOD_FRIDAY_2027 = (D(2027, 3, 26), "Good Friday")
EASTER_MONDAY_2027 = (D(2027, 3, 29), "Easter Monday")

# (nation, anchor, n, expected date, expected skipped)
WORKING_DAY_CASES = [
    # Plain weekdays: Mon 2 Mar 2026 -> Tue 3 (1) .. Fri 6 (4), Mon 9 (5).
    ("england", D(2026, 3, 2), 5, D(2026, 3, 9), ()),
    ("england", D(2026, 3, 4), 0, D(2026, 3, 4), ()),  # zero days: the anchor itself
    ("england", D(2026, 3, 6), 1, D(2026, 3, 9), ()),  # Fri -> Mon
    ("england", D(2026, 3, 7), 1, D(2026, 3, 9), ()),  # Sat -> Mon
    ("england", D(2026, 3, 8), 5, D(2026, 3, 13), ()),  # Sun -> Mon 9 (1) .. Fri 13 (5)
    ("wales", D(2026, 3, 2), 10, D(2026, 3, 16), ()),  # two full weeks
    # Christmas 2026: Fri 25 Christmas Day, Sat 26 Boxing Day, Mon 28 Boxing Day substitute.
    # Thu 24 (1), Tue 29 (2), Wed 30 (3), Thu 31 (4), [Fri 1 Jan New Year's Day], Mon 4 Jan (5).
    ("england", D(2026, 12, 23), 5, D(2027, 1, 4), sk(XMAS, BOXING_SUB, NYD_2027)),
    ("wales", D(2026, 12, 23), 5, D(2027, 1, 4), sk(XMAS, BOXING_SUB, NYD_2027)),
    ("northern-ireland", D(2026, 12, 23), 5, D(2027, 1, 4), sk(XMAS, BOXING_SUB, NYD_2027)),
    # Scotland also has 2 Jan (a Saturday in 2027), substituted on Mon 4 Jan: Tue 5 Jan is the 5th.
    ("scotland", D(2026, 12, 23), 5, D(2027, 1, 5), sk(XMAS, BOXING_SUB, NYD_2027, NY_HOLIDAY_SUB_2027)),
    ("wales", D(2026, 12, 24), 1, D(2026, 12, 29), sk(XMAS, BOXING_SUB)),
    ("england", D(2026, 12, 25), 1, D(2026, 12, 29), sk(BOXING_SUB)),  # a holiday anchor is not "skipped"
    ("england", D(2026, 12, 31), 1, D(2027, 1, 4), sk(NYD_2027)),
    ("scotland", D(2026, 12, 31), 1, D(2027, 1, 5), sk(NYD_2027, NY_HOLIDAY_SUB_2027)),
    # New Year 2026 in Scotland: Thu 1 Jan and Fri 2 Jan both holidays.
    ("scotland", D(2025, 12, 31), 1, D(2026, 1, 5), sk((D(2026, 1, 1), "New Year's Day"),
                                                        (D(2026, 1, 2), "New Year Holiday"))),
    ("england", D(2025, 12, 31), 1, D(2026, 1, 2), sk((D(2026, 1, 1), "New Year's Day"))),
    # Easter 2027: Good Friday 26 Mar, Easter Monday 29 Mar (not a bank holiday in Scotland).
    ("england", D(2027, 3, 25), 1, D(2027, 3, 30), sk(GOOD_FRIDAY_2027, EASTER_MONDAY_2027)),
    ("northern-ireland", D(2027, 3, 25), 1, D(2027, 3, 30), sk(GOOD_FRIDAY_2027, EASTER_MONDAY_2027)),
    ("scotland", D(2027, 3, 25), 1, D(2027, 3, 29), sk(GOOD_FRIDAY_2027)),
    # Wed 24: Thu 25 (1), Tue 30 (2), Wed 31 (3); Scotland: Thu 25 (1), Mon 29 (2), Tue 30 (3).
    ("england", D(2027, 3, 24), 3, D(2027, 3, 31), sk(GOOD_FRIDAY_2027, EASTER_MONDAY_2027)),
    ("scotland", D(2027, 3, 24), 3, D(2027, 3, 30), sk(GOOD_FRIDAY_2027)),
    # St Patrick's Day, Wed 17 Mar 2027: Northern Ireland only.
    ("northern-ireland", D(2027, 3, 16), 1, D(2027, 3, 18), sk((D(2027, 3, 17), "Saint Patrick's Day"))),
    ("england", D(2027, 3, 16), 1, D(2027, 3, 17), ()),
    # Battle of the Boyne: Mon 12 Jul 2027; in 2026 it is a Sunday, substituted on Mon 13 Jul.
    ("northern-ireland", D(2027, 7, 9), 1, D(2027, 7, 13), sk((D(2027, 7, 12), "Battle of the Boyne"))),
    ("england", D(2027, 7, 9), 1, D(2027, 7, 12), ()),
    ("northern-ireland", D(2026, 7, 10), 1, D(2026, 7, 14),
     sk((D(2026, 7, 13), "Battle of the Boyne, substitute day"))),  # Sun 12 Jul itself not listed
    # Scotland and England differ: St Andrew's Day Mon 30 Nov 2026; summer holidays 3 Aug vs 31 Aug 2026.
    ("scotland", D(2026, 11, 27), 1, D(2026, 12, 1), sk((D(2026, 11, 30), "Saint Andrew's Day"))),
    ("england", D(2026, 11, 27), 1, D(2026, 11, 30), ()),
    ("scotland", D(2026, 7, 31), 1, D(2026, 8, 4), sk((D(2026, 8, 3), "Summer Bank Holiday"))),
    ("england", D(2026, 7, 31), 1, D(2026, 8, 3), ()),
    ("england", D(2026, 8, 28), 1, D(2026, 9, 1), sk((D(2026, 8, 31), "Late Summer Bank Holiday"))),
    ("scotland", D(2026, 8, 28), 1, D(2026, 8, 31), ()),
    # Christmas 2027: Sat 25 and Sun 26 (not listed), substitutes Mon 27 and Tue 28 Dec.
    ("england", D(2027, 12, 24), 1, D(2027, 12, 29), sk((D(2027, 12, 27), "Christmas Day, substitute day"),
                                                        (D(2027, 12, 28), "Boxing Day, substitute day"))),
    # New Year 2028: Sat 1 Jan -> Mon 3 Jan; Scotland's Sun 2 Jan -> Tue 4 Jan.
    ("england", D(2027, 12, 31), 1, D(2028, 1, 4), sk((D(2028, 1, 3), "New Year's Day, substitute day"))),
    ("scotland", D(2027, 12, 31), 1, D(2028, 1, 5), sk((D(2028, 1, 3), "New Year's Day, substitute day"),
                                                       (D(2028, 1, 4), "New Year Holiday, substitute day"))),
    # A one-off day the package knows (Mon 15 Jun 2026, Scotland only).
    ("scotland", D(2026, 6, 12), 1, D(2026, 6, 16),
     sk((D(2026, 6, 15), "Scotland's participation in the FIFA World Cup final"))),
    ("england", D(2026, 6, 12), 1, D(2026, 6, 15), ()),
]


@pytest.mark.parametrize(("nation", "anchor", "n", "expected", "skipped"), WORKING_DAY_CASES)
def test_add_working_days(nation, anchor, n, expected, skipped):
    assert cal(nation).add_working_days(anchor, n) == Reckoning(expected, skipped)


# (nation, anchor, expected date, expected skipped)
SAME_WORKING_DAY_CASES = [
    ("england", D(2026, 3, 4), D(2026, 3, 4), ()),  # Wed: itself
    ("england", D(2026, 3, 6), D(2026, 3, 6), ()),  # Fri: itself
    ("england", D(2026, 3, 7), D(2026, 3, 9), ()),  # Sat -> Mon
    ("wales", D(2026, 3, 8), D(2026, 3, 9), ()),  # Sun -> Mon
    ("england", D(2026, 12, 25), D(2026, 12, 29), sk(XMAS, BOXING_SUB)),
    ("england", D(2026, 12, 26), D(2026, 12, 29), sk(BOXING_SUB)),  # Sat 26 Boxing Day not listed
    ("england", D(2027, 1, 1), D(2027, 1, 4), sk(NYD_2027)),
    ("scotland", D(2027, 1, 1), D(2027, 1, 5), sk(NYD_2027, NY_HOLIDAY_SUB_2027)),
    ("scotland", D(2027, 1, 2), D(2027, 1, 5), sk(NY_HOLIDAY_SUB_2027)),
    ("england", D(2027, 3, 29), D(2027, 3, 30), sk(EASTER_MONDAY_2027)),
    ("scotland", D(2027, 3, 29), D(2027, 3, 29), ()),  # Easter Monday is a working day in Scotland
    ("northern-ireland", D(2027, 3, 17), D(2027, 3, 18), sk((D(2027, 3, 17), "Saint Patrick's Day"))),
]


@pytest.mark.parametrize(("nation", "anchor", "expected", "skipped"), SAME_WORKING_DAY_CASES)
def test_same_working_day(nation, anchor, expected, skipped):
    assert cal(nation).same_working_day(anchor) == Reckoning(expected, skipped)
    assert cal(nation).next_working_day(anchor) == expected


# (nation, anchor, n, expected date, expected skipped, moved back)
CALENDAR_MONTH_CASES = [
    ("england", D(2026, 3, 10), 1, D(2026, 4, 10), (), False),  # Fri 10 Apr 2026
    ("england", D(2026, 3, 31), 1, D(2026, 4, 30), (), False),  # no 31 Apr: Thu 30 Apr
    ("england", D(2029, 1, 31), 1, D(2029, 2, 28), (), False),  # Wed 28 Feb 2029
    ("england", D(2028, 1, 31), 1, D(2028, 2, 29), (), False),  # leap year: Tue 29 Feb 2028
    ("england", D(2027, 1, 31), 1, D(2027, 2, 26), (), True),  # Sun 28 Feb 2027 -> Fri 26 Feb
    ("wales", D(2026, 2, 7), 1, D(2026, 3, 6), (), True),  # Sat 7 Mar -> Fri 6 Mar
    ("england", D(2026, 2, 8), 1, D(2026, 3, 6), (), True),  # Sun 8 Mar -> Fri 6 Mar
    ("england", D(2026, 6, 15), 12, D(2027, 6, 15), (), False),  # Tue 15 Jun 2027
    # Easter Monday 29 Mar 2027 -> back over it, the weekend and Good Friday to Thu 25 Mar.
    ("england", D(2027, 1, 29), 2, D(2027, 3, 25), sk(GOOD_FRIDAY_2027, EASTER_MONDAY_2027), True),
    ("northern-ireland", D(2027, 1, 29), 2, D(2027, 3, 25), sk(GOOD_FRIDAY_2027, EASTER_MONDAY_2027), True),
    ("scotland", D(2027, 1, 29), 2, D(2027, 3, 29), (), False),
    ("england", D(2027, 2, 28), 1, D(2027, 3, 25), sk(GOOD_FRIDAY_2027), True),  # Sun 28 Mar
    ("england", D(2026, 11, 25), 1, D(2026, 12, 24), sk(XMAS), True),  # Fri 25 Dec 2026
    ("england", D(2027, 11, 28), 1, D(2027, 12, 24),  # Tue 28 Dec 2027 -> back over Mon 27 and the weekend
     sk((D(2027, 12, 27), "Christmas Day, substitute day"), (D(2027, 12, 28), "Boxing Day, substitute day")),
     True),
    ("scotland", D(2025, 12, 2), 1, D(2025, 12, 31), sk((D(2026, 1, 1), "New Year's Day"),
                                                       (D(2026, 1, 2), "New Year Holiday")), True),
    ("england", D(2025, 12, 2), 1, D(2026, 1, 2), (), False),
    ("scotland", D(2026, 10, 30), 1, D(2026, 11, 27), sk((D(2026, 11, 30), "Saint Andrew's Day")), True),
    ("england", D(2026, 10, 30), 1, D(2026, 11, 30), (), False),
]


@pytest.mark.parametrize(("nation", "anchor", "n", "expected", "skipped", "moved_back"), CALENDAR_MONTH_CASES)
def test_add_calendar_months(nation, anchor, n, expected, skipped, moved_back):
    assert cal(nation).add_calendar_months(anchor, n) == Reckoning(expected, skipped, moved_back)


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (D(2026, 12, 25), "Fri 25 Dec 2026"),
        (D(2027, 1, 4), "Mon 4 Jan 2027"),
        (D(2028, 2, 29), "Tue 29 Feb 2028"),
        (D(2026, 6, 7), "Sun 7 Jun 2026"),
        (D(2026, 9, 30), "Wed 30 Sep 2026"),
    ],
)
def test_describe(day, text):
    assert describe(day) == text


@pytest.mark.parametrize(
    ("skipped", "text"),
    [
        ((), ""),
        (sk(NYD_2027), "Fri 1 Jan (New Year's Day) is not a working day"),
        (sk(XMAS, BOXING_SUB),
         "Fri 25 Dec (Christmas Day) and Mon 28 Dec (Boxing Day, substitute day) are not working days"),
        (sk(XMAS, BOXING_SUB, NYD_2027),
         "Fri 25 Dec (Christmas Day), Mon 28 Dec (Boxing Day, substitute day) and Fri 1 Jan (New Year's Day)"
         " are not working days"),
        (sk(XMAS, BOXING_SUB, NYD_2027, NY_HOLIDAY_SUB_2027),
         "Fri 25 Dec (Christmas Day), Mon 28 Dec (Boxing Day, substitute day), Fri 1 Jan (New Year's Day)"
         " and Mon 4 Jan (New Year Holiday, substitute day) are not working days"),
    ],
)
def test_describe_skipped(skipped, text):
    assert describe_skipped(skipped) == text
    assert describe_skipped(list(skipped)) == text


@pytest.mark.parametrize(
    ("call", "last_date"),
    [
        (lambda c: c.add_working_days(D(2030, 12, 31), 1), "Wed 1 Jan 2031"),  # walks off the end
        (lambda c: c.add_working_days(D(2031, 1, 6), 0), "Mon 6 Jan 2031"),  # anchor beyond
        (lambda c: c.same_working_day(D(2023, 12, 29)), "Fri 29 Dec 2023"),  # anchor before
        (lambda c: c.add_calendar_months(D(2030, 12, 15), 1), "Wed 15 Jan 2031"),
        (lambda c: c.is_working_day(D(2031, 1, 1)), "Wed 1 Jan 2031"),
        (lambda c: c.holiday_name(D(2023, 1, 2)), "Mon 2 Jan 2023"),
    ],
)
def test_out_of_range(call, last_date):
    with pytest.raises(OutOfRange) as caught:
        call(cal("england"))
    assert str(caught.value) == (
        "Bank holiday dates are only known for 2024 to 2030, "
        f"so working days cannot be counted to {last_date}."
    )


def test_out_of_range_is_a_value_error_and_edges_are_covered():
    c = cal("england")
    assert issubclass(OutOfRange, ValueError)
    assert c.is_working_day(D(2024, 1, 2))  # Tue 2 Jan 2024, first working day covered
    assert c.is_working_day(D(2030, 12, 31))  # Tue 31 Dec 2030, last day covered
    assert c.add_working_days(D(2030, 12, 30), 1) == Reckoning(D(2030, 12, 31), ())


def test_explicit_holidays_as_the_browser_passes_them():
    # A made-up holiday on Wed 4 Mar 2026; ISO-string keys as they come out of JSON.
    c = Calendar({"2026-03-04": "Test Day"}, 2026, 2026)
    assert c.first_year == 2026 and c.last_year == 2026
    assert c.holiday_name(D(2026, 3, 4)) == "Test Day"
    assert c.holiday_name(D(2026, 3, 5)) is None
    assert not c.is_working_day(D(2026, 3, 4))
    assert c.add_working_days(D(2026, 3, 3), 2) == Reckoning(D(2026, 3, 6), sk((D(2026, 3, 4), "Test Day")))
    # Christmas is not in this mapping, so it is an ordinary Friday here.
    assert c.is_working_day(D(2026, 12, 25))


def test_negative_counts_are_refused():
    with pytest.raises(ValueError, match="cannot be negative"):
        cal("england").add_working_days(D(2026, 3, 4), -1)
    with pytest.raises(ValueError, match="cannot be negative"):
        cal("england").add_calendar_months(D(2026, 3, 4), -1)


def test_uk_holidays_names_and_nations():
    england = uk_holidays("england", 2026, 2027)
    assert england[D(2026, 12, 28)] == "Boxing Day, substitute day"
    assert england[D(2027, 12, 27)] == "Christmas Day, substitute day"
    assert D(2027, 3, 29) in england
    assert uk_holidays("wales", 2026, 2027) == england
    assert not any("observed" in name for name in england.values())
    assert min(england) >= D(2026, 1, 1) and max(england) <= D(2027, 12, 31)
    scotland = uk_holidays("scotland", 2027, 2027)
    assert D(2027, 3, 29) not in scotland  # no Easter Monday
    assert scotland[D(2027, 1, 4)] == "New Year Holiday, substitute day"
    assert uk_holidays("northern-ireland", 2027, 2027)[D(2027, 7, 12)] == "Battle of the Boyne"


def test_two_holidays_on_one_date_are_each_normalised():
    # In 2034 Scotland's 2 Jan holiday and New Year's Day's substitute share Mon 2 Jan.
    names = uk_holidays("scotland", 2034, 2034)
    assert names[D(2034, 1, 2)] == "New Year Holiday; New Year's Day, substitute day"


def test_unknown_nation():
    with pytest.raises(ValueError, match="Unknown nation 'ulster'"):
        uk_holidays("ulster", 2026, 2026)


def test_importing_the_module_does_not_import_holidays():
    code = "import sys, generator.core.calendar; print('holidays' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


# Property tests: anchors 2025-2029 keep every walk inside the 2024-2030 coverage.
nations = st.sampled_from(NATIONS)
anchors = st.dates(min_value=D(2025, 1, 1), max_value=D(2029, 12, 31))
counts = st.integers(min_value=0, max_value=25)


@settings(max_examples=300, deadline=None)
@given(nations, anchors, counts)
def test_add_working_days_properties(nation, anchor, n):
    result = cal(nation).add_working_days(anchor, n)
    assert result.date >= anchor
    if n >= 1:
        assert result.date > anchor
        assert working(nation, result.date)
    else:
        assert result.date == anchor
    between = [anchor + dt.timedelta(days=i) for i in range(1, (result.date - anchor).days + 1)]
    assert sum(working(nation, day) for day in between) == n
    expected_skipped = [d for d in between if d.weekday() < 5 and d in raw_holidays(nation)]
    assert [s.date for s in result.skipped] == expected_skipped
    assert result.moved_back is False


@settings(max_examples=200, deadline=None)
@given(nations, anchors, anchors, counts)
def test_add_working_days_is_monotonic(nation, a, b, n):
    early, late = sorted((a, b))
    assert cal(nation).add_working_days(early, n).date <= cal(nation).add_working_days(late, n).date


@settings(max_examples=300, deadline=None)
@given(nations, anchors)
def test_same_working_day_properties(nation, anchor):
    result = cal(nation).same_working_day(anchor)
    assert result.date >= anchor
    assert working(nation, result.date)
    assert all(not working(nation, anchor + dt.timedelta(days=i)) for i in range((result.date - anchor).days))
    assert all(s.date.weekday() < 5 for s in result.skipped)


@settings(max_examples=300, deadline=None)
@given(nations, anchors, st.integers(min_value=0, max_value=12))
def test_add_calendar_months_properties(nation, anchor, n):
    result = cal(nation).add_calendar_months(anchor, n)
    year, month = divmod(anchor.year * 12 + anchor.month - 1 + n, 12)
    nominal = D(year, month + 1, min(anchor.day, stdlib_calendar.monthrange(year, month + 1)[1]))
    assert working(nation, result.date)
    assert result.date <= nominal
    assert result.moved_back == (result.date != nominal)
    passed = [result.date + dt.timedelta(days=i) for i in range(1, (nominal - result.date).days + 1)]
    assert not any(working(nation, day) for day in passed)
    assert [s.date for s in result.skipped] == [d for d in passed if d.weekday() < 5]
