"""The engine through the browser's door (engine.advise_json, the call the wizard's worker makes), for
Testshire (tests/testshire.py: England's bank holidays for 2026 and 2027 written out by hand).

Every refusal reaches a Welsh page in Welsh, with Welsh dates; an answer the engine cannot take is a
message, never an exception; the years the calendar knows bound the dates it accepts, at the day; and the
answer's JSON says why a cap counts. Dates are worked by hand in each test's comment.
"""

from __future__ import annotations

import copy

import pytest
import testshire

from generator.core import engine, messages

TODAY = "2026-12-21"  # Mon 21 Dec 2026


def advise(answers: dict, data: dict | None = None, **calendar) -> dict:
    years = {"first_year": testshire.FIRST_YEAR, "last_year": testshire.LAST_YEAR, **calendar}
    return engine.advise_json(data or testshire.protocol_data(), answers, testshire.HOLIDAYS, years["first_year"],
                              years["last_year"])


def refusal(**answers) -> tuple[str, str]:
    result = advise({"route": "standard", "today": TODAY, "language": "cy", **answers})
    assert result["ok"] is False, result
    return result["field"], result["message"]


def cy(message_id: str, **values) -> str:
    return messages.t(message_id, "cy", **values)


# --- every refusal in the page's language ---------------------------------------------------------------------

WELSH_REFUSALS = [
    ({"route": "nope", "on": "2026-12-18"}, "route",
     cy("error.no_route", partnership="Testshire", route="nope",
        known="standard (Standard route), urgent (Urgent route)")),
    ({"completed_stage": 9, "on": "2026-12-18"}, "completed_stage",
     cy("error.no_stage", route="Standard route", last=6, stage=9)),
    ({"on": "2027-01-04"}, "on", cy("error.on_in_future", date="Llun 4 Ion 2027", today="Llun 21 Rhag 2026")),
    ({"completed_stage": 1, "on": "2026-12-18", "started": "2027-01-04"}, "started",
     cy("error.started_in_future", date="Llun 4 Ion 2027", today="Llun 21 Rhag 2026")),
    ({"completed_stage": 1, "on": "2026-12-16", "started": "2026-12-18"}, "started",
     cy("error.started_after_stage", date="Gwe 18 Rhag 2026", stage=1, on="Mer 16 Rhag 2026")),
    ({"on": "2026-12-16", "started": "2026-12-18"}, "started",
     cy("error.started_after_arose", date="Gwe 18 Rhag 2026", on="Mer 16 Rhag 2026")),
    ({"completed_stage": 2, "on": "2026-12-18", "stage_ends": {"3": "2026-12-16"}}, "stage_ends",
     cy("error.stage_end_not_earlier", stage=3)),
    ({"completed_stage": 3, "on": "2026-12-18", "stage_ends": {"1": "2026-12-19"}}, "stage_ends",
     cy("error.stage_end_outside", stage=1, date="Sad 19 Rhag 2026")),
    ({"on": "2026-12-18", "today": "2028-01-03"}, "today",
     cy("error.today_outside_years", date="Llun 3 Ion 2028", first=2026, last=2027)),
    ({"on": "2025-12-31"}, "on", cy("error.date_before_years", date="Mer 31 Rhag 2025", first=2026, last=2027)),
    ({"completed_stage": 1, "on": "2026-12-18", "started": "2025-12-31"}, "started",
     cy("error.date_before_years", date="Mer 31 Rhag 2025", first=2026, last=2027)),
    ({"on": "2027-12-20", "today": "2027-12-21"}, "on",
     cy("error.dates_past_years", date="Llun 20 Rhag 2027", first=2026, last=2027)),
    ({"on": ""}, "on", cy("error.date_needed")),
    ({"on": "2026-02-30"}, "on", cy("error.not_a_date", value="2026-02-30")),
    ({"completed_stage": "two", "on": "2026-12-18"}, "completed_stage", cy("error.not_a_stage", value="two")),
    ({"completed_stage": 3, "on": "2026-12-18", "stage_ends": {"1": "soon"}}, "stage_ends",
     cy("error.not_a_date", value="soon")),
]


@pytest.mark.parametrize(("answers", "field", "message"), WELSH_REFUSALS)
def test_every_refusal_names_its_question_in_welsh_on_a_welsh_page(answers, field, message):
    assert refusal(**answers) == (field, message)


