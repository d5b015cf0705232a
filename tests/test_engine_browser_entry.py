"""The browser's door, tested in seconds: `engine.advise_json`, the very function the Pyodide worker calls.

Every answer the wizard can send is set, and the whole reply is compared with one written out by hand,
so a field dropped on the way in (danger, the first date, earlier stage ends) or on the way out (a key
renamed, a contact's hours lost) fails here, not only in the slow Chromium tests. The protocol is the
invented Testshire (tests/testshire.py); the working for every date is in the comments.
"""

from __future__ import annotations

import json

import pytest
from testshire import DUTY, FIRST_YEAR, HOLIDAYS, LAST_YEAR, PANEL, protocol_data

from generator.core import engine


def ask(answers: dict, protocol: dict | None = None) -> dict:
    """As the worker does: JSON in (through a real JSON round trip), JSON out."""
    reply = engine.advise_json(json.loads(json.dumps(protocol or protocol_data())), json.loads(json.dumps(answers)),
                               dict(HOLIDAYS), FIRST_YEAR, LAST_YEAR)
    json.dumps(reply)  # the reply must itself be plain JSON
    return reply


def no_urgent_route() -> dict:
    """Testshire without its urgent route: danger then keeps the route the practitioner is on."""
    data = protocol_data()
    data["risk"]["urgent_route"] = None
    return data


def advice(answers: dict, protocol: dict | None = None) -> dict:
    reply = ask(answers, protocol)
    assert reply["ok"], reply
    assert set(reply) == {"ok", "advice"}
    return reply["advice"]


STAGE_1 = {
    "number": 1, "title": "Talk to each other", "role": "Role 1", "counterpart": "Role 1 in the other agency",
    "similar_seniority": True, "actions": ["Talk.", "Listen."], "record": ["The outcome."], "forms": ["Form A"],
    "contacts": [DUTY], "timescale_wording": "Within two working days.",
}

NEW_YEAR = "Fri 1 Jan (New Year's Day)"
CHRISTMAS = "Fri 25 Dec (Christmas Day), Mon 28 Dec (Boxing Day, substitute day)"

# Every field set (on Testshire without an urgent route, so danger keeps the practitioner at stage 4; with
# one, danger starts the urgent route afresh). Stage 3 ended Mon 4 Jan 2027; the disagreement arose Wed 23 Dec 2026; stage 1 ended
# Tue 29 Dec, stage 2 Thu 31 Dec; someone is in danger; today is Saturday 9 January 2027.
EVERY_FIELD = {
    "route": "standard", "completed_stage": "3", "on": "2027-01-04", "today": "2027-01-09",
    "started": "2026-12-23", "immediate_danger": True, "timescale_unsafe": False,
    "stage_ends": {"1": "2026-12-29", "2": "2026-12-31"},
}

# Stage 4's own limit: one calendar month after the end of stage 2 (Thu 31 Dec 2026) is Sun 31 Jan 2027,
# not a working day, so back to Fri 29 Jan. Stages 4 and 5 together: 20 working days after Wed 23 Dec:
# Dec 24 (1), [25, 28 holidays], 29 (2), 30 (3), 31 (4), [1 Jan holiday], Jan 4-8 (5-9), 11-15 (10-14),
# 18-22 (15-19), Mon 25 Jan (20). The cap is earlier, so it counts, for stage 5 as well.
LATE_CAP_RULE = ("Stages 4 and 5 together: Mon 25 Jan 2027, 20 working days after Wed 23 Dec 2026 (the day the "
                 "disagreement first arose). The protocol says: \"Stages 4 and 5 within 20 working days of the "
                 f"concern.\" {CHRISTMAS} and {NEW_YEAR} are not working days.")
# Someone is in danger: the limit is still named (a limit across stages), but as the latest date for the
# formal in-hours step only, never a time to wait, although Testshire has no separate urgent route.
FORMAL_CAP_RULE = LATE_CAP_RULE.replace(
    "Stages 4 and 5 together:", "Latest date for the formal in-hours step, for stages 4 and 5 together (act today "
    "all the same: this date is never a reason to wait):", 1)
