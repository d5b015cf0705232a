"""Caps, the question flow's refusals and the "before this text was issued" warning, case by case.

Written against `make mutation` survivors. Dates are worked by hand from the texts and England's bank
holidays (Fri 25 Dec 2026, Mon 28 Dec 2026 substitute for Boxing Day, Fri 1 Jan 2027; Mon 1 Jan 2024).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import testshire

from generator import load
from generator.core import engine, model, questions
from generator.core.calendar import calendar_for
from generator.core.model import current_versions

ROOT = Path(__file__).resolve().parent.parent
PROTOCOLS = current_versions(load.load_tree(ROOT / "protocols"))
ENGLAND = calendar_for("england", 2020, 2032)


def _advice(pid: str, **answers) -> dict:
    return engine.advise(PROTOCOLS[pid], engine.Answers(**answers), ENGLAND).to_dict()


def test_kirklees_month_cap_in_welsh_names_its_stages_as_a_welsh_range():
    """Kirklees, the disagreement arose Wed 2 Dec 2026. Step 2's own ten working days (ideally) run from
    step 1's latest date, Wed 16 Dec (2-16 Dec: 10 working days), to Mon 4 Jan 2027 (17, 18, 21, 22, 23, 24,
    29, 30, 31 Dec, 4 Jan; 25 and 28 Dec and 1 Jan are bank holidays); the one calendar month over steps 1 to
    4 ends Sat 2 Jan 2027, moved back over Fri 1 Jan to Thu 31 Dec 2026, which wins."""
    advice = _advice("kirklees", on=dt.date(2026, 12, 2), today=dt.date(2026, 12, 2), language="cy")
    rows = {row["stage"]: row for row in advice["timeline"]}
    assert rows[1]["latest_date"] == "2026-12-16"
    assert rows[2]["latest_date"] == "2026-12-31"
    assert rows[2]["rule"].startswith("Camau 1 i 4 gyda'i gilydd: Iau 31 Rhag 2026, 1 mis calendr ar ôl Mer 2 Rhag 2026 (")


def test_hips_stages_2_and_3_cap_in_welsh_joins_the_stages_in_welsh():
    """HIPS, stage 1 ended Wed 23 Dec 2026. Stages 2 and 3 together: two working days from the end of stage 1,
    Thu 24 (1), Tue 29 Dec (2). Stage 2's own two days end the same day (its own wins the tie); stage 3's own
    two days from Tue 29 would be Thu 31 Dec, so the cap, Tue 29 Dec, decides it."""
    advice = _advice("hips", completed_stage=1, on=dt.date(2026, 12, 23), today=dt.date(2026, 12, 23),
                     language="cy")
    rows = {row["stage"]: row for row in advice["timeline"]}
    assert rows[2]["latest_date"] == "2026-12-29"
    assert rows[3]["latest_date"] == "2026-12-29"
    assert rows[3]["rule"].startswith("Camau 2 a 3 gyda'i gilydd: Maw 29 Rhag 2026, ")


def test_a_link_naming_a_route_the_protocol_lacks_is_refused_in_welsh_at_the_stage_question():
    """An old bookmarked link for Swindon (one route to choose, so the route is not asked) still carries
    route=nope: the stage it gives cannot be checked, and the page says why, in the reader's language."""
    answers = {"protocol": "swindon", "danger": "no", "unsafe": "no", "route": "nope", "stage": "1"}
    step = questions.next_step(PROTOCOLS, answers, "cy")
    assert step.question.id == "stage"
    assert step.question.error.startswith("Nid oes gan brotocol Swindon lwybr 'nope'. Ei lwybrau yw: ")


def test_a_route_the_protocol_lacks_is_refused_in_welsh():
    answers = {"protocol": "kirklees", "danger": "no", "unsafe": "no", "route": "nope"}
    step = questions.next_step(PROTOCOLS, answers, "cy")
    assert step.question.id == "route"
    assert step.question.error.startswith("Nid oes gan brotocol Kirklees lwybr 'nope'. Ei lwybrau yw: ")


