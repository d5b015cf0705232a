"""The question flow (core/questions.py), `guidance ask` and `guidance next`'s checks, and the one wording.

Hand-worked: which questions each protocol's answers call for, in order, and the answers the engine gets.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from typed import run_typed

from generator import load
from generator.cli import main
from generator.core import messages, model, questions

ROOT = Path(__file__).resolve().parent.parent
PROTOCOLS = model.current_versions(load.load_tree(ROOT / "protocols"))


def walk(answers: dict[str, str]) -> list[str]:
    """The ids asked, in order, answering each from `answers` (which must hold every one asked)."""
    given: dict[str, str] = {}
    asked = []
    while (step := questions.next_step(PROTOCOLS, given)).question is not None:
        assert step.question.error is None, step.question.error
        asked.append(step.question.id)
        given[step.question.id] = answers[step.question.id]
    return asked


def test_swindon_has_one_route_to_choose_so_the_route_is_never_asked():
    """After a stage has ended, Swindon's cap from the disagreement arising (Day 17) needs that day too."""
    answers = {"protocol": "swindon", "danger": "no", "unsafe": "yes", "stage": "2", "on": "2026-12-23",
               "started": "2026-12-01"}
    assert walk(answers) == ["protocol", "danger", "unsafe", "stage", "on", "started"]
    assert walk({**answers, "stage": "none"}) == ["protocol", "danger", "unsafe", "stage", "on"]


def test_calderdale_asks_the_route_and_when_the_disagreement_first_arose_after_a_stage():
    """Steps 1 to 5 within 5 working days of the disagreement arising: after step 2 that day is needed."""
    answers = {"protocol": "calderdale", "danger": "no", "unsafe": "no", "route": "standard", "stage": "2",
               "on": "2026-12-23", "started": "2026-12-21"}
    assert walk(answers) == ["protocol", "danger", "unsafe", "route", "stage", "on", "started"]
    assert walk({**answers, "stage": "none"}) == ["protocol", "danger", "unsafe", "route", "stage", "on"]


def test_hips_asks_when_stage_1_ended_only_while_the_cap_covers_a_stage_to_come():
    """HIPS caps stages 2 and 3 at 2 working days from the end of stage 1."""
    base = {"protocol": "hips", "danger": "no", "unsafe": "no", "route": "standard", "on": "2026-12-29",
            "ended1": "2026-12-24"}
    assert walk({**base, "stage": "2"})[-2:] == ["on", "ended1"]
    assert "ended1" not in walk({**base, "stage": "3"})
    assert "ended1" not in walk({**base, "stage": "1"})


@pytest.mark.parametrize(("answers", "field", "fragment"), [
    ({"protocol": "atlantis"}, "protocol", "We do not have a protocol called"),
    ({"protocol": "swindon", "danger": "maybe"}, "danger", "Choose yes or no."),
    ({"protocol": "swindon", "danger": "no", "unsafe": "no", "stage": "9"}, "stage", "there is no stage 9"),
    ({"protocol": "swindon", "danger": "no", "unsafe": "no", "stage": "1", "on": "2027-02-31"}, "on",
     "'2027-02-31' is not a real date"),
    ({"protocol": "swindon", "danger": "no", "unsafe": "no", "stage": "1", "on": "23/12/2026"}, "on",
     "is not a real date"),
])
def test_a_wrong_answer_is_asked_again_with_its_message(answers, field, fragment):
    step = questions.next_step(PROTOCOLS, answers)
    assert step.question.id == field
    assert fragment in step.question.error


def test_the_stage_question_lists_the_routes_stages_and_none_yet():
    question = questions.next_step(PROTOCOLS, {"protocol": "swindon", "danger": "no", "unsafe": "no"}).question
    assert question.id == "stage"
    assert [c.value for c in question.choices] == ["1", "2", "3", "4", "5", "none"]
    assert question.choices[-1].label == messages.t("q.stage.none")
    assert json.loads(json.dumps(question.to_dict()))["choices"][0]["label"].startswith("Stage 1: ")


def test_complete_answers_become_the_engines():
    answers = {"protocol": "hips", "danger": "yes", "unsafe": "no", "route": "standard", "stage": "2", "on": "2026-12-29",
               "ended1": "2026-12-24", "started": "2026-12-01"}  # "started" is not asked for HIPS: dropped
    assert questions.next_step(PROTOCOLS, answers).complete
    engine_answers = questions.engine_answers(PROTOCOLS, answers, dt.date(2027, 1, 4))
    assert engine_answers.completed_stage == 2 and engine_answers.immediate_danger
    assert engine_answers.stage_ends == ((1, dt.date(2026, 12, 24)),)
    assert engine_answers.started is None


def _run(argv, stdin="") -> tuple[int, str]:
    return run_typed(argv, stdin.splitlines())


