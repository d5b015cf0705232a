"""The decision aid's questions as a practitioner meets them, and the first screens the page draws before
Python has started (bundle.json's "flow.screens"), which must be the very screens Python would draw.

Testshire (tests/testshire.py) with a second route to choose, so the route question is asked; the page's
Welsh uses the catalogue's words around the partnership's English, which is marked {"text", "lang": "en"}.
"""

from __future__ import annotations

import copy
import json
from urllib.parse import parse_qsl

import pytest
import testshire

from generator.core import messages, model, questions, screens


def two_routes() -> dict[str, model.Protocol]:
    """Testshire with a conference route of two stages beside its standard route (and its urgent one)."""
    data = testshire.protocol_data()
    conference = copy.deepcopy(data["routes"][0])
    conference.update(id="conference", title="Conference route", caps=[], stages=conference["stages"][:2],
                      question="We disagree about a conference decision.")
    data["routes"].insert(1, conference)
    return {"testshire": model.from_dict(data)}


PROTOCOLS = two_routes()
SAFE = {"protocol": "testshire", "danger": "no", "unsafe": "no"}


def en(text: str) -> dict:
    return {"text": text, "lang": "en"}


# --- the questions -----------------------------------------------------------------------------------------


def test_the_route_question_offers_the_routes_to_choose_by_the_partnerships_words_in_welsh():
    """The urgent route is not offered: "not safe" leads there."""
    question = questions.screen(PROTOCOLS, SAFE, None, "cy")["question"]
    assert (question["id"], question["kind"], question["inline"]) == ("route", "choice", False)
    assert question["heading"] == messages.t("q.route.heading", "cy") != messages.t("q.route.heading", "en")
    assert question["choices"] == [
        {"value": "standard", "label": [en("We disagree about a decision.")], "hint": [en("Standard route")],
         "divider": ""},
        {"value": "conference", "label": [en("We disagree about a conference decision.")],
         "hint": [en("Conference route")], "divider": ""}]


def test_the_stage_question_lists_the_chosen_routes_stages_then_none_yet_in_welsh():
    question = questions.screen(PROTOCOLS, {**SAFE, "route": "conference"}, None, "cy")["question"]
    assert (question["id"], question["kind"]) == ("stage", "choice")
    assert question["hint"] == [en("Conference route"), ": dewiswch y cam olaf a ddaeth i ben a'r anghytundeb heb ei "
                                                        "ddatrys o hyd."]
    assert question["choices"] == [
        {"value": "1", "label": ["Cam 1: ", en("Talk to each other")], "hint": [en("Role 1")], "divider": ""},
        {"value": "2", "label": ["Cam 2: ", en("Managers")], "hint": [en("Role 2")], "divider": ""},
        {"value": "none", "label": "Dim eto: rwyf newydd anghytuno", "hint": "", "divider": "neu"}]


def test_the_date_question_names_the_stage_that_ended_or_asks_when_the_disagreement_arose():
    ended = questions.screen(PROTOCOLS, {**SAFE, "route": "conference", "stage": "1"})["question"]
    arose = questions.screen(PROTOCOLS, {**SAFE, "route": "conference", "stage": "none"})["question"]
    assert (ended["kind"], ended["heading"], ended["summary"]) == (
        "date", "On what date did stage 1 (Talk to each other) end without agreement?", "Date stage 1 ended")
    assert (arose["kind"], arose["heading"], arose["summary"]) == (
        "date", "On what date did the disagreement arise?", "Date the disagreement arose")
    for question in (ended, arose):
        assert question["hint"] == "For example, 23 12 2026. Today's date is filled in."
        assert question["choices"] == [] and question["error"] is None


def test_your_answers_name_the_protocol_with_its_version_and_each_choice_by_its_words():
    """Stage 1 of the conference route ended on Fri 18 Dec 2026."""
    view = questions.screen(PROTOCOLS, {**SAFE, "route": "conference", "stage": "1", "on": "2026-12-18"})
    assert view["question"] is None and view["screen"] == "answer"
    assert [(row["id"], row["label"], row["shown"]) for row in view["summary"]] == [
        ("protocol", "Protocol", "Testshire Safeguarding Partnership (Undated text)"),
        ("danger", "Anyone in immediate danger?", "No"),
        ("unsafe", "Normal timescale not safe?", "No"),
        ("route", "Disagreement about", "We disagree about a conference decision."),
        ("stage", "Stage ended without agreement", "Stage 1: Talk to each other"),
        ("on", "Date stage 1 ended", "18 December 2026")]