def test_an_answer_the_engine_cannot_work_out_is_a_message_in_the_pages_language_never_an_exception():
    broken = {"partnership": {}}  # no protocol at all: the page's data is damaged
    welsh = advise({"on": "2026-12-18", "today": TODAY, "language": "cy"}, broken)
    assert welsh["ok"] is False and welsh["field"] == ""
    assert welsh["message"].startswith("Ni allai'r cymorth penderfynu gyfrifo hyn (")
    for answers in (None, {"on": "2026-12-18", "today": TODAY}, {"on": "2026-12-18", "today": TODAY, "language": "zz"}):
        english = advise(answers, broken)
        assert english["message"].startswith("The decision aid could not work this out ("), answers


def test_a_language_the_catalogue_lacks_gets_the_answer_in_english():
    """Stage 1: 2 working days from Fri 18 Dec 2026 -> Tue 22 Dec."""
    for language in ("zz", None, ""):
        result = advise({"route": "standard", "on": "2026-12-18", "today": TODAY, "language": language})
        assert result["advice"]["deadline_text"] == "Tue 22 Dec 2026", language


# --- the calendar's years bound the dates accepted -------------------------------------------------------------


def test_the_first_day_of_the_calendars_years_is_accepted_for_every_date():
    """Stage 1 ended Thu 1 Jan 2026 (New Year's Day): stage 2's 5 working days are Fri 2, Mon 5, Tue 6, Wed 7,
    Thu 8 Jan."""
    result = advise({"route": "standard", "completed_stage": 1, "on": "2026-01-01", "started": "2026-01-01",
                     "today": "2026-01-01", "stage_ends": {}})
    assert result["ok"], result
    assert [row["latest_date"] for row in result["advice"]["timeline"]][:1] == ["2026-01-08"]


def test_a_stage_end_before_the_calendars_years_is_refused_by_name():
    assert refusal(completed_stage=3, on="2026-01-05", started="2025-12-30", stage_ends={"1": "2025-12-31"})[0] == \
        "started"
    assert refusal(completed_stage=3, on="2026-01-05", stage_ends={"1": "2025-12-31"}) == (
        "stage_ends", cy("error.date_before_years", date="Mer 31 Rhag 2025", first=2026, last=2027))


def test_the_last_day_accepted_leaves_room_for_every_limit_the_route_can_reach():
    """Testshire's standard route run to all its limits, counted generously in calendar days: working
    days twice over plus a fortnight (stage 1: 2*2+14 = 18, stage 2: 2*5+14 = 24, the caps: 2*8+14 = 30 and
    2*20+14 = 54), a calendar month 31+14 = 45 (stage 4), nothing for the agreed, without-delay and undated
    stages 3, 5 and 6: 171 days. The calendar ends on Fri 31 Dec 2027, so Tue 13 Jul 2027 (171 days
    before) is the last day given."""
    accepted = advise({"route": "standard", "on": "2027-07-13", "today": "2027-07-13"})
    assert accepted["ok"], accepted
    assert refusal(on="2027-07-14", today="2027-07-14") == (
        "on", cy("error.dates_past_years", date="Mer 14 Gorff 2027", first=2026, last=2027))


def test_a_duty_counted_in_clock_hours_and_a_same_day_stage_widen_the_room_needed():
    """As above, with a duty of 25 clock hours on stage 1 (two days begun, and one more: 3) and stage 3 on the
    same working day (a fortnight: 14): 171 + 3 + 14 = 188 days, so Sat 26 Jun 2027 is the last day given."""
    data = testshire.protocol_data()
    stages = data["routes"][0]["stages"]
    stages[0]["duties"] = [{"text": "Tell the panel.", "timescale": {"kind": "clock_hours", "hours": 25,
                                                                    "wording": "Within 25 hours."}}]
    stages[2]["timescale"] = {"kind": "same_working_day", "wording": "The same day."}
    assert advise({"route": "standard", "on": "2027-06-26", "today": "2027-06-26"}, data)["ok"]
    assert advise({"route": "standard", "on": "2027-06-27", "today": "2027-06-27"}, data)["field"] == "on"


# --- the answer's JSON --------------------------------------------------------------------------------------


