"""Every sentence a reader sees, by message id: one wording for each fact, in every output.

A safety tool that words one rule two ways has two chances to be wrong, so the pages, flowcharts,
diff, engine answers, command line, wizard, print record and calendar file all take their words from
here. The words live in catalogues beside this file (`catalogue/<language>.json`, shipped in the engine
wheel): adding a language (Welsh for the Welsh partnerships) is adding `catalogue/cy.json` with the same
ids; a missing id falls back to English, so a partial translation is never a blank.

Placeholders are by name (`{stage}`), so a translation may reorder them. Dates are formatted here too:
the month and weekday names are the catalogue's, never the process locale's.

Standard library only: CPython and Pyodide run this very file.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import string
from collections.abc import Iterable

DEFAULT_LANGUAGE = "en"


class UnknownMessage(KeyError):
    """A message id that no catalogue has: a programming error, caught by the tests."""


@functools.cache
def catalogue(language: str = DEFAULT_LANGUAGE) -> dict[str, str]:
    """The messages of `language`, English filling any gap."""
    english = _read(DEFAULT_LANGUAGE)
    if language == DEFAULT_LANGUAGE:
        return english
    return {**english, **_read(language)}


# The catalogues are files beside this module: pip and Pyodide's unpackArchive both install the engine
# unzipped, and os.path is already loaded where importlib.resources costs the browser ~55 ms at start-up.
_FOLDER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "catalogue")


def _read(language: str) -> dict[str, str]:
    if not language.isalpha():  # a language code, never a path
        raise LookupError(f"No message catalogue for language {language!r}.")
    try:
        with open(os.path.join(_FOLDER, f"{language}.json"), "rb") as file:
            text = file.read()  # bytes: JSON is UTF-8 whatever the platform's own encoding
    except FileNotFoundError:
        raise LookupError(f"No message catalogue for language {language!r}.") from None
    return json.loads(text)


def languages() -> tuple[str, ...]:
    return tuple(sorted(name.removesuffix(".json") for name in os.listdir(_FOLDER) if name.endswith(".json")))


def t(message_id: str, language: str = DEFAULT_LANGUAGE, **values) -> str:
    """The message `message_id` with its named placeholders filled."""
    try:
        text = catalogue(language)[message_id]
    except KeyError:
        raise UnknownMessage(message_id) from None
    return text.format_map(values) if values else text


def review_status(language: str) -> str:
    """'draft' until a reviewer fluent in the language signs the catalogue off ('reviewed'); English is the source.

    Read from the language's own file, never filled from English, so a translation cannot pass as reviewed
    by omission; the Welsh pages show a notice in both languages while this is not 'reviewed'.
    """
    return _read(language).get("_review_status", "draft")


def placeholders(text: str) -> set[str]:
    """The named placeholders of a message: a translation must use exactly the same ones."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def words(message_id: str, language: str = DEFAULT_LANGUAGE) -> list[str]:
    """A message that is a space-separated list (month and weekday names)."""
    return t(message_id, language).split()


# --- dates ---------------------------------------------------------------------------------------


def date_short(day: dt.date, language: str = DEFAULT_LANGUAGE) -> str:
    """'Wed 30 Dec 2026': how every answer names a day, so it can be checked against a calendar."""
    return t("date.short", language, weekday=words("date.weekday.short", language)[day.weekday()], day=day.day,
             month=words("date.month.short", language)[day.month - 1], year=day.year)


def date_full(day: dt.date, language: str = DEFAULT_LANGUAGE) -> str:
    """'Friday 25 December 2026' / 'dydd Gwener 25 Rhagfyr 2026': a date written out in full."""
    return t("date.full", language, weekday=words("date.weekday.long", language)[day.weekday()], day=day.day,
             month=words("date.month.long", language)[day.month - 1], year=day.year)


def date_long(year: int, month: int, day: int | None = None, language: str = DEFAULT_LANGUAGE) -> str:
    """'30 December 2026', or 'December 2026' for a date the source gives only to the month."""
    name = words("date.month.long", language)[month - 1]
    if day is None:
        return t("date.month_year", language, month=name, year=year)
    return t("date.long", language, day=day, month=name, year=year)


