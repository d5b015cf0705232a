"""Which question comes next: the decision aid's question flow, for the command line and the browser.

From the answers so far (the wizard's URL query, `guidance ask`'s replies, `guidance next`'s options,
all as the same flat dict of strings) it says the next question to ask, with its choices, hint and the
message for an answer that cannot be right, or that the answers are complete. Every rule about which
question applies lives here, so the command line and the page cannot disagree about what to ask:

    protocol -> danger -> unsafe -> route (only where there is a choice) -> stage -> on
             -> started (only where a limit counts from the disagreement arising and a stage has ended)
             -> endedN (only where a cap counts from the end of stage N and still covers a stage to come)

The stage is always a stage of the route the practitioner follows. Where the normal timescale is not
safe, the urgent route is the engine's decision (engine._choose_route), from these same answers.

Standard library only: CPython and Pyodide run this very file.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field

from . import display, engine, model, spec_text
from .messages import date_long, person, t

YES_NO = ("yes", "no")
NONE_YET = "none"
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    hint: str = ""
    divider: str = ""  # a word set between this choice and the ones before it ("or")


# What to say when a question is sent back unanswered (or, for a date, not as numbers).
MISSING = {"protocol": "error.choose_protocol", "danger": "error.yes_no", "unsafe": "error.yes_no",
           "route": "error.choose_route", "stage": "error.choose_stage"}


@dataclass(frozen=True)
class Question:
    id: str  # also the answer's key (URL query, CLI)
    kind: str  # "choice" or "date"
    heading: str
    hint: str
    summary: str  # the label of this answer in "Your answers"
    choices: tuple[Choice, ...] = ()
    error: str | None = None  # set when the answer given cannot be right

    def to_dict(self, language: str = "en") -> dict:
        return {"id": self.id, "kind": self.kind, "heading": self.heading, "hint": self.hint,
                "summary": self.summary, "error": self.error, "inline": self.id in ("danger", "unsafe"),
                "missing": t(MISSING.get(self.id, "error.date_parts"), language),
                "choices": [{"value": c.value, "label": c.label, "hint": c.hint, "divider": c.divider}
                            for c in self.choices]}


@dataclass(frozen=True)
class Step:
    """The flow's verdict: the question to ask next (None: complete), and what is already answered."""

    question: Question | None
    answered: tuple[str, ...] = field(default=())

    @property
    def complete(self) -> bool:
        return self.question is None


def route_choices(protocol: model.Protocol) -> list[model.Route]:
    """The routes a practitioner chooses between; the urgent route is reached through "not safe"."""
    urgent = protocol.risk.urgent_route
    return [r for r in protocol.routes if not (urgent and r.urgent)]


def next_step(protocols: dict[str, model.Protocol], answers: dict[str, str], language: str = "en") -> Step:
    """The first question not yet answered, or answered with something that cannot be right."""
    answered: list[str] = []
    for question_id in applicable(protocols, answers):
        question = ask(protocols, answers, question_id, language)
        value = answers.get(question_id)
        if value in (None, ""):
            return Step(question, tuple(answered))
        error = _check(protocols, answers, question, value, language)
        if error:
            return Step(Question(**{**question.__dict__, "error": error}), tuple(answered))
        answered.append(question_id)
    return Step(None, tuple(answered))


def applicable(protocols: dict[str, model.Protocol], answers: dict[str, str]) -> list[str]:
    """The questions these answers call for, in order (later ones depend on earlier answers)."""
    ids = ["protocol", "danger", "unsafe"]
    protocol = protocols.get(answers.get("protocol", ""))  # pragma: no mutate (no protocol has the id "", None or "XXXX")
    if protocol is None:
        return ids
    if len(route_choices(protocol)) > 1:
        ids.append("route")
    route = _route(protocol, answers)
    ids += ["stage", "on"]
    if route is None:
        return ids
    done = _stage(route, answers)
    if done:
        if done in asks_started(route):
            ids.append("started")
        ids += [f"ended{n}" for n in asks_ended(route, done)]
    return ids