def test_a_stage_the_route_lacks_is_refused_in_welsh():
    answers = {"protocol": "swindon", "danger": "no", "unsafe": "no", "stage": "9"}
    step = questions.next_step(PROTOCOLS, answers, "cy")
    assert step.question.id == "stage"
    assert step.question.error == ("Mae gan y llwybr 'Resolution process' gamau 1 i 5; nid oes cam 9. Dewiswch y cam "
                                   "a ddaeth i ben heb gytundeb, neu dim eto.")


BEFORE_SWINDON = ("{day} is before this text was issued (January 2024): the dates here follow this text, but an "
                  "earlier version may have applied then, with other steps or timescales. Check with Swindon "
                  "Safeguarding Partnership which version applies.")


@pytest.mark.parametrize(("answers", "earliest"), [
    ({"on": dt.date(2023, 12, 29), "today": dt.date(2024, 1, 2)}, "Fri 29 Dec 2023"),
    ({"completed_stage": 2, "on": dt.date(2024, 1, 10), "today": dt.date(2024, 1, 10),
      "started": dt.date(2023, 12, 28)}, "Thu 28 Dec 2023"),
    ({"completed_stage": 2, "on": dt.date(2024, 1, 10), "today": dt.date(2024, 1, 10),
      "started": dt.date(2023, 12, 27), "stage_ends": ((1, dt.date(2023, 12, 29)),)}, "Wed 27 Dec 2023"),
    ({"on": dt.date(2024, 1, 1), "today": dt.date(2024, 1, 2)}, None),  # issued "January 2024": from 1 Jan
])
def test_swindon_dates_before_its_text_was_issued_are_flagged_with_the_earliest(answers, earliest):
    warnings = _advice("swindon", **answers)["warnings"]
    flagged = [w for w in warnings if "is before this text was issued" in w]
    assert flagged == ([BEFORE_SWINDON.format(day=earliest)] if earliest else [])


# --- Testshire: what the real texts lack (a duty or a cap counted from a day the answers leave out) ---------


def _testshire(data: dict, **answers) -> dict:
    return engine.advise(model.from_dict(data), engine.Answers(**answers), testshire.calendar()).to_dict()


def test_a_duty_counted_from_the_disagreement_arising_says_that_day_was_not_given():
    """Testshire, stage 2 ended Wed 23 Dec 2026; the day the disagreement first arose is not given. Stage 3's
    duty counts from that day, so no date: the answer names the day it needs, and the meeting-based duty
    names its meeting."""
    data = testshire.protocol_data()
    data["routes"][0]["stages"][2]["duties"] = [
        {"text": "Tell the panel.", "timescale": {"kind": "working_days", "days": 3, "anchor": "disagreement_arose",
                                                  "wording": "Within three working days of the concern."}},
        {"text": "Report to the chair.", "timescale": {"kind": "working_days", "days": 1, "anchor": "event",
                                                       "anchor_event": "the meeting",
                                                       "wording": "The day after the meeting."}},
    ]
    duties = _testshire(data, completed_stage=2, on=dt.date(2026, 12, 23), today=dt.date(2026, 12, 23))["duties"]
    assert [(d["text"], d["latest_date"], d["rule"]) for d in duties] == [
        ("Tell the panel.", None, "Counted from the day the disagreement first arose, which the answers do not give. "
                                  'The protocol says: "Within three working days of the concern."'),
        ("Report to the chair.", None, "Counted from the meeting, which the answers do not give. "
                                       'The protocol says: "The day after the meeting."'),
    ]
    # Given that day (Mon 21 Dec 2026): three working days are Tue 22, Wed 23, Thu 24 Dec.
    duties = _testshire(data, completed_stage=2, on=dt.date(2026, 12, 23), today=dt.date(2026, 12, 23),
                        started=dt.date(2026, 12, 21))["duties"]
    assert duties[0]["latest_date"] == "2026-12-24"