def test_the_address_of_an_answer_is_written_in_the_flows_order():
    """Testshire's caps count from the disagreement arising, never from a stage's end: no endedN."""
    assert questions.flow_keys(PROTOCOLS) == ["protocol", "danger", "unsafe", "route", "stage", "on", "started"]


# --- the screens drawn before Python has started -----------------------------------------------------------


def unpacked(pack: dict, query: str) -> dict:
    """A screen as assets/wizard.js's knownScreen rebuilds it from the pack."""
    view = pack["views"][pack["at"][query]]
    return {**view, "question": pack["questions"][view["question"]], "blocks": pack["blocks"][view["blocks"]]}


@pytest.mark.parametrize("language", ["en", "cy"])
def test_every_screen_drawn_before_python_starts_is_the_one_python_draws(language):
    keys = questions.flow_keys(PROTOCOLS)
    pack = questions.first_screens_packed(PROTOCOLS, keys, language)
    # every choice before the first date: the protocol, danger, safety, then the route (the stage question
    # follows a route; the date question ends what the page can know in advance)
    assert {"", "protocol=testshire", "protocol=testshire&danger=yes", "protocol=testshire&danger=no&unsafe=no",
            "protocol=testshire&danger=yes&unsafe=yes&route=conference"} <= set(pack["at"])
    # "", the protocol, 2 danger answers, 4 with safety, 8 with a route, then a stage of the standard route
    # (6 or none yet) or of the conference route (2 or none yet) under each of the 4
    assert len(pack["at"]) == 1 + 1 + 2 + 4 + 8 + 4 * (7 + 3)
    for query in pack["at"]:
        live = questions.screen(PROTOCOLS, dict(parse_qsl(query)), None, language)
        expected = {k: v for k, v in live.items() if k not in ("fields", "summary", "engine")}
        assert unpacked(pack, query) == expected, query
    heading = unpacked(pack, "")["question"]["heading"]
    assert heading == messages.t("q.protocol.heading", language)


def test_the_pack_holds_each_question_and_danger_box_once():
    pack = questions.first_screens_packed(PROTOCOLS, questions.flow_keys(PROTOCOLS), "en")
    for part in ("questions", "blocks", "views"):
        texts = [json.dumps(value, sort_keys=True) for value in pack[part]]
        assert len(texts) == len(set(texts)), part
    # the danger box above "is the timescale safe?" once, though every later question of a danger answer
    # reaches the page through its own query
    assert [blocks for blocks in pack["blocks"] if blocks] == [unpacked(pack, "protocol=testshire&danger=yes")["blocks"]]
    assert unpacked(pack, "protocol=testshire&danger=yes")["blocks"][0]["style"] == "act-now"


# --- what the page needs besides the question: its links, and the engine's answers ----------------------------


def stage_end_cap() -> dict:
    """Testshire with a cap over stages 2 and 3 counted from the end of stage 1, so the flow asks for it."""
    data = testshire.protocol_data()
    data["routes"][0]["caps"].append({"id": "after-one", "stages": [2, 3], "notes": "", "timescale": {
        "kind": "working_days", "days": 10, "anchor": "stage_end", "anchor_stage": 1,
        "wording": "Stages 2 and 3 within 10 working days of the end of stage 1."}})
    return data


def test_the_back_link_and_the_guidance_link_follow_the_answers():
    first = questions.screen(PROTOCOLS, {})
    assert (first["screen"], first["previous"], first["guidance"]) == ("protocol", None, None)
    second = questions.screen(PROTOCOLS, {"protocol": "testshire", "danger": "no"})
    assert (second["screen"], second["previous"], second["guidance"]) == ("unsafe", "danger", "testshire")
    complete = questions.screen(PROTOCOLS, {**SAFE, "route": "conference", "stage": "1", "on": "2026-12-18"})
    assert (complete["screen"], complete["previous"], complete["guidance"]) == ("answer", "on", "testshire")