def test_a_cap_and_the_stages_own_limit_on_the_same_day_the_stages_own_explains_it():
    """A cap over stage 1 of 2 working days from the disagreement, as stage 1's own: both Tue 22 Dec 2026
    from Fri 18 Dec. The stage's own limit is the one given, with no word of the cap."""
    data = testshire.protocol_data()
    data["routes"][0]["caps"].append({"id": "first", "stages": [1], "notes": "", "timescale": {
        "kind": "working_days", "days": 2, "anchor": "disagreement_arose", "wording": "Stage 1 in two days."}})
    advice = advise({"route": "standard", "on": "2026-12-18", "today": TODAY}, data)["advice"]
    assert advice["deadline"] == "2026-12-22" and advice["cap_applied"] is None
    assert advice["deadline_rule"] == ('Deadline: Tue 22 Dec 2026, 2 working days after Fri 18 Dec 2026 (the day the '
                                       'disagreement arose). The protocol says: "Within two working days."')


def test_a_fixed_cap_on_the_day_of_the_stages_guideline_is_the_binding_rule_in_welsh():
    """Stage 1 ended Fri 18 Dec 2026; the disagreement arose Tue 15 Dec. Stage 2's guideline, 5 working days
    from Fri 18: Mon 21, Tue 22, Wed 23, Thu 24, Tue 29 Dec. The cap over stages 1-3, 8 working days from
    Tue 15: Wed 16, Thu 17, Fri 18, Mon 21, Tue 22, Wed 23, Thu 24, Tue 29 Dec. The same day: the cap binds."""
    advice = advise({"route": "standard", "completed_stage": 1, "on": "2026-12-18", "started": "2026-12-15",
                     "today": TODAY, "language": "cy"})["advice"]
    assert advice["deadline"] == "2026-12-29" and advice["cap_applied"]["id"] == "first-three"
    assert advice["deadline_is_guideline"] is False and advice["deadline_label"] == "Y dyddiad olaf"
    assert advice["deadline_rule"].endswith(" " + cy("rule.ideal_same_day", wording='"Ideally within five working days."'))


def test_the_deadline_label_says_guideline_latest_or_nothing():
    """Stage 1 ended Fri 18 Dec 2026 with no arising date: stage 2's guideline is Tue 29 Dec; after stage 5,
    stage 6 has no timescale."""
    guideline = advise({"route": "standard", "completed_stage": 1, "on": "2026-12-18", "today": TODAY})["advice"]
    assert (guideline["deadline"], guideline["deadline_label"]) == ("2026-12-29", "Guideline date")
    undated = advise({"route": "standard", "completed_stage": 5, "on": "2026-12-18", "today": TODAY})["advice"]
    assert (undated["deadline"], undated["deadline_label"]) == (None, "")


def test_the_answer_names_the_route_that_follows_only_after_the_last_stage():
    """The urgent route continues with the standard route once its two stages are done."""
    last = advise({"route": "urgent", "completed_stage": 2, "on": "2026-12-18", "today": TODAY})["advice"]
    assert last["next_stage"] is None and last["continues_with"] == "standard"
    first = advise({"route": "urgent", "completed_stage": 1, "on": "2026-12-18", "today": TODAY})["advice"]
    assert first["next_stage"]["number"] == 2 and first["continues_with"] is None


def test_the_answers_readings_carry_why_they_were_chosen():
    data = testshire.protocol_data()
    data["readings"] = [{"id": "two-days", "quote": "Within two working days.", "readings": ["As printed.", "Other."],
                         "used": "As printed.", "why": "Working days are the protocol's unit.",
                         "applies_to": ["standard"]}]
    advice = advise({"route": "standard", "on": "2026-12-18", "today": TODAY}, data)["advice"]
    assert advice["readings"] == [{"id": "two-days", "quote": "Within two working days.", "used": "As printed.",
                                   "why": "Working days are the protocol's unit."}]


def test_a_line_the_protocol_gives_for_danger_and_for_an_unsafe_timescale_is_said_once():
    data = testshire.protocol_data()
    data["risk"]["timescale_unsafe"] = ["Call the duty team.", "Do not wait."]
    advice = advise({"route": "standard", "on": "2026-12-19", "today": TODAY, "immediate_danger": True,
                     "timescale_unsafe": True}, data)["advice"]
    assert advice["immediate_actions"].count("Call the duty team.") == 1
    assert "Do not wait." in advice["immediate_actions"]


def test_a_duty_counted_from_an_event_the_answers_do_not_date_says_so():
    data = copy.deepcopy(testshire.protocol_data())
    data["routes"][0]["stages"][0]["duties"] = [{"text": "Send the minutes.", "timescale": {
        "kind": "working_days", "days": 5, "anchor": "event", "anchor_event": "the meeting",
        "wording": "Within five working days of the meeting."}}]
    advice = advise({"route": "standard", "on": "2026-12-18", "today": TODAY}, data)["advice"]
    assert advice["duties"] == [{"text": "Send the minutes.", "latest_date": None, "latest_text": None,
                                 "rule": "Counted from the meeting, which the answers do not give. The protocol "
                                         'says: "Within five working days of the meeting."'}]


