"""An independent review of the five specs and the engine against the source texts (issue 7 and 8 re-check).

Every date here was worked out by hand from a printed calendar before running the command. England and
Wales 2026-27: Fri 25 Dec 2026 Christmas Day, Sat 26 Dec Boxing Day (substitute Mon 28 Dec), Fri 1 Jan 2027
New Year's Day, Fri 26 Mar 2027 Good Friday, Mon 29 Mar Easter Monday, Mon 3 May Early May bank holiday,
Mon 31 May Spring bank holiday. Each case names what it found, fixed or confirmed.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator import load
from generator.cli import main

ROOT = Path(__file__).resolve().parent.parent
PROTOCOLS = str(ROOT / "protocols")
MINIMAL = ROOT / "tests" / "fixtures" / "specs" / "minimal" / "2025-01.yaml"
SPEC = "protocols/minimal/2025-01.yaml"


def answer(capsys, *args: str) -> dict:
    assert main(["next", *args, "--json", "--protocols", PROTOCOLS]) == 0
    return json.loads(capsys.readouterr().out)


def timeline(advice: dict) -> dict[int, str | None]:
    return {row["stage"]: row["latest_date"] for row in advice["timeline"]}


# --- hand-worked dates, one or more per protocol ---------------------------------------------------------

# (protocol, arguments, today, {stage: latest date}); the working for each is in the comment above it.
HAND_WORKED = [
    # Swindon, arising Wed 23 Dec 2026. Stage 1, 2 WD: Thu 24 (1), [Fri 25, Mon 28 bank holidays], Tue 29 (2).
    # Stage 2, 5 WD after Tue 29: 30, 31, [Fri 1 Jan], Jan 4, 5, 6 -> Wed 6 Jan. Stage 3: 7, 8, 11, 12, 13 ->
    # Wed 13 Jan. Stage 4: 14, 15, 18, 19, 20 -> Wed 20 Jan; Day 17 from 23 Dec: 24, 29, 30, 31, Jan 4 .. 8
    # (9), 11 .. 15 (14), 18, 19, 20 (17) -> Wed 20 Jan, the same day. Stage 5: 21, 22, 25, 26, 27 -> Wed 27 Jan.
    ("swindon", ["--not-started", "--on", "2026-12-23"], "2026-12-23",
     {1: "2026-12-29", 2: "2027-01-06", 3: "2027-01-13", 4: "2027-01-20", 5: "2027-01-27"}),
    # Swindon, arising Mon 15 Mar 2027, stage 1 ended late on Thu 25 Mar. Stage 2, 5 WD: [26, 29 Easter],
    # 30, 31, Apr 1, 2, 5 -> Mon 5 Apr. Day 17 from 15 Mar: 16 .. 19 (4), 22 .. 25 (8), 30, 31, Apr 1, 2 (12),
    # 5 .. 9 (17) -> Fri 9 Apr, earlier than stage 3's own Mon 12 Apr, so stages 3 and 4 are Fri 9 Apr.
    # Stage 5 counts from stage 4's latest date: 12 .. 16 -> Fri 16 Apr.
    ("swindon", ["--completed-stage", "1", "--on", "2027-03-25", "--started", "2027-03-15"], "2027-03-25",
     {2: "2027-04-05", 3: "2027-04-09", 4: "2027-04-09", 5: "2027-04-16"}),
    # Calderdale, arising Wed 23 Dec 2026: steps 1 to 5 within 5 WD: 24, 29, 30, 31, Jan 4 -> Mon 4 Jan 2027;
    # step 6 "a matter of urgency": no date.
    ("calderdale", ["--not-started", "--on", "2026-12-23"], "2026-12-23",
     {1: "2027-01-04", 5: "2027-01-04", 6: None}),
    # HIPS, arising Thu 24 Dec 2026. Stage 1, 1 WD: Tue 29 Dec. Stages 2 and 3 within 2 WD of stage 1's end:
    # 30, 31 -> Thu 31 Dec for both. Stage 4, 5 WD: Jan 4 .. 8 -> Fri 8 Jan 2027 (an upper bound).
    ("hips", ["--not-started", "--on", "2026-12-24"], "2026-12-24",
     {1: "2026-12-29", 2: "2026-12-31", 3: "2026-12-31", 4: "2027-01-08"}),
    # HIPS, stage 3 ended Fri 30 Apr 2027: stage 4, 5 WD: [Mon 3 May], 4, 5, 6, 7, 10 -> Mon 10 May.
    ("hips", ["--completed-stage", "3", "--on", "2027-04-30"], "2027-04-30", {4: "2027-05-10"}),
    # HIPS, stage 2 ended Wed 31 Mar, stage 1 ended Thu 25 Mar 2027: the cap over stages 2 and 3 is 2 WD
    # after 25 Mar: [26, 29 Easter], 30, 31 -> Wed 31 Mar, earlier than stage 3's own Fri 2 Apr.
    ("hips", ["--completed-stage", "2", "--on", "2027-03-31", "--stage-ended", "1=2027-03-25"], "2027-04-01",
     {3: "2027-03-31"}),
    # North Wales, arising Sat 29 May 2027: 5 WD each: [Mon 31 May], Jun 1, 2, 3, 4, 7 -> Mon 7 Jun; then
    # 8 .. 14 -> Mon 14 Jun; Mon 21 Jun; Mon 28 Jun.
    ("north-wales", ["--not-started", "--on", "2027-05-29"], "2027-05-29",
     {1: "2027-06-07", 2: "2027-06-14", 3: "2027-06-21", 4: "2027-06-28"}),
    # Kirklees, arising Fri 18 Dec 2026: step 1's ideal, 10 WD: 21, 22, 23, 24 (4), [25, 28], 29, 30, 31 (7),
    # [Jan 1], 4, 5, 6 -> Wed 6 Jan 2027. The one calendar month cap: Mon 18 Jan 2027 for steps 2 to 4.
    ("kirklees", ["--not-started", "--on", "2026-12-18"], "2026-12-18",
     {1: "2027-01-06", 2: "2027-01-18", 3: "2027-01-18", 4: "2027-01-18"}),
    # Kirklees, arising Sat 27 Feb 2027, step 3 ended Sat 27 Mar: one month from 27 Feb is Sat 27 Mar, moved
    # back past Good Friday (26 Mar) to Thu 25 Mar; step 4's ideal (Mon 12 Apr) is later, so the cap wins.
    ("kirklees", ["--completed-stage", "3", "--on", "2027-03-27", "--started", "2027-02-27"], "2027-03-30",
     {4: "2027-03-25"}),
    # Kirklees, arising Sun 31 Jan 2027: one month is Sun 28 Feb (February has no 31st), moved back to Fri 26.
    ("kirklees", ["--completed-stage", "1", "--on", "2027-02-15", "--started", "2027-01-31"], "2027-03-01",
     {2: "2027-02-26"}),
]


@pytest.mark.parametrize(("pid", "args", "today", "expected"), HAND_WORKED,
                         ids=[f"{c[0]}-{c[2]}-{i}" for i, c in enumerate(HAND_WORKED)])
def test_hand_worked_dates(capsys, pid, args, today, expected):
    dates = timeline(answer(capsys, "--protocol", pid, *args, "--today", today))
    assert {stage: dates.get(stage) for stage in expected} == expected


def test_urgent_route_on_easter_saturday_acts_today_and_dates_only_the_formal_step(capsys):
    # Swindon's MASH route on Sat 27 Mar 2027: act today; "the same working day" is not Saturday, Sunday or
    # Easter Monday (29 Mar), so the formal in-hours step is due Tue 30 Mar at the latest.
    advice = answer(capsys, "--protocol", "swindon", "--route", "urgent", "--not-started", "--on", "2027-03-27",
                    "--today", "2027-03-27")
    assert advice["deadline"] == "2027-03-30"
    assert advice["deadline_is_formal_step_only"] is True
    assert advice["immediate_actions"][0].startswith("Today (Sat 27 Mar 2027) is not a working day. Act today")


# --- Kirklees: nothing the text does not say -------------------------------------------------------------

def test_kirklees_names_no_out_of_hours_service(capsys):
    # Found: the spec listed "the Duty and Advice team" as an out-of-hours service, so a bank-holiday answer
    # said "Act today ... through the Duty and Advice team ... as the protocol names them", and the flowchart
    # said "Out of hours and in an emergency, the protocol names: ...". The text says nothing about hours.
    protocol = load.load_protocol(ROOT / "protocols" / "kirklees" / "undated.yaml")
    assert protocol.risk.out_of_hours == ()
    advice = answer(capsys, "--protocol", "kirklees", "--completed-stage", "1", "--on", "2027-03-25",
                    "--today", "2027-03-29", "--immediate-danger")
    first = advice["immediate_actions"][0]
    assert "Kirklees's protocol names no out-of-hours or emergency service." in first
    assert "Duty and Advice" not in first
    # the text's own instruction, and its number, are still there
    assert any("Duty and Advice team should be contacted" in line for line in advice["immediate_actions"])


def test_kirklees_conference_route_says_csc_as_printed():
    protocol = load.load_protocol(ROOT / "protocols" / "kirklees" / "undated.yaml")
    route = protocol.route("conference-need")
    assert "CSC" in route.summary
    assert "Children's Social Care" not in route.summary


# --- a date before the text was issued ---------------------------------------------------------------------

@pytest.mark.parametrize(("pid", "args", "earliest", "issued"), [
    ("swindon", ["--not-started", "--on", "2023-12-15"], "Fri 15 Dec 2023", "January 2024"),
    ("north-wales", ["--completed-stage", "1", "--on", "2018-12-03", "--started", "2018-11-27"],
     "Tue 27 Nov 2018", "28 November 2018"),
])
def test_a_date_before_the_issue_date_is_warned_about(capsys, pid, args, earliest, issued):
    # Found: an answer counted from before the text existed was given without a word.
    warnings = answer(capsys, "--protocol", pid, *args, "--today", "2027-01-05")["warnings"]
    assert any(w.startswith(f"{earliest} is before this text was issued ({issued})") for w in warnings), warnings


@pytest.mark.parametrize(("pid", "on"), [("swindon", "2024-01-01"), ("north-wales", "2018-11-28")])
def test_a_date_on_or_after_the_issue_date_gets_no_such_warning(capsys, pid, on):
    warnings = answer(capsys, "--protocol", pid, "--not-started", "--on", on, "--today", "2027-01-05")["warnings"]
    assert not any("before this text was issued" in w for w in warnings)


# --- the loader: invisible characters, blank text, suggestions -------------------------------------------

def broken(old: str, new: str) -> list[str]:
    text = MINIMAL.read_text()
    assert old in text
    with pytest.raises(load.SpecError) as caught:
        load.load_text(text.replace(old, new, 1), SPEC)
    return str(caught.value).splitlines()


@pytest.mark.parametrize(("char", "name"), [("\u200b", "zero-width space"), ("\u2028", "line separator"),
                                            ("\u2029", "paragraph separator"), ("\u2060", "word joiner")])
def test_invisible_separators_are_refused(char, name):
    # Found: these passed `check`, so two names that look the same could differ, and a line could break
    # where no reader of the YAML sees a break.
    messages = broken("  short_name: Minimal\n", f'  short_name: "Mini{char}mal"\n')
    assert any(f"U+{ord(char):04X} ({name})" in m for m in messages), messages
    escaped = broken("  short_name: Minimal\n", f'  short_name: "Mini\\u{ord(char):04x}mal"\n')
    assert escaped[0].startswith(f"{SPEC}:6:15: partnership.short_name: the text holds the control character "
                                 f"U+{ord(char):04X} ({name})"), escaped


def test_text_of_spaces_only_is_refused():
    # Found: `short_name: "   "` passed `check` and made a blank navigation entry.
    messages = broken("  short_name: Minimal\n", '  short_name: "   "\n')
    assert messages[0] == (f"{SPEC}:6:15: partnership.short_name: expected some text; got only spaces "
                           "(delete the value, or write the text)")


@pytest.mark.parametrize("value", ["' javascript:alert(1)'", "//evil.example", "https:evil.example"])
def test_no_https_suggestion_for_what_is_not_a_bare_address(value):
    # Found: " javascript:alert(1)" got "(did you mean 'https://javascript:alert(1)'?)".
    messages = broken('    phone: "01234 567890"\n', f'    phone: "01234 567890"\n    website: {value}\n')
    assert "expected a link starting https://" in messages[0]
    assert "did you mean" not in messages[0]


# --- the command line --------------------------------------------------------------------------------------

@pytest.mark.skipif(shutil.which("head") is None, reason="needs head")
def test_a_reader_that_stops_early_is_not_an_error():
    # Found: `guidance next ... | head -1` printed "unexpected error (BrokenPipeError ...)" and exited 1.
    command = f"{sys.executable} -m generator.cli next --protocol swindon --not-started --on 2026-12-23 " \
              "--today 2026-12-23 | head -c 1 >/dev/null; echo ${PIPESTATUS[0]}"
    for _ in range(3):
        run = subprocess.run(["bash", "-c", command], capture_output=True, text=True, cwd=ROOT, timeout=60)
        assert run.stdout.strip() == "0"
        assert "unexpected error" not in run.stderr


@pytest.mark.parametrize("extra", [["--started", "2026-01-01"], ["--stage-ended", "1=2026-01-01"]])
def test_not_started_refuses_a_second_start_date(capsys, extra):
    # Found: `--not-started --on 2026-01-05 --started 2026-01-01` counted from 5 January and ignored the
    # earlier day without a word (two working days from 1 January would be earlier).
    assert main(["next", "--protocol", "swindon", "--not-started", "--on", "2026-01-05", "--today", "2026-03-01",
                 "--protocols", PROTOCOLS, *extra]) == 2
    assert "with --not-started, --on is when the disagreement arose" in capsys.readouterr().err