def test_guidance_ask_walks_the_questions_and_gives_the_same_answer_as_next():
    """Issue 9's example: Swindon, stage 2 ended Wed 23 Dec 2026, the normal timescale not safe."""
    swindon = 1 + sorted(p.partnership.name.lower() for p in PROTOCOLS.values()).index("swindon safeguarding partnership")
    code, asked = _run(["ask", "--today", "2026-12-24", "--protocols", str(ROOT / "protocols")],
                       f"{swindon}\n2\nyes\n2\n2026-12-23\n2026-12-01\n")
    assert code == 0
    code, told = _run(["next", "--protocol", "swindon", "--completed-stage", "2", "--on", "2026-12-23",
                       "--today", "2026-12-24", "--timescale-unsafe", "--started", "2026-12-01",
                       "--protocols", str(ROOT / "protocols")])
    assert code == 0
    assert asked.strip().endswith(told.strip())  # the questions, then exactly what `next` says
    assert "Next: stage 1, Escalate through MASH the same working day" in told
    assert "the day stage 2 of" in told and "the day the disagreement arose" not in told


def test_guidance_ask_repeats_a_question_after_a_wrong_answer():
    code, text = _run(["ask", "--today", "2026-12-24", "--protocols", str(ROOT / "protocols")], "42\n")
    assert code == 2
    assert text.count(messages.t("q.protocol.heading")) == 2
    assert "We do not have a protocol called" in text


def test_guidance_next_refuses_what_the_questions_refuse(capsys):
    assert main(["next", "--protocol", "swindon", "--completed-stage", "9", "--on", "2026-12-01", "--today",
                 "2026-12-24", "--protocols", str(ROOT / "protocols")]) == 2
    assert "there is no stage 9" in capsys.readouterr().err


# --- one wording ------------------------------------------------------------------------------------

SOURCES = [p for p in (ROOT / "generator").rglob("*") if p.suffix in (".py", ".j2")] + \
          [p for p in (ROOT / "site_overrides").rglob("*") if p.is_file()]


def _fragments(text: str) -> list[str]:
    """The fixed words of a message between its placeholders: long enough to be a sentence of its own."""
    return [f.strip() for f in re.split(r"\{\w+\}", text) if len(f.strip()) >= 28]


def test_no_sentence_of_the_catalogue_is_written_again_outside_it():
    offenders = []
    for message_id, text in messages.catalogue().items():
        for fragment in _fragments(text):
            for path in SOURCES:
                if fragment in path.read_text(encoding="utf-8"):
                    offenders.append(f"{path.relative_to(ROOT)}: {message_id}: {fragment!r}")
    assert not offenders, "\n".join(offenders)


def test_every_message_id_used_in_the_code_is_in_the_catalogue():
    used = set()
    for path in SOURCES:
        used |= set(re.findall(r"""(?<![.\w])t\(\s*["']([a-z_0-9]+(?:\.[a-z_0-9]+)+)["']""", path.read_text(encoding="utf-8")))
    assert used, "the pattern found no message ids at all"
    assert used - set(messages.catalogue()) == set()


def test_a_translation_fills_its_gaps_from_english(monkeypatch):
    monkeypatch.setattr(messages, "_read", lambda lang: {"q.yes": "Ie"} if lang == "cy" else {"q.yes": "Yes",
                                                                                                "q.no": "No"})
    messages.catalogue.cache_clear()
    try:
        assert messages.t("q.yes", "cy") == "Ie" and messages.t("q.no", "cy") == "No"
    finally:
        messages.catalogue.cache_clear()


def test_dates_are_worded_from_the_catalogue():
    assert messages.date_short(dt.date(2026, 12, 30)) == "Wed 30 Dec 2026"
    assert messages.date_long(2020, 11) == "November 2020"
    assert messages.stage_range((3, 2)) == "Stages 2 and 3"
    assert messages.stage_range((1, 2, 3, 4, 5)) == "Stages 1 to 5"


# --- one clock ---------------------------------------------------------------------------------------


def test_the_one_clock_honours_the_override_and_refuses_a_bad_one(monkeypatch):
    monkeypatch.setenv("ESCALATION_TODAY", "2026-12-24")
    assert load.today() == dt.date(2026, 12, 24)
    monkeypatch.setenv("ESCALATION_TODAY", "24/12/2026")
    with pytest.raises(load.ClockError, match="is not a date"):
        load.today()


def test_the_bundle_ships_the_holiday_years_of_the_one_clock(monkeypatch, tmp_path):
    from generator.core.calendar import holiday_years
    from generator.views import bundle

    monkeypatch.setenv("ESCALATION_TODAY", "2031-06-01")
    written = bundle.write_bundle(list(PROTOCOLS.values()), tmp_path / "site")
    assert (written.first_year, written.last_year) == holiday_years(dt.date(2031, 6, 1)) == (2021, 2037)


def test_the_page_code_names_no_protocol_and_no_rule():
    """site_overrides/ only draws what core/ decides: no protocol id, route id or route rule in it."""
    names = {p.id for p in PROTOCOLS.values()} | {r.id for p in PROTOCOLS.values() for r in p.routes}
    names |= {"urgent", "anchor_stage", "stage_end", "disagreement_arose", "caps", "asks_started"}
    offenders = []
    for path in (ROOT / "site_overrides").rglob("*"):
        if path.is_file() and path.suffix in (".js", ".html"):
            words = set(re.findall(r"[a-z][a-z0-9_-]+", path.read_text(encoding="utf-8").lower()))
            offenders += [f"{path.name}: {w}" for w in sorted(names & words)]
    assert offenders == []