def ask(protocols: dict[str, model.Protocol], answers: dict[str, str], question_id: str,
        language: str = "en") -> Question:
    """The question `question_id` as these answers frame it (the route's stages, the protocol's words)."""
    protocol = protocols.get(answers.get("protocol", ""))  # pragma: no mutate (no protocol has the id "", None or "XXXX")
    route = _route(protocol, answers)  # None without a protocol
    who = person(protocol.partnership.covers, language) if protocol else person((), language)

    def text(key: str, **values) -> str:
        return t(f"q.{question_id if not question_id.startswith('ended') else 'ended'}.{key}", language, **values)

    if question_id == "protocol":
        choices = tuple(Choice(p.id, p.partnership.name, t("q.protocol.choice_hint", language,
                                                          version=_capital(p.version.label_in(language))))
                        for p in sorted(protocols.values(),
                                        key=lambda p: p.partnership.name.lower()))  # pragma: no mutate (upper() sorts letters alike)
        return Question("protocol", "choice", text("heading"), text("hint"), text("summary"), choices)
    if question_id in ("danger", "unsafe"):
        yes_no = (Choice("yes", t("q.yes", language)), Choice("no", t("q.no", language)))
        return Question(question_id, "choice", text("heading", person=who), text("hint", person=who),
                        text("summary"), yes_no)
    if question_id == "route":
        choices = tuple(Choice(r.id, r.question or r.title, r.title) for r in route_choices(protocol))
        return Question("route", "choice", text("heading"), text("hint"), text("summary"), choices)
    if question_id == "stage":
        stages = route.stages if route else ()
        choices = tuple(Choice(str(s.number), t("q.stage.label", language, stage=s.number, title=s.title), s.role)
                        for s in stages) + (Choice(NONE_YET, t("q.stage.none", language),
                                                   divider=t("q.stage.or", language)),)
        return Question("stage", "choice", text("heading"), text("hint", route=route.title if route else ""),
                        text("summary"), choices)
    if question_id == "on":
        done = _stage(route, answers)  # None without a route
        if done:
            return Question("on", "date", text("heading_stage", stage=done, title=_title(route, done)), text("hint"),
                            text("summary_stage", stage=done))
        return Question("on", "date", text("heading"), text("hint"), text("summary"))
    if question_id == "started":
        return Question("started", "date", text("heading"), text("hint"), text("summary"))
    number = int(question_id.removeprefix("ended"))
    return Question(question_id, "date", text("heading", stage=number, title=_title(route, number)),
                    text("hint", stage=number), text("summary", stage=number))


def _check(protocols, answers, question: Question, value: str, language: str) -> str | None:
    if question.kind == "date":
        if not _ISO.match(value):
            return t("error.not_a_date", language, value=value)
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            return t("error.not_a_date", language, value=value)
        return None
    if question.id == "protocol" and value not in protocols:
        return t("error.no_protocol", language, value=value)
    if question.id in ("danger", "unsafe") and value not in YES_NO:
        return t("error.yes_no", language)
    protocol = protocols.get(answers.get("protocol", ""))  # pragma: no mutate (no protocol has the id "", None or "XXXX")
    if question.id == "route" and protocol is not None and value not in {r.id for r in protocol.routes}:
        known = ", ".join(f"{r.id} ({r.title})" for r in protocol.routes)
        return t("error.no_route", language, partnership=protocol.partnership.short_name, route=value, known=known)
    if question.id == "stage":
        route = _route(protocol, answers)
        if route is None:
            known = ", ".join(f"{r.id} ({r.title})" for r in protocol.routes)
            return t("error.no_route", language, partnership=protocol.partnership.short_name,
                     route=answers.get("route", ""), known=known)
        if value != NONE_YET and value not in {str(s.number) for s in route.stages}:
            return t("error.no_stage", language, route=route.title, last=len(route.stages), stage=value)
    return None


def asks_started(route: model.Route) -> list[int]:
    """Stages after whose end the flow asks when the disagreement first arose.

    Only a limit counted from the disagreement arising needs that date, and only once a stage has
    ended (before that, the answer's own date is the day it arose).
    """
    anchored = [cap.stages for cap in route.caps if cap.timescale.anchor == model.DISAGREEMENT_AROSE]
    anchored += [(s.number,) for s in route.stages if s.timescale.anchor == model.DISAGREEMENT_AROSE]
    return sorted(stage.number for stage in route.stages
                  if any({s.number for s in route.stages if s.number > stage.number} & set(numbers)
                         for numbers in anchored))


def asks_ended(route: model.Route, done: int) -> list[int]:
    """Earlier stages whose end a cap counts from, while that cap still covers a stage to come."""
    return sorted({cap.timescale.anchor_stage for cap in route.caps
                   if cap.timescale.anchor == model.STAGE_END and cap.timescale.anchor_stage is not None
                   and cap.timescale.anchor_stage < done and any(s > done for s in cap.stages)})