EXPECTED_EVERY_FIELD = {
    "protocol": "testshire",
    "protocol_name": "Testshire Safeguarding Partnership",
    "version": "2026-12",
    "route": "standard",
    "route_title": "Standard route",
    "route_switched_from": None,
    "route_switched_from_title": None,
    "version_label": "undated text",
    "immediate_actions": [
        "Today (Sat 9 Jan 2027) is not a working day. Act today, whatever the day; do not wait for a working day. "
        "Testshire's protocol names no out-of-hours or emergency service.",
        engine.GENERAL_999,
        "Call the duty team.",
        "Contact Duty Team: 01234 567890, duty@testshire.example, https://testshire.example/duty, 24 hours.",
        "Contact Resolution Panel.",
        "Testshire's protocol has no separate urgent route: escalate as fast as the child's or adult's safety "
        "needs. The dates below are the latest the protocol allows, not a time to wait.",
    ],
    "emergency_contacts": [DUTY, PANEL],
    "next_stage": {
        "number": 4, "title": "Heads of service", "role": "Role 4", "counterpart": "", "similar_seniority": False,
        "actions": [], "record": [], "forms": [], "contacts": [],
        "timescale_wording": "Within one calendar month of the end of stage 2.",
    },
    "deadline": "2027-01-25",
    "deadline_text": "Mon 25 Jan 2027",
    "deadline_rule": FORMAL_CAP_RULE + " This is earlier than the stage's own limit (Fri 29 Jan 2027), so it is the "
                                       "one that counts.",
    "deadline_is_guideline": False,
    "deadline_is_formal_step_only": True,
    "deadline_label": "Latest date for the formal in-hours step",
    "cap_applied": {"id": "late", "wording": "Stages 4 and 5 within 20 working days of the concern.",
                    "date": "2027-01-25"},
    "skipped_holidays": [{"date": "2026-12-25", "name": "Christmas Day"},
                         {"date": "2026-12-28", "name": "Boxing Day, substitute day"},
                         {"date": "2027-01-01", "name": "New Year's Day"}],
    "skipped_text": f"{CHRISTMAS} and {NEW_YEAR} are not working days",
    "timeline": [
        {"stage": 4, "title": "Heads of service", "latest_date": "2027-01-25", "latest_text": "Mon 25 Jan 2027",
         "rule": FORMAL_CAP_RULE + " This is earlier than the stage's own limit (Fri 29 Jan 2027), so it is the one "
                                   "that counts.", "readings": []},
        {"stage": 5, "title": "Directors", "latest_date": "2027-01-25", "latest_text": "Mon 25 Jan 2027",
         "rule": FORMAL_CAP_RULE + " Stage 5 has no limit of its own.", "readings": []},
        {"stage": 6, "title": "Panel", "latest_date": None, "latest_text": None,
         "rule": "The protocol gives no timescale for this stage.", "readings": []},
    ],
    "duties": [],
    "readings": [],
    "record_keeping": ["Record every step."],
    "after_last_stage": None,
    "continues_with": None,
    "warnings": [
        # Review due December 2026: its last day, Thu 31 Dec 2026, is before today.
        "This protocol was due for review in December 2026 and may have been replaced: check with Testshire "
        "Safeguarding Partnership that it is still current.",
        "The source document gives no date of issue: check with the partnership that this is the current version.",
    ],
}


def test_every_field_the_wizard_sends_reaches_the_answer():
    assert advice(EVERY_FIELD, no_urgent_route()) == EXPECTED_EVERY_FIELD


def test_danger_with_earlier_stage_ends_starts_the_urgent_route_instead_of_refusing_the_answers():
    # Testshire has an urgent route: danger starts it afresh from the date given (Mon 4 Jan 2027), and the
    # earlier stage ends the wizard sent are not a reason to refuse someone in danger.
    got = advice(EVERY_FIELD)
    assert (got["route"], got["route_switched_from"]) == ("urgent", "standard")
    assert got["immediate_actions"][0].startswith("Today (Sat 9 Jan 2027) is not a working day. Act today")
    assert got["deadline"] == "2027-01-04"


