"""The decision: a practitioner's answers -> what to do next, with whom, by when, and why.

Standard library only: CPython (`guidance next`, the tests) and Pyodide (the wizard) run this very file.
Two rules shape everything here. A date is never invented: where the text gives no number the deadline is
None and the answer quotes the text. And a date never reads as permission to wait: danger comes first,
before any working-day arithmetic.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from . import model
from .calendar import Calendar, OutOfRange, describe, describe_skipped
from .messages import contact_line, count, quote, stage_range, t

ARISING = 0  # "stage 0" ends when the disagreement arises: anchors are all "the end of some stage"


class AnswerError(ValueError):
    """An answer that makes no sense; `field` names the question to send the practitioner back to."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True, kw_only=True)
class Answers:
    route: str = "standard"
    completed_stage: int | None = None  # None: "none yet, I have just disagreed"
    on: dt.date  # the day that stage ended, or the disagreement arose
    today: dt.date  # passed in, never read from a clock, so answers are reproducible
    started: dt.date | None = None  # when the disagreement first arose (for caps over several stages)
    immediate_danger: bool = False
    timescale_unsafe: bool = False
    stage_ends: tuple[tuple[int, dt.date], ...] = ()  # earlier stages' end dates, for caps anchored there
    language: str = "en"  # the message catalogue the answer is worded from


@dataclass(frozen=True)
class Limit:
    """One rule's latest date, and the sentence that explains it."""

    date: dt.date
    rule: str
    skipped: tuple = ()
    guideline: bool = False
    cap: model.Cap | None = None


@dataclass(frozen=True)
class StageDeadline:
    stage: model.Stage
    limit: Limit | None  # None: the protocol sets no number (or the anchor is unknown)
    rule: str
    own: Limit | None = None


@dataclass(frozen=True, kw_only=True)
class Advice:
    protocol: model.Protocol
    route: model.Route
    route_switched_from: str | None
    immediate_actions: tuple[str, ...]
    emergency_contacts: tuple[model.Contact, ...]
    next: StageDeadline | None
    timeline: tuple[StageDeadline, ...]
    warnings: tuple[str, ...]
    answers: Answers = field(repr=False)

    def to_dict(self) -> dict:
        nxt, limit = self.next, (self.next.limit if self.next else None)
        skipped = limit.skipped if limit else ()
        return {
            "protocol": self.protocol.id,
            "protocol_name": self.protocol.partnership.name,
            "version": self.protocol.version.id,
            "route": self.route.id,
            "route_title": self.route.title,
            "route_switched_from": self.route_switched_from,
            "route_switched_from_title": (self.protocol.route(self.route_switched_from).title
                                          if self.route_switched_from else None),
            "immediate_actions": list(self.immediate_actions),
            "emergency_contacts": [_contact(c) for c in self.emergency_contacts],
            "next_stage": None if nxt is None else _stage(self.protocol, nxt.stage),
            "deadline": limit.date.isoformat() if limit else None,
            "deadline_text": describe(limit.date) if limit else None,
            "deadline_rule": nxt.rule if nxt else "",
            "deadline_is_guideline": bool(limit and limit.guideline),
            "cap_applied": None if not (limit and limit.cap) else {
                "id": limit.cap.id, "wording": limit.cap.timescale.wording, "date": limit.date.isoformat()},
            "skipped_holidays": [{"date": s.date.isoformat(), "name": s.name} for s in skipped],
            "skipped_text": describe_skipped(skipped),
            "timeline": [
                {"stage": d.stage.number, "title": d.stage.title,
                 "latest_date": d.limit.date.isoformat() if d.limit else None,
                 "latest_text": describe(d.limit.date) if d.limit else None,
                 "rule": d.rule}
                for d in self.timeline
            ],
            "record_keeping": list(self.protocol.record_keeping),
            "after_last_stage": (self.route.after_last_stage or None) if nxt is None else None,
            "continues_with": self.route.continues_with if nxt is None else None,
            "warnings": list(self.warnings),
        }


def _contact(contact: model.Contact) -> dict:
    return {"id": contact.id, "name": contact.name, "phone": contact.phone, "email": contact.email,
            "website": contact.website, "hours": contact.hours, "notes": contact.notes}


