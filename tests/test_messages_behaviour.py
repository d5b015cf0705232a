"""Dates and timescales worded in the page's language, in that language's own order.

English and Welsh both write a short date as "Wed 30 Dec 2026"; a language that orders it otherwise must
get its own order, so these tests give one (a catalogue 'xx' over the English one, as
tests/test_questions_cases.py does) and check that every date reaches it.
"""

from __future__ import annotations

import datetime as dt

import pytest

from generator.core import messages, model
from generator.core.calendar import Skipped


@pytest.fixture
def day_first(monkeypatch):
    english = messages._read("en")
    extra = {"date.short": "{day} {month} {year} ({weekday})", "date.short_no_year": "{day} {month} ({weekday})",
             "holiday.substitute": "{name} (XX substitute)", "holiday.christmas_day": "XX Christmas"}
    monkeypatch.setattr(messages, "_read", lambda language: english if language == "en" else {**english, **extra})
    messages.catalogue.cache_clear()
    yield
    messages.catalogue.cache_clear()


def test_a_short_date_follows_the_languages_own_order(day_first):
    assert messages.date_short(dt.date(2026, 12, 30), "xx") == "30 Dec 2026 (Wed)"
    assert messages.date_short(dt.date(2026, 12, 30)) == "Wed 30 Dec 2026"


def test_the_bank_holidays_stepped_over_follow_the_languages_own_order_and_names(day_first):
    """Fri 25 Dec 2026 is Christmas Day; Mon 28 Dec 2026 the substitute day for Boxing Day."""
    skipped = [Skipped(dt.date(2026, 12, 25), "Christmas Day"), Skipped(dt.date(2026, 12, 28), "Christmas Day, substitute day")]
    assert messages.skipped_text(skipped, "xx") == ("25 Dec (Fri) (XX Christmas) and 28 Dec (Mon) (XX Christmas (XX "
                                                    "substitute)) are not working days")


def test_a_calendar_month_limit_is_worded_in_months_whatever_else_it_carries():
    """The kind decides: a month's limit with a stray number of days is still a month."""
    stray = model.Timescale(kind="calendar_months", months=1, days=5, wording="Within a month.")
    assert messages.timescale_short(stray, stage_number=2) == "within 1 calendar month"




def test_the_catalogues_read_right_where_the_platforms_encoding_is_not_utf_8():
    """Windows' default encoding is not UTF-8; the ASCII C locale stands in for it here. The Welsh
    catalogue's ŵ must survive."""
    import locale

    before = locale.setlocale(locale.LC_CTYPE)
    try:
        locale.setlocale(locale.LC_CTYPE, "C")
        assert locale.getencoding().lower().replace("-", "") != "utf8"  # the case is made
        assert messages._read("cy")["holiday.boxing_day"] == "Gŵyl San Steffan"
    finally:
        locale.setlocale(locale.LC_CTYPE, before)


def _calderdale_standard():
    import pathlib

    from generator import load

    path = pathlib.Path(__file__).resolve().parent.parent / "protocols" / "calderdale" / "2024-10.yaml"
    protocol = load.load_text(path.read_text(encoding="utf-8"), str(path))
    return next(r for r in protocol.routes if r.id == "standard")


def test_a_step_inside_a_limit_across_stages_says_so_in_the_readers_language():
    """Calderdale's steps 1 to 5 share 5 working days: a step's arrow says it is inside that limit, in Welsh
    on a Welsh page ("camau 1 i 5", not "stages 1 to 5")."""
    route = _calderdale_standard()
    step = route.stages[2]
    assert messages.stage_timescale_short(step, route.caps) == "inside the limit for stages 1 to 5"
    assert messages.stage_timescale_short(step, route.caps, "cy") == "o fewn y terfyn ar gyfer camau 1 i 5"
    assert messages.stage_timescale_short(route.stages[5], route.caps) == "without delay"  # its own words


def test_a_stages_own_limit_is_worded_for_its_own_place_in_the_route():
    """Stage 1 counted from the day the disagreement arose needs no "of the day it arose" (that is where stage
    1 starts); stage 2 counted from the same day does."""
    import dataclasses

    route = _calderdale_standard()
    arising = model.Timescale(kind="working_days", days=2, anchor="disagreement_arose")
    first = dataclasses.replace(route.stages[0], timescale=arising)
    second = dataclasses.replace(route.stages[1], timescale=arising)
    assert messages.stage_timescale_short(first, ()) == "within 2 working days"
    assert messages.stage_timescale_short(second, ()) == messages.t(
        "timescale.of_arising", "en", text="within 2 working days")
