"""The question flow (core/questions.py) case by case, for every protocol: what is asked, in what order,
with which choices, hints and messages, and what the engine is handed at the end.

Each expectation is read off the protocol texts (protocols/*.yaml) and the catalogue (en.json) by hand.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator import load
from generator.core import engine, model, questions
from generator.core.calendar import calendar_for

ROOT = Path(__file__).resolve().parent.parent
PROTOCOLS = model.current_versions(load.load_tree(ROOT / "protocols"))
TODAY = dt.date(2026, 12, 30)
CALENDARS = {nation: calendar_for(nation, 2024, 2030) for nation in ("england", "wales")}


def advise(pid: str, answers: engine.Answers) -> engine.Advice:
    protocol = PROTOCOLS[pid]
    return engine.advise(protocol, answers, CALENDARS[protocol.partnership.nation])


def step(**answers):
    return questions.next_step(PROTOCOLS, answers)


def asked_after(**answers) -> str | None:
    found = step(**answers).question
    return None if found is None else found.id


# --- the order of the questions ---------------------------------------------------------------------

@pytest.mark.parametrize(("answers", "expected"), [
    # one route to choose (the urgent one is reached through "not safe"): the route is never asked
    ({"protocol": "swindon"}, ["protocol", "danger", "unsafe", "stage", "on"]),
    # Swindon's Day 17 cap counts from the disagreement arising: asked once stages 1 to 3 have ended
    ({"protocol": "swindon", "stage": "1"}, ["protocol", "danger", "unsafe", "stage", "on", "started"]),
    ({"protocol": "swindon", "stage": "3"}, ["protocol", "danger", "unsafe", "stage", "on", "started"]),
    # after stage 4 the cap covers no stage to come
    ({"protocol": "swindon", "stage": "4"}, ["protocol", "danger", "unsafe", "stage", "on"]),
    ({"protocol": "swindon", "stage": "none"}, ["protocol", "danger", "unsafe", "stage", "on"]),
    # North Wales: one route, no cap
    ({"protocol": "north-wales", "stage": "2"}, ["protocol", "danger", "unsafe", "stage", "on"]),
    # Kirklees: a route to choose; the one-month cap over stages 1 to 4 counts from the arising
    ({"protocol": "kirklees"}, ["protocol", "danger", "unsafe", "route", "stage", "on"]),
    ({"protocol": "kirklees", "route": "standard", "stage": "3"},
     ["protocol", "danger", "unsafe", "route", "stage", "on", "started"]),
    ({"protocol": "kirklees", "route": "standard", "stage": "4"},
     ["protocol", "danger", "unsafe", "route", "stage", "on"]),
    ({"protocol": "kirklees", "route": "conference-need", "stage": "1"},
     ["protocol", "danger", "unsafe", "route", "stage", "on"]),
    # Calderdale: the 5 working days over steps 1 to 5 count from the arising
    ({"protocol": "calderdale", "route": "standard", "stage": "4"},
     ["protocol", "danger", "unsafe", "route", "stage", "on", "started"]),
    ({"protocol": "calderdale", "route": "standard", "stage": "5"},
     ["protocol", "danger", "unsafe", "route", "stage", "on"]),
    # HIPS: stages 2 and 3 within two working days of the end of stage 1
    ({"protocol": "hips", "route": "standard", "stage": "2"},
     ["protocol", "danger", "unsafe", "route", "stage", "on", "ended1"]),
    ({"protocol": "hips", "route": "standard", "stage": "1"},
     ["protocol", "danger", "unsafe", "route", "stage", "on"]),
    ({"protocol": "hips", "route": "standard", "stage": "3"},
     ["protocol", "danger", "unsafe", "route", "stage", "on"]),
    # no protocol yet, or an unknown one: only the first three are known to apply
    ({}, ["protocol", "danger", "unsafe"]),
    ({"protocol": "atlantis"}, ["protocol", "danger", "unsafe"]),
    # a route the protocol lacks: the stage question still applies (it reports the route), nothing after it
    ({"protocol": "kirklees", "route": "nowhere", "stage": "1"}, ["protocol", "danger", "unsafe", "route", "stage", "on"]),
])
def test_the_questions_that_apply_in_order(answers, expected):
    assert questions.applicable(PROTOCOLS, answers) == expected


def test_next_step_walks_hips_to_the_end_of_stage_1_and_then_is_complete():
    answers = {"protocol": "hips", "danger": "no", "unsafe": "no", "route": "standard", "stage": "2",
               "on": "2026-12-23", "ended1": "2026-12-21"}
    order = ["protocol", "danger", "unsafe", "route", "stage", "on", "ended1"]
    for position, question_id in enumerate(order):
        given = {k: answers[k] for k in order[:position]}
        found = step(**given)
        assert found.question.id == question_id
        assert found.answered == tuple(order[:position])
        assert found.question.error is None
        assert not found.complete
    done = step(**answers)
    assert done.complete and done.question is None
    assert done.answered == tuple(order)


def test_an_empty_answer_is_asked_again_without_an_error():
    found = step(protocol="swindon", danger="")
    assert found.question.id == "danger" and found.question.error is None
    assert found.answered == ("protocol",)


# --- validation messages ----------------------------------------------------------------------------

@pytest.mark.parametrize(("answers", "question_id", "message"), [
    ({"protocol": "atlantis"}, "protocol",
     "We do not have a protocol called \u201catlantis\u201d. Choose the partnership whose protocol you follow."),
    ({"protocol": "swindon", "danger": "maybe"}, "danger", "Choose yes or no."),
    ({"protocol": "swindon", "danger": "no", "unsafe": "YES"}, "unsafe", "Choose yes or no."),
    ({"protocol": "north-wales", "danger": "no", "unsafe": "no", "stage": "5"}, "stage",
     "The route 'Resolution of professional disputes' has stages 1 to 4; there is no stage 5. "
     "Choose the stage that ended without agreement, or none yet."),
    ({"protocol": "swindon", "danger": "no", "unsafe": "no", "stage": "0"}, "stage",
     "The route 'Resolution process' has stages 1 to 5; there is no stage 0. "
     "Choose the stage that ended without agreement, or none yet."),
    ({"protocol": "kirklees", "danger": "no", "unsafe": "no", "route": "urgent"}, "route",
     "Kirklees's protocol has no route 'urgent'. Its routes are: standard (Dispute resolution process), "
     "conference-need (Request to convene a child protection conference)."),
    ({"protocol": "swindon", "danger": "no", "unsafe": "no", "stage": "none", "on": "23/12/2026"}, "on",
     "'23/12/2026' is not a real date: give the day, month and year, for example 23 12 2026."),
    ({"protocol": "swindon", "danger": "no", "unsafe": "no", "stage": "none", "on": "2026-02-30"}, "on",
     "'2026-02-30' is not a real date: give the day, month and year, for example 23 12 2026."),
    ({"protocol": "swindon", "danger": "no", "unsafe": "no", "stage": "none", "on": "2026-12-23x"}, "on",
     "'2026-12-23x' is not a real date: give the day, month and year, for example 23 12 2026."),
    ({"protocol": "swindon", "danger": "no", "unsafe": "no", "stage": "none", "on": "x2026-12-23"}, "on",
     "'x2026-12-23' is not a real date: give the day, month and year, for example 23 12 2026."),
    ({"protocol": "swindon", "danger": "no", "unsafe": "no", "stage": "2", "on": "2026-12-23",
      "started": "1 Dec"}, "started",
     "'1 Dec' is not a real date: give the day, month and year, for example 23 12 2026."),
    ({"protocol": "hips", "danger": "no", "unsafe": "no", "route": "standard", "stage": "2", "on": "2026-12-23",
      "ended1": "2026-13-01"}, "ended1",
     "'2026-13-01' is not a real date: give the day, month and year, for example 23 12 2026."),
])
def test_an_answer_that_cannot_be_right_is_asked_again_with_its_message(answers, question_id, message):
    found = step(**answers)
    assert found.question.id == question_id
    assert found.question.error == message
    order = questions.applicable(PROTOCOLS, answers)
    assert found.answered == tuple(order[:order.index(question_id)])


def test_a_stage_given_for_a_route_the_protocol_lacks_names_the_route():
    """Reached when the route was never checked (the page's "change this answer" can send it)."""
    question = questions.ask(PROTOCOLS, {"protocol": "kirklees", "route": "x"}, "stage")
    error = questions._check(PROTOCOLS, {"protocol": "kirklees", "route": "x"}, question, "1", "en")
    assert error == ("Kirklees's protocol has no route 'x'. Its routes are: standard (Dispute resolution process), "
                     "conference-need (Request to convene a child protection conference).")
    no_route = questions._check(PROTOCOLS, {"protocol": "kirklees"}, question, "1", "en")
    assert "has no route ''" in no_route


def test_a_date_in_the_future_passes_the_flow_and_the_engine_refuses_it():
    """The flow checks only that a date is real; a date after today is the engine's to refuse."""
    answers = {"protocol": "north-wales", "danger": "no", "unsafe": "no", "stage": "none", "on": "2026-12-31"}
    assert step(**answers).complete
    with pytest.raises(engine.AnswerError):
        advise("north-wales", questions.engine_answers(PROTOCOLS, answers, TODAY))


def test_valid_answers_never_carry_an_error():
    answers = {"protocol": "calderdale", "danger": "yes", "unsafe": "yes", "route": "conference-dissent",
               "stage": "none", "on": "2026-12-29"}
    assert step(**answers).complete


# --- the questions themselves -----------------------------------------------------------------------

def test_the_protocol_question_lists_every_partnership_alphabetically_with_its_version():
    question = questions.ask(PROTOCOLS, {}, "protocol")
    assert (question.id, question.kind) == ("protocol", "choice")
    assert question.heading == "Which partnership's protocol do you follow?"
    assert question.hint == "The safeguarding partnership for the area the child or adult lives in."
    assert question.summary == "Protocol"
    assert [(c.value, c.hint) for c in question.choices] == [
        ("calderdale", "Issued October 2024"), ("hips", "Undated text"), ("kirklees", "Undated text"),
        ("north-wales", "Issued 28 November 2018"), ("swindon", "Issued January 2024")]
    assert question.choices[1].label == "Hampshire, Isle of Wight, Portsmouth and Southampton (HIPS)"
    assert all(c.divider == "" for c in question.choices)


@pytest.mark.parametrize(("protocol", "person"), [
    ("swindon", "child"), ("calderdale", "child or adult"), ("north-wales", "child or adult"), (None, "child or adult"),
])
def test_danger_and_unsafe_name_who_the_protocol_protects(protocol, person):
    answers = {"protocol": protocol} if protocol else {}
    danger = questions.ask(PROTOCOLS, answers, "danger")
    assert (danger.kind, danger.heading, danger.summary) == ("choice", "Is anyone in immediate danger?",
                                                              "Anyone in immediate danger?")
    assert danger.hint == f"For example, a {person} at risk of significant harm right now."
    assert [(c.value, c.label) for c in danger.choices] == [("yes", "Yes"), ("no", "No")]
    unsafe = questions.ask(PROTOCOLS, answers, "unsafe")
    assert unsafe.heading == f"Do you believe the normal timescale is not safe for the {person}?"
    assert unsafe.summary == "Normal timescale not safe?"
    assert unsafe.hint.startswith("Say yes if waiting the usual number")


def test_the_route_question_offers_every_route_but_the_urgent_one():
    question = questions.ask(PROTOCOLS, {"protocol": "calderdale"}, "route")
    assert (question.heading, question.hint, question.summary) == (
        "What is the disagreement about?", "Each choice follows a different part of the protocol.",
        "Disagreement about")
    assert [c.value for c in question.choices] == ["standard", "conference-need", "conference-dissent"]
    first = question.choices[0]
    assert first.label == "A decision by another agency about a child or adult at risk (any disagreement not covered below)"
    assert first.hint == "Resolving professional disagreements and disputes"
    # HIPS has no urgent switch: its urgent-flagged route stays a choice
    hips = questions.ask(PROTOCOLS, {"protocol": "hips"}, "route")
    assert "conference-dissent" in [c.value for c in hips.choices]
    assert [r.id for r in questions.route_choices(PROTOCOLS["swindon"])] == ["standard"]


def test_the_stage_question_lists_the_routes_stages_with_their_roles_then_none_yet():
    question = questions.ask(PROTOCOLS, {"protocol": "calderdale", "route": "conference-need"}, "stage")
    assert question.heading == "Which stage has ended without agreement?"
    assert question.hint == ("Dissent about need for Child Protection Conference: choose the last stage that ended "
                             "with the disagreement still unresolved.")
    assert question.summary == "Stage ended without agreement"
    assert [(c.value, c.label, c.hint, c.divider) for c in question.choices] == [
        ("1", "Stage 1: Request that Children's Social Care Services convene a conference",
         "A professional or agency most involved with the child and family, or who took part in a Section 47 Enquiry",
         ""),
        ("2", "Stage 2: Resolve remaining differences through discussion and explanation",
         "The requesting professional", ""),
        ("none", "None yet: I have just disagreed", "", "or")]
    lost = questions.ask(PROTOCOLS, {"protocol": "kirklees"}, "stage")
    assert [c.value for c in lost.choices] == ["none"]
    assert lost.hint.startswith(": choose the last stage")


def test_the_date_question_names_the_stage_that_ended():
    answers = {"protocol": "swindon", "stage": "2"}
    on = questions.ask(PROTOCOLS, answers, "on")
    assert (on.kind, on.heading, on.summary) == (
        "date", "On what date did stage 2 (Inter-agency Discussion) end without agreement?", "Date stage 2 ended")
    assert on.hint == "For example, 23 12 2026. Today's date is filled in."
    fresh = questions.ask(PROTOCOLS, {"protocol": "swindon", "stage": "none"}, "on")
    assert (fresh.heading, fresh.summary) == ("On what date did the disagreement arise?", "Date the disagreement arose")
    no_protocol = questions.ask(PROTOCOLS, {}, "on")
    assert no_protocol.heading == "On what date did the disagreement arise?"
    started = questions.ask(PROTOCOLS, answers, "started")
    assert (started.kind, started.heading, started.summary) == (
        "date", "On what date did the disagreement first arise?", "Disagreement first arose")
    assert started.hint.startswith("The protocol sets a time limit over several stages, counted from that day.")


def test_the_cap_anchor_question_asks_when_the_stage_it_counts_from_ended():
    question = questions.ask(PROTOCOLS, {"protocol": "hips", "route": "standard", "stage": "2"}, "ended1")
    assert (question.id, question.kind) == ("ended1", "date")
    assert question.heading == "On what date did stage 1 (Direct professional to professional discussion) end?"
    assert question.hint == ("The protocol sets a time limit over several stages, counted from the day stage 1 "
                             "ended. For example, 24 12 2026.")
    assert question.summary == "Date stage 1 ended"
    assert question.choices == ()


def test_asks_started_and_asks_ended_per_route():
    swindon, = [r for r in PROTOCOLS["swindon"].routes if r.id == "standard"]
    assert questions.asks_started(swindon) == [1, 2, 3]
    calderdale = PROTOCOLS["calderdale"].routes[0]
    assert questions.asks_started(calderdale) == [1, 2, 3, 4]
    hips = PROTOCOLS["hips"].routes[0]
    assert questions.asks_started(hips) == []
    assert [questions.asks_ended(hips, done) for done in (1, 2, 3, 4)] == [[], [1], [], []]


def test_to_dict_gives_the_page_everything_it_draws():
    question = questions.ask(PROTOCOLS, {"protocol": "swindon"}, "danger")
    assert question.to_dict() == {
        "id": "danger", "kind": "choice", "heading": "Is anyone in immediate danger?",
        "hint": "For example, a child at risk of significant harm right now.", "summary": "Anyone in immediate danger?",
        "error": None, "inline": True, "missing": "Choose yes or no.",
        "choices": [{"value": "yes", "label": "Yes", "hint": "", "divider": ""},
                    {"value": "no", "label": "No", "hint": "", "divider": ""}]}
    missing = {qid: questions.ask(PROTOCOLS, {"protocol": "kirklees", "stage": "1", "route": "standard"},
                                  qid).to_dict()
               for qid in ("protocol", "unsafe", "route", "stage", "on", "started")}
    assert {k: (v["missing"], v["inline"]) for k, v in missing.items()} == {
        "protocol": ("Choose the partnership whose protocol you follow.", False),
        "unsafe": ("Choose yes or no.", True),
        "route": ("Choose what the disagreement is about.", False),
        "stage": ("Choose the stage that ended without agreement, or none yet.", False),
        "on": ("Enter the date as numbers: day, month and year, for example 23 12 2026.", False),
        "started": ("Enter the date as numbers: day, month and year, for example 23 12 2026.", False)}
    stage_choices = missing["stage"]["choices"]
    assert stage_choices[-1] == {"value": "none", "label": "None yet: I have just disagreed", "hint": "",
                                 "divider": "or"}


# --- what the engine is handed ----------------------------------------------------------------------

def test_engine_answers_maps_every_field():
    answers = {"protocol": "swindon", "danger": "yes", "unsafe": "yes", "stage": "2", "on": "2026-12-23",
               "started": "2026-12-01"}
    assert questions.engine_answers(PROTOCOLS, answers, TODAY, "en") == engine.Answers(
        route="standard", completed_stage=2, on=dt.date(2026, 12, 23), today=TODAY, started=dt.date(2026, 12, 1),
        immediate_danger=True, timescale_unsafe=True, stage_ends=(), language="en")


def test_engine_answers_no_danger_no_stage_and_the_language():
    answers = {"protocol": "north-wales", "danger": "no", "unsafe": "no", "stage": "none", "on": "2026-12-29"}
    got = questions.engine_answers(PROTOCOLS, answers, TODAY, "cy")
    assert (got.route, got.completed_stage, got.on, got.started, got.immediate_danger, got.timescale_unsafe,
            got.stage_ends, got.language, got.today) == (
        "standard", None, dt.date(2026, 12, 29), None, False, False, (), "cy", TODAY)


def test_engine_answers_carries_the_end_of_the_stage_a_cap_counts_from():
    answers = {"protocol": "hips", "danger": "no", "unsafe": "no", "route": "standard", "stage": "2",
               "on": "2026-12-23", "ended1": "2026-12-21"}
    got = questions.engine_answers(PROTOCOLS, answers, TODAY)
    assert got.stage_ends == ((1, dt.date(2026, 12, 21)),)
    assert got.route == "standard" and got.completed_stage == 2
    assert got.language == "en"


def test_leftover_answers_that_no_longer_apply_are_not_handed_on():
    """Changed from stage 2 to stage 4: the earlier dates belong to questions no longer asked."""
    hips = {"protocol": "hips", "danger": "no", "unsafe": "no", "route": "standard", "stage": "3",
            "on": "2026-12-23", "ended1": "2026-12-21", "started": "2026-12-01"}
    got = questions.engine_answers(PROTOCOLS, hips, TODAY)
    assert (got.stage_ends, got.started) == ((), None)
    swindon = {"protocol": "swindon", "danger": "no", "unsafe": "no", "stage": "4", "on": "2026-12-23",
               "started": "2026-12-01"}
    assert questions.engine_answers(PROTOCOLS, swindon, TODAY).started is None
    assert step(**swindon).complete
    empty_end = {**hips, "stage": "2", "ended1": ""}
    assert step(**empty_end).question.id == "ended1"


# --- the urgent switch and the screens the page draws -------------------------------------------------

def _texts(blocks: list[dict]) -> list[str]:
    """Every text a list of display blocks shows, in order (sections opened)."""
    out: list[str] = []
    for block in blocks:
        out += [block[k] for k in ("text", "name", "note") if block.get(k)]
        out += block.get("items", []) + [d["text"] for d in block.get("details", [])]
        out += _texts(block.get("blocks", []))
    return out


def test_danger_yes_shows_the_protocols_immediate_danger_actions_before_the_next_question():
    shown = questions.screen(PROTOCOLS, {"protocol": "swindon", "danger": "yes"})
    assert shown["question"]["id"] == "unsafe"
    [box] = shown["blocks"]
    assert box["kind"] == "section" and box["style"] == "act-now"
    texts = _texts(box["blocks"])
    protocol = PROTOCOLS["swindon"]
    assert texts[0] == "Someone is in immediate danger: act now"
    assert "What Swindon's protocol says to do straight away:" in texts
    for action in protocol.risk.immediate_danger:
        assert action in texts
    assert texts.index("Act today, whatever the day: do not wait for a working day.") < texts.index(
        protocol.risk.immediate_danger[0])
    contacts = [b["name"] for b in box["blocks"] if b["kind"] == "contact"]
    assert contacts == [protocol.contact(i).name for i in protocol.risk.immediate_danger_contacts]
    assert questions.screen(PROTOCOLS, {"protocol": "swindon", "danger": "no"})["blocks"] == []


def test_resets_name_what_a_changed_answer_drops():
    assert questions.RESETS == {"protocol": ("route", "stage", "started", "ended"),
                                "route": ("stage", "started", "ended")}


def test_danger_yes_where_the_text_names_no_999_adds_our_general_advice():
    """Swindon's text says "dial 999" itself; HIPS's does not, so the page adds the general line."""
    general = "General advice (ours, not the protocol's words): if anyone is in immediate danger, call 999 now."
    [swindon] = questions.screen(PROTOCOLS, {"protocol": "swindon", "danger": "yes"})["blocks"]
    assert general not in _texts([swindon])
    cards = [b for b in swindon["blocks"] if b["kind"] == "contact"]
    assert [c["name"] for c in cards] == ["MASH", "EDT"]
    assert cards[0]["note"] == "No telephone number is printed in the document."
    [hips] = questions.screen(PROTOCOLS, {"protocol": "hips", "danger": "yes"})["blocks"]
    assert general in _texts([hips])
    assert "What HIPS's protocol says to do straight away:" in _texts([hips])
    assert not [b for b in hips["blocks"] if b["kind"] == "contact"]
    # once "not safe" is answered, the danger panel has been shown and is not drawn again
    assert questions.screen(PROTOCOLS, {"protocol": "hips", "danger": "yes", "unsafe": "no"})["blocks"] == []


def test_the_screen_drops_empty_answers_and_stringifies_the_rest():
    shown = questions.screen(PROTOCOLS, {"protocol": "north-wales", "danger": "", "unsafe": None})
    assert shown["answers"] == {"protocol": "north-wales", "route": "standard"}
    assert shown["question"]["id"] == "danger"
    numbered = questions.screen(PROTOCOLS, {"protocol": "north-wales", "danger": "no", "unsafe": "no", "stage": 2})
    assert numbered["answers"]["stage"] == "2" and numbered["question"]["id"] == "on"


# --- every question speaks the language asked for -------------------------------------------------------

@pytest.fixture
def other_language(monkeypatch):
    """A partial catalogue 'xx' over the real English one: whatever is shown in 'xx' came through `language`."""
    from generator.core import messages

    english = messages._read("en")
    extra = {"q.danger.summary": "XX danger", "q.stage.summary": "XX stage", "q.on.summary_stage": "XX on {stage}",
             "q.started.summary": "XX started", "q.yes": "XX yes", "q.no": "XX no", "error.yes_no": "XX yes or no",
             "error.choose_protocol": "XX choose", "q.protocol.heading": "XX which protocol",
             "q.unsafe.heading": "XX unsafe", "error.not_a_date": "XX not a date {value}",
             "error.no_protocol": "XX no protocol {value}", "q.on.heading": "XX when", "date.month.long": " ".join(f"M{n}" for n in range(1, 13))}
    monkeypatch.setattr(messages, "_read", lambda language: english if language == "en" else {**english, **extra})
    messages.catalogue.cache_clear()
    yield
    messages.catalogue.cache_clear()


def test_a_complete_screen_is_worded_in_the_language_asked_for(other_language):
    answers = {"protocol": "swindon", "danger": "no", "unsafe": "no", "stage": "2", "on": "2026-12-23",
               "started": "2026-12-01"}
    shown = questions.screen(PROTOCOLS, answers, language="xx")
    rows = {row["id"]: (row["label"], row["shown"]) for row in shown["summary"]}
    assert rows["danger"] == ("XX danger", "XX no")
    assert rows["on"] == ("XX on 2", "23 M12 2026")
    assert rows["started"] == ("XX started", "1 M12 2026")
    assert shown["engine"]["started"] == "2026-12-01"
    assert shown["engine"]["completed_stage"] == 2


def test_a_question_reopened_or_refused_is_worded_in_the_language_asked_for(other_language):
    back = questions.screen(PROTOCOLS, {"protocol": "swindon", "danger": "no", "unsafe": "no"}, "danger", "xx")
    assert back["question"]["missing"] == "XX yes or no"
    assert [c["label"] for c in back["question"]["choices"]] == ["XX yes", "XX no"]
    refused = questions.screen(PROTOCOLS, {"protocol": "swindon", "danger": "maybe"}, None, "xx")
    assert refused["question"]["error"] == "XX yes or no"
    unknown = questions.next_step(PROTOCOLS, {"protocol": "atlantis"}, "xx").question
    assert (unknown.heading, unknown.error) == ("XX which protocol", "XX no protocol atlantis")
    for bad in ("1 Dec", "2026-02-30"):
        date = questions.next_step(PROTOCOLS, {"protocol": "north-wales", "danger": "no", "unsafe": "no",
                                               "stage": "none", "on": bad}, "xx").question
        assert (date.heading, date.error) == ("XX when", f"XX not a date {bad}")
    first = questions.first_screens(PROTOCOLS, ["protocol", "danger", "unsafe"], "xx")
    assert first[""]["question"]["heading"] == "XX which protocol"
    assert first[""]["question"]["missing"] == "XX choose"
    assert first["protocol=swindon&danger=no"]["question"]["heading"] == "XX unsafe"


def test_reopening_the_question_already_open_keeps_its_error():
    shown = questions.screen(PROTOCOLS, {"protocol": "swindon", "danger": "maybe"}, "danger")
    assert shown["question"]["id"] == "danger" and shown["question"]["error"] == "Choose yes or no."


def test_engine_answers_name_a_route_other_than_the_standard_one():
    answers = {"protocol": "calderdale", "danger": "no", "unsafe": "no", "route": "conference-need", "stage": "1",
               "on": "2026-12-23"}
    assert questions.engine_answers(PROTOCOLS, answers, TODAY).route == "conference-need"


def test_a_stage_the_route_lacks_leads_to_no_further_question_about_it():
    hips = {"protocol": "hips", "route": "standard"}
    assert questions.applicable(PROTOCOLS, {**hips, "stage": "x"})[-2:] == ["stage", "on"]
    assert questions.applicable(PROTOCOLS, {**hips, "stage": "9"})[-2:] == ["stage", "on"]
    assert questions.ask(PROTOCOLS, {**hips, "stage": "9"}, "on").heading == "On what date did the disagreement arise?"
    # a cap-anchor question for a stage the route lacks, or with no route known, names no title
    assert questions.ask(PROTOCOLS, hips, "ended9").heading == "On what date did stage 9 () end?"
    assert questions.ask(PROTOCOLS, {"protocol": "hips"}, "ended1").heading == "On what date did stage 1 () end?"
    assert questions._stage(None, {"stage": "1"}) is None


def test_flow_keys_ask_only_for_the_ends_caps_count_from():
    from types import SimpleNamespace as NS

    def protocols(anchor, anchor_stage):
        cap = NS(timescale=NS(anchor=anchor, anchor_stage=anchor_stage))
        return {"x": NS(routes=[NS(caps=[cap])])}

    assert questions.flow_keys(protocols("stage_end", 2))[-1] == "ended2"
    assert questions.flow_keys(protocols("disagreement_arose", 2))[-1] == "started"
    assert questions.flow_keys(protocols("stage_end", None))[-1] == "started"
