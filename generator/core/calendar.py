"""Working-day and calendar-month arithmetic for escalation deadlines.

Standard library only at import time, so the decision aid can run this very file in Pyodide: the
browser gets the bank holidays as plain data and passes them to `Calendar`; only `uk_holidays` (run
at build time in CPython) imports the `holidays` package. Every rule reports the weekday bank
holidays it stepped over, because a practitioner must be able to check the date by hand.

Never `import calendar` here: this module's own name would shadow the standard library one if the
file were ever put directly on `sys.path`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from . import messages

NATION_SUBDIVISIONS = {"england": "ENG", "wales": "WLS", "scotland": "SCT", "northern-ireland": "NIR"}

_OBSERVED = " (observed)"
_ONE_DAY = dt.timedelta(days=1)


class OutOfRange(ValueError):
    """A date outside the years whose bank holidays we have; message says which years are covered."""


@dataclass(frozen=True)
class Skipped:
    """A weekday bank holiday jumped over while counting: shown so the user sees why the date moved."""

    date: dt.date
    name: str


@dataclass(frozen=True)
class Reckoning:
    """One rule's answer together with the evidence needed to explain it."""

    date: dt.date
    skipped: tuple[Skipped, ...]
    moved_back: bool = False


class Calendar:
    """A nation's working days over a fixed span of years; refuses to guess outside that span."""

    def __init__(self, holidays: Mapping[dt.date, str], first_year: int, last_year: int):
        if first_year > last_year:
            raise ValueError(f"first_year {first_year} is after last_year {last_year}")
        self.first_year = first_year
        self.last_year = last_year
        self._first = dt.date(first_year, 1, 1)
        self._last = dt.date(last_year, 12, 31)
        # ISO-string keys are accepted too, since that is what survives a trip through JSON.
        self._holidays = {
            (dt.date.fromisoformat(day) if isinstance(day, str) else day): name
            for day, name in holidays.items()
        }

    def _check(self, day: dt.date) -> None:
        if not self._first <= day <= self._last:
            raise OutOfRange(messages.t("warning.out_of_range", first=self.first_year, last=self.last_year,
                                        date=describe(day)))

    def holiday_name(self, day: dt.date) -> str | None:
        self._check(day)
        return self._holidays.get(day)

    def is_working_day(self, day: dt.date) -> bool:
        self._check(day)
        return day.weekday() < 5 and day not in self._holidays

    def _weekday_holiday(self, day: dt.date) -> Skipped | None:
        """A Saturday or Sunday holiday is left out: it moves nothing, so listing it would mislead."""
        name = self.holiday_name(day)
        if name is None or day.weekday() >= 5:
            return None
        return Skipped(day, name)

    def next_working_day(self, day: dt.date) -> dt.date:
        return self.same_working_day(day).date

    def add_working_days(self, anchor: dt.date, n: int) -> Reckoning:
        if n < 0:
            raise ValueError(f"a number of working days cannot be negative (got {n})")
        self._check(anchor)
        day = anchor
        skipped: list[Skipped] = []
        counted = 0
        while counted < n:
            day += _ONE_DAY
            if self.is_working_day(day):
                counted += 1
            elif (holiday := self._weekday_holiday(day)) is not None:
                skipped.append(holiday)
        return Reckoning(day, tuple(skipped))

    def same_working_day(self, anchor: dt.date) -> Reckoning:
        day = anchor
        skipped: list[Skipped] = []
        while not self.is_working_day(day):
            if (holiday := self._weekday_holiday(day)) is not None:
                skipped.append(holiday)
            day += _ONE_DAY
        return Reckoning(day, tuple(skipped))

    def add_calendar_months(self, anchor: dt.date, n: int) -> Reckoning:
        """Moves back, not forward, off a non-working day: an earlier deadline can never be missed.

        Only the holidays the deadline was moved over are listed: those inside the month change nothing.
        """
        if n < 0:
            raise ValueError(f"a number of calendar months cannot be negative (got {n})")
        self._check(anchor)
        nominal = _months_later(anchor, n)
        day = nominal
        skipped: list[Skipped] = []
        while not self.is_working_day(day):
            if (holiday := self._weekday_holiday(day)) is not None:
                skipped.append(holiday)
            day -= _ONE_DAY
        skipped.reverse()
        return Reckoning(day, tuple(skipped), moved_back=day != nominal)


def _months_later(anchor: dt.date, n: int) -> dt.date:
    index = anchor.year * 12 + anchor.month - 1 + n
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(anchor.day, _days_in_month(year, month + 1)))


def _days_in_month(year: int, month: int) -> int:
    next_month = dt.date(year + month // 12, month % 12 + 1, 1)  # pragma: no mutate - equivalent: only December reaches the year term, and 1 Jan minus a day is the 31st in any year
    return (next_month - _ONE_DAY).day


def _normalise_name(name: str) -> str:
    """GOV.UK says "Boxing Day (substitute day)"; the package says "Boxing Day (observed)".

    The package joins two holidays on one date with "; ", so each part is normalised on its own.
    """
    parts = []
    for part in name.split("; "):
        if part.endswith(_OBSERVED):
            part = part[: -len(_OBSERVED)] + ", substitute day"
        parts.append(part)
    return "; ".join(parts)


def uk_holidays(nation: str, first_year: int, last_year: int) -> dict[dt.date, str]:
    """Import `holidays` lazily INSIDE this function (so the browser never needs it).

    Whatever the package lists is kept, one-off days included: tracking proclamations is its job.
    """
    if nation not in NATION_SUBDIVISIONS:
        raise ValueError(f"Unknown nation {nation!r}: expected one of {', '.join(NATION_SUBDIVISIONS)}.")
    import holidays

    found = holidays.UK(subdiv=NATION_SUBDIVISIONS[nation], years=range(first_year, last_year + 1))  # pragma: no mutate - equivalent: a wider span of years is cut back to first..last below
    first, last = dt.date(first_year, 1, 1), dt.date(last_year, 12, 31)
    return {day: _normalise_name(name) for day, name in sorted(found.items()) if first <= day <= last}  # pragma: no mutate - equivalent for `< last`: no UK bank holiday falls on 31 December (1 January is pinned by a test)


# Bank holidays are shipped for every year a real answer can need: a disagreement that arose up to ten
# years before the build (a stage end, or a cap that expired long ago, still gets its dates and its
# overdue warning), and deadlines, or a whole route run to its limits, up to six years after it. Outside
# these years the engine refuses, naming the question, rather than guess. A few hundred dates in all.
YEARS_BEFORE = 10
YEARS_AFTER = 6


def holiday_years(today: dt.date) -> tuple[int, int]:
    """The one rule for which years of bank holidays the browser gets: (first, last), inclusive."""
    return today.year - YEARS_BEFORE, today.year + YEARS_AFTER


def calendar_for(nation: str, first_year: int, last_year: int) -> Calendar:
    """Convenience for CPython callers: Calendar(uk_holidays(...), first_year, last_year)."""
    return Calendar(uk_holidays(nation, first_year, last_year), first_year, last_year)


def describe(day: dt.date, language: str = messages.DEFAULT_LANGUAGE) -> str:
    """'Wed 30 Dec 2026': the names come from the message catalogue, never the process locale."""
    return messages.date_short(day, language)


def describe_skipped(skipped: Iterable[Skipped], language: str = messages.DEFAULT_LANGUAGE) -> str:
    return messages.skipped_text(skipped, language)