def engine_answers(protocols: dict[str, model.Protocol], answers: dict[str, str], today: dt.date,
                   language: str = "en") -> engine.Answers:
    """Complete answers as the engine takes them (the flow must be complete: see next_step)."""
    protocol = protocols[answers["protocol"]]
    route = _route(protocol, answers)
    done = _stage(route, answers)
    wanted = applicable(protocols, answers)
    ends = tuple(sorted((int(k.removeprefix("ended")), dt.date.fromisoformat(v)) for k, v in answers.items()
                        if k.startswith("ended") and k in wanted and v))
    started = answers.get("started") if "started" in wanted else None
    return engine.Answers(route=route.id, completed_stage=done, on=dt.date.fromisoformat(answers["on"]), today=today,
                          started=dt.date.fromisoformat(started) if started else None,
                          immediate_danger=answers.get("danger") == "yes",
                          timescale_unsafe=answers.get("unsafe") == "yes", stage_ends=ends, language=language)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _route(protocol: model.Protocol | None, answers: dict[str, str]) -> model.Route | None:
    if protocol is None:
        return None
    choices = route_choices(protocol)
    route_id = answers.get("route") or (choices[0].id if len(choices) == 1 else None)
    return next((r for r in protocol.routes if r.id == route_id), None)


def _stage(route: model.Route | None, answers: dict[str, str]) -> int | None:
    value = answers.get("stage")
    if route is None:
        return None
    return int(value) if value in {str(s.number) for s in route.stages} else None


def _title(route: model.Route | None, number: int) -> str:
    return next((s.title for s in route.stages if s.number == number), "") if route else ""


# --- what the page draws ---------------------------------------------------------------------------

# When an answer changes, the answers that meant something only under the old one are dropped.
RESETS = {"protocol": ("route", "stage", "started", "ended"), "route": ("stage", "started", "ended")}
# The engine names the answer it refuses by its own field; the page sends the practitioner to this question.
ENGINE_FIELDS = {"route": "route", "completed_stage": "stage", "on": "on", "started": "started"}


def screen(protocols: dict[str, model.Protocol], answers: dict[str, str], ask_id: str | None = None,
           language: str = "en") -> dict:
    """Everything the wizard draws for these answers, as JSON-ready data: it decides nothing itself.

    `ask_id` is a "change this answer" request: honoured when that question applies and comes before
    the first one still open.
    """
    implied = protocols.get(answers.get("protocol", ""))  # pragma: no mutate (no protocol has the id "" or None)
    only_route = route_choices(implied)[0].id if implied is not None and len(route_choices(implied)) == 1 else None
    if only_route:  # not asked: a route in the address (the urgent one, an old link) cannot stand in for it
        answers = {**answers, "route": only_route}
    ids = applicable(protocols, answers)
    answers = {k: str(v) for k, v in answers.items() if k in ids and v not in (None, "")}
    if only_route:
        answers["route"] = only_route  # not asked, but written down like the others
    step = next_step(protocols, answers, language)
    question = step.question
    if ask_id in ids and (question is None or ids.index(ask_id) < ids.index(question.id)):
        question = ask(protocols, answers, ask_id, language)
    position = ids.index(question.id) if question else len(ids)
    protocol = protocols.get(answers.get("protocol", ""))  # pragma: no mutate (no protocol has the id "", None or "XXXX")
    out: dict = {
        "answers": answers,
        "screen": question.id if question else "answer",  # the page's name for what it shows
        "question": question.to_dict(language) if question else None,
        "previous": ids[position - 1] if position else None,
        "intro": len(answers) <= 1 and position <= 1,  # pragma: no mutate (one answer: position is 0 or 1)
        "guidance": protocol.id if protocol else None,
        "blocks": [],  # drawn above the question (display.py): the danger box once danger is answered yes
        "summary": [],
        "engine": None,
        "fields": {**ENGINE_FIELDS, "stage_ends": next((i for i in ids if i.startswith("ended")), None)},
    }
    if question is not None and question.id == "unsafe" and answers.get("danger") == "yes" and protocol:
        out["blocks"] = display.danger_blocks(
            protocol.partnership.short_name, protocol.risk.immediate_danger,
            "" if engine.names_999(protocol) else t("danger.general_999", language),
            [_contact(protocol, cid) for cid in protocol.risk.immediate_danger_contacts], language)
    if question is None:
        out["summary"] = [_summary_row(protocols, answers, qid, language) for qid in ids if qid in answers]
        # Equivalent mutants: today and language are not in the page's copy below (the worker sets its own).
        e = engine_answers(protocols, answers, dt.date.fromisoformat(answers["on"]), language)  # pragma: no mutate
        out["engine"] = {"route": e.route, "completed_stage": e.completed_stage, "on": e.on.isoformat(),
                         "started": e.started.isoformat() if e.started else None,
                         "immediate_danger": e.immediate_danger, "timescale_unsafe": e.timescale_unsafe,
                         "stage_ends": {str(n): d.isoformat() for n, d in e.stage_ends}}
    # On a page in another language, the partnership's words in its own text there, else marked English.
    shown_from = (protocol,) if protocol else tuple(protocols.values())
    for key in ("question", "blocks", "summary"):
        out[key] = spec_text.mark(out[key], shown_from, language)
    return out


