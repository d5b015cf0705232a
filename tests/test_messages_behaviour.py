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
    """Windows' default encoding is not UTF-8; an ASCII C locale stands in for it here (without Python's own
    UTF-8 fallbacks). The Welsh catalogue's ŵ must survive."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "LC_ALL": "C", "LANG": "C", "PYTHONCOERCECLOCALE": "0", "PYTHONUTF8": "0",
           "PYTHONIOENCODING": "utf-8", "PYTHONPATH": str(root)}
    code = "import locale; from generator.core import messages; print(locale.getpreferredencoding(False)); " \
           "print(messages.t('holiday.boxing_day', 'cy'))"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, encoding="utf-8", env=env,
                         cwd=root, timeout=60)
    assert run.returncode == 0, run.stderr
    encoding, boxing_day = run.stdout.split("\n")[:2]
    assert encoding.lower().replace("-", "") != "utf8"  # the case is made: the platform's own is not UTF-8
    assert boxing_day == "Gŵyl San Steffan"
