"""The engine against deadlines worked out by hand from a printed calendar (not by calling the code).

England and Wales 2026-27, for reference: Fri 25 Dec Christmas Day, Sat 26 Dec Boxing Day (substitute
Mon 28 Dec), Fri 1 Jan New Year's Day, Fri 26 Mar Good Friday, Mon 29 Mar Easter Monday. Scotland also
has 2 Jan (a Saturday in 2027, substitute Mon 4 Jan) and no Easter Monday.
"""

import datetime as dt
import json
from pathlib import Path

import pytest

from generator import load
from generator.cli import main
from generator.core import engine
from generator.core.calendar import calendar_for, uk_holidays
from generator.core.model import current_versions

ROOT = Path(__file__).resolve().parent.parent
PROTOCOLS = current_versions(load.load_tree(ROOT / "protocols"))
TODAY = dt.date(2027, 6, 1)  # after every case's dates, so no answer is "in the future"


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def run(protocol_id, route="standard", completed=None, on="2026-12-23", started=None, today=TODAY, **flags):
    protocol = PROTOCOLS[protocol_id] if isinstance(protocol_id, str) else protocol_id
    answers = engine.Answers(route=route, completed_stage=completed, on=d(on), today=today,
                             started=d(started) if started else None, **flags)
    return engine.advise(protocol, answers, calendar_for(protocol.partnership.nation, 2024, 2030)).to_dict()


# (protocol, route, completed stage, on, started, next stage, deadline or None)
CASES = [
    # Swindon: 2, 5, 5, 5, 5 working days, each from the end of the stage before.
    ("swindon", "standard", None, "2026-12-23", None, 1, "2026-12-29"),
    ("swindon", "standard", 1, "2026-12-21", None, 2, "2026-12-30"),
    ("swindon", "standard", 2, "2026-12-23", None, 3, "2027-01-04"),
    ("swindon", "standard", 3, "2026-12-24", None, 4, "2027-01-05"),
    ("swindon", "standard", 4, "2027-03-19", None, 5, "2027-03-30"),
    ("swindon", "standard", None, "2026-12-05", None, 1, "2026-12-08"),  # a Saturday
    ("swindon", "standard", 1, "2027-03-26", None, 2, "2027-04-05"),  # from Good Friday: 30, 31 Mar, 1, 2, 5 Apr
    ("swindon", "urgent", None, "2026-12-26", None, 1, "2026-12-29"),  # same working day, from Boxing Day
    ("swindon", "urgent", None, "2026-12-23", None, 1, "2026-12-23"),
    ("swindon", "urgent", 1, "2026-12-23", None, 2, None),  # "informed immediately": no number
    # Calderdale: steps 1 to 5 within 5 working days of the disagreement arising; step 6 urgently.
    ("calderdale", "standard", None, "2026-12-23", None, 1, "2027-01-04"),
    ("calderdale", "standard", 3, "2026-12-29", "2026-12-23", 4, "2027-01-04"),
    ("calderdale", "standard", 3, "2026-12-29", None, 4, None),  # cap cannot be checked
    ("calderdale", "standard", 5, "2027-01-04", "2026-12-23", 6, None),
    ("calderdale", "standard", None, "2027-03-25", None, 1, "2027-04-05"),
    # Calderdale urgent: 24 clock hours, weekends and bank holidays counted (the calderdale-24-hours reading).
    ("calderdale", "urgent", None, "2026-12-24", None, 1, "2026-12-25"),  # Thu 24 Dec + 24 h = Christmas Day
    ("calderdale", "urgent", None, "2027-03-25", None, 1, "2027-03-26"),  # Thu 25 Mar + 24 h = Good Friday
    ("calderdale", "urgent", 1, "2027-03-25", None, 2, None),
    ("calderdale", "conference-need", None, "2026-12-23", None, 1, None),
    ("calderdale", "conference-dissent", None, "2026-12-23", None, 1, None),
    # North Wales (Wales): 5 working days for each of its four stages.
    ("north-wales", "standard", None, "2026-12-23", None, 1, "2027-01-04"),
    ("north-wales", "standard", 1, "2026-12-18", None, 2, "2026-12-29"),
    ("north-wales", "standard", 2, "2027-03-24", None, 3, "2027-04-02"),
    ("north-wales", "standard", 3, "2027-03-26", None, 4, "2027-04-05"),  # anchor on Good Friday
    ("north-wales", "standard", 1, "2026-12-31", None, 2, "2027-01-08"),
    # Kirklees: ideally 10 working days between steps; the whole process within one calendar month.
    # Step 1: the ideal of 10 working days also runs to step 1 (kirklees-ten-days-step-1), before the month.
    ("kirklees", "standard", None, "2026-11-30", None, 1, "2026-12-14"),  # Dec 1-4, 7-11, 14
    ("kirklees", "standard", None, "2026-11-27", None, 1, "2026-12-11"),  # Nov 30, Dec 1-4, 7-11
    ("kirklees", "standard", 1, "2026-11-30", "2026-11-30", 2, "2026-12-14"),
    ("kirklees", "standard", 2, "2026-12-14", "2026-11-30", 3, "2026-12-30"),
    ("kirklees", "standard", 3, "2026-12-21", "2026-11-30", 4, "2026-12-30"),  # the month caps 7 Jan
    ("kirklees", "standard", 3, "2026-12-21", None, 4, "2027-01-07"),  # month not checkable: guideline only
    ("kirklees", "standard", None, "2027-02-26", None, 1, "2027-03-12"),  # Mar 1-5, 8-12
    ("kirklees", "conference-need", None, "2026-12-23", None, 1, None),
    # HIPS: 1 working day; stages 2 and 3 within 2 working days; stage 4 within 5.
    ("hips", "standard", None, "2026-12-24", None, 1, "2026-12-29"),
    ("hips", "standard", 1, "2026-12-24", None, 2, "2026-12-30"),
    ("hips", "standard", 2, "2026-12-29", None, 3, "2026-12-31"),
    ("hips", "standard", 3, "2026-12-31", None, 4, "2027-01-08"),
    ("hips", "standard", None, "2027-03-25", None, 1, "2027-03-30"),
    ("hips", "standard", 3, "2027-03-24", None, 4, "2027-04-02"),  # 25 Mar, 30, 31 Mar, 1, 2 Apr
    ("hips", "mash-referral", None, "2026-12-23", None, 1, None),
    ("hips", "joint-response", 1, "2026-12-23", None, 2, None),
    ("hips", "conference-dissent", 2, "2026-12-23", None, 3, None),
    ("hips", "plan-implementation", 1, "2026-12-23", None, 2, None),
    ("hips", "conference-need", None, "2026-12-23", None, 1, None),
]


