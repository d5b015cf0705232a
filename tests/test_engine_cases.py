"""Cases a practitioner would recognise, on the real protocols: a situation, the answers given, and the
date and lines they must see. Every expected date is worked by hand in the comment beside it (England's
and Wales's bank holidays: Fri 25 Dec 2026, Mon 28 Dec 2026 substitute for Boxing Day, Fri 1 Jan 2027,
Good Friday 26 Mar 2027, Easter Monday 29 Mar 2027, Mon 31 Aug 2026 in England).

These were written against the survivors of `make mutation`: each pins a behaviour some small bug in the
engine changed while the older tests stayed green.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator import load
from generator.core import engine
from generator.core.calendar import calendar_for
from generator.core.model import current_versions

ROOT = Path(__file__).resolve().parent.parent
PROTOCOLS = current_versions(load.load_tree(ROOT / "protocols"))
CALENDARS = {nation: calendar_for(nation, 2024, 2030) for nation in ("england", "wales")}


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def advise(pid, *, route="standard", completed=None, on, today, started=None, stage_ends=(), **flags) -> dict:
    protocol = PROTOCOLS[pid]
    answers = engine.Answers(route=route, completed_stage=completed, on=d(on), today=d(today),
                             started=d(started) if started else None,
                             stage_ends=tuple((n, d(day)) for n, day in stage_ends), **flags)
    return engine.advise(protocol, answers, CALENDARS[protocol.partnership.nation]).to_dict()


def timeline(advice: dict) -> list[tuple[int, str | None, str | None]]:
    return [(row["stage"], row["latest_date"], row["latest_text"]) for row in advice["timeline"]]


# --- overdue and "today" boundaries -------------------------------------------------------------------

# Swindon, stage 2 ended Wed 23 Dec 2026: stage 3 within five working days: Thu 24 (1), [Fri 25, Mon 28
# holidays], Tue 29 (2), Wed 30 (3), Thu 31 (4), [Fri 1 Jan holiday], Mon 4 Jan 2027 (5). The disagreement
# arose Mon 14 Dec 2026, so the Day 17 cap over stages 1 to 4 is checked and later: 15-18 (4), 21-24 (8),
# 29-31 (11), Jan 4-8 (16), Mon 11 Jan 2027 (17).
SWINDON_REVIEW = ("This protocol was due for review in January 2026 and may have been replaced: check with "
                  "Swindon Safeguarding Partnership that it is still current.")


@pytest.mark.parametrize(("today", "first_warning"), [
    ("2026-12-31", None),  # deadline - 4 days (a working day before it)
    ("2027-01-03", None),  # deadline - 1 (a Sunday): not yet due, nothing said about today
    ("2027-01-04", "The latest date for stage 3 is today."),  # deadline day itself
    ("2027-01-05", "The latest date for stage 3 (Mon 4 Jan 2027) has passed: this is overdue, escalate now."),
])
def test_swindon_stage_3_around_its_deadline(today, first_warning):
    advice = advise("swindon", completed=2, on="2026-12-23", today=today, started="2026-12-14")
    assert (advice["deadline"], advice["deadline_text"]) == ("2027-01-04", "Mon 4 Jan 2027")
    expected = [first_warning] if first_warning else []
    # The overdue or "today" line comes first, before the review warning (review due January 2026).
    assert advice["warnings"] == [*expected, SWINDON_REVIEW]


def test_overdue_comes_before_the_last_stage_and_review_warnings_too():
    # North Wales stage 3 ended Fri 18 Dec 2026: stage 4 within five working days: 21, 22, 23, 24 (1-4),
    # [25, 28 holidays], Tue 29 Dec (5). Today Wed 6 Jan 2027: overdue. Review was due November 2020.
    advice = advise("north-wales", completed=3, on="2026-12-18", today="2027-01-06")
    assert advice["deadline"] == "2026-12-29"
    assert advice["warnings"] == [
        "The latest date for stage 4 (Tue 29 Dec 2026) has passed: this is overdue, escalate now.",
        "This protocol was due for review in November 2020 and may have been replaced: check with "
        f"{PROTOCOLS['north-wales'].partnership.name} that it is still current.",
    ]


def test_swindon_review_is_not_overdue_on_the_last_day_of_its_month():
    # Review due January 2026: still in date on Sat 31 Jan 2026, overdue from Sun 1 Feb 2026.
    on_time = advise("swindon", on="2026-01-30", today="2026-01-31")
    late = advise("swindon", on="2026-01-30", today="2026-02-01")
    assert SWINDON_REVIEW not in on_time["warnings"]
    assert late["warnings"][-1] == SWINDON_REVIEW


def test_an_undated_text_is_flagged_as_possibly_out_of_date():
    advice = advise("kirklees", on="2026-11-30", today="2026-11-30")
    assert advice["warnings"][-1] == ("The source document gives no date of issue: check with the partnership "
                                      "that this is the current version.")
    dated = advise("north-wales", on="2026-11-30", today="2026-11-30")
    assert not any("no date of issue" in w for w in dated["warnings"])


# --- danger first, and never "wait for Monday" --------------------------------------------------------

def test_danger_on_a_saturday_after_a_weekday_disagreement_says_act_now():
    # The disagreement arose on Wed 23 Dec 2026 (a working day); today is Sat 26 Dec 2026 (Boxing Day).
    advice = advise("swindon", on="2026-12-23", today="2026-12-26", immediate_danger=True)
    lines = advice["immediate_actions"]
    assert lines[0].startswith("Today (Sat 26 Dec 2026) is not a working day. Act today, whatever the day, ")
    assert lines[0].endswith("do not wait for a working day.")
    assert "Contact MASH." in lines and "Contact EDT." in lines
    assert [c["id"] for c in advice["emergency_contacts"]] == ["mash", "edt"]


def test_danger_on_a_working_day_after_a_weekend_disagreement_has_no_weekend_line():
    # The disagreement arose on Sat 26 Dec 2026; today is Tue 29 Dec 2026, a working day.
    advice = advise("swindon", on="2026-12-26", today="2026-12-29", immediate_danger=True)
    assert advice["immediate_actions"][0].startswith("Act today, whatever the day, ")
    assert not any("not a working day" in line for line in advice["immediate_actions"])


def test_danger_on_a_bank_holiday_weekday_says_act_now():
    # Good Friday, Fri 26 Mar 2027, in Kirklees: the Front Door's number is given with the contact line.
    advice = advise("kirklees", on="2027-03-24", today="2027-03-26", immediate_danger=True)
    lines = advice["immediate_actions"]
    assert lines[0].startswith("Today (Fri 26 Mar 2027) is not a working day. Act today")
    assert any(line.startswith("Contact Front Door to Children") and line.endswith(": 01484 414960.")
               for line in lines)
    assert lines[-1].startswith("Kirklees's protocol has no separate urgent route")


# --- calendar-month limits from weekends and holidays (Kirklees: the whole process in one month) -----

@pytest.mark.parametrize(("arose", "step_3_ended", "deadline", "own", "text"), [
    # From Sat 3 Oct 2026: the same date a month on, Tue 3 Nov 2026, a working day. (Counting from the next
    # working day, Mon 5 Oct, would give Thu 5 Nov: wrong.) Step 4's ideal, 10 working days after Fri 30 Oct:
    # Nov 2-6, 9-13: Fri 13 Nov.
    ("2026-10-03", "2026-10-30", "2026-11-03", "Fri 13 Nov 2026",
     "1 calendar month after Sat 3 Oct 2026 (the day the disagreement first arose)."),
    # From the late summer bank holiday, Mon 31 Aug 2026: September has no 31st, so Wed 30 Sep 2026. Ideal
    # 10 working days after Fri 25 Sep: Sep 28-Oct 2, Oct 5-9: Fri 9 Oct.
    ("2026-08-31", "2026-09-25", "2026-09-30", "Fri 9 Oct 2026",
     "1 calendar month after Mon 31 Aug 2026 (the day the disagreement first arose)."),
    # From Sun 31 Jan 2027: Sun 28 Feb 2027 (no 31 Feb), not a working day, so back to Fri 26 Feb. Ideal 10
    # working days after Fri 19 Feb: Feb 22-26, Mar 1-5: Fri 5 Mar.
    ("2027-01-31", "2027-02-19", "2027-02-26", "Fri 5 Mar 2027",
     "1 calendar month after Sun 31 Jan 2027 (the day the disagreement first arose), which would not be a working "
     "day, so moved back to the working day before (the safe reading)."),
])
def test_kirklees_month_from_a_weekend_or_holiday_counts_from_that_day(arose, step_3_ended, deadline, own, text):
    advice = advise("kirklees", completed=3, on=step_3_ended, today=step_3_ended, started=arose)
    assert advice["deadline"] == deadline
    assert advice["cap_applied"]["date"] == deadline
    assert text in advice["deadline_rule"]
    assert advice["deadline_rule"].endswith(
        f"This is earlier than the stage's own limit ({own}), so it is the one that counts.")


# --- whole timelines, with caps, for every protocol ---------------------------------------------------

WHOLE_TIMELINES = {
    # Swindon from Wed 23 Dec 2026: stage 1 two working days: 24, 29 -> Tue 29 Dec. Then five each:
    # 30, 31, 4, 5, 6 -> Wed 6 Jan; 7, 8, 11, 12, 13 -> Wed 13 Jan; 14, 15, 18, 19, 20 -> Wed 20 Jan;
    # 21, 22, 25, 26, 27 -> Wed 27 Jan 2027.
    "swindon": [(1, "2026-12-29", "Tue 29 Dec 2026"), (2, "2027-01-06", "Wed 6 Jan 2027"),
                (3, "2027-01-13", "Wed 13 Jan 2027"), (4, "2027-01-20", "Wed 20 Jan 2027"),
                (5, "2027-01-27", "Wed 27 Jan 2027")],
    # Calderdale: steps 1 to 5 within five working days of the disagreement arising: 24, 29, 30, 31, Mon 4
    # Jan 2027 for every one of them; step 6 "a matter of urgency": no date.
    "calderdale": [(1, "2027-01-04", "Mon 4 Jan 2027"), (2, "2027-01-04", "Mon 4 Jan 2027"),
                   (3, "2027-01-04", "Mon 4 Jan 2027"), (4, "2027-01-04", "Mon 4 Jan 2027"),
                   (5, "2027-01-04", "Mon 4 Jan 2027"), (6, None, None)],
    # HIPS: stage 1 one working day: Thu 24 Dec. Stages 2 and 3 together two working days after the end of
    # stage 1: 29, Wed 30 Dec (stage 3's own two days would be 31 Dec, Mon 4 Jan: the cap is earlier). Stage
    # 4 five working days after the cap's date, not stage 3's own: 31, 4, 5, 6, Thu 7 Jan 2027.
    "hips": [(1, "2026-12-24", "Thu 24 Dec 2026"), (2, "2026-12-30", "Wed 30 Dec 2026"),
             (3, "2026-12-30", "Wed 30 Dec 2026"), (4, "2027-01-07", "Thu 7 Jan 2027")],
    # North Wales (Wales has the same holidays here): five working days each: 24, 29, 30, 31, Mon 4 Jan;
    # 5-8, Mon 11 Jan; 12-15, Mon 18 Jan; 19-22, Mon 25 Jan 2027.
    "north-wales": [(1, "2027-01-04", "Mon 4 Jan 2027"), (2, "2027-01-11", "Mon 11 Jan 2027"),
                    (3, "2027-01-18", "Mon 18 Jan 2027"), (4, "2027-01-25", "Mon 25 Jan 2027")],
}


@pytest.mark.parametrize("pid", sorted(WHOLE_TIMELINES))
def test_whole_timeline_from_the_day_before_christmas_eve(pid):
    advice = advise(pid, on="2026-12-23", today="2026-12-23")
    assert timeline(advice) == WHOLE_TIMELINES[pid]
    assert advice["deadline"] == WHOLE_TIMELINES[pid][0][1]


def test_kirklees_whole_timeline_is_held_to_the_month():
    # From Mon 30 Nov 2026 the month ends Wed 30 Dec 2026. Step 1 ideally 10 working days: Dec 1-4, 7-11, Mon
    # 14 Dec. Step 2 ideally 10 more: 15-18, 21-24, [25, 28], 29, Wed 30 Dec: the same day as the month, and
    # the fixed limit is the binding one. Step 3 would ideally be 31, Jan 4-8, 11-14: Thu 14 Jan 2027, later
    # than the month, so steps 3 and 4 are Wed 30 Dec too.
    advice = advise("kirklees", on="2026-11-30", today="2026-11-30")
    assert timeline(advice) == [(1, "2026-12-14", "Mon 14 Dec 2026"), (2, "2026-12-30", "Wed 30 Dec 2026"),
                                (3, "2026-12-30", "Wed 30 Dec 2026"), (4, "2026-12-30", "Wed 30 Dec 2026")]
    assert advice["deadline_is_guideline"] is True
    assert "this fixed limit is the binding rule." in advice["timeline"][1]["rule"]
    assert advice["timeline"][2]["rule"].endswith(
        "This is earlier than the stage's own limit (Thu 14 Jan 2027), so it is the one that counts.")


def test_hips_stage_4_counts_from_the_stage_2_and_3_cap_when_stage_1_end_is_given():
    # Stage 2 ended Tue 29 Dec 2026, stage 1 on Thu 24 Dec. Stage 3: its own two working days after 29 Dec
    # are 30, Thu 31 Dec; stages 2 and 3 together two working days after 24 Dec are 29, Wed 30 Dec: earlier.
    # Stage 4: five working days after Wed 30 Dec: 31, 4, 5, 6, Thu 7 Jan 2027.
    advice = advise("hips", completed=2, on="2026-12-29", today="2026-12-29", stage_ends=[(1, "2026-12-24")])
    assert timeline(advice) == [(3, "2026-12-30", "Wed 30 Dec 2026"), (4, "2027-01-07", "Thu 7 Jan 2027")]
    assert advice["cap_applied"]["id"] == "stages-2-3"
    assert advice["deadline_rule"].endswith(
        "This is earlier than the stage's own limit (Thu 31 Dec 2026), so it is the one that counts.")
    # Without stage 1's end, only stage 3's own limit: Thu 31 Dec; stage 4 then 4, 5, 6, 7, Fri 8 Jan 2027.
    unknown = advise("hips", completed=2, on="2026-12-29", today="2026-12-29")
    assert timeline(unknown) == [(3, "2026-12-31", "Thu 31 Dec 2026"), (4, "2027-01-08", "Fri 8 Jan 2027")]
    assert "the day stage 1 ended, which was not given" in unknown["warnings"][0]


def test_calderdale_cap_when_the_first_date_is_missing_names_what_is_missing():
    advice = advise("calderdale", completed=3, on="2026-12-29", today="2026-12-29")
    assert advice["deadline"] is None
    assert "It counts from the day the disagreement first arose, which was not given" in advice["warnings"][0]
    assert "limits stages 1 to 5 together" in advice["warnings"][0]


def test_json_timeline_says_the_same_date_as_its_sentence():
    # For every protocol and every stage: the ISO date, the short text and the rule's own date agree.
    for pid in sorted(WHOLE_TIMELINES):
        for row in advise(pid, on="2026-12-23", today="2026-12-23")["timeline"]:
            if row["latest_date"] is not None:
                assert row["latest_text"] in row["rule"], (pid, row)
                assert dt.date.fromisoformat(row["latest_date"]).day == int(row["latest_text"].split()[1])


def _no_urgent_route_line(protocol, language="en") -> str:
    answers = engine.Answers(route=protocol.routes[0].id, completed_stage=None, on=d("2026-12-01"),
                             today=d("2026-12-01"), immediate_danger=True, language=language)
    advice = engine.advise(protocol, answers, CALENDARS["england"]).to_dict()
    return next(line for line in advice["immediate_actions"] if "urgent" in line or "brys" in line)


@pytest.mark.parametrize(("covers", "en", "cy"), [
    (("children",), "as fast as the child's safety needs", "diogelwch y plentyn yn"),
    (("adults",), "as fast as the adult's safety needs", "diogelwch yr oedolyn yn"),
    (("children", "adults"), "as fast as the child's or adult's safety needs", "diogelwch y plentyn neu'r oedolyn"),
])
def test_no_urgent_route_line_names_only_the_people_the_protocol_covers(covers, en, cy):
    """Kirklees covers children only: "the child's or adult's safety" would speak of adults it does not cover."""
    import dataclasses

    kirklees = PROTOCOLS["kirklees"]
    protocol = dataclasses.replace(kirklees, partnership=dataclasses.replace(kirklees.partnership, covers=covers))
    assert en in _no_urgent_route_line(protocol)
    assert cy in _no_urgent_route_line(protocol, "cy")
