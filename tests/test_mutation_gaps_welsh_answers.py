"""A practitioner who reads the decision aid in Welsh gets the engine's every sentence and date in Welsh.

Written against `make mutation` survivors: dropping the language from one call (the last-stage outcome,
the rule of a duty whose start is not given, "the day the disagreement first arose", a timescale counted
from another stage's end) left an English sentence in a Welsh answer, and every fast test stayed green
because the Welsh tests only looked at the catalogue. The protocols' own words are English in the specs
and are quoted as they are; everything the engine says around them comes from the Welsh catalogue.

Each English sentence is recognised by its fixed words (the text between its placeholders, where the
Welsh differs); each English date by its weekday and month abbreviations ("Mon 4 Jan 2027").
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import re
import string
from pathlib import Path

import pytest
import testshire
from testshire import protocol_data

from generator import load
from generator.core import engine, messages, model
from generator.core.calendar import calendar_for
from generator.core.model import current_versions

ROOT = Path(__file__).resolve().parent.parent
PROTOCOLS = current_versions(load.load_tree(ROOT / "protocols"))
CALENDARS = {nation: calendar_for(nation, 2024, 2030) for nation in ("england", "wales")}
ENGLISH_DATE = re.compile(r"\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b")


def _english_phrases() -> dict[str, str]:
    """{fixed words of an English message: its id}, for messages whose Welsh does not contain them."""
    english, welsh = messages.catalogue("en"), messages.catalogue("cy")
    phrases = {}
    for message_id, text in english.items():
        # holiday.*: the answer's `skipped_holidays` data keeps the names as the package gives them (the same
        # data in every language); their Welsh in the worded dates is checked in test_welsh_holidays.py
        if message_id.startswith(("date.", "holiday.", "_")) or welsh.get(message_id) == text:
            continue
        for literal, *_ in string.Formatter().parse(text):
            literal = literal.strip(" .:,'\"()")
            if len(literal) >= 14 and literal not in welsh[message_id]:
                phrases[literal] = message_id
    return phrases


ENGLISH_PHRASES = _english_phrases()


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


@functools.cache
def _spec_text(protocol: model.Protocol) -> str:
    """Every string the spec itself holds: English by design, quoted as it is."""
    return "\n".join(_strings(protocol.to_dict()))


def english_left_in(advice: dict, protocol: model.Protocol) -> list[str]:
    spec = _spec_text(protocol)
    found = []
    for text in set(_strings(advice)):
        for phrase, message_id in ENGLISH_PHRASES.items():
            if phrase in text and phrase not in spec:
                found.append(f"{message_id}: {text}")
        if (match := ENGLISH_DATE.search(text)) and match.group(0) not in spec:
            found.append(f"English date: {text}")
    return found


def _scenarios(protocol: model.Protocol):
    """Every route, every stage answer, with and without danger or an unsafe timescale; the earlier dates
    given in full or left out (so the warnings about what is missing are worded too)."""
    on, today = dt.date(2026, 12, 23), dt.date(2027, 1, 9)  # a Wednesday before Christmas; a Saturday
    for route, danger, unsafe in itertools.product(protocol.routes, (False, True), (False, True)):
        for completed in (None, *range(1, len(route.stages) + 1)):
            ends = tuple((n, on - dt.timedelta(days=2 * (completed - n))) for n in range(1, completed or 1))
            for started, stage_ends in ((None, ()), (dt.date(2026, 12, 1), ends)):
                if completed is None and started is not None:
                    continue
                yield engine.Answers(route=route.id, completed_stage=completed, on=on, today=today,
                                     started=started, stage_ends=stage_ends, immediate_danger=danger,
                                     timescale_unsafe=unsafe, language="cy")


@pytest.mark.parametrize("pid", sorted(PROTOCOLS))
def test_every_answer_on_the_real_protocols_is_worded_in_welsh(pid):
    protocol = PROTOCOLS[pid]
    calendar = CALENDARS[protocol.partnership.nation]
    english = []
    for answers in _scenarios(protocol):
        english += english_left_in(engine.advise(protocol, answers, calendar).to_dict(), protocol)
    assert sorted(set(english)) == []


def test_every_answer_on_testshire_is_worded_in_welsh():
    """Testshire has what the real texts lack: a duty counted from a day the answers do not give."""
    data = protocol_data(issued="2026-01")
    data["routes"][0]["stages"][2]["duties"] = [
        {"text": "Tell the panel.", "timescale": {"kind": "working_days", "days": 3, "anchor": "disagreement_arose",
                                                  "wording": "Within three working days of the concern."}},
        {"text": "Write to the family.", "timescale": {"kind": "none", "wording": ""}},
        {"text": "Agree a plan.", "timescale": {"kind": "agreed", "wording": "As agreed."}},
        {"text": "Report to the chair.", "timescale": {"kind": "working_days", "days": 1, "anchor": "event",
                                                       "anchor_event": "the meeting",
                                                       "wording": "The day after the meeting."}},
    ]
    protocol = model.from_dict(data)
    english = []
    for answers in _scenarios(protocol):
        english += english_left_in(engine.advise(protocol, answers, testshire.calendar()).to_dict(), protocol)
    assert sorted(set(english)) == []


def test_the_checks_recognise_an_english_answer():
    """The same cases in English are caught, so the Welsh tests above cannot pass by looking at nothing."""
    protocol = PROTOCOLS["north-wales"]
    answers = engine.Answers(completed_stage=len(protocol.route("standard").stages), on=dt.date(2026, 12, 23),
                             today=dt.date(2027, 1, 9), language="en")
    found = english_left_in(engine.advise(protocol, answers, CALENDARS["wales"]).to_dict(), protocol)
    assert any(line.startswith("outcome.last_stage: ") for line in found)
    answers = engine.Answers(completed_stage=1, on=dt.date(2026, 12, 23), today=dt.date(2027, 1, 9), language="en")
    found = english_left_in(engine.advise(protocol, answers, CALENDARS["wales"]).to_dict(), protocol)
    assert any(line.startswith("English date: ") for line in found)


def test_north_wales_last_stage_in_welsh():
    """North Wales, the professionals' meeting (stage 3) has ended: the answer says, in Welsh, that it was the
    last stage, and then quotes the text's own words about what follows."""
    protocol = PROTOCOLS["north-wales"]
    last = len(protocol.route("standard").stages)
    answers = engine.Answers(completed_stage=last, on=dt.date(2026, 12, 23), today=dt.date(2026, 12, 24),
                             language="cy")
    warnings = engine.advise(protocol, answers, CALENDARS["wales"]).to_dict()["warnings"]
    assert warnings[0] == (f"Cam {last} yw cam olaf y llwybr hwn. Mae'r protocol yn dweud beth sy'n digwydd nesaf: "
                           "This meeting will reach and finalise a decision.")


def test_a_timescale_counted_from_another_stage_in_welsh():
    """Testshire stage 4: one calendar month of the end of stage 2, in the few words a table cell has."""
    stage = model.from_dict(protocol_data()).route("standard").stage(4)
    assert messages.timescale_short(stage.timescale, stage_number=4, language="cy") == (
        messages.t("timescale.of_stage_end", "cy", text=messages.t(
            "timescale.within", "cy", count=messages.count(1, "calendar_month", "cy")), stage=2))
    assert "o ddiwedd cam 2" in messages.timescale_short(stage.timescale, stage_number=4, language="cy")