def test_without_the_danger_answer_there_is_no_999_line_and_no_contacts():
    got = advice({**EVERY_FIELD, "immediate_danger": False}, no_urgent_route())
    assert got["immediate_actions"] == []
    assert got["emergency_contacts"] == []
    assert got["deadline"] == "2027-01-25"


def test_without_the_first_date_the_cap_cannot_be_checked_and_the_later_date_shows_with_a_warning():
    got = advice({k: v for k, v in EVERY_FIELD.items() if k != "started"}, no_urgent_route())
    # Only stage 4's own limit is left: Fri 29 Jan 2027 (worked above).
    assert (got["deadline"], got["cap_applied"]) == ("2027-01-29", None)
    assert got["deadline_rule"] == (
        "Latest date for the formal in-hours step (act today all the same: this date is never a reason to wait): "
        "Fri 29 Jan 2027, 1 calendar month after Thu 31 Dec 2026 (the end of stage 2), which would not be "
        "a working day, so moved back to the working day before (the safe reading). The protocol says: \"Within one "
        "calendar month of the end of stage 2.\"")
    assert got["warnings"][0] == (
        "The protocol also limits stages 4 and 5 together (\"Stages 4 and 5 within 20 working days of the "
        "concern.\"). It counts from the day the disagreement first arose, which was not given, so that limit could "
        "not be checked and the date shown may be later than it.")
    assert len(got["warnings"]) == 3, "the unchecked cap is warned once, not once per stage"
    assert [s["latest_date"] for s in got["timeline"]] == ["2027-01-29", None, None]


def test_with_no_one_at_risk_a_limit_is_the_plain_latest_date_and_says_which_limit_it_is():
    got = advice({**EVERY_FIELD, "immediate_danger": False}, no_urgent_route())
    assert (got["deadline"], got["deadline_label"], got["deadline_is_formal_step_only"]) == (
        "2027-01-25", "Latest date", False)
    assert got["deadline_rule"].startswith(LATE_CAP_RULE)


def test_a_timescale_that_is_not_safe_makes_every_date_the_formal_steps_only():
    got = advice({**EVERY_FIELD, "immediate_danger": False, "timescale_unsafe": True}, no_urgent_route())
    assert got["deadline_is_formal_step_only"] and got["deadline_rule"].startswith(FORMAL_CAP_RULE)
    assert all(s["rule"].startswith("Latest date for the formal in-hours step") for s in got["timeline"]
               if s["latest_date"])


def test_without_earlier_stage_ends_stage_4_cannot_be_dated_and_says_why():
    got = advice({**EVERY_FIELD, "stage_ends": {}}, no_urgent_route())
    # The cap still dates stage 4 (Mon 25 Jan); its own limit counts from the end of stage 2, not given.
    assert got["deadline"] == "2027-01-25"
    assert got["deadline_rule"] == FORMAL_CAP_RULE + " Stage 4 has no limit of its own."
    assert got["warnings"][0] == (
        "Stage 4's limit (\"Within one calendar month of the end of stage 2.\") counts from the day stage 2 ended, "
        "which was not given, so it could not be dated.")


def test_timescale_unsafe_switches_to_the_urgent_route_from_the_date_given():
    # Sat 26 Dec 2026 (Boxing Day): the same working day moves on past Sun 27 and Mon 28 (substitute day) to
    # Tue 29 Dec: the latest date for the formal step only, since a route about risk always says act today.
    got = advice({"route": "standard", "completed_stage": "", "on": "2026-12-26", "today": "2026-12-26",
                  "timescale_unsafe": True})
    assert (got["route"], got["route_title"], got["route_switched_from"]) == ("urgent", "Urgent route", "standard")
    assert got["immediate_actions"] == [
        "Today (Sat 26 Dec 2026) is not a working day. Act today, whatever the day; do not wait for a working day. "
        "Testshire's protocol names no out-of-hours or emergency service.",
        engine.GENERAL_999, "Call the duty team.", "Contact Duty Team: 01234 567890, duty@testshire.example, https://testshire.example/duty, 24 hours.",
        "Contact Resolution Panel.", "Do not wait.", "Follow the protocol's urgent route now: Urgent route."]
    assert got["emergency_contacts"] == [DUTY, PANEL]
    assert got["deadline"] == "2026-12-29"
    assert (got["deadline_is_formal_step_only"], got["deadline_label"]) == (True, engine.FORMAL_STEP)
    assert got["deadline_rule"] == (
        f"{engine.FORMAL_STEP} (act today all the same: this date is never a reason to wait): Tue 29 Dec 2026, the same working day as Sat 26 Dec 2026 (the day the disagreement arose), which "
        "is not a working day, so the next working day. The protocol says: \"The same working day.\" Mon 28 Dec "
        "(Boxing Day, substitute day) is not a working day.")
    assert got["skipped_holidays"] == [{"date": "2026-12-28", "name": "Boxing Day, substitute day"}]
    assert got["timeline"][1] == {"stage": 2, "title": "Tell the panel", "latest_date": None, "latest_text": None,
                                  "rule": "The protocol gives no timescale for this stage. Tell the panel.",
                                  "readings": []}
    assert got["warnings"] == ["The source document gives no date of issue: check with the partnership that this "
                               "is the current version."]


