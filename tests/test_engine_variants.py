"""Testshire varied one feature at a time: caps that cannot be checked, caps counted from the previous
stage, task limits inside a stage (duties), clock hours, out-of-hours services, quoted wording. Each case
is a situation with the exact lines a practitioner reads; dates are worked by hand beside them.
"""

from __future__ import annotations

from test_engine_browser_entry import advice
from testshire import protocol_data

from generator.core import engine

NEW_YEAR = "Fri 1 Jan (New Year's Day) is not a working day."


def with_caps(*caps) -> dict:
    data = protocol_data()
    data["routes"][0]["caps"] = list(caps)
    return data


ODD = {"id": "odd", "stages": [1, 3, 5], "notes": "",
       "timescale": {"kind": "working_days", "days": 30, "anchor": "disagreement_arose", "wording": "Thirty days."}}
PAIR = {"id": "pair", "stages": [2, 3], "notes": "",
        "timescale": {"kind": "working_days", "days": 3, "anchor": "previous_stage_end", "wording": "Three days."}}


def unchecked(stages: str, start: str, wording: str) -> str:
    return (f"The protocol also limits stages {stages} together (\"{wording}\"). It counts from {start}, which was "
            "not given, so that limit could not be checked and the date shown may be later than it.")


def test_an_unchecked_cap_does_not_stop_a_later_cap_from_dating_the_stage():
    # Stage 1 ended Wed 30 Dec 2026; the first date is not given, so stages 1, 3 and 5 (from the disagreement)
    # cannot be checked. Stages 2 and 3 together: three working days after the end of stage 1: 31, [1 Jan],
    # 4, Tue 5 Jan 2027. Stage 2's own ideal (31, 4, 5, 6, 7: Thu 7 Jan) is later.
    got = advice({"route": "standard", "completed_stage": 1, "on": "2026-12-30", "today": "2026-12-30"},
                 with_caps(ODD, PAIR))
    assert [(row["stage"], row["latest_date"]) for row in got["timeline"][:2]] == [(2, "2027-01-05"),
                                                                                  (3, "2027-01-05")]
    assert got["timeline"][1]["rule"] == (
        "Stages 2 and 3 together: Tue 5 Jan 2027, 3 working days after Wed 30 Dec 2026 (the end of stage 1). The "
        f"protocol says: \"Three days.\" {NEW_YEAR} Stage 3 has no limit of its own.")
    assert got["warnings"][0] == unchecked("1, 3 and 5", "the day the disagreement first arose", "Thirty days.")


def test_a_cap_from_the_previous_stage_names_that_stage_when_its_end_is_missing():
    # Stage 2 ended; when stage 1 ended is not given, the cap over stages 2 and 3 cannot be checked.
    got = advice({"route": "standard", "completed_stage": 2, "on": "2026-12-30", "today": "2026-12-30"},
                 with_caps(PAIR))
    assert got["deadline"] is None
    assert got["warnings"][0] == unchecked("2 and 3", "the day stage 1 ended", "Three days.")


def test_a_fixed_limit_on_the_same_day_as_the_ideal_is_the_binding_one():
    # The disagreement arose Mon 4 Jan 2027, stage 1 ended Thu 7 Jan. Stage 2 ideally five working days later:
    # 8, 11, 12, 13, Thu 14 Jan. Stages 1 to 3 within 8 working days of Mon 4 Jan: 5-8, 11-14: Thu 14 Jan too.
    got = advice({"route": "standard", "completed_stage": 1, "on": "2027-01-07", "today": "2027-01-07",
                  "started": "2027-01-04"})
    assert (got["deadline"], got["deadline_is_guideline"], got["cap_applied"]["id"]) == (
        "2027-01-14", False, "first-three")
    assert got["deadline_rule"] == (
        "Stages 1 to 3 together: Thu 14 Jan 2027, 8 working days after Mon 4 Jan 2027 (the day the disagreement "
        "first arose). The protocol says: \"Stages 1 to 3 within 8 working days.\" The protocol's ideal (\"Ideally "
        "within five working days.\") falls on the same day; this fixed limit is the binding rule.")


def test_wording_that_already_quotes_the_text_is_not_quoted_twice():
    data = protocol_data()
    data["routes"][0]["stages"][0]["timescale"]["wording"] = '"two working days" (paragraph 3)'
    got = advice({"route": "standard", "on": "2026-12-30", "today": "2026-12-30"}, data)
    # Two working days after Wed 30 Dec 2026: 31, [1 Jan], Mon 4 Jan 2027.
    assert got["deadline_rule"] == ("Deadline: Mon 4 Jan 2027, 2 working days after Wed 30 Dec 2026 (the day the "
                                    "disagreement arose). The protocol says: \"two working days\" (paragraph 3). "
                                    f"{NEW_YEAR}")


# --- out-of-hours services named by the text ------------------------------------------------------------

def danger_lines(out_of_hours: list[str]) -> list[str]:
    data = protocol_data()
    data["risk"]["out_of_hours"] = out_of_hours
    data["risk"]["urgent_route"] = None
    return advice({"route": "standard", "on": "2026-12-30", "today": "2026-12-30", "immediate_danger": True},
                  data)["immediate_actions"]


def test_one_out_of_hours_service_is_named_on_its_own():
    lines = danger_lines(["the Duty Team"])
    assert lines[:2] == ["Act today, whatever the day, through the Duty Team, as the protocol names them; do not "
                         "wait for a working day.", engine.GENERAL_999]


