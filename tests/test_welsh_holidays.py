"""Bank-holiday names in Welsh dates: the `holidays` package names them in English at build time; on a
Welsh answer they come from the catalogue's `holiday.*` entries (messages.holiday_name), English unchanged.

Dates worked by hand: Christmas 2026 in Wales (and England): Fri 25 Dec Christmas Day, Sat 26 Boxing Day
falls on a weekend so Mon 28 Dec is its substitute day, Fri 1 Jan 2027 New Year's Day.
"""

from __future__ import annotations

import datetime as dt

import pytest

from generator import load
from generator.core import calendar, messages

CHRISTMAS_2026 = [calendar.Skipped(dt.date(2026, 12, 25), "Christmas Day"),
                  calendar.Skipped(dt.date(2026, 12, 28), "Boxing Day, substitute day"),
                  calendar.Skipped(dt.date(2027, 1, 1), "New Year's Day")]


def names_without_welsh(names) -> list[str]:
    """Holiday names (as uk_holidays writes them) with a part the catalogue has no Welsh for."""
    return [name for name in names if any(messages.holiday_name(part, "cy") == part for part in name.split("; "))]


def shipped_names(first_year: int, last_year: int) -> set[str]:
    return {name for nation in calendar.NATION_SUBDIVISIONS
            for name in calendar.uk_holidays(nation, first_year, last_year).values()}


@pytest.mark.parametrize("today", [None, dt.date(2026, 11, 30)])
def test_every_bank_holiday_name_in_the_shipped_years_has_welsh(today):
    """All four nations (the bundle ships the nations of its partnerships: any may be one)."""
    names = shipped_names(*calendar.holiday_years(today or load.today()))
    assert "Christmas Day" in names and "Boxing Day, substitute day" in names
    assert names_without_welsh(names) == []


def test_the_coverage_check_can_fail():
    assert names_without_welsh(["Christmas Day", "Made-up Holiday", "Boxing Day; Made-up Holiday"]) == [
        "Made-up Holiday", "Boxing Day; Made-up Holiday"]


def test_holiday_names_in_welsh_hand_checked():
    assert messages.holiday_name("Christmas Day", "cy") == "Dydd Nadolig"
    assert messages.holiday_name("Boxing Day", "cy") == "Gŵyl San Steffan"
    assert messages.holiday_name("New Year's Day", "cy") == "Dydd Calan"
    assert messages.holiday_name("Good Friday", "cy") == "Dydd Gwener y Groglith"
    assert messages.holiday_name("Easter Monday", "cy") == "Dydd Llun y Pasg"
    assert messages.holiday_name("May Day", "cy") == "Gŵyl Banc Calan Mai"
    assert messages.holiday_name("Spring Bank Holiday", "cy") == "Gŵyl Banc y Gwanwyn"
    assert messages.holiday_name("Late Summer Bank Holiday", "cy") == "Gŵyl Banc yr Haf"
    assert messages.holiday_name("Boxing Day, substitute day", "cy") == "Gŵyl San Steffan, diwrnod yn lle"
    # Scotland, 2 Jan 2023: two holidays on one date
    assert (messages.holiday_name("New Year Holiday; New Year's Day, substitute day", "cy")
            == "Gŵyl y Flwyddyn Newydd; Dydd Calan, diwrnod yn lle")


def test_english_names_are_unchanged():
    for name in shipped_names(2016, 2032):
        assert messages.holiday_name(name) == name
    assert calendar.describe_skipped(CHRISTMAS_2026) == (
        "Fri 25 Dec (Christmas Day), Mon 28 Dec (Boxing Day, substitute day) and Fri 1 Jan (New Year's Day) "
        "are not working days")


def test_a_welsh_date_names_the_holiday_in_welsh():
    assert calendar.describe_skipped(CHRISTMAS_2026, "cy") == (
        "Nid yw Gwe 25 Rhag (Dydd Nadolig), Llun 28 Rhag (Gŵyl San Steffan, diwrnod yn lle) a Gwe 1 Ion "
        "(Dydd Calan) yn ddiwrnodau gwaith")
    assert calendar.describe_skipped(CHRISTMAS_2026[:1], "cy") == "Nid yw Gwe 25 Rhag (Dydd Nadolig) yn ddiwrnod gwaith"


def test_a_name_the_catalogue_lacks_is_kept_as_given():
    assert messages.holiday_name("Made-up Holiday", "cy") == "Made-up Holiday"
    assert messages.holiday_name("Made-up Holiday, substitute day", "cy") == "Made-up Holiday, substitute day"