def test_urgent_route_chosen_directly_is_followed_not_switched():
    got = advice({"route": "urgent", "on": "2026-12-30", "today": "2026-12-30", "timescale_unsafe": True})
    assert got["route_switched_from"] is None
    assert got["immediate_actions"][-1] == "Follow the protocol's urgent route now: Urgent route."
    # Wed 30 Dec 2026 is a working day: the same day, and nothing said about moving it.
    assert got["deadline_rule"] == (
        f"{engine.FORMAL_STEP} (act today all the same: this date is never a reason to wait): Wed 30 Dec 2026, the "
        "same working day as Wed 30 Dec 2026 (the day the disagreement arose). The protocol says: \"The same "
        "working day.\"")
    assert got["warnings"][0] == "The latest date for stage 1 is today."


def test_a_protocol_without_an_urgent_route_says_so_and_keeps_the_dates():
    data = protocol_data()
    data["risk"]["urgent_route"] = None
    got = advice({"route": "standard", "on": "2026-12-30", "today": "2026-12-30", "timescale_unsafe": True}, data)
    assert got["route"] == "standard"
    assert got["immediate_actions"] == [
        "Do not wait.",
        "Testshire's protocol has no separate urgent route: escalate as fast as the child's or adult's safety needs. "
        "The dates below are the latest the protocol allows, not a time to wait."]


def test_the_first_stage_from_the_day_the_disagreement_arose():
    # Stage 1: two working days after Wed 30 Dec 2026: Thu 31 (1), [Fri 1 Jan holiday], Mon 4 Jan (2).
    # Cap over stages 1 to 3: 8 working days after Wed 30 Dec: 31 (1), Jan 4-8 (2-6), 11 (7), Tue 12 Jan (8).
    got = advice({"route": "standard", "completed_stage": None, "on": "2026-12-30", "today": "2026-12-31"})
    assert got["next_stage"] == STAGE_1
    assert got["deadline"] == "2027-01-04"
    assert got["deadline_rule"] == (
        f"Deadline: Mon 4 Jan 2027, 2 working days after Wed 30 Dec 2026 (the day the disagreement arose). The "
        f"protocol says: \"Within two working days.\" {NEW_YEAR} is not a working day.")
    # Stage 2 (guideline, five working days after Mon 4 Jan: Mon 11 Jan) is within the cap (Tue 12 Jan); stage 3
    # has only the cap. Stage 4: a month after stage 2's latest date is Thu 11 Feb 2027, but stages 4 and 5
    # together are 20 working days after Wed 30 Dec: 31 (1), Jan 4-8 (2-6), 11-15 (7-11), 18-22 (12-16),
    # 25, 26, 27 (17-19), Thu 28 Jan (20): earlier, so it counts for stage 4 and for stage 5.
    assert [(s["stage"], s["latest_date"], s["latest_text"]) for s in got["timeline"]] == [
        (1, "2027-01-04", "Mon 4 Jan 2027"), (2, "2027-01-11", "Mon 11 Jan 2027"),
        (3, "2027-01-12", "Tue 12 Jan 2027"), (4, "2027-01-28", "Thu 28 Jan 2027"),
        (5, "2027-01-28", "Thu 28 Jan 2027"), (6, None, None)]
    assert got["timeline"][1]["rule"] == (
        "Guideline (the protocol says this is the ideal, not a fixed limit): Mon 11 Jan 2027, 5 working days after "
        "Mon 4 Jan 2027 (the latest date for stage 1). The protocol says: \"Ideally within five working days.\"")
    assert got["timeline"][2]["rule"] == (
        "Stages 1 to 3 together: Tue 12 Jan 2027, 8 working days after Wed 30 Dec 2026 (the day the disagreement "
        f"arose). The protocol says: \"Stages 1 to 3 within 8 working days.\" {NEW_YEAR} is not a working day. "
        "Stage 3 has no limit of its own.")
    assert got["timeline"][3]["rule"] == (
        "Stages 4 and 5 together: Thu 28 Jan 2027, 20 working days after Wed 30 Dec 2026 (the day the disagreement "
        f"arose). The protocol says: \"Stages 4 and 5 within 20 working days of the concern.\" {NEW_YEAR} is not a "
        "working day. This is earlier than the stage's own limit (Thu 11 Feb 2027), so it is the one that counts.")