def _stage(protocol: model.Protocol, stage: model.Stage) -> dict:
    return {
        "number": stage.number, "title": stage.title, "role": stage.role, "counterpart": stage.counterpart,
        "similar_seniority": stage.similar_seniority, "actions": list(stage.actions),
        "record": list(stage.record), "forms": list(stage.forms),
        "contacts": [_contact(protocol.contact(c)) for c in stage.contacts],
        "timescale_wording": stage.timescale.wording,
    }


# --- the decision ------------------------------------------------------------------------------------


def advise(protocol: model.Protocol, answers: Answers, calendar: Calendar) -> Advice:
    route, switched_from, completed = _choose_route(protocol, answers)
    _check_dates(answers, completed)
    warnings: list[str] = []
    lang = answers.language

    immediate = _immediate_actions(protocol, route, answers, calendar, switched_from)
    emergency = tuple(protocol.contact(c) for c in protocol.risk.immediate_danger_contacts) \
        if answers.immediate_danger else ()

    # Known ends of stages: the anchors every timescale counts from.
    ends: dict[int, tuple[dt.date, str]] = {}
    if switched_from is not None and answers.completed_stage is not None:
        # The urgent route applies "at any time": it starts afresh, from the day the answers give.
        label = t("anchor.route_stage_end", lang, stage=answers.completed_stage,
                  route=protocol.route(switched_from).title)
        ends[ARISING] = (answers.on, label)
        immediate.append(t("danger.switched_from_stage", lang, stage=answers.completed_stage,
                           route=protocol.route(switched_from).title, anchor=f"{describe(answers.on)} ({label})"))
    elif completed is None:
        ends[ARISING] = (answers.on, t("anchor.arose", lang))
    else:
        ends[completed] = (answers.on, t("anchor.stage_end", lang, stage=completed))
        if answers.started is not None:
            ends[ARISING] = (answers.started, t("anchor.first_arose", lang))
        for number, day in answers.stage_ends:
            ends[number] = (day, t("anchor.stage_end", lang, stage=number))

    timeline: list[StageDeadline] = []
    unchecked_caps: set[str] = set()
    for stage in route.stages[(completed or 0):]:
        deadline = _deadline(route, stage, ends, calendar, warnings, unchecked_caps, lang)
        timeline.append(deadline)
        if deadline.limit is not None:
            ends[stage.number] = (deadline.limit.date, t("anchor.latest_for_stage", lang, stage=stage.number))

    nxt = timeline[0] if timeline else None
    if nxt is None:
        warnings.append(_after_last(protocol, route, lang))
    elif nxt.limit is not None:
        if nxt.limit.date < answers.today:
            warnings.insert(0, t("warning.overdue", lang, stage=nxt.stage.number, date=describe(nxt.limit.date)))
        elif nxt.limit.date == answers.today:
            warnings.insert(0, t("warning.due_today", lang, stage=nxt.stage.number))
    if protocol.review_overdue(answers.today):
        warnings.append(t("warning.review_overdue", lang, due=protocol.version.review_due.human(),
                          partnership=protocol.partnership.name))
    if protocol.version.issued is None:
        warnings.append(t("warning.no_issue_date", lang))
    return Advice(protocol=protocol, route=route, route_switched_from=switched_from,
                  immediate_actions=tuple(_unique(immediate)), emergency_contacts=emergency, next=nxt,
                  timeline=tuple(timeline), warnings=tuple(_unique(warnings)), answers=answers)


def _choose_route(protocol: model.Protocol, answers: Answers) -> tuple[model.Route, str | None, int | None]:
    try:
        route = protocol.route(answers.route)
    except KeyError:
        known = ", ".join(f"{r.id} ({r.title})" for r in protocol.routes)
        raise AnswerError("route", t("error.no_route", answers.language, partnership=protocol.partnership.short_name,
                                     route=answers.route, known=known)) from None
    completed = answers.completed_stage
    if completed is not None and not 1 <= completed <= len(route.stages):
        raise AnswerError("completed_stage", t("error.no_stage", answers.language, route=route.title,
                                               last=len(route.stages), stage=completed))
    urgent_id = protocol.risk.urgent_route
    if answers.timescale_unsafe and urgent_id and not route.urgent and urgent_id != route.id:
        # The normal timescale is not safe: the urgent route starts afresh from the date given.
        return protocol.route(urgent_id), route.id, None
    return route, None, completed