def test_a_cap_from_before_stage_1_names_the_day_the_disagreement_arose_when_it_is_missing():
    """A cap over stages 1 to 3 counted from "the end of the stage before" stage 1 counts from the day the
    disagreement arose; once stage 1 has ended and that day is not given, the warning says which day."""
    data = testshire.protocol_data()
    data["routes"][0]["caps"][0]["timescale"]["anchor"] = "previous_stage_end"
    warnings = _testshire(data, completed_stage=1, on=dt.date(2026, 12, 23), today=dt.date(2026, 12, 23))["warnings"]
    assert ("The protocol also limits stages 1 to 3 together (\"Stages 1 to 3 within 8 working days.\"). It counts "
            "from the day the disagreement first arose, which was not given, so that limit could not be checked and "
            "the date shown may be later than it.") in warnings


def test_the_danger_question_names_who_is_protected_in_welsh():
    """Swindon protects children: "plentyn". Before a protocol is chosen (or when the one named is unknown),
    both: "plentyn neu oedolyn"."""
    swindon = questions.ask(PROTOCOLS, {"protocol": "swindon"}, "danger", "cy")
    assert swindon.hint == "Er enghraifft, plentyn sydd mewn perygl o niwed sylweddol ar hyn o bryd."
    unknown = questions.ask(PROTOCOLS, {"protocol": "nowhere"}, "unsafe", "cy")
    assert unknown.heading == "Ydych chi'n credu nad yw'r amserlen arferol yn ddiogel i'r plentyn neu oedolyn?"


def test_a_duty_without_a_timescale_of_its_own_follows_its_stage():
    """Testshire stage 3 ("Within an agreed timescale."): a duty the text gives no timescale for is done
    within the stage's own, so its line says to agree one; a duty with words of its own quotes them."""
    data = testshire.protocol_data()
    data["routes"][0]["stages"][2]["duties"] = [
        {"text": "Write to the family.", "timescale": {"kind": "none", "wording": ""}},
        {"text": "Agree a plan.", "timescale": {"kind": "agreed", "wording": "As agreed with the chair."}},
    ]
    duties = _testshire(data, completed_stage=2, on=dt.date(2026, 12, 23), today=dt.date(2026, 12, 23))["duties"]
    assert [(d["text"], d["rule"]) for d in duties] == [
        ("Write to the family.", 'No number of days is given: agree a timescale. The protocol says: '
                                 '"Within an agreed timescale."'),
        ("Agree a plan.", 'The protocol says: "As agreed with the chair."'),
    ]


def test_calderdale_24_hour_escalation_in_welsh_counts_clock_hours_over_christmas():
    """Calderdale's immediate/24 hour escalation, the disagreement arising on Christmas Day (Fri 25 Dec 2026):
    24 hours on the clock, bank holidays included, end on Sat 26 Dec 2026; the hours are worded in Welsh."""
    advice = _advice("calderdale", route="urgent", on=dt.date(2026, 12, 25), today=dt.date(2026, 12, 25),
                     language="cy")
    first = advice["timeline"][0]
    assert first["latest_date"] == "2026-12-26"
    assert first["rule"].startswith("Y dyddiad olaf: Sad 26 Rhag 2026, 24 awr ar y cloc o'r amser ar Gwe 25 Rhag 2026 (")


def test_hips_cap_from_the_end_of_stage_1_names_that_day_in_welsh_when_it_is_missing():
    """HIPS, stage 2 ended Wed 23 Dec 2026 and the end of stage 1 is not given: the two-working-day limit over
    stages 2 and 3 counts from that day, so the warning says, in Welsh, which day it needs."""
    warnings = _advice("hips", completed_stage=2, on=dt.date(2026, 12, 23), today=dt.date(2026, 12, 23),
                       language="cy")["warnings"]
    assert any(w.startswith("Mae'r protocol hefyd yn cyfyngu camau 2 a 3 gyda'i gilydd (") and
               "Mae'n cyfrif o y diwrnod y daeth cam 1 i ben, na chafodd ei roi," in w for w in warnings)