@pytest.mark.parametrize(("pid", "route", "completed", "on", "started", "stage", "deadline"), CASES)
def test_hand_worked_deadlines(pid, route, completed, on, started, stage, deadline):
    advice = run(pid, route, completed, on, started)
    assert advice["route"] == route
    assert advice["next_stage"]["number"] == stage
    assert advice["deadline"] == deadline
    if deadline is None:
        assert advice["deadline_rule"], "an undated stage still says what the text says about time"


def test_christmas_rule_names_the_skipped_days():
    advice = run("swindon", completed=2, on="2026-12-23")
    assert advice["deadline_text"] == "Mon 4 Jan 2027"
    assert advice["skipped_text"] == ("Fri 25 Dec (Christmas Day), Mon 28 Dec (Boxing Day, substitute day) and "
                                      "Fri 1 Jan (New Year's Day) are not working days")
    assert [s["date"] for s in advice["skipped_holidays"]] == ["2026-12-25", "2026-12-28", "2027-01-01"]
    assert "5 working days after Wed 23 Dec 2026 (the end of stage 2)" in advice["deadline_rule"]
    assert "within five working days of the completion of the Stage 2" in advice["deadline_rule"]


def test_timeline_runs_each_stage_to_its_limit():
    advice = run("swindon", on="2026-12-23")
    assert [(t["stage"], t["latest_date"]) for t in advice["timeline"]] == [
        (1, "2026-12-29"), (2, "2027-01-06"), (3, "2027-01-13"), (4, "2027-01-20"), (5, "2027-01-27")]


