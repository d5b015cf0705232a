"""Wording a practitioner relies on, case by case: written against `make mutation` survivors.

Each test is a situation and the words that must be seen; the expected text is written out here, from the
catalogue's sentences and the protocols' own words, never read back from the function under test.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from testshire import protocol_data

from generator import load
from generator.core import engine, messages, model
from generator.core.calendar import calendar_for, holiday_years
from generator.core.model import current_versions

ROOT = Path(__file__).resolve().parent.parent
PROTOCOLS = current_versions(load.load_tree(ROOT / "protocols"))


def test_swindon_danger_in_welsh_names_every_out_of_hours_service_joined_in_welsh():
    """Swindon names three services for out of hours (MASH, EDT, dial 999): a Welsh reader in danger on
    Christmas Day (Fri 25 Dec 2026, a bank holiday) is told to act now through all three, joined by "neu"."""
    protocol = PROTOCOLS["swindon"]
    answers = engine.Answers(on=dt.date(2026, 12, 25), today=dt.date(2026, 12, 25), immediate_danger=True,
                             language="cy")
    first = engine.advise(protocol, answers, calendar_for("england", 2016, 2032)).immediate_actions[0]
    assert "drwy MASH, EDT neu dial 999," in first
    assert first.startswith("Nid yw heddiw (Gwe 25 Rhag 2026) yn ddiwrnod gwaith.")  # named, in Welsh


def test_the_browser_is_told_what_went_wrong_when_the_engine_fails():
    """A bundle whose protocol lacks its routes cannot be answered: the page shows a message naming the
    missing part (so a report from the field can be traced), not a blank panel."""
    data = protocol_data()
    del data["routes"]
    result = engine.advise_json(data, {"on": "2026-12-23", "today": "2026-12-24"}, {}, 2026, 2027)
    assert result == {"ok": False, "field": "",
                      "message": "The decision aid could not work this out ('routes')."}


def test_a_translation_that_has_not_said_it_was_reviewed_is_a_draft(monkeypatch):
    """A new catalogue without `_review_status` must read as a draft, so its pages keep the review notice."""
    monkeypatch.setattr(messages, "_read", lambda language: {"q.yes": "Ie"})
    assert messages.review_status("xx") == "draft"


def test_welsh_text_of_a_spec_is_never_given_for_another_language():
    """The partnership's own Welsh wording is offered for Welsh only: English gets the spec, a third
    language (none yet) gets nothing rather than Welsh."""
    data = protocol_data()
    data["cy"] = [["partnership.name", "Partneriaeth Diogelu Testshire"]]
    protocol = model.from_dict(data)
    assert protocol.published_in("partnership.name", "cy") == "Partneriaeth Diogelu Testshire"
    assert protocol.published_in("partnership.name", "en") is None
    assert protocol.published_in("partnership.name", "ga") is None


def _cap(kind: str, stages: list[int], anchor: str, **more) -> model.Cap:
    return model.Cap(id="cap", stages=tuple(stages), notes="",
                     timescale=model.Timescale(kind=kind, anchor=anchor, wording="As the text says.", **more))


def test_a_same_working_day_cap_counted_from_a_stage_end_names_that_stage_once():
    cap = _cap("same_working_day", [3, 4], "stage_end", anchor_stage=2)
    assert messages.cap_text(cap) == "Stages 3 and 4: same working day, counted from the end of stage 2"


def test_a_clock_hours_cap_from_the_disagreement_says_so_once():
    cap = _cap("clock_hours", [2, 3], "disagreement_arose", hours=72)
    assert messages.cap_text(cap) == ("Stages 2 and 3: within 72 hours (clock hours, weekends and bank holidays "
                                      "included), counted from the day the disagreement arose")


def test_a_today_the_calendar_cannot_vouch_for_never_reads_as_a_working_day():
    """The second guard behind the calendar check: if today were ever past the bank holidays the calendar
    holds, the danger line must still say today is not (known to be) a working day and to act now."""
    protocol = PROTOCOLS["swindon"]
    calendar = calendar_for("england", 2026, 2026)
    line = engine._act_today(protocol, dt.date(2027, 1, 4), calendar)  # a Monday, outside 2026
    assert line.startswith("Today (Mon 4 Jan 2027) is not a working day.")
    assert "through MASH, EDT or dial 999" in line
    welsh = engine._act_today(protocol, dt.date(2027, 1, 4), calendar, "cy")
    assert welsh.startswith("Nid yw heddiw (Llun 4 Ion 2027) yn ddiwrnod gwaith.")


def test_the_browser_gets_bank_holidays_from_ten_years_back_to_six_ahead():
    """Built on Mon 30 Nov 2026: a disagreement that arose in 2016 still gets its dates, and a route run to
    its limits from late 2026 fits in 2032; 2015 and 2033 are not needed."""
    assert holiday_years(dt.date(2026, 11, 30)) == (2016, 2032)
    assert holiday_years(dt.date(2027, 1, 1)) == (2017, 2033)
