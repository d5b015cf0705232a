"""Issue 7's safety points on the command line (`generator.cli.main`), with dates worked out by hand.

England 2026-27, from a printed calendar: Sat 14 Nov 2026 a weekend; Fri 25 Dec Christmas Day, Sat 26 Dec
Boxing Day (substitute Mon 28 Dec); Fri 26 Mar 2027 Good Friday, Mon 29 Mar Easter Monday; Wed 2 Dec 2026
an ordinary working day.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.cli import main
from generator.core import engine

ROOT = Path(__file__).resolve().parent.parent
PROTOCOLS = str(ROOT / "protocols")

WEEKEND, CHRISTMAS, GOOD_FRIDAY, WORKING = "2026-11-14", "2026-12-25", "2027-03-26", "2026-12-02"
DAYS = {
    WEEKEND: "Sat 14 Nov 2026",
    CHRISTMAS: "Fri 25 Dec 2026",
    GOOD_FRIDAY: "Fri 26 Mar 2027",
    WORKING: "Wed 2 Dec 2026",
}


def next_json(capsys, *args: str) -> dict:
    assert main(["next", *args, "--json", "--protocols", PROTOCOLS]) == 0
    return json.loads(capsys.readouterr().out)


def next_text(capsys, *args: str) -> str:
    assert main(["next", *args, "--protocols", PROTOCOLS]) == 0
    return capsys.readouterr().out


# --- 1. Every route about immediate risk leads with acting today, danger ticked or not -------------------

# (protocol, route, what the first line must name as the way to act today, the text names 999 itself)
URGENT_ROUTES = [
    ("swindon", "urgent", "MASH, EDT or dial 999", True),
    ("calderdale", "urgent", "the relevant out of hours on call managers", False),
    ("hips", "conference-dissent", "names no out-of-hours or emergency service", False),
]


@pytest.mark.parametrize("day", list(DAYS))
@pytest.mark.parametrize(("pid", "route", "services", "text_names_999"), URGENT_ROUTES)
def test_urgent_route_leads_with_acting_today(capsys, pid, route, services, text_names_999, day):
    out = next_text(capsys, "--protocol", pid, "--route", route, "--not-started", "--on", day, "--today", day)
    lines = out.splitlines()
    assert lines[2] == "ACT TODAY:", "the act-today lines come straight after the title, before any date"
    first = " ".join(line.strip(" !") for line in lines[3:6])
    assert "Act today, whatever the day" in first and services in first
    not_working = f"Today ({DAYS[day]}) is not a working day."
    if day == WORKING:
        assert "is not a working day" not in out
    else:
        assert not_working in first  # said plainly, first
    assert "named above" not in out
    general = "General advice (ours, not the protocol's words)"
    assert (general in out) is not text_names_999
    assert out.index("ACT TODAY:") < out.index("Next: stage")


# Swindon's "same working day": the next working day is shown only as the latest for the formal step.
SWINDON_FORMAL = {
    WEEKEND: "Mon 16 Nov 2026",  # Sat 14 -> Mon 16
    CHRISTMAS: "Tue 29 Dec 2026",  # Fri 25, Sat 26, Sun 27, Mon 28 (substitute Boxing Day) -> Tue 29
    GOOD_FRIDAY: "Tue 30 Mar 2027",  # Fri 26, weekend, Mon 29 (Easter Monday) -> Tue 30
    WORKING: "Wed 2 Dec 2026",  # a working day: that day
}


@pytest.mark.parametrize("day", list(DAYS))
def test_swindon_same_working_day_is_only_the_formal_steps_latest_date(capsys, day):
    out = next_text(capsys, "--protocol", "swindon", "--route", "urgent", "--not-started", "--on", day,
                    "--today", day)
    assert f"  Latest date for the formal in-hours step: {SWINDON_FORMAL[day]}" in out
    assert "  By: " not in out and "  Latest date: " not in out
    advice = next_json(capsys, "--protocol", "swindon", "--route", "urgent", "--not-started", "--on", day,
                       "--today", day)
    assert advice["deadline_is_formal_step_only"] is True
    assert advice["deadline_label"] == "Latest date for the formal in-hours step"
    assert advice["immediate_actions"][0].startswith(
        "Act today" if day == WORKING else f"Today ({DAYS[day]}) is not a working day. Act today")
    assert "swindon-same-working-day" in [r["id"] for r in advice["readings"]]


def test_urgent_route_shows_the_protocols_emergency_contacts_without_danger_ticked(capsys):
    advice = next_json(capsys, "--protocol", "swindon", "--route", "urgent", "--not-started", "--on", CHRISTMAS,
                       "--today", CHRISTMAS)
    assert [c["name"] for c in advice["emergency_contacts"]] == ["MASH", "EDT"]
    assert "Do not delay in taking action if you consider the child to be at risk of significant harm: refer " \
           "to MASH/EDT or dial 999." in advice["immediate_actions"]


# --- 2. Calderdale: 24 clock hours, weekends and bank holidays counted --------------------------------------

CALDERDALE_24H = {
    WEEKEND: "Sun 15 Nov 2026",  # Sat 14 + 24 hours
    CHRISTMAS: "Sat 26 Dec 2026",  # Fri 25 + 24 hours: a bank holiday does not stop the clock
    GOOD_FRIDAY: "Sat 27 Mar 2027",
    WORKING: "Thu 3 Dec 2026",
}


@pytest.mark.parametrize("day", list(DAYS))
def test_calderdale_urgent_is_24_clock_hours(capsys, day):
    advice = next_json(capsys, "--protocol", "calderdale", "--route", "urgent", "--not-started", "--on", day,
                       "--today", day)
    assert advice["deadline_text"] == CALDERDALE_24H[day]
    assert advice["deadline_is_formal_step_only"] is False  # clock hours are not an in-hours step
    assert "weekends and bank holidays included" in advice["deadline_rule"]
    assert advice["skipped_holidays"] == []
    assert "the relevant out of hours on call managers" in advice["immediate_actions"][0]
    assert advice["timeline"][0]["readings"] == ["calderdale-24-hours", "calderdale-relevant-line-manager",
                                                 "calderdale-urgent-from-any-step"]
    used = {r["id"]: r["used"] for r in advice["readings"]}
    assert used["calderdale-24-hours"].startswith("24 clock hours")


# --- 3. Calderdale with immediate danger goes to its Immediate / 24 hr route --------------------------------

@pytest.mark.parametrize("day", list(DAYS))
def test_calderdale_immediate_danger_points_to_the_24_hour_route(capsys, day):
    advice = next_json(capsys, "--protocol", "calderdale", "--not-started", "--on", day, "--today", day,
                       "--immediate-danger")
    assert advice["route"] == "urgent" and advice["route_switched_from"] == "standard"
    assert advice["deadline_text"] == CALDERDALE_24H[day]
    assert "Follow the protocol's urgent route now: Immediate / 24 hour escalation." in advice["immediate_actions"]


def test_calderdale_danger_from_a_later_step_still_switches(capsys):
    advice = next_json(capsys, "--protocol", "calderdale", "--completed-stage", "3", "--on", WORKING,
                       "--today", WORKING, "--immediate-danger")
    assert advice["route"] == "urgent" and advice["next_stage"]["number"] == 1
    assert advice["deadline_text"] == "Thu 3 Dec 2026"


# --- 4. Swindon "Day 17": stages 1 to 4 within 17 working days of the disagreement arising ------------------

def test_swindon_day_17_pulls_a_late_stage_4_forward(capsys):
    # Arose Tue 1 Dec 2026; 17 working days: 2-4 (3), 7-11 (8), 14-18 (13), 21-24 (17) -> Thu 24 Dec.
    # Stage 3 ended Wed 23 Dec, so stage 4's own 5 working days: 24, 29, 30, 31 Dec, 4 Jan -> Mon 4 Jan 2027.
    advice = next_json(capsys, "--protocol", "swindon", "--completed-stage", "3", "--on", "2026-12-23",
                       "--started", "2026-12-01", "--today", "2026-12-23")
    assert advice["deadline_text"] == "Thu 24 Dec 2026"
    assert advice["cap_applied"]["id"] == "day-17"
    assert "earlier than the stage's own limit (Mon 4 Jan 2027)" in advice["deadline_rule"]
    assert "swindon-day-17" in [r["id"] for r in advice["readings"]]


def test_swindon_day_17_leaves_an_earlier_own_limit_alone(capsys):
    # Stage 3 ended Wed 2 Dec: 5 working days 3, 4, 7, 8, 9 -> Wed 9 Dec, before Day 17 (Thu 24 Dec).
    advice = next_json(capsys, "--protocol", "swindon", "--completed-stage", "3", "--on", "2026-12-02",
                       "--started", "2026-12-01", "--today", "2026-12-02")
    assert advice["deadline_text"] == "Wed 9 Dec 2026" and advice["cap_applied"] is None


def test_swindon_stage_5_has_its_form_and_learning_duties(capsys):
    # Stage 4 ended Mon 4 Jan 2027: forms within 5 working days, 5-8 and 11 Jan -> Mon 11 Jan 2027.
    advice = next_json(capsys, "--protocol", "swindon", "--completed-stage", "4", "--on", "2027-01-04",
                       "--today", "2027-01-04")
    forms, learning = advice["duties"]
    assert forms["latest_text"] == "Mon 11 Jan 2027"
    assert learning["latest_date"] is None and "the meeting or review" in learning["rule"]


# --- 5. A fixed limit beats a guideline on the same day ----------------------------------------------------

def test_kirklees_month_cap_beats_the_ideal_on_the_same_day(capsys):
    # Arose Mon 30 Nov 2026: one calendar month -> Wed 30 Dec 2026 (a working day).
    # Step 2 ended Mon 14 Dec: ideally 10 working days 15-18, 21-24, (28 substitute holiday) 29, 30 -> Wed 30 Dec.
    advice = next_json(capsys, "--protocol", "kirklees", "--completed-stage", "2", "--on", "2026-12-14",
                       "--started", "2026-11-30", "--today", "2026-12-14")
    assert advice["deadline_text"] == "Wed 30 Dec 2026"
    assert advice["deadline_is_guideline"] is False
    assert advice["deadline_label"] == "Latest date"
    assert advice["cap_applied"]["id"] == "one-month"
    assert not advice["deadline_rule"].startswith("Guideline")
    assert "the binding rule" in advice["deadline_rule"]


def test_kirklees_ideal_alone_is_still_called_a_guideline(capsys):
    # Step 1 ended Mon 30 Nov, arose the same day: ideally 10 working days -> Mon 14 Dec, before the month.
    advice = next_json(capsys, "--protocol", "kirklees", "--completed-stage", "1", "--on", "2026-11-30",
                       "--started", "2026-11-30", "--today", "2026-11-30")
    assert advice["deadline_text"] == "Mon 14 Dec 2026" and advice["deadline_is_guideline"] is True


# --- 6. 999 is our general advice where the text never says it -------------------------------------------

@pytest.mark.parametrize("pid", ["calderdale", "north-wales", "kirklees", "hips", "swindon"])
@pytest.mark.parametrize("day", [CHRISTMAS, WORKING])
def test_999_is_marked_as_general_advice_unless_the_text_says_it(capsys, pid, day):
    advice = next_json(capsys, "--protocol", pid, "--not-started", "--on", day, "--today", day,
                       "--immediate-danger")
    actions = advice["immediate_actions"]
    ours = [a for a in actions if "999" in a and "General advice" in a]
    theirs = [a for a in actions if "999" in a and "General advice" not in a]
    if pid == "swindon":  # its flowchart says "Refer to MASH/EDT or dial 999"
        assert not ours and theirs
    else:
        assert ours == [engine.GENERAL_999] and not theirs
    assert not any("named above" in a for a in actions)
    if day == CHRISTMAS:
        assert actions[0].startswith("Today (Fri 25 Dec 2026) is not a working day.")


def test_a_protocol_naming_no_service_says_so_and_never_points_above(capsys):
    out = next_text(capsys, "--protocol", "north-wales", "--not-started", "--on", CHRISTMAS, "--today", CHRISTMAS,
                    "--immediate-danger")
    assert "North Wales's protocol names no out-of-hours or emergency service." in out
    assert "no separate urgent route" in out


# --- Labels and readings in the answer ----------------------------------------------------------------------

@pytest.mark.parametrize(("pid", "label"), [("calderdale", "issued October 2024"), ("kirklees", "undated text"),
                                            ("north-wales", "issued 28 November 2018")])
def test_answers_name_the_text_by_its_date_not_a_version_number(capsys, pid, label):
    out = next_text(capsys, "--protocol", pid, "--not-started", "--on", WORKING, "--today", WORKING)
    title = out.splitlines()[0]
    assert f"({label}): " in title and "version" not in title


def test_hips_stage_4_says_five_days_is_only_the_upper_bound(capsys):
    out = next_text(capsys, "--protocol", "hips", "--completed-stage", "3", "--on", WORKING, "--today", WORKING)
    assert "[hips-stage-4-upper-bound] 5 working days is only the upper bound" in out


def test_hips_written_concerns_are_due_the_same_working_day(capsys):
    # Concern identified on Christmas Day: the same working day is the next one, Tue 29 Dec 2026.
    advice = next_json(capsys, "--protocol", "hips", "--not-started", "--on", CHRISTMAS, "--today", CHRISTMAS)
    (duty,) = advice["duties"]
    assert duty["latest_text"] == "Tue 29 Dec 2026"
    assert "as soon as possible thereafter" in duty["rule"]