def skipped_text(skipped: Iterable, language: str = DEFAULT_LANGUAGE) -> str:
    """'Fri 25 Dec (Christmas Day) and ... are not working days' for bank holidays stepped over."""
    items = [(t("date.short_no_year", language, weekday=words("date.weekday.short", language)[s.date.weekday()],
                day=s.date.day, month=words("date.month.short", language)[s.date.month - 1]),
              holiday_name(s.name, language))
             for s in skipped]
    if not items:
        return ""
    if len(items) == 1:
        return t("date.skipped_one", language, day=items[0][0], name=items[0][1])
    return t("date.skipped_many", language, days=and_list([f"{d} ({n})" for d, n in items], language))


def holiday_name(name: str, language: str = DEFAULT_LANGUAGE) -> str:
    """A bank holiday's name, as calendar.uk_holidays writes it (English, from the `holidays` package at
    build time), in `language`: the catalogue's `holiday.*` entries, matched by their English text.

    Two holidays on one date come joined by "; ", a substitute day as "<name>, substitute day"
    (`holiday.substitute`). A name the catalogue lacks stays as the package gives it; a test fails if any
    name in the years the site ships has no entry, so that is only a one-off day proclaimed after a build.
    """
    if language == DEFAULT_LANGUAGE:
        return name
    return "; ".join(_one_holiday(part, language) for part in name.split("; "))


def _one_holiday(name: str, language: str) -> str:
    suffix = t("holiday.substitute", name="")  # in English, as the holiday data names them
    substitute = name.endswith(suffix)
    message_id = _holiday_ids().get(name[: -len(suffix)] if substitute else name)
    if message_id is None:
        return name
    own = t(message_id, language)
    return t("holiday.substitute", language, name=own) if substitute else own


@functools.cache
def _holiday_ids() -> dict[str, str]:
    """{English name: catalogue id} of the bank holidays the catalogue names."""
    return {text: message_id for message_id, text in catalogue(DEFAULT_LANGUAGE).items()
            if message_id.startswith("holiday.") and message_id != "holiday.substitute"}


# --- small pieces of wording used everywhere ----------------------------------------------------------


def and_list(items: list[str], language: str = DEFAULT_LANGUAGE) -> str:
    items = [str(i) for i in items]
    if len(items) < 2:
        return "".join(items)  # pragma: no mutate - equivalent: joins at most one item, so no separator shows
    return t("list.and", language, items=t("list.separator", language).join(items[:-1]), last=items[-1])


def count(number: int, unit: str, language: str = DEFAULT_LANGUAGE) -> str:
    """'1 working day', '5 working days' (unit: working_day or calendar_month)."""
    return t(f"count.{unit}.{'one' if number == 1 else 'other'}", language, n=number)


def stage_range(numbers: Iterable[int], language: str = DEFAULT_LANGUAGE) -> str:
    """'Stage 2', 'Stages 2 and 3', 'Stages 1 to 5', 'Stages 1, 3 and 4': one way, everywhere."""
    ordered = sorted(numbers)
    if len(ordered) == 1:
        return t("stage.one", language, number=ordered[0])
    if len(ordered) > 2 and ordered == list(range(ordered[0], ordered[-1] + 1)):
        return t("stage.range", language, first=ordered[0], last=ordered[-1])
    return t("stage.list", language, numbers=and_list(ordered, language))


def timescale_short(timescale, *, stage_number: int | None = None, language: str = DEFAULT_LANGUAGE) -> str:
    """A timescale in the few words an arrow or a table cell has room for; the text's wording goes beside it.

    The anchor is spelt out only where it is not the obvious one (the end of the stage before, which for
    stage 1 is the disagreement arising), so the words stay short but never mislead.
    """
    kind = timescale.kind
    if kind == "without_delay":
        return t("timescale.without_delay", language)
    if kind == "agreed":
        if timescale.days is None and timescale.months is None:
            return t("timescale.agreed", language)
        limit = _limit(timescale, language)
        return t("timescale.agreed_ideal" if timescale.guideline else "timescale.agreed_limit", language, limit=limit)
    if kind not in ("working_days", "same_working_day", "calendar_months", "clock_hours"):
        return t("timescale.none", language)
    text = _limit(timescale, language)
    if timescale.anchor == "disagreement_arose" and stage_number != 1:
        text = t("timescale.of_arising", language, text=text)
    elif timescale.anchor == "stage_end" and timescale.anchor_stage is not None and (
            stage_number is None or timescale.anchor_stage != stage_number - 1):
        text = t("timescale.of_stage_end", language, text=text, stage=timescale.anchor_stage)
    return t("timescale.ideally", language, text=text) if timescale.guideline else text