def test_a_date_before_the_text_was_issued_is_warned_of_in_welsh():
    """Testshire issued in January 2027; the disagreement arose on Fri 18 Dec 2026, before it."""
    data = testshire.protocol_data(issued="2027-01")
    advice = advise({"route": "standard", "on": "2026-12-18", "today": TODAY, "language": "cy"}, data)["advice"]
    assert cy("warning.before_issue", date="Gwe 18 Rhag 2026", issued="Ionawr 2027",
              partnership="Testshire Safeguarding Partnership") in advice["warnings"]


@pytest.fixture
def semicolons(monkeypatch):
    """A language 'xx' that separates the items of a list with semicolons, over the English catalogue."""
    english = messages._read("en")
    monkeypatch.setattr(messages, "_read", lambda language: english if language == "en"
                        else {**english, "list.separator": "; ", "list.or": "{items}; or {last}"})
    messages.catalogue.cache_clear()
    yield
    messages.catalogue.cache_clear()


def test_the_out_of_hours_services_to_act_through_are_listed_in_the_pages_language(semicolons, monkeypatch):
    """Danger on Sat 19 Dec 2026: not a working day, so act now through the services the protocol names."""
    monkeypatch.setattr(engine, "languages", lambda: ("cy", "en", "xx"))
    data = testshire.protocol_data()
    data["risk"]["out_of_hours"] = ["EDT", "the police", "999"]
    advice = advise({"route": "standard", "on": "2026-12-19", "today": "2026-12-19", "immediate_danger": True,
                     "language": "xx"}, data)["advice"]
    assert " through EDT; the police; or 999, as the protocol names them" in advice["immediate_actions"][0]


def test_a_guideline_in_clock_hours_is_labelled_so_and_yields_to_a_fixed_cap_on_the_same_day():
    """Stage 1 "ideally within 36 hours" from Mon 14 Dec 2026: two days on, Wed 16 Dec. Alone it is a guideline
    date; with a cap over stage 1 of 2 working days from the same day (Tue 15, Wed 16 Dec) the fixed cap binds
    and the guideline is quoted as falling on the same day."""
    data = testshire.protocol_data()
    data["routes"][0]["stages"][0]["timescale"] = {"kind": "clock_hours", "hours": 36, "guideline": True,
                                                   "wording": "Ideally within 36 hours."}
    answers = {"route": "standard", "on": "2026-12-14", "today": "2026-12-14"}
    alone = advise(answers, data)["advice"]
    assert (alone["deadline"], alone["deadline_label"], alone["deadline_is_guideline"]) == (
        "2026-12-16", "Guideline date", True)
    data["routes"][0]["caps"].append({"id": "first", "stages": [1], "notes": "", "timescale": {
        "kind": "working_days", "days": 2, "anchor": "disagreement_arose", "wording": "Stage 1 in two days."}})
    capped = advise(answers, data)["advice"]
    assert (capped["deadline"], capped["deadline_label"], capped["cap_applied"]["id"]) == (
        "2026-12-16", "Latest date", "first")
    assert capped["deadline_rule"].endswith(' The protocol\'s ideal ("Ideally within 36 hours.") falls on the same '
                                            'day; this fixed limit is the binding rule.')


def test_two_calendar_months_need_twice_a_months_room():
    """Stage 4 within two calendar months instead of one: 31*2+14 = 76 days for it, 31 more than 45, so
    171 + 31 = 202 days: Sat 12 Jun 2027 is the last day given (Sun 13 Jun is refused)."""
    data = testshire.protocol_data()
    data["routes"][0]["stages"][3]["timescale"]["months"] = 2
    assert advise({"route": "standard", "on": "2027-06-12", "today": "2027-06-12"}, data)["ok"]
    assert advise({"route": "standard", "on": "2027-06-13", "today": "2027-06-13"}, data)["field"] == "on"


def test_a_date_not_written_yyyy_mm_dd_is_refused_naming_what_was_given():
    """The command line and the page both quote the refused text back: the reader sees what was read."""
    with pytest.raises(ValueError) as refused:
        engine.iso_date("20261223")
    assert "20261223" in str(refused.value) and "YYYY-MM-DD" in str(refused.value)