def test_a_limit_counted_from_a_stage_that_has_no_date_says_which_stage_end_it_needs():
    """Testshire with a stage 6 of five working days after stage 5, whose own timescale is "without delay"
    (no date) and whose cap counts from a day not given: stage 6 cannot be dated, and the warning says it
    needs stage 5's end."""
    data = testshire.protocol_data()
    data["routes"][0]["stages"][5]["timescale"] = {"kind": "working_days", "days": 5,
                                                   "wording": "Within five working days."}
    warnings = _testshire(data, completed_stage=4, on=dt.date(2026, 12, 23), today=dt.date(2026, 12, 23))["warnings"]
    assert ('Stage 6\'s limit ("Within five working days.") counts from the day stage 5 ended, which was not given, '
            "so it could not be dated.") in warnings
    welsh = _testshire(data, completed_stage=4, on=dt.date(2026, 12, 23), today=dt.date(2026, 12, 23),
                       language="cy")["warnings"]
    assert ('Mae terfyn cam 6 ("Within five working days.") yn cyfrif o y diwrnod y daeth cam 5 i ben, na chafodd '
            "ei roi, felly nid oedd modd rhoi dyddiad iddo.") in welsh


def test_a_limit_over_stages_of_the_urgent_route_is_never_a_date_to_wait_for():
    """Testshire's urgent route with a one-working-day limit over both its stages: someone in danger on
    Wed 23 Dec 2026 is told to act today; stage 2's date (Thu 24 Dec, from that limit) is labelled the
    formal in-hours step's latest date, never a plain deadline, and still says it is the limit over both."""
    data = testshire.protocol_data()
    data["routes"][1]["caps"] = [{"id": "both", "stages": [1, 2], "notes": "",
                                  "timescale": {"kind": "working_days", "days": 1, "anchor": "disagreement_arose",
                                                "wording": "Both steps within one working day."}}]
    advice = _testshire(data, on=dt.date(2026, 12, 23), today=dt.date(2026, 12, 23), immediate_danger=True)
    assert advice["route"] == "urgent"
    stage_2 = advice["timeline"][1]
    assert stage_2["latest_date"] == "2026-12-24"
    assert stage_2["rule"].startswith("Latest date for the formal in-hours step, for stages 1 and 2 together (act "
                                      "today all the same: this date is never a reason to wait): Thu 24 Dec 2026, ")


def test_a_stage_whose_date_cannot_be_worked_out_quotes_its_timescale():
    """Testshire, stage 3 ended Wed 23 Dec 2026 with neither stage 2's end nor the first day given: stage 4's
    month counts from stage 2's end, and the cap over stages 4 and 5 from the first day, so stage 4 gets no
    date and its line quotes the text's timescale instead."""
    advice = _testshire(testshire.protocol_data(), completed_stage=3, on=dt.date(2026, 12, 23),
                        today=dt.date(2026, 12, 23))
    stage_4 = advice["timeline"][0]
    assert (stage_4["stage"], stage_4["latest_date"]) == (4, None)
    assert stage_4["rule"] == ("This stage's date could not be worked out. The protocol says: "
                               '"Within one calendar month of the end of stage 2."')


# --- danger after a stage has ended -----------------------------------------------------------------------

SWITCHED = ("You had reached the end of stage 2 of “Resolution process”. The protocol's urgent route applies at any "
            "time, whatever stage has been reached, so it starts from its first stage, counted from Wed 23 Dec 2026 "
            "(the day stage 2 of “Resolution process” ended).")