def test_two_services_are_joined_with_or_and_a_protocol_naming_999_gets_no_general_999_line():
    lines = danger_lines(["the Duty Team", "the police on 999"])
    assert lines[0] == ("Act today, whatever the day, through the Duty Team or the police on 999, as the protocol "
                        "names them; do not wait for a working day.")
    assert engine.GENERAL_999 not in lines


def test_three_services_are_listed_with_commas_then_or():
    assert danger_lines(["A", "B", "C"])[0].startswith("Act today, whatever the day, through A, B or C, as ")


# --- task limits inside a stage (duties) ----------------------------------------------------------------

def with_duties(route: int, duties: list[dict]) -> dict:
    data = protocol_data()
    data["routes"][route]["stages"][0]["duties"] = duties
    return data


FORM = {"text": "Send the form.", "timescale": {"kind": "working_days", "days": 1,
                                                "wording": "Form within one working day."}}
REVIEW = {"text": "Learning review.", "timescale": {"kind": "working_days", "days": 10, "anchor": "event",
                                                   "anchor_event": "the review meeting",
                                                   "wording": "Within ten working days of the review meeting."}}
AGREE = {"text": "Agree next steps.", "timescale": {"kind": "agreed", "wording": "As agreed."}}


def test_duties_of_the_next_stage_are_dated_or_say_why_not():
    # The disagreement arose Wed 30 Dec 2026: the form is due one working day later, Thu 31 Dec.
    got = advice({"route": "standard", "on": "2026-12-30", "today": "2026-12-30"},
                 with_duties(0, [FORM, REVIEW, AGREE]))
    assert got["duties"] == [
        {"text": "Send the form.", "latest_date": "2026-12-31", "latest_text": "Thu 31 Dec 2026",
         "rule": "Deadline: Thu 31 Dec 2026, 1 working day after Wed 30 Dec 2026 (the day the disagreement arose). "
                 "The protocol says: \"Form within one working day.\""},
        {"text": "Learning review.", "latest_date": None, "latest_text": None,
         "rule": "Counted from the review meeting, which the answers do not give. The protocol says: \"Within ten "
                 "working days of the review meeting.\""},
        {"text": "Agree next steps.", "latest_date": None, "latest_text": None,
         "rule": "The protocol says: \"As agreed.\""},
    ]


def test_a_duty_on_the_urgent_route_is_the_formal_step_only():
    # Urgent route from Wed 30 Dec 2026: the letter within one working day, Thu 31 Dec, never a reason to wait.
    got = advice({"route": "urgent", "on": "2026-12-30", "today": "2026-12-30"}, with_duties(1, [FORM]))
    assert got["duties"][0]["rule"] == (
        f"{engine.FORMAL_STEP} (act today all the same: this date is never a reason to wait): Thu 31 Dec 2026, 1 "
        "working day after Wed 30 Dec 2026 (the day the disagreement arose). The protocol says: \"Form within one "
        "working day.\"")


def test_a_duty_of_a_later_stage_counts_from_the_stage_before():
    # Stage 1 ended Tue 29 Dec 2026; stage 2's form is due one working day later: Wed 30 Dec.
    data = protocol_data()
    data["routes"][0]["stages"][1]["duties"] = [FORM]
    got = advice({"route": "standard", "completed_stage": 1, "on": "2026-12-29", "today": "2026-12-29"}, data)
    assert got["duties"][0]["latest_date"] == "2026-12-30"
    assert "1 working day after Tue 29 Dec 2026 (the end of stage 1)" in got["duties"][0]["rule"]


# --- clock hours ----------------------------------------------------------------------------------------

def test_clock_hours_count_weekends_and_holidays_and_round_up_to_whole_days():
    data = protocol_data()
    data["routes"][1]["stages"][0]["timescale"] = {"kind": "clock_hours", "hours": 36, "wording": "Within 36 hours."}
    # 36 hours from some time on Wed 30 Dec 2026 ends, at the latest, two days on: Fri 1 Jan 2027 (a bank
    # holiday, counted all the same).
    got = advice({"route": "urgent", "on": "2026-12-30", "today": "2026-12-30"}, data)
    assert got["deadline"] == "2027-01-01"
    assert got["deadline_rule"] == (
        "Latest date: Fri 1 Jan 2027, 36 hours on the clock from the time on Wed 30 Dec 2026 (the day the "
        "disagreement arose), weekends and bank holidays included. The protocol says: \"Within 36 hours.\"")
    data["routes"][1]["stages"][0]["timescale"]["hours"] = 25
    # 25 hours: into the second day after, Fri 1 Jan 2027 again; 24 hours: Thu 31 Dec.
    assert advice({"route": "urgent", "on": "2026-12-30", "today": "2026-12-30"}, data)["deadline"] == "2027-01-01"
    data["routes"][1]["stages"][0]["timescale"]["hours"] = 24
    assert advice({"route": "urgent", "on": "2026-12-30", "today": "2026-12-30"}, data)["deadline"] == "2026-12-31"


def test_clock_hours_as_a_cap_are_named_as_the_cap():
    cap = {"id": "day", "stages": [1, 2], "notes": "",
           "timescale": {"kind": "clock_hours", "hours": 24, "anchor": "disagreement_arose", "wording": "A day."}}
    data = protocol_data()
    data["routes"][1]["caps"] = [cap]
    # Same working day from Sat 26 Dec 2026 is Tue 29 Dec; 24 hours from Sat 26 Dec ends Sun 27 Dec: earlier.
    got = advice({"route": "urgent", "on": "2026-12-26", "today": "2026-12-26"}, data)
    assert got["deadline"] == "2026-12-27"
    assert got["cap_applied"] == {"id": "day", "wording": "A day.", "date": "2026-12-27"}