def _summary_row(protocols, answers, question_id: str, language: str) -> dict:
    question = ask(protocols, answers, question_id, language)
    value = answers[question_id]
    if question.kind == "date":
        day = dt.date.fromisoformat(value)
        shown = date_long(day.year, day.month, day.day, language)
    else:
        choice = next((c for c in question.choices if c.value == value), None)
        if choice is None and question_id == "route":  # a route the address names but the question does not offer
            # (the engine has accepted it by now, so it is one of the protocol's routes)
            shown = next(r.title for r in protocols[answers["protocol"]].routes if r.id == value)
        else:  # every other answer is one of its question's choices by now: `value` is only a guard
            shown = value if choice is None else choice.label  # pragma: no mutate (a guard, as said above)
            if choice is not None and question_id == "protocol":
                shown = f"{choice.label} ({choice.hint})"
    return {"id": question_id, "label": question.summary, "shown": shown}


def _contact(protocol: model.Protocol, contact_id: str) -> dict:
    contact = protocol.contact(contact_id)
    return {key: getattr(contact, key) for key in ("name", "phone", "email", "website", "hours", "notes")}


def first_screens(protocols: dict[str, model.Protocol], keys: list[str], language: str) -> dict[str, dict]:
    """The screens before the first date, by the query that reaches them: the page draws these at once,
    before Python has started (every later screen waits on the engine's answer anyway)."""
    from urllib.parse import urlencode

    screens: dict[str, dict] = {}

    def visit(answers: dict[str, str]) -> None:
        found = screen(protocols, answers, None, language)
        for given in (answers, found["answers"]):  # as asked, and as the page rewrites the URL
            screens[urlencode([(k, given[k]) for k in keys if k in given])] = found
        question = found["question"]
        if question is None or question["kind"] != "choice":  # pragma: no mutate (never None before a date)
            return
        for choice in question["choices"]:
            visit({**found["answers"], question["id"]: choice["value"]})

    visit({})
    return screens


def first_screens_packed(protocols: dict[str, model.Protocol], keys: list[str], language: str) -> dict:
    """first_screens as bundle.json carries it, each question and danger box once: "at" maps a query to
    its view, and a view names its question and blocks by their place in "questions" and "blocks"."""
    parts: dict[str, list] = {"questions": [], "blocks": [], "views": []}
    seen: dict[str, dict[str, int]] = {"questions": {}, "blocks": {}, "views": {}}

    def place(kind: str, value) -> int:
        key = json.dumps(value)  # the same code builds each kind: equal values list their keys alike
        if key not in seen[kind]:
            seen[kind][key] = len(parts[kind])
            parts[kind].append(value)
        return seen[kind][key]

    at: dict[str, int] = {}
    for query, found in first_screens(protocols, keys, language).items():
        view = {k: v for k, v in found.items() if k not in ("fields", "summary", "engine")}
        view.update(question=place("questions", found["question"]), blocks=place("blocks", found["blocks"]))
        at[query] = place("views", view)
    return {**parts, "at": at}


def flow_keys(protocols: dict[str, model.Protocol]) -> list[str]:
    """Every answer's key, in the flow's order: the URL query is written in this order."""
    ended = sorted({n for p in protocols.values() for r in p.routes for c in r.caps
                    if c.timescale.anchor == model.STAGE_END and c.timescale.anchor_stage is not None
                    for n in [c.timescale.anchor_stage]})
    return ["protocol", "danger", "unsafe", "route", "stage", "on", "started"] + [f"ended{n}" for n in ended]
