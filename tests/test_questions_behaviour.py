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

from generator.core import messages, model, questions


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
