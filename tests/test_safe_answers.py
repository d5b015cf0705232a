"""Hostile answers found by the safety re-check (safe5), one test per class of defect:

- `guidance ask` kept what to do about immediate danger until every escalation question was answered (and
  printed none of it if the practitioner stopped answering), where the wizard shows it at once;
- `guidance ask` read a numbered choice typed in other digits ('３' as choice 3), and '²' ended in
  "unexpected error" instead of the question again;
- the engine's browser door read a stage number loosely ('３', ' 2', '1_0' as ten, True as 1, 1.9 as 1), failed
  with Python's words on a stage-end key that is not a number, and read "no" as danger (bool('no'));
- a "first arose" date given with no stage ended was silently dropped: every limit counted from the later day;
- a task of the next stage whose own date had passed (HIPS: concerns in writing the same working day) was
  shown with that date and no word that it was overdue, when only the stage's later date was flagged;
- `guidance next --on 2026-02-29` was told it was "not a date as YYYY-MM-DD", which it is in form;
- with danger (which switches to the urgent route), a "first arose" date after the stage ended was said to be
  after "the disagreement arose", though the practitioner had said which stage ended that day;
- `guidance ask` asked a question again after an empty reply without a word of what was missing.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import testshire
from typed import run_typed

from generator import api
from generator.cli import main
from generator.core import engine

ROOT = Path(__file__).resolve().parent.parent


def ask(replies: list[str], today: str = "2026-12-25") -> tuple[int, str]:
    """`guidance ask` with these replies typed, then end of input; its exit code and everything printed."""
    return run_typed(["ask", "--today", today, "--protocols", str(ROOT / "protocols")], replies)


# --- guidance ask: danger first, the moment it is answered ------------------------------------------------

def test_ask_says_what_to_do_about_danger_before_the_next_question(capsys):
    code, text = ask(["swindon", "yes"])  # then the practitioner stops answering
    assert code == 2  # the questions stopped
    danger_at = text.index("SOMEONE IS IN IMMEDIATE DANGER: ACT NOW")
    # Swindon's own words and contacts, before the next question is asked
    assert danger_at < text.index("dial 999") < text.index("Contact MASH.") < text.index("Contact EDT.")
    assert text.index("Contact EDT.") < text.index("Do you believe the normal timescale is not safe")


def test_ask_adds_our_general_999_line_where_the_protocol_names_none(capsys):
    code, text = ask(["north-wales", "yes"])
    assert "General advice (ours, not the protocol's words): if anyone is in immediate danger, call 999 now." in text
    assert text.index("call 999 now") < text.index("Do you believe the normal timescale is not safe")


def test_ask_prints_no_danger_box_when_nobody_is_in_danger(capsys):
    code, text = ask(["swindon", "no"])
    assert "IMMEDIATE DANGER" not in text and "Contact MASH." not in text


# --- guidance ask: numbered choices in ASCII digits -------------------------------------------------------

@pytest.mark.parametrize("typed", ["３", "²", "٣", "3_0"])
def test_ask_takes_a_choice_number_in_ascii_digits_only(capsys, typed):
    code, text = ask([typed])
    err = capsys.readouterr().err
    assert "unexpected error" not in err and "Traceback" not in err
    assert code == 2  # asked again, then input ended: no partnership was chosen
    assert "Is anyone in immediate danger?" not in text  # choice 3 (Kirklees) was not taken
    assert f"We do not have a protocol called \u201c{typed}\u201d" in text


# --- the engine's browser door: each answer read one way, or explained -----------------------------------

def door(**answers) -> dict:
    given = {"on": "2026-12-01", "today": "2026-12-10", **answers}
    return engine.advise_json(testshire.protocol_data(), given, testshire.HOLIDAYS, 2025, 2028)


@pytest.mark.parametrize("stage", ["３", " 2", "1_0", "+1", True, 1.9, "2.0"])
def test_the_door_refuses_a_stage_number_that_reads_more_than_one_way(stage):
    reply = door(completed_stage=stage)
    assert reply["ok"] is False and reply["field"] == "completed_stage"
    assert reply["message"] == f"'{stage}' is not a stage number."


def test_the_door_still_takes_a_stage_as_a_number_or_ascii_digits():
    assert door(completed_stage="2")["advice"] == door(completed_stage=2)["advice"]
    assert door(completed_stage="2")["advice"]["next_stage"]["number"] == 3


@pytest.mark.parametrize("ends", [{"x": "2026-11-01"}, {"１": "2026-11-01"}, ["1"], "1=2026-11-01"])
def test_the_door_explains_a_stage_end_that_is_not_stage_number_and_date(ends):
    reply = door(completed_stage=2, stage_ends=ends)
    assert reply["ok"] is False and reply["field"] == "stage_ends"
    assert "is not a stage number" in reply["message"] and "could not work this out" not in reply["message"]


@pytest.mark.parametrize("flag", ["immediate_danger", "timescale_unsafe"])
def test_the_door_reads_no_as_no_and_refuses_what_is_neither(flag):
    plain = door(completed_stage=1)["advice"]
    assert door(completed_stage=1, **{flag: "no"})["advice"] == plain
    assert door(completed_stage=1, **{flag: "false"})["advice"] == plain
    assert door(completed_stage=1, **{flag: "yes"})["advice"] == door(completed_stage=1, **{flag: True})["advice"]
    assert door(completed_stage=1, **{flag: True})["advice"] != plain
    reply = door(completed_stage=1, **{flag: "maybe"})
    assert reply == {"ok": False, "field": flag, "message": "Choose yes or no."}


# --- a date given is never silently dropped ---------------------------------------------------------------

def test_a_first_arose_date_with_no_stage_ended_is_refused_not_dropped():
    reply = door(started="2026-11-01")
    assert reply["ok"] is False and reply["field"] == "started"
    assert "Sun 1 Nov 2026" in reply["message"] and "Tue 1 Dec 2026" in reply["message"]
    swindon = api.protocol("swindon", ROOT / "protocols")
    with pytest.raises(engine.AnswerError) as caught:
        api.advise(swindon, completed_stage=None, on=dt.date(2026, 12, 1), started=dt.date(2026, 11, 1),
                   today=dt.date(2026, 12, 10))
    assert caught.value.field == "started"


def test_the_same_day_as_first_arose_with_no_stage_ended_is_harmless():
    assert door(started="2026-12-01")["advice"] == door()["advice"]


# --- a task's own date, passed or today, is flagged like a stage's ------------------------------------------

HIPS_TASK = "Communicate your concerns in writing to the relevant professional."


def hips_warnings(on: str, today: str) -> list[str]:
    hips = api.protocol("hips", ROOT / "protocols")
    advice = api.advise(hips, completed_stage=None, on=dt.date.fromisoformat(on),
                        today=dt.date.fromisoformat(today))
    return list(advice.to_dict()["warnings"])


def test_a_task_due_yesterday_is_overdue_though_its_stage_is_due_today():
    # HIPS: "communicate their concerns in writing ... on the same working day" (Wed 9 Dec 2026) and stage 1
    # "within 1 working day" (Thu 10 Dec 2026); asked on Thu 10 Dec.
    warnings = hips_warnings("2026-12-09", "2026-12-10")
    assert warnings[:2] == ["The latest date for stage 1 is today.",
                            f"A task of stage 1 was due by Wed 9 Dec 2026 and is overdue: do it now. {HIPS_TASK}"]


def test_a_task_due_today_says_so_first_where_its_stage_is_due_later():
    warnings = hips_warnings("2026-12-10", "2026-12-10")  # stage 1 by Fri 11 Dec
    assert warnings[0] == f"A task of stage 1 is due today: {HIPS_TASK}"


def test_a_task_whose_date_is_still_to_come_is_not_flagged():
    # Sat 12 Dec 2026: "the same working day" is Mon 14 Dec, still to come.
    assert not any("A task of stage" in w for w in hips_warnings("2026-12-12", "2026-12-12"))


def test_the_terminal_flags_the_overdue_task(capsys):
    code = main(["next", "--protocols", str(ROOT / "protocols"), "--protocol", "hips", "--not-started",
                 "--on", "2026-12-07", "--today", "2026-12-10"])
    out = capsys.readouterr().out
    assert code == 0
    assert out.index("(Tue 8 Dec 2026) has passed") < out.index("A task of stage 1 was due by Mon 7 Dec 2026")


# --- a day the calendar lacks is named as such -------------------------------------------------------------

@pytest.mark.parametrize("day", ["2026-02-29", "2026-04-31", "2026-13-01", "2026-00-10"])
def test_the_command_line_says_a_well_formed_day_does_not_exist(capsys, day):
    with pytest.raises(SystemExit) as caught:
        main(["next", "--protocols", str(ROOT / "protocols"), "--protocol", "swindon", "--not-started",
              "--on", day, "--today", "2026-12-10"])
    err = capsys.readouterr().err
    assert caught.value.code == 2
    assert f"'{day}' is not a real date: the calendar has no such day" in err and "YYYY-MM-DD'" not in err


def test_a_leap_day_in_a_leap_year_is_taken(capsys):
    assert main(["next", "--protocols", str(ROOT / "protocols"), "--protocol", "swindon", "--not-started",
                 "--on", "2028-02-29", "--today", "2028-03-01"]) == 0
    # Swindon stage 1, "within 2 working days": Tue 29 Feb 2028 + 2 working days is Thu 2 Mar 2028.
    assert "Thu 2 Mar 2028" in capsys.readouterr().out


# --- danger switches the route, never the practitioner's own answers in a message ----------------------------

@pytest.mark.parametrize("flag", ["immediate_danger", "timescale_unsafe"])
def test_a_first_arose_date_after_the_stage_ended_is_explained_with_that_stage_when_danger_switched(flag):
    reply = door(completed_stage=2, started="2026-12-05", **{flag: True})  # Testshire has an urgent route
    assert reply == {"ok": False, "field": "started", "message": "The disagreement cannot have first arisen "
                     "(Sat 5 Dec 2026) after stage 2 ended (Tue 1 Dec 2026)."}


# --- guidance ask: an empty reply is explained, as on the page ---------------------------------------------

def test_ask_says_what_is_missing_after_an_empty_reply(capsys):
    code, text = ask(["", "swindon", ""])
    assert code == 2
    assert text.count("Which partnership's protocol do you follow?") == 2
    assert text.index("Choose the partnership whose protocol you follow.") \
        < text.rindex("Which partnership's protocol do you follow?")
    assert text.count("Is anyone in immediate danger?") == 2
    assert text.index("Choose yes or no.") < text.rindex("Is anyone in immediate danger?")


def test_ask_explains_an_empty_reply_to_a_date_with_no_day_filled_in(capsys):
    # Swindon, stage 2 ended on 1 Dec 2026: then "when did it first arise?", which has no default.
    code, text = ask(["swindon", "no", "no", "2", "01 12 2026", ""], today="2026-12-10")
    assert code == 2
    assert text.count("On what date did the disagreement first arise?") == 2
    assert "Enter the date as numbers: day, month and year, for example 23 12 2026." in text


@pytest.mark.parametrize(("danger", "unsafe"), [(True, False), (False, True)])
def test_with_someone_at_risk_no_date_reads_as_a_time_to_wait_on_a_protocol_without_an_urgent_route(
        capsys, danger, unsafe):
    """Kirklees has no separate urgent route: with danger (or a timescale that is not safe) the answer stays on
    its standard route, and its date, a guideline of 10 working days, is the formal in-hours step's latest date
    only; which kind of limit it is is still said. Without risk it is the plain guideline."""
    flags = ["--immediate-danger"] * danger + ["--timescale-unsafe"] * unsafe
    args = ["next", "--protocol", "kirklees", "--completed-stage", "1", "--on", "2027-01-04", "--today",
            "2027-01-05", "--json", "--protocols", str(ROOT / "protocols")]
    assert main([*args, *flags]) == 0
    got = json.loads(capsys.readouterr().out)
    assert (got["deadline"], got["deadline_is_formal_step_only"]) == ("2027-01-18", True)
    assert got["deadline_label"] == "Latest date for the formal in-hours step"
    assert got["deadline_rule"].startswith("Latest date for the formal in-hours step, given by the protocol as a "
                                           "guideline (act today all the same: this date is never a reason to wait)")
    assert main(args) == 0
    calm = json.loads(capsys.readouterr().out)
    assert (calm["deadline"], calm["deadline_is_formal_step_only"]) == ("2027-01-18", False)
    assert calm["deadline_rule"].startswith("Guideline (the protocol says this is the ideal")