def test_calderdale_cap_is_named_when_it_sets_the_date():
    advice = run("calderdale", completed=3, on="2026-12-29", started="2026-12-23")
    assert advice["cap_applied"]["id"] == "steps-1-5"
    assert "has no limit of its own" in advice["deadline_rule"]
    # Step 6 is outside the cap and "urgent" with no number.
    assert [t["latest_date"] for t in advice["timeline"]] == ["2027-01-04", "2027-01-04", None]


def test_missing_first_date_warns_that_the_cap_was_not_checked():
    advice = run("calderdale", completed=3, on="2026-12-29")
    assert any("could not be checked" in w for w in advice["warnings"])


def test_hips_stages_2_and_3_together_when_stage_1_end_is_known():
    # Stage 1 ended Thu 24 Dec; stages 2 and 3 together within 2 working days: Tue 29, Wed 30 Dec.
    advice = run("hips", completed=2, on="2026-12-29", stage_ends=((1, d("2026-12-24")),))
    assert advice["deadline"] == "2026-12-30"
    assert advice["cap_applied"]["id"] == "stages-2-3"
    assert not any("could not be checked" in w for w in advice["warnings"])
    # Without it, stage 3's own two working days (Wed 30, Thu 31) and a warning.
    advice = run("hips", completed=2, on="2026-12-29")
    assert advice["deadline"] == "2026-12-31"
    assert any("could not be checked" in w for w in advice["warnings"])


def test_kirklees_month_moves_back_and_says_so():
    # Month from Fri 27 Nov 2026: Sun 27 Dec, back past Sat 26 and Fri 25 (Christmas) to Thu 24 Dec.
    # Step 3's ideal from Mon 14 Dec: 15-18, 21-24, (28 Dec substitute holiday) 29, 30 -> Wed 30 Dec, later.
    advice = run("kirklees", completed=2, on="2026-12-14", started="2026-11-27")
    assert advice["deadline"] == "2026-12-24"
    assert "moved back" in advice["deadline_rule"]
    assert advice["cap_applied"]["id"] == "one-month"


def test_kirklees_guideline_is_called_a_guideline():
    advice = run("kirklees", completed=1, on="2026-11-30", started="2026-11-30")
    assert advice["deadline_is_guideline"] is True
    assert advice["deadline_rule"].startswith("Guideline")


def test_scotland_and_england_differ(tmp_path):
    minimal = ROOT / "tests" / "fixtures" / "specs" / "minimal" / "2025-01.yaml"
    england = load.load_protocol(minimal)
    folder = tmp_path / "minimal"
    folder.mkdir()
    (folder / "2025-01.yaml").write_text(minimal.read_text().replace("nation: england", "nation: scotland"))
    scotland = load.load_protocol(folder / "2025-01.yaml")
    # New Year 2027: Scotland's 2 January falls on a Saturday, so Mon 4 Jan is its substitute.
    assert run(england, on="2026-12-31")["deadline"] == "2027-01-05"
    assert run(scotland, on="2026-12-31")["deadline"] == "2027-01-06"
    # Easter 2027: Easter Monday is not a bank holiday in Scotland.
    assert run(england, on="2027-03-25")["deadline"] == "2027-03-31"
    assert run(scotland, on="2027-03-25")["deadline"] == "2027-03-30"


def test_immediate_danger_comes_first_with_999_and_the_protocols_contacts():
    advice = run("kirklees", on="2026-12-26", today=d("2026-12-26"), immediate_danger=True)
    actions = advice["immediate_actions"]
    assert actions[0].startswith("Today (Sat 26 Dec 2026) is not a working day. Act today")
    # The text gives the Duty and Advice team no hours, so it is not called an out-of-hours service; its
    # number is still among the things to do now, in the text's own sentence.
    assert "Kirklees's protocol names no out-of-hours or emergency service." in actions[0]
    assert any("(01484) 414960" in a for a in actions[1:])
    # Kirklees never says 999: it is our general advice, marked so and kept apart from the text's words.
    assert engine.GENERAL_999 in actions
    assert not any("999" in a and a != engine.GENERAL_999 for a in actions)
    assert not any("named above" in a for a in actions)
    assert advice["emergency_contacts"][0]["phone"] == "01484 414960"


def test_no_danger_no_immediate_actions():
    assert run("kirklees", on="2026-12-23")["immediate_actions"] == []