def test_every_answer_reaches_the_engine_danger_safety_and_every_date():
    """The page sends view["engine"] to the engine as it is: a dropped field would lose the 999 line (danger),
    or a date (the end of stage 1, which the cap over stages 2 and 3 counts from)."""
    protocols = {"testshire": model.from_dict(stage_end_cap())}
    answers = {"protocol": "testshire", "danger": "yes", "unsafe": "no", "stage": "2", "on": "2026-12-18",
               "started": "2026-12-14", "ended1": "2026-12-16"}
    view = questions.screen(protocols, answers)
    assert view["engine"] == {"route": "standard", "completed_stage": 2, "on": "2026-12-18", "started": "2026-12-14",
                              "immediate_danger": True, "timescale_unsafe": False,
                              "stage_ends": {"1": "2026-12-16"}}
    assert view["fields"]["stage_ends"] == "ended1" and view["previous"] == "ended1"


def test_a_stage_end_the_engine_refuses_sends_the_practitioner_back_to_that_date():
    """Stage 2 ended Fri 18 Dec 2026; stage 1 cannot have ended after it, on Sat 19 Dec."""
    data = stage_end_cap()
    bundle = {"protocols": {"testshire": data}, "holidays": {"england": testshire.HOLIDAYS},
              "first_year": testshire.FIRST_YEAR, "last_year": testshire.LAST_YEAR}
    answers = {"protocol": "testshire", "danger": "no", "unsafe": "no", "stage": "2", "on": "2026-12-18",
               "started": "2026-12-14", "ended1": "2026-12-19"}
    view = screens.screen({"testshire": model.from_dict(data)}, bundle, answers, None,
                          {"lang": "en", "today": "2026-12-21"})
    assert view["screen"] == "ended1"
    assert view["question"]["error"] == ("Stage 1 cannot have ended on Sat 19 Dec 2026: that is outside the dates "
                                         "the other answers give.")


def test_only_the_chosen_partnerships_own_welsh_is_used():
    """Two partnerships share an English stage title; only the other one published Welsh for it."""
    chosen = testshire.protocol_data()
    other = testshire.protocol_data()
    other["partnership"].update(id="otherton", name="Otherton Safeguarding Partnership", short_name="Otherton")
    other["cy"] = {"routes[0].stages[1].title": "Rheolwyr"}
    protocols = {"testshire": model.from_dict(chosen), "otherton": model.from_dict(other)}
    question = questions.screen(protocols, {"protocol": "testshire", "danger": "no", "unsafe": "no"}, None,
                                "cy")["question"]
    assert question["choices"][1]["label"] == ["Cam 2: ", en("Managers")]
    theirs = questions.screen(protocols, {"protocol": "otherton", "danger": "no", "unsafe": "no"}, None,
                              "cy")["question"]
    assert theirs["choices"][1]["label"] == "Cam 2: Rheolwyr"


def test_the_protocol_question_in_welsh_gives_each_versions_date_in_welsh():
    question = questions.screen(PROTOCOLS, {}, None, "cy")["question"]
    assert question["choices"] == [{"value": "testshire", "label": [en("Testshire Safeguarding Partnership")],
                                    "hint": "Testun heb ddyddiad", "divider": ""}]


def test_a_route_named_in_the_address_but_not_offered_is_followed_and_shown_by_its_title():
    """The urgent route is reached through "not safe", never chosen; an address may still name it. "Your
    answers" names it in the partnership's words: "urgent" is our file's id, meaningless to a reader."""
    view = questions.screen(PROTOCOLS, {**SAFE, "route": "urgent", "stage": "1", "on": "2026-12-18"})
    assert view["screen"] == "answer" and view["engine"]["route"] == "urgent"
    assert view["summary"][3] == {"id": "route", "label": "Disagreement about", "shown": "Urgent route"}


def test_every_view_the_page_gets_has_the_same_parts_whether_it_asks_or_answers():
    """The worker sends the view as JSON and the page reads its parts by name: none may go missing."""
    parts = {"answers", "screen", "question", "previous", "intro", "guidance", "blocks", "summary", "engine", "fields"}
    for answers in ({}, {"protocol": "testshire", "danger": "yes"},
                    {**SAFE, "route": "conference", "stage": "1", "on": "2026-12-18"}):
        view = questions.screen(PROTOCOLS, answers)
        assert set(view) == parts, answers
        assert set(view["fields"]) == {"route", "completed_stage", "on", "started", "stage_ends"}, answers
