"""The decision aid's one call: the answers in the page's URL -> the whole screen to draw.

The page (assets/wizard.js, through the worker) asks only this. It returns the next question
(core/questions.py decides which, and words it) or, once the answers are complete, the engine's
answer (core/engine.py) as blocks already worded (core/display.py). Where the engine refuses an
answer it names the question to go back to, and the screen is that question with the message.

Standard library only: CPython and Pyodide run this very file.
"""

from __future__ import annotations

import datetime as dt

from . import display, engine, model, questions, spec_text
from .messages import DEFAULT_LANGUAGE, catalogue


def language_of(context: dict) -> str:
    """The page's language where the catalogue has it; English otherwise (never an error screen)."""
    wanted = str(context.get("lang") or DEFAULT_LANGUAGE)
    try:
        catalogue(wanted)
    except LookupError:
        return DEFAULT_LANGUAGE
    return wanted


def screen(protocols: dict[str, model.Protocol], data: dict, answers: dict[str, str], ask: str | None,
           context: dict) -> dict:
    """`data` is bundle.json (protocol data, bank holidays and their years); `context` is the page's:
    lang, today (the device's date), stamp (UTC, for the calendar file) and url (the answer's address)."""
    language = language_of(context)
    view = questions.screen(protocols, answers, ask, language)  # its "screen" names the question it asks
    if view["question"] is not None:
        return view
    answers = view["answers"]
    protocol = data["protocols"][answers["protocol"]]
    result = engine.advise_json(protocol, {**view["engine"], "today": context.get("today"), "language": language},
                                data["holidays"][protocol["partnership"]["nation"]], data["first_year"],
                                data["last_year"])

    def shown(value):
        """The partnership's words on a page in another language: its own text there, else English marked so."""
        return spec_text.mark(value, (protocols[answers["protocol"]],), language)

    if not result["ok"]:
        field = view["fields"].get(result["field"])
        again = questions.screen(protocols, answers, field, language)  # no field: the answer again, not a question
        if again["screen"] == field:  # the question whose answer can put it right
            again["question"]["error"] = shown({"text": result["message"]})["text"]
            return {**again, "result": result}
        return {**view, "screen": "problem", "result": result,
                "blocks": shown(display.problem_blocks(result["message"], language))}
    advice = result["advice"]
    today = dt.date.fromisoformat(context["today"])
    return {**view, "result": result,  # view["screen"] is "answer": the questions are complete
            "blocks": shown(display.answer_blocks(advice, view["summary"], today, language)),
            "ics": display.ics(advice, str(context.get("stamp") or ""), str(context.get("url") or ""), language)}