def test_a_guideline_is_called_one_in_the_json():
    # Stage 1 ended Tue 29 Dec 2026: stage 2 ideally five working days later: 30, 31, [1 Jan], 4, 5, Wed 6 Jan.
    got = advice({"route": "standard", "completed_stage": 1, "on": "2026-12-29", "today": "2026-12-30",
                  "started": "2026-12-23"})
    assert (got["deadline"], got["deadline_is_guideline"], got["cap_applied"]) == ("2027-01-06", True, None)
    assert got["skipped_text"] == f"{NEW_YEAR} is not a working day"


def test_an_agreed_timescale_is_quoted_not_dated():
    data = protocol_data()
    data["routes"][0]["caps"] = []
    got = advice({"route": "standard", "completed_stage": 2, "on": "2026-12-30", "today": "2026-12-30"}, data)
    assert got["deadline"] is None and got["deadline_text"] is None and got["cap_applied"] is None
    assert got["deadline_rule"] == ("No number of days is given: agree a timescale. The protocol says: \"Within an "
                                    "agreed timescale.\"")
    assert got["timeline"][2]["rule"] == ("No number of days is given: act without delay. The protocol says: "
                                          "\"Without delay.\"")


@pytest.mark.parametrize(("route", "stage", "warning", "after", "continues"), [
    ("standard", 6, "Stage 6 is the last stage of this route. The protocol says what happens next: The panel "
                    "decides.", "The panel decides.", None),
    ("urgent", 2, "Stage 2 is the last stage of this route. Then follow the route 'Standard route'.", None,
     "standard"),
])
def test_after_the_last_stage(route, stage, warning, after, continues):
    got = advice({"route": route, "completed_stage": stage, "on": "2026-12-30", "today": "2026-12-30"})
    assert (got["next_stage"], got["deadline"], got["deadline_rule"], got["timeline"]) == (None, None, "", [])
    assert (got["after_last_stage"], got["continues_with"]) == (after, continues)
    assert got["warnings"][0] == warning


# --- answers the engine refuses, with the question to go back to ----------------------------------------