def test_unsafe_timescale_switches_to_the_urgent_route():
    advice = run("swindon", completed=2, on="2026-12-23", timescale_unsafe=True)
    assert advice["route"] == "urgent"
    assert advice["route_switched_from"] == "standard"
    assert advice["deadline"] == "2026-12-23"
    assert any("urgent route" in a for a in advice["immediate_actions"])


def test_unsafe_timescale_without_an_urgent_route_says_so():
    advice = run("north-wales", on="2026-12-23", timescale_unsafe=True)
    assert advice["route"] == "standard"
    assert any("no separate urgent route" in a for a in advice["immediate_actions"])


def test_overdue_deadline_says_escalate_now():
    advice = run("swindon", on="2026-12-01", today=d("2026-12-10"))
    assert advice["deadline"] == "2026-12-03"
    assert advice["warnings"][0].endswith("this is overdue, escalate now.")


def test_review_overdue_is_warned():
    assert any("due for review in November 2020" in w for w in run("north-wales")["warnings"])
    assert not any("due for review" in w for w in run("calderdale")["warnings"])


def test_conference_dissent_continues_with_the_standard_route():
    advice = run("calderdale", "conference-dissent", completed=1, on="2026-12-23")
    assert advice["next_stage"] is None
    assert advice["continues_with"] == "standard"


def test_after_the_last_stage_the_protocol_says_what_happens():
    advice = run("swindon", completed=5, on="2026-12-23")
    assert advice["next_stage"] is None and advice["deadline"] is None
    assert "Resolution Panel" in advice["after_last_stage"]
    assert any("last stage" in w for w in advice["warnings"])


@pytest.mark.parametrize(("kwargs", "field", "fragment"), [
    ({"on": "2027-07-01"}, "on", "is in the future"),
    ({"on": "2026-12-23", "started": "2027-07-01"}, "started", "is in the future"),
    ({"completed": 2, "on": "2026-12-23", "started": "2026-12-24"}, "started", "cannot have first arisen"),
    ({"completed": 9}, "completed_stage", "has stages 1 to 5; there is no stage 9"),
    ({"route": "nonsense"}, "route", "has no route 'nonsense'"),
])
def test_answers_that_make_no_sense_are_explained(kwargs, field, fragment):
    with pytest.raises(engine.AnswerError) as caught:
        run("swindon", **kwargs)
    assert caught.value.field == field
    assert fragment in caught.value.message


@pytest.mark.parametrize(("on", "today", "field", "words"), [
    ("2030-12-30", "2031-01-02", "today", "Today's date reads as Thu 2 Jan 2031, outside the years"),
    ("2030-12-30", "2030-12-30", "on", "reach past 2030, the last year whose bank holidays"),
    ("2028-12-20", "2029-01-02", "on", "Wed 20 Dec 2028 is before 2029: bank holidays are known only for 2029 to 2030"),
    ("0001-01-01", "2029-01-02", "on", "Mon 1 Jan 1 is before 2029"),
])
def test_beyond_the_known_bank_holidays_the_engine_refuses_naming_the_question(on, today, field, words):
    """Never a silent "no date": without the bank holidays a deadline would be wrong, or an expired cap hidden."""
    answers = engine.Answers(on=d(on), today=d(today))
    with pytest.raises(engine.AnswerError) as caught:
        engine.advise(PROTOCOLS["swindon"], answers, calendar_for("england", 2029, 2030))
    assert caught.value.field == field
    assert words in caught.value.message


def test_a_cap_that_expired_years_ago_still_gets_its_date_in_the_bundled_years():
    """HIPS, stage 1 ended Fri 15 Dec 2023: stages 2 and 3 within 2 working days, counted from then:
    Mon 18, Tue 19 Dec 2023. Asked in 2026 with the bundle's years, the date is given and is overdue."""
    from generator.views import bundle

    first, last = 2026 - bundle.YEARS_BEFORE, 2026 + bundle.YEARS_AFTER
    answers = engine.Answers(completed_stage=1, on=d("2023-12-15"), today=d("2026-03-02"))
    advice = engine.advise(PROTOCOLS["hips"], answers, calendar_for("england", first, last)).to_dict()
    assert advice["deadline"] is not None and advice["deadline"] <= "2023-12-19"