def _check_dates(answers: Answers, completed: int | None) -> None:
    lang = answers.language
    if answers.on > answers.today:
        raise AnswerError("on", t("error.future", lang, date=describe(answers.on), today=describe(answers.today),
                                  what=t("error.give_on", lang)))
    if answers.started is not None:
        if answers.started > answers.today:
            raise AnswerError("started", t("error.future", lang, date=describe(answers.started),
                                           today=describe(answers.today), what=t("error.give_started", lang)))
        if answers.started > answers.on:
            what = t("error.what_arose", lang) if completed is None else t("error.what_stage_ended", lang,
                                                                             stage=completed)
            raise AnswerError("started", t("error.started_after", lang, started=describe(answers.started), what=what,
                                           on=describe(answers.on)))
    for number, day in answers.stage_ends:
        if completed is None or not 1 <= number < completed:
            raise AnswerError("stage_ends", t("error.stage_end_not_earlier", lang, stage=number))
        if day > answers.on or (answers.started and day < answers.started):
            raise AnswerError("stage_ends", t("error.stage_end_outside", lang, stage=number, date=describe(day)))


def _immediate_actions(protocol, route, answers, calendar, switched_from) -> list[str]:
    lines: list[str] = []
    lang = answers.language
    if answers.immediate_danger:
        lines.append(t("danger.call_999", lang))
        lines.extend(protocol.risk.immediate_danger)
        for cid in protocol.risk.immediate_danger_contacts:
            lines.append(t("danger.contact", lang, contact=contact_line(protocol.contact(cid), lang)))
        try:
            working = calendar.is_working_day(answers.today)
        except OutOfRange:
            working = True
        if not working:
            lines.append(t("danger.not_working_day", lang, today=describe(answers.today)))
    if answers.timescale_unsafe:
        lines.extend(protocol.risk.timescale_unsafe)
        if switched_from or route.urgent:
            lines.append(t("danger.urgent_route_now", lang, route=route.title))
        else:
            lines.append(t("danger.no_urgent_route", lang, partnership=protocol.partnership.short_name))
    return lines


def _deadline(route, stage, ends, calendar, warnings, unchecked_caps, lang="en") -> StageDeadline:
    own = None
    ts = stage.timescale
    if ts.dated:
        anchor = _anchor(ts, stage.number, ends)
        if anchor is None:
            warnings.append(t("warning.stage_anchor_missing", lang, stage=stage.number, wording=quote(ts.wording),
                              anchor=_anchor_words(ts, stage.number, lang)))
        else:
            own = _limit(ts, anchor, calendar, warnings, lang=lang)
    candidates = [own] if own else []
    for cap in route.caps:
        if stage.number not in cap.stages:
            continue
        anchor = _anchor(cap.timescale, min(cap.stages), ends)
        if anchor is None:
            if cap.id not in unchecked_caps:
                unchecked_caps.add(cap.id)
                warnings.append(t("warning.cap_anchor_missing", lang,
                                  stages=stage_range(cap.stages, lang),
                                  wording=quote(cap.timescale.wording),
                                  anchor=_anchor_words(cap.timescale, min(cap.stages), lang)))
            continue
        limit = _limit(cap.timescale, anchor, calendar, warnings, cap=cap, lang=lang)
        if limit:
            candidates.append(limit)
    if not candidates:
        return StageDeadline(stage, None, _undated_rule(stage, route, lang))
    best = min(candidates, key=lambda lim: (lim.date, lim.cap is not None))
    rule = best.rule
    if best.cap is not None and own is not None and own.date > best.date:
        rule += " " + t("rule.cap_earlier", lang, date=describe(own.date))
    elif best.cap is not None and own is None:
        rule += " " + t("rule.no_own_limit", lang, stage=stage.number)
    return StageDeadline(stage, best, rule, own)


def _anchor(ts: model.Timescale, first_stage: int, ends) -> tuple[dt.date, str] | None:
    if ts.anchor == model.DISAGREEMENT_AROSE:
        return ends.get(ARISING)
    if ts.anchor == model.STAGE_END:
        return ends.get(ts.anchor_stage)
    return ends.get(first_stage - 1)


def _anchor_words(ts: model.Timescale, first_stage: int, lang: str = "en") -> str:
    if ts.anchor == model.DISAGREEMENT_AROSE or (ts.anchor == model.PREVIOUS_STAGE_END and first_stage == 1):
        return t("anchor.words_arose", lang)
    stage = ts.anchor_stage if ts.anchor == model.STAGE_END else first_stage - 1
    return t("anchor.words_stage_end", lang, stage=stage)