REFUSED = [
    ({"on": "2026-12-30", "today": "2026-12-30", "route": "nope"}, "route",
     "Testshire's protocol has no route 'nope'. Its routes are: standard (Standard route), urgent (Urgent route)."),
    ({"on": "2026-12-30", "today": "2026-12-30", "completed_stage": 7}, "completed_stage",
     "The route 'Standard route' has stages 1 to 6; there is no stage 7. Choose the stage that ended without "
     "agreement, or none yet."),
    ({"on": "2026-12-30", "today": "2026-12-30", "completed_stage": 0}, "completed_stage",
     "The route 'Standard route' has stages 1 to 6; there is no stage 0. Choose the stage that ended without "
     "agreement, or none yet."),
    ({"on": "2026-12-30", "today": "2026-12-30", "completed_stage": "two"}, "completed_stage",
     "'two' is not a stage number."),
    ({"today": "2026-12-30"}, "on", "A date is needed here."),
    ({"on": "", "today": "2026-12-30"}, "on", "A date is needed here."),
    ({"on": "2026-12-30"}, "today", "A date is needed here."),
    ({"on": "2026-12-30", "today": "30/12/2026"}, "today",
     "'30/12/2026' is not a real date: give the day, month and year, for example 23 12 2026."),
    # A date of tomorrow is refused; today itself is accepted (see below).
    ({"on": "2026-12-31", "today": "2026-12-30"}, "on",
     "Thu 31 Dec 2026 is in the future (today is Wed 30 Dec 2026). Give the date the stage ended, or the "
     "disagreement arose."),
    ({"on": "2026-12-30", "today": "2026-12-30", "completed_stage": 1, "started": "2026-12-31"}, "started",
     "Thu 31 Dec 2026 is in the future (today is Wed 30 Dec 2026). Give the date the disagreement first arose."),
    ({"on": "2026-12-29", "today": "2026-12-30", "started": "2026-12-30"}, "started",
     "The disagreement cannot have first arisen (Wed 30 Dec 2026) after the disagreement arose (Tue 29 Dec 2026)."),
    ({"on": "2026-12-29", "today": "2026-12-30", "completed_stage": 2, "started": "2026-12-30"}, "started",
     "The disagreement cannot have first arisen (Wed 30 Dec 2026) after stage 2 ended (Tue 29 Dec 2026)."),
    ({"on": "2026-12-29", "today": "2026-12-30", "completed_stage": 2, "stage_ends": {"2": "2026-12-24"}},
     "stage_ends", "Stage 2 cannot have an earlier end date here: only stages before the last one that ended can."),
    ({"on": "2026-12-29", "today": "2026-12-30", "stage_ends": {"1": "2026-12-24"}},
     "stage_ends", "Stage 1 cannot have an earlier end date here: only stages before the last one that ended can."),
    ({"on": "2026-12-29", "today": "2026-12-30", "completed_stage": 2, "stage_ends": {"1": "2026-12-30"}},
     "stage_ends", "Stage 1 cannot have ended on Wed 30 Dec 2026: that is outside the dates the other answers give."),
    ({"on": "2026-12-29", "today": "2026-12-30", "completed_stage": 2, "started": "2026-12-23",
      "stage_ends": {"1": "2026-12-22"}},
     "stage_ends", "Stage 1 cannot have ended on Tue 22 Dec 2026: that is outside the dates the other answers give."),
    ({"on": "2026-12-29", "today": "2026-12-30", "completed_stage": 2, "stage_ends": {"1": "2026-12-32"}},
     "stage_ends", "'2026-12-32' is not a real date: give the day, month and year, for example 23 12 2026."),
]


@pytest.mark.parametrize(("answers", "field", "message"), REFUSED)
def test_answers_that_cannot_be_right_are_refused_with_the_question_to_fix(answers, field, message):
    assert ask(answers) == {"ok": False, "field": field, "message": message}


@pytest.mark.parametrize("answers", [
    {"on": "2026-12-30", "today": "2026-12-30"},
    {"on": "2026-12-30", "today": "2026-12-30", "completed_stage": 1, "started": "2026-12-30"},
    {"on": "2026-12-29", "today": "2026-12-30", "completed_stage": 2, "started": "2026-12-23",
     "stage_ends": {"1": "2026-12-23"}},
    {"on": "2026-12-29", "today": "2026-12-30", "completed_stage": 2, "started": "2026-12-23",
     "stage_ends": {"1": "2026-12-29"}},
    {"on": "2026-12-29", "today": "2026-12-30", "completed_stage": "none"},
])
def test_dates_on_the_boundaries_are_accepted(answers):
    assert ask(answers)["ok"]


def test_anything_else_gets_a_message_not_a_blank_screen():
    reply = ask({"on": "2026-12-30", "today": "2026-12-30"}, {"not": "a protocol"})
    assert set(reply) == {"ok", "field", "message"}
    assert (reply["ok"], reply["field"]) == (False, "")
    assert reply["message"].startswith("The decision aid could not work this out (")
