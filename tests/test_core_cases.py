"""The model and calendar details the browser and the review warnings rely on, case by case.

The wizard rebuilds every protocol from JSON (`model.from_dict`); it must be the very protocol the YAML
gave, or the browser and `guidance next` could disagree. Review dates are months ("review due January
2026"): the month's last day decides when the warning starts. Written against `make mutation` survivors.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from pathlib import Path

import pytest
from testshire import protocol_data

from generator import load
from generator.core import model
from generator.core.calendar import Calendar, OutOfRange, _normalise_name, uk_holidays

ROOT = Path(__file__).resolve().parent.parent
ALL_VERSIONS = load.load_tree(ROOT / "protocols")


@pytest.mark.parametrize("protocol", ALL_VERSIONS, ids=lambda p: f"{p.id}-{p.version.id}")
def test_json_round_trip_gives_back_the_same_protocol(protocol):
    again = model.from_dict(json.loads(json.dumps(protocol.to_dict())))
    assert again == protocol  # tuples stay tuples: a list where a tuple belongs would compare unequal
    assert hash(again) == hash(protocol)


def test_testshire_from_json_keeps_every_field():
    protocol = model.from_dict(protocol_data(issued="2025-01", review_due="2026-12-15"))
    assert protocol.version.issued == model.PartialDate(year=2025, month=1)
    assert protocol.version.review_due == model.PartialDate(year=2026, month=12, day=15)
    assert protocol.version.changes == ("First version.",)
    assert (protocol.principles, protocol.typical_causes, protocol.scope_exclusions, protocol.record_keeping) == (
        ("The child comes first.",), ("Thresholds.",), ("Complaints.",), ("Record every step.",))
    assert protocol.partnership.covers == ("Testshire",)
    assert protocol.risk == model.RiskOverrides(immediate_danger=("Call the duty team.",),
                                                immediate_danger_contacts=("duty", "panel"),
                                                timescale_unsafe=("Do not wait.",), urgent_route="urgent")
    stage = protocol.route("standard").stage(1)
    assert (stage.actions, stage.record, stage.forms, stage.contacts) == (
        ("Talk.", "Listen."), ("The outcome.",), ("Form A",), ("duty",))
    assert protocol.route("standard").caps[0].stages == (1, 2, 3)
    assert [c.id for c in protocol.contacts] == ["duty", "panel"]
    assert protocol.to_dict()["version"]["issued"] == "2025-01"
    assert protocol.to_dict()["version"]["review_due"] == "2026-12-15"
    assert model.from_dict(protocol_data(issued="unknown")).version.issued is None


def test_a_protocol_without_contacts_has_none():
    data = protocol_data()
    del data["contacts"]
    data["risk"]["immediate_danger_contacts"] = []
    assert model.from_dict(data).contacts == ()


def test_lookups_name_what_was_not_found():
    protocol = model.from_dict(protocol_data())
    route = protocol.route("urgent")
    assert route.stage(2).title == "Tell the panel"
    for call, missing in ((lambda: route.stage(3), 3), (lambda: protocol.route("nope"), "nope"),
                          (lambda: protocol.contact("nobody"), "nobody")):
        with pytest.raises(KeyError) as caught:
            call()
        assert caught.value.args == (missing,)


@pytest.mark.parametrize(("text", "first", "last", "human"), [
    ("2026-01", "2026-01-01", "2026-01-31", "January 2026"),
    ("2026-12", "2026-12-01", "2026-12-31", "December 2026"),  # the month's end crosses into a new year
    ("2027-02", "2027-02-01", "2027-02-28", "February 2027"),
    ("2028-02", "2028-02-01", "2028-02-29", "February 2028"),  # leap year
    ("2026-12-15", "2026-12-15", "2026-12-15", "15 December 2026"),
    ("2026-01-09", "2026-01-09", "2026-01-09", "9 January 2026"),
])
def test_partial_dates(text, first, last, human):
    value = model.PartialDate.parse(text)
    assert value.first_day() == dt.date.fromisoformat(first)
    assert value.last_day() == dt.date.fromisoformat(last)
    assert value.human() == human
    assert value.iso() == text


@pytest.mark.parametrize(("review_due", "today", "overdue"), [
    ("2026-12", "2026-12-31", False),  # last day of the review month: not yet overdue
    ("2026-12", "2027-01-01", True),
    ("2026-12-15", "2026-12-15", False),
    ("2026-12-15", "2026-12-16", True),
    (None, "2040-01-01", False),  # no review date: never said to be overdue
])
def test_review_is_overdue_only_after_its_last_day(review_due, today, overdue):
    protocol = model.from_dict(protocol_data(review_due=review_due))
    assert protocol.review_overdue(dt.date.fromisoformat(today)) is overdue


def test_the_current_version_is_the_highest_by_number_not_by_spelling():
    base = model.from_dict(protocol_data())
    older = replace(base, version=replace(base.version, id="2024-9"))
    newer = replace(base, version=replace(base.version, id="2024-10"))  # "2024-10" < "2024-9" as text
    other = replace(base, partnership=replace(base.partnership, id="elsewhere"))
    for order in ([older, newer, other], [newer, older, other]):
        current = model.current_versions(order)
        assert current["testshire"].version.id == "2024-10"
        assert current["elsewhere"] is other
    assert model.version_order(newer) == ("", 2024, "-", 10, "")


# --- calendar ------------------------------------------------------------------------------------------

def test_the_first_and_last_days_of_the_known_years_can_be_counted_from():
    calendar = Calendar({}, 2027, 2027)
    assert calendar.is_working_day(dt.date(2027, 1, 1))  # Fri 1 Jan: no holidays were given
    assert calendar.add_working_days(dt.date(2027, 1, 1), 0).date == dt.date(2027, 1, 1)
    assert calendar.is_working_day(dt.date(2027, 12, 31))  # Fri 31 Dec: the last known day
    with pytest.raises(OutOfRange, match="only known for 2027 to 2027"):
        calendar.is_working_day(dt.date(2026, 12, 31))


def test_a_span_of_years_backwards_is_refused_with_both_years():
    with pytest.raises(ValueError, match="^first_year 2028 is after last_year 2027$"):
        Calendar({}, 2028, 2027)


def test_a_month_from_december_and_january_ends():
    calendar = Calendar({}, 2026, 2028)
    # 31 Dec 2026 + 2 months: no 31 Feb, so Sun 28 Feb 2027, moved back to Fri 26 Feb.
    assert calendar.add_calendar_months(dt.date(2026, 12, 31), 2).date == dt.date(2027, 2, 26)
    # 30 Nov 2027 + 1 month: Thu 30 Dec 2027 (no holidays given here).
    assert calendar.add_calendar_months(dt.date(2027, 11, 30), 1).date == dt.date(2027, 12, 30)
    # 31 Jan 2028 + 1 month: leap year, Tue 29 Feb 2028.
    assert calendar.add_calendar_months(dt.date(2028, 1, 31), 1).date == dt.date(2028, 2, 29)


def test_uk_holidays_include_new_years_day_of_the_first_year():
    england = uk_holidays("england", 2027, 2027)
    assert england[dt.date(2027, 1, 1)] == "New Year's Day"
    assert min(england) == dt.date(2027, 1, 1) and max(england) == dt.date(2027, 12, 28)


def test_an_unknown_nation_is_named_with_the_choices():
    with pytest.raises(ValueError) as caught:
        uk_holidays("mars", 2027, 2027)
    assert str(caught.value) == "Unknown nation 'mars': expected one of england, wales, scotland, northern-ireland."


def test_two_holidays_on_one_date_are_each_renamed():
    assert _normalise_name("Christmas Day (observed); Boxing Day (observed)") == (
        "Christmas Day, substitute day; Boxing Day, substitute day")
    assert _normalise_name("Christmas Day (observed); Boxing Day") == "Christmas Day, substitute day; Boxing Day"