def test_advise_json_round_trip_and_errors():
    protocol = PROTOCOLS["swindon"]
    holidays = {k.isoformat(): v for k, v in uk_holidays("england", 2026, 2027).items()}
    data = json.loads(json.dumps(protocol.to_dict()))
    ok = engine.advise_json(data, {"completed_stage": 2, "on": "2026-12-23", "today": "2026-12-24"},
                            holidays, 2026, 2027)
    assert ok["ok"] and ok["advice"]["deadline"] == "2027-01-04"
    bad = engine.advise_json(data, {"completed_stage": "none", "on": "2026-02-31", "today": "2026-12-24"},
                             holidays, 2026, 2027)
    assert bad == {"ok": False, "field": "on",
                   "message": "'2026-02-31' is not a real date: give the day, month and year, for example 23 12 2026."}


def test_cli_json_has_the_documented_keys(capsys):
    code = main(["next", "--protocol", "swindon", "--completed-stage", "2", "--on", "2026-12-23",
                 "--today", "2026-12-24", "--json", "--protocols", str(ROOT / "protocols")])
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    for key in ("protocol", "version", "route", "immediate_actions", "next_stage", "deadline", "deadline_rule",
                "skipped_holidays", "timeline", "warnings"):
        assert key in out
    assert out["next_stage"]["number"] == 3 and out["deadline"] == "2027-01-04"
    assert out["timeline"][0] == {"stage": 3, "title": out["next_stage"]["title"], "latest_date": "2027-01-04",
                                  "latest_text": "Mon 4 Jan 2027", "rule": out["deadline_rule"],
                                  "readings": ["swindon-discussion-or-contact"]}
    assert out["version_label"] == "issued January 2024"


@pytest.mark.parametrize(("argv", "fragment"), [
    (["--protocol", "atlantis", "--not-started", "--on", "2026-12-01"], "unknown protocol 'atlantis'"),
    (["--protocol", "swindon", "--route", "x", "--not-started", "--on", "2026-12-01"], "has no route 'x'"),
    (["--protocol", "swindon", "--completed-stage", "8", "--on", "2026-12-01"], "there is no stage 8"),
])
def test_cli_bad_input_exits_2(argv, fragment, capsys):
    assert main(["next", *argv, "--today", "2026-12-24", "--protocols", str(ROOT / "protocols")]) == 2
    assert fragment in capsys.readouterr().err


def test_cli_malformed_date_exits_2(capsys):
    with pytest.raises(SystemExit) as caught:
        main(["next", "--protocol", "swindon", "--not-started", "--on", "2026-02-31"])
    assert caught.value.code == 2
    assert "'2026-02-31' is not a real date: the calendar has no such day" in capsys.readouterr().err


# --- properties over every dated stage of every protocol -------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

DATED = [(pid, route.id, stage.number - 1)
         for pid, protocol in sorted(PROTOCOLS.items()) for route in protocol.routes for stage in route.stages]
CALENDARS = {nation: calendar_for(nation, 2024, 2030) for nation in ("england", "wales")}


def _deadline(pid, route, completed, on):
    protocol = PROTOCOLS[pid]
    answers = engine.Answers(route=route, completed_stage=completed or None, on=on, started=on,
                             today=dt.date(2030, 12, 31))
    return engine.advise(protocol, answers, CALENDARS[protocol.partnership.nation]).to_dict()["deadline"]


@settings(max_examples=300, deadline=None)
@given(case=st.sampled_from(DATED), on=st.dates(dt.date(2025, 1, 1), dt.date(2029, 12, 1)),
       later_by=st.integers(0, 40))
def test_deadline_is_a_working_day_after_the_anchor_and_monotonic(case, on, later_by):
    pid, route, completed = case
    first = _deadline(pid, route, completed, on)
    if first is None:
        return  # the protocol sets no number for this stage: nothing to check
    calendar = CALENDARS[PROTOCOLS[pid].partnership.nation]
    first = dt.date.fromisoformat(first)
    stage = PROTOCOLS[pid].route(route).stages[completed]
    if stage.timescale.kind != "clock_hours":  # hours on the clock end on any day, weekends included
        assert calendar.is_working_day(first)
    assert first >= on
    later = dt.date.fromisoformat(_deadline(pid, route, completed, on + dt.timedelta(days=later_by)))
    assert later >= first