def _limit(timescale, language: str) -> str:
    if timescale.kind == "same_working_day":
        return t("timescale.same_working_day", language)
    if timescale.kind == "clock_hours":
        return t("timescale.within", language, count=count(timescale.hours, "clock_hour", language))
    if timescale.kind == "calendar_months" or (timescale.days is None and timescale.months is not None):
        return t("timescale.within", language, count=count(timescale.months, "calendar_month", language))
    if timescale.days is None:
        raise ValueError("a 'working_days' timescale needs a number of working days")
    return t("timescale.within", language, count=count(timescale.days, "working_day", language))


def caps_covering(stage, caps) -> tuple:
    """The limits across stages that count this stage's time too (Calderdale's steps 1 to 5 share one)."""
    return tuple(cap for cap in caps if stage.number in cap.stages)


def stage_timescale_short(stage, caps, language: str = DEFAULT_LANGUAGE) -> str:
    """A stage's timescale for an arrow or a card: a step with no limit of its own inside a limit across
    stages (Calderdale's steps 1 to 5) says so, because "no timescale given" would read as no limit at all."""
    if stage.timescale.kind == "none":
        covering = caps_covering(stage, caps)
        if covering:
            stages = stage_range(covering[0].stages, language)
            return t("timescale.in_cap", language, stages=stages[:1].lower() + stages[1:])
    return timescale_short(stage.timescale, stage_number=stage.number, language=language)


def cap_text(cap, language: str = DEFAULT_LANGUAGE) -> str:
    """A limit over several stages, with the stage it counts from where that is not the obvious one."""
    ts = cap.timescale
    if ts.kind in ("working_days", "same_working_day", "calendar_months", "clock_hours"):
        short = _limit(ts, language)
        short = t("timescale.ideally", language, text=short) if ts.guideline else short
    else:
        short = timescale_short(ts, language=language)
    text = t("cap.text", language, stages=stage_range(cap.stages, language), timescale=short)
    if ts.days is not None or ts.months is not None:
        text = t("cap.in_total", language, text=text)
    if ts.anchor == "stage_end" and ts.anchor_stage is not None:
        text = t("cap.counted_from_stage_end", language, text=text, stage=ts.anchor_stage)
    elif ts.anchor == "disagreement_arose" and min(cap.stages) != 1:
        text = t("cap.counted_from_arising", language, text=text)
    return text


def contact_details(contact, language: str = DEFAULT_LANGUAGE) -> str:
    """A contact's ways of reaching it, in one order everywhere: phone, e-mail, website, hours."""
    return t("list.separator", language).join(
        value for value in (_field(contact, k) for k in ("phone", "email", "website", "hours")) if value)


def contact_line(contact, language: str = DEFAULT_LANGUAGE) -> str:
    """'MASH: 01793 466903, mash@swindon.gov.uk (Mon to Fri 8.45 to 5)', or the name alone."""
    details = contact_details(contact, language)
    name = _field(contact, "name")
    return t("contact.line", language, name=name, details=details) if details else name


def _field(contact, key: str) -> str:
    return (contact.get(key) if isinstance(contact, dict) else getattr(contact, key, "")) or ""  # pragma: no mutate - equivalent: any default that is not text becomes "" through `or ""`


def person(covers: Iterable[str], language: str = DEFAULT_LANGUAGE) -> str:
    """Who the protocol protects, as the questions name them: 'child', 'adult', 'child or adult'."""
    names = [t(f"person.{c}", language) for c in covers if c in ("children", "adults")]
    if len(names) == 2:
        return t("person.or", language, a=names[0], b=names[1])
    return names[0] if names else t("person.or", language, a=t("person.children", language),
                                       b=t("person.adults", language))


def quote(wording: str) -> str:
    """The text's words in quotation marks, unless the spec already quotes (several passages)."""
    return wording if wording.startswith('"') else f'"{wording}"'


def for_browser(language: str = DEFAULT_LANGUAGE) -> dict[str, str]:
    """The catalogue as the page gets it (bundle.json): the renderer looks words up by id, never owns any."""
    return dict(catalogue(language))