def test_danger_after_swindon_stage_2_says_the_urgent_route_starts_afresh_from_that_day():
    """Swindon, stage 2 of the resolution process ended Wed 23 Dec 2026 and now a child is in danger: the
    urgent route applies at any time, so the answer says so, naming the stage reached and the day counted from."""
    advice = _advice("swindon", completed_stage=2, on=dt.date(2026, 12, 23), today=dt.date(2026, 12, 24),
                     immediate_danger=True)
    assert (advice["route"], advice["route_switched_from"]) == ("urgent", "standard")
    assert SWITCHED in advice["immediate_actions"]
    welsh = _advice("swindon", completed_stage=2, on=dt.date(2026, 12, 23), today=dt.date(2026, 12, 24),
                    immediate_danger=True, language="cy")["immediate_actions"]
    assert ("Roeddech wedi cyrraedd diwedd cam 2 o “Resolution process”. Mae llwybr brys y protocol yn berthnasol ar "
            "unrhyw adeg, ni waeth pa gam a gyrhaeddwyd, felly mae'n dechrau o'i gam cyntaf, wedi'i gyfrif o Mer 23 "
            "Rhag 2026 (y diwrnod y daeth cam 2 o “Resolution process” i ben).") in welsh


def test_kirklees_danger_names_its_front_door_in_welsh_and_shows_the_readings_about_risk():
    """Kirklees names its front door for immediate danger: a Welsh answer says "Cysylltwch â" (contact) before it;
    the readings about risk come with a danger answer and only with one."""
    calm = _advice("kirklees", on=dt.date(2026, 12, 23), today=dt.date(2026, 12, 23))
    danger = _advice("kirklees", on=dt.date(2026, 12, 23), today=dt.date(2026, 12, 23), immediate_danger=True,
                     language="cy")
    assert any(line.startswith("Cysylltwch â ") for line in danger["immediate_actions"])
    risk_readings = {"kirklees-duty-and-advice", "kirklees-significant-harm"}
    assert risk_readings <= {r["id"] for r in danger["readings"]}
    assert not risk_readings & {r["id"] for r in calm["readings"]}


def test_hips_cap_counted_from_a_given_stage_1_end_is_labelled_in_welsh():
    """HIPS, stage 1 ended Mon 21 Dec 2026, stage 2 Wed 23 Dec: stages 2 and 3 together within two working days
    of the end of stage 1 (Tue 22, Wed 23 Dec), so stage 3 is due Wed 23 Dec, before its own Tue 29 Dec."""
    advice = _advice("hips", completed_stage=2, on=dt.date(2026, 12, 23), today=dt.date(2026, 12, 23),
                     stage_ends=((1, dt.date(2026, 12, 21)),), language="cy")
    stage_3 = advice["timeline"][0]
    assert (stage_3["stage"], stage_3["latest_date"]) == (3, "2026-12-23")
    assert "ar ôl Llun 21 Rhag 2026 (diwedd cam 1)" in stage_3["rule"]


# --- overdue and "today" come first, even when other warnings were raised before them ---------------------


@pytest.mark.parametrize(("today", "language", "first"), [
    (dt.date(2026, 12, 17), "en", "The latest date for stage 2 (Wed 16 Dec 2026) has passed: this is overdue, "
                                  "escalate now."),
    (dt.date(2026, 12, 16), "en", "The latest date for stage 2 is today."),
    (dt.date(2026, 12, 16), "cy", "Heddiw yw'r dyddiad olaf ar gyfer cam 2."),
])
def test_kirklees_step_2_overdue_or_due_today_leads_the_warnings(today, language, first):
    """Kirklees, step 1 ended Wed 2 Dec 2026, the day the disagreement arose not given (so the month's warning
    is raised first): step 2, ideally ten working days (3, 4, 7-11, 14, 15, 16 Dec), ends Wed 16 Dec 2026."""
    warnings = _advice("kirklees", completed_stage=1, on=dt.date(2026, 12, 2), today=today,
                       language=language)["warnings"]
    assert len(warnings) >= 3  # the month that could not be checked, and no date of issue, come after it
    assert warnings[0] == first
