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