def _limit(ts: model.Timescale, anchor, calendar: Calendar, warnings, cap=None, lang: str = "en") -> Limit | None:
    day, label = anchor
    try:
        if ts.kind == model.WORKING_DAYS:
            result = calendar.add_working_days(day, ts.days)
            how = t("rule.after_working_days", lang, count=count(ts.days, "working_day", lang), date=describe(day),
                    label=label)
        elif ts.kind == model.SAME_WORKING_DAY:
            result = calendar.same_working_day(day)
            how = t("rule.same_working_day" if result.date == day else "rule.same_working_day_moved", lang,
                    date=describe(day), label=label)
        else:
            result = calendar.add_calendar_months(day, ts.months)
            how = t("rule.after_months_moved" if result.moved_back else "rule.after_months", lang,
                    count=count(ts.months, "calendar_month", lang), date=describe(day), label=label)
    except OutOfRange as exc:
        warnings.append(str(exc))
        return None
    subject = t("rule.stages_together", lang, stages=stage_range(cap.stages, lang)) if cap else t("rule.deadline", lang)
    kind = t("rule.guideline", lang) if ts.guideline else subject
    rule = t("rule.line", lang, kind=kind, date=describe(result.date), how=how, wording=quote(ts.wording))
    if result.skipped:
        rule += f" {describe_skipped(result.skipped)}."
    return Limit(result.date, rule, tuple(result.skipped), ts.guideline, cap)


def _undated_rule(stage: model.Stage, route: model.Route, lang: str = "en") -> str:
    ts = stage.timescale
    if ts.kind == model.WITHOUT_DELAY:
        return t("rule.undated_without_delay", lang, wording=quote(ts.wording))
    if ts.kind == model.AGREED:
        return t("rule.undated_agreed", lang, wording=quote(ts.wording))
    if ts.dated:
        return t("rule.undated_failed", lang, wording=quote(ts.wording))
    return t("rule.none", lang) + (f" {ts.wording}" if ts.wording else "")


def _after_last(protocol: model.Protocol, route: model.Route, lang: str = "en") -> str:
    text = t("warning.last_stage", lang, stage=len(route.stages))
    if route.after_last_stage:
        text += " " + t("warning.after_last", lang, text=route.after_last_stage)
    if route.continues_with:
        text += " " + t("warning.then_route", lang, route=protocol.route(route.continues_with).title)
    return text


def _unique(items):
    seen, out = set(), []
    for item in items:
        if item not in seen:
            seen.add(item)
            out.append(item)
    return out


# --- the browser's door ------------------------------------------------------------------------------


def advise_json(protocol_data: dict, answers_data: dict, holidays: dict, first_year: int, last_year: int) -> dict:
    """JSON in, JSON out, never an exception: what the wizard's JavaScript calls inside Pyodide."""
    try:
        protocol = model.from_dict(protocol_data)
        answers = answers_from_dict(answers_data)
        calendar = Calendar({dt.date.fromisoformat(k): v for k, v in holidays.items()}, first_year, last_year)
        return {"ok": True, "advice": advise(protocol, answers, calendar).to_dict()}
    except AnswerError as exc:
        return {"ok": False, "field": exc.field, "message": exc.message}
    except Exception as exc:  # noqa: BLE001 - the page must show a message, never a blank screen
        return {"ok": False, "field": "", "message": t("error.engine_failed", detail=exc)}


def answers_from_dict(data: dict) -> Answers:
    def day(key: str, required: bool) -> dt.date | None:
        value = data.get(key)
        if value in (None, ""):
            if required:
                raise AnswerError(key, t("error.date_needed"))
            return None
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            raise AnswerError(key, t("error.not_a_date", value=value)) from None

    stage = data.get("completed_stage")
    if stage in ("", "none"):
        stage = None
    if stage is not None:
        try:
            stage = int(stage)
        except (TypeError, ValueError):
            raise AnswerError("completed_stage", t("error.not_a_stage", value=stage)) from None
    return Answers(
        route=str(data.get("route") or "standard"),
        completed_stage=stage,
        on=day("on", True),
        today=day("today", True),
        started=day("started", False),
        immediate_danger=bool(data.get("immediate_danger")),
        timescale_unsafe=bool(data.get("timescale_unsafe")),
        stage_ends=tuple(sorted((int(n), _iso(v, "stage_ends")) for n, v in (data.get("stage_ends") or {}).items())),
    )


def _iso(value, field: str) -> dt.date:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise AnswerError(field, t("error.not_a_date", value=value)) from None
