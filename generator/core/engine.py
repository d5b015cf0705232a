"""The decision: a practitioner's answers -> what to do next, with whom, by when, and why.

Standard library only: CPython (`guidance next`, the tests) and Pyodide (the wizard) run this very file.
Two rules shape everything here. A date is never invented: where the text gives no number the deadline is
None and the answer quotes the text. And a date never reads as permission to wait: danger comes first,
before any working-day arithmetic.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from . import model
from .calendar import Calendar, OutOfRange, describe, describe_skipped
from .messages import contact_line, t

ARISING = 0  # "stage 0" ends when the disagreement arises: anchors are all "the end of some stage"

# Our own advice, never the protocol's words: marked so, and shown apart from what the text says.
GENERAL_999 = t("danger.general_999")
FORMAL_STEP = t("answer.label.formal")


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
    formal_only: bool = False  # on a route about immediate risk: the in-hours step's latest date, never a wait
    rule_wording: str = ""  # the text's words this limit comes from


@dataclass(frozen=True)
class StageDeadline:
    stage: model.Stage
    limit: Limit | None  # None: the protocol sets no number (or the anchor is unknown)
    rule: str
    own: Limit | None = None
    readings: tuple[str, ...] = ()  # ids of the readings this stage's date depends on


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
    duties: tuple[tuple[model.Duty, Limit | None, str], ...] = ()  # the next stage's task limits
    readings: tuple[model.Reading, ...] = ()
    answers: Answers = field(repr=False)

    def to_dict(self) -> dict:
        lang = self.answers.language  # dates and labels in the reader's language
        nxt, limit = self.next, (self.next.limit if self.next else None)
        skipped = limit.skipped if limit else ()
        return {
            "protocol": self.protocol.id,
            "protocol_name": self.protocol.partnership.name,
            "version": self.protocol.version.id,
            "version_label": self.protocol.version.label,
            "route": self.route.id,
            "route_title": self.route.title,
            "route_switched_from": self.route_switched_from,
            "route_switched_from_title": (self.protocol.route(self.route_switched_from).title
                                          if self.route_switched_from else None),
            "immediate_actions": list(self.immediate_actions),
            "emergency_contacts": [_contact(c) for c in self.emergency_contacts],
            "next_stage": None if nxt is None else _stage(self.protocol, nxt.stage),
            "deadline": limit.date.isoformat() if limit else None,
            "deadline_text": describe(limit.date, lang) if limit else None,
            "deadline_rule": nxt.rule if nxt else "",
            "deadline_is_guideline": bool(limit and limit.guideline),
            "deadline_is_formal_step_only": bool(limit and limit.formal_only),
            "deadline_label": _deadline_label(limit, lang),
            "cap_applied": None if not (limit and limit.cap) else {
                "id": limit.cap.id, "wording": limit.cap.timescale.wording, "date": limit.date.isoformat()},
            "skipped_holidays": [{"date": s.date.isoformat(), "name": s.name} for s in skipped],
            "skipped_text": describe_skipped(skipped, lang),
            "timeline": [
                {"stage": d.stage.number, "title": d.stage.title,
                 "latest_date": d.limit.date.isoformat() if d.limit else None,
                 "latest_text": describe(d.limit.date, lang) if d.limit else None,
                 "rule": d.rule, "readings": list(d.readings)}
                for d in self.timeline
            ],
            "duties": [{"text": duty.text, "latest_date": lim.date.isoformat() if lim else None,
                        "latest_text": describe(lim.date, lang) if lim else None, "rule": rule}
                       for duty, lim, rule in self.duties],
            "readings": [{"id": r.id, "quote": r.quote, "used": r.used, "why": r.why} for r in self.readings],
            "record_keeping": list(self.protocol.record_keeping),
            "after_last_stage": (self.route.after_last_stage or None) if nxt is None else None,
            "continues_with": self.route.continues_with if nxt is None else None,
            "warnings": list(self.warnings),
        }


def _deadline_label(limit: Limit | None, language: str) -> str:
    if limit is None:
        return ""
    if limit.formal_only:
        return t("answer.label.formal", language)
    return t("answer.label.guideline" if limit.guideline else "answer.label.latest", language)


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
    _check_in_calendar(protocol, answers, calendar)
    warnings: list[str] = []
    lang = answers.language

    immediate = _immediate_actions(protocol, route, answers, calendar, switched_from)
    emergency = tuple(protocol.contact(c) for c in protocol.risk.immediate_danger_contacts) \
        if (answers.immediate_danger or route.urgent) else ()

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
        ends[ARISING] = (answers.on, "the day the disagreement arose")
    else:
        ends[completed] = (answers.on, f"the end of stage {completed}")
        if answers.started is not None:
            ends[ARISING] = (answers.started, "the day the disagreement first arose")
        for number, day in answers.stage_ends:
            ends[number] = (day, f"the end of stage {number}")

    timeline: list[StageDeadline] = []
    unchecked_caps: set[str] = set()
    for stage in route.stages[(completed or 0):]:
        deadline = _deadline(route, stage, ends, calendar, warnings, unchecked_caps)
        deadline = replace(deadline, readings=tuple(
            r.id for r in protocol.readings_for((f"{route.id}.{stage.number}",))))
        timeline.append(deadline)
        if deadline.limit is not None:
            ends[stage.number] = (deadline.limit.date, f"the latest date for stage {stage.number}")

    nxt = timeline[0] if timeline else None
    duties = tuple(_duty(duty, route, nxt.stage, ends, calendar, warnings) for duty in nxt.stage.duties) if nxt else ()
    targets = [route.id] + [f"{route.id}.{d.stage.number}" for d in timeline] + (["risk"] if immediate else [])
    if nxt is None:
        warnings.append(_after_last(protocol, route))
    elif nxt.limit is not None:
        if nxt.limit.date < answers.today:
            warnings.insert(0, f"The latest date for stage {nxt.stage.number} ({describe(nxt.limit.date)}) "
                               "has passed: this is overdue, escalate now.")
        elif nxt.limit.date == answers.today:
            warnings.insert(0, f"The latest date for stage {nxt.stage.number} is today.")
    if protocol.review_overdue(answers.today):
        warnings.append(t("warning.review_overdue", lang, due=protocol.version.review_due.human(lang),
                          partnership=protocol.partnership.name))
    if protocol.version.issued is None:
        warnings.append("The source document gives no date of issue: check with the partnership that this "
                        "is the current version.")
    else:
        warnings.extend(_before_issue(protocol, answers))
    return Advice(protocol=protocol, route=route, route_switched_from=switched_from,
                  immediate_actions=tuple(_unique(immediate)), emergency_contacts=emergency, next=nxt,
                  timeline=tuple(timeline), warnings=tuple(_unique(warnings)), duties=duties,
                  readings=protocol.readings_for(targets), answers=answers)


def _before_issue(protocol: model.Protocol, answers: Answers) -> list[str]:
    """A date before the text was issued is still counted (the dates are never later for it), but another
    text may have been in force then, with other steps or timescales: say so rather than stay silent.
    A text issued in a month only is taken from that month's first day, so no date in it is flagged."""
    issued = protocol.version.issued
    given = [answers.on, *(day for _, day in answers.stage_ends)]
    if answers.started is not None:
        given.append(answers.started)
    earliest = min(given)
    if earliest >= issued.first_day():
        return []
    return [f"{describe(earliest)} is before this text was issued ({issued.human()}): the dates here follow "
            "this text, but an earlier version may have applied then, with other steps or timescales. Check "
            f"with {protocol.partnership.name} which version applies."]


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
    if (answers.timescale_unsafe or answers.immediate_danger) and urgent_id and not route.urgent \
            and urgent_id != route.id:
        # Danger, or a normal timescale that is not safe: the text's urgent route starts afresh from the date given.
        return protocol.route(urgent_id), route.id, None
    return route, None, completed


def _check_dates(answers: Answers, completed: int | None) -> None:
    if answers.on > answers.today:
        raise AnswerError("on", f"{describe(answers.on)} is in the future (today is {describe(answers.today)}). "
                                "Give the date the stage ended, or the disagreement arose.")
    if answers.started is not None:
        if answers.started > answers.today:
            raise AnswerError("started", f"{describe(answers.started)} is in the future (today is "
                                         f"{describe(answers.today)}). Give the date the disagreement first arose.")
        if answers.started > answers.on:
            what = "the disagreement arose" if completed is None else f"stage {completed} ended"
            raise AnswerError("started", f"The disagreement cannot have first arisen ({describe(answers.started)}) "
                                         f"after {what} ({describe(answers.on)}).")
    given = answers.completed_stage  # the practitioner's own answer, even when danger switched the route
    for number, day in answers.stage_ends:
        if given is None or not 1 <= number < given:
            raise AnswerError("stage_ends", f"Stage {number} cannot have an earlier end date here: only stages "
                                            "before the last one that ended can.")
        if day > answers.on or (answers.started and day < answers.started):
            raise AnswerError("stage_ends", f"Stage {number} cannot have ended on {describe(day)}: that is "
                                            "outside the dates the other answers give.")


def _span_days(ts: model.Timescale) -> int:
    """Calendar days a timescale can reach past its anchor, generously (weekends, Christmas, Easter)."""
    if ts.kind == model.WORKING_DAYS:
        return 2 * (ts.days or 0) + 14
    if ts.kind == model.SAME_WORKING_DAY:
        return 14
    if ts.kind == model.CALENDAR_MONTHS:
        return 31 * (ts.months or 0) + 14
    if ts.kind == model.CLOCK_HOURS:
        return -(-(ts.hours or 0) // 24) + 1
    return 0


def _horizon_days(protocol: model.Protocol) -> int:
    """How far past the date given any answer's dates can reach: every route run to all its limits."""
    def route_span(route: model.Route) -> int:
        stages = sum(_span_days(s.timescale) + sum(_span_days(d.timescale) for d in s.duties) for s in route.stages)
        return stages + sum(_span_days(c.timescale) for c in route.caps)
    return max(route_span(r) for r in protocol.routes)


def _check_in_calendar(protocol: model.Protocol, answers: Answers, calendar: Calendar) -> None:
    """Refuse, naming the question, any date whose answer would need bank holidays the calendar lacks:
    without them a deadline would be silently wrong (or "no date" would hide an expired limit)."""
    first, last = dt.date(calendar.first_year, 1, 1), dt.date(calendar.last_year, 12, 31)
    years = f"{calendar.first_year} to {calendar.last_year}"
    if not first <= answers.today <= last:
        raise AnswerError("today", f"Today's date reads as {describe(answers.today)}, outside the years whose bank "
                                   f"holidays this decision aid knows ({years}). Check the date set on this device; "
                                   "the guidance pages give every stage and timescale in words.")
    given = [("on", answers.on), ("started", answers.started)] + [("stage_ends", d) for _, d in answers.stage_ends]
    for question, day in given:
        if day is not None and day < first:
            raise AnswerError(question, f"{describe(day)} is before {calendar.first_year}: bank holidays are known only "
                                     f"for {years}, so no working day can be counted from it. Check the date; for an "
                                     "older disagreement, the guidance pages give every timescale in words.")
    if (last - answers.on).days < _horizon_days(protocol):
        raise AnswerError("on", f"The dates that follow {describe(answers.on)} reach past {calendar.last_year}, the "
                                f"last year whose bank holidays this decision aid knows ({years}). Check the date.")


def _immediate_actions(protocol, route, answers, calendar, switched_from) -> list[str]:
    """What to do today. On a route about immediate risk this leads every answer, danger ticked or not."""
    lines: list[str] = []
    risk = protocol.risk
    if answers.immediate_danger or route.urgent:
        lines.append(_act_today(protocol, answers.today, calendar))
        if not names_999(protocol):
            lines.append(GENERAL_999)
        lines.extend(risk.immediate_danger)
        for cid in risk.immediate_danger_contacts:
            lines.append(t("danger.contact", answers.language, contact=contact_line(protocol.contact(cid))))
    if answers.timescale_unsafe:
        lines.extend(risk.timescale_unsafe)
    if answers.timescale_unsafe or (answers.immediate_danger and not route.urgent):
        if switched_from or route.urgent:
            lines.append(f"Follow the protocol's urgent route now: {route.title}.")
        else:
            lines.append(f"{protocol.partnership.short_name}'s protocol has no separate urgent route: escalate "
                         "as fast as the child's or adult's safety needs. The dates below are the latest the "
                         "protocol allows, not a time to wait.")
    elif switched_from:
        lines.append(f"Follow the protocol's urgent route now: {route.title}.")
    return lines


def names_999(protocol: model.Protocol) -> bool:
    """Whether the protocol's own words about risk name 999; if not, 999 is only ever our general advice."""
    risk = protocol.risk
    return any("999" in line for line in (*risk.immediate_danger, *risk.timescale_unsafe, *risk.out_of_hours))


def _act_today(protocol: model.Protocol, today: dt.date, calendar: Calendar) -> str:
    try:
        working = calendar.is_working_day(today)
    except OutOfRange:
        working = False  # unknown: never let it read as a working day that could wait
    services = protocol.risk.out_of_hours
    text = "" if working else f"Today ({describe(today)}) is not a working day. "
    if services:
        return text + (f"Act today, whatever the day, through {_and_list(services)}, as the protocol names them; "
                       "do not wait for a working day.")
    return text + (f"Act today, whatever the day; do not wait for a working day. "
                   f"{protocol.partnership.short_name}'s protocol names no out-of-hours or emergency service.")


def _and_list(items) -> str:
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" or {items[-1]}"


def _duty(duty: model.Duty, route, stage, ends, calendar, warnings) -> tuple[model.Duty, Limit | None, str]:
    ts = duty.timescale
    anchor = None if ts.anchor == model.EVENT else _anchor(ts, stage.number, ends)
    if ts.dated and anchor is not None:
        limit = _limit(ts, anchor, calendar, warnings, formal_only=route.urgent)
        if limit is not None:
            return duty, limit, limit.rule
    if ts.dated:
        start = ts.anchor_event if ts.anchor == model.EVENT else _anchor_words(ts, stage.number)
        return duty, None, (f"Counted from {start}, which the answers do not give. "
                            f"The protocol says: {_quote(ts.wording)}")
    return duty, None, _undated_rule(stage, route) if not ts.wording else f"The protocol says: {_quote(ts.wording)}"


def _deadline(route, stage, ends, calendar, warnings, unchecked_caps) -> StageDeadline:
    own = None
    ts = stage.timescale
    if ts.dated:
        anchor = _anchor(ts, stage.number, ends)
        if anchor is None:
            warnings.append(f"Stage {stage.number}'s limit ({_quote(ts.wording)}) counts from "
                            f"{_anchor_words(ts, stage.number)}, which was not given, so it could not be dated.")
        else:
            own = _limit(ts, anchor, calendar, warnings, formal_only=route.urgent)
    candidates = [own] if own else []
    for cap in route.caps:
        if stage.number not in cap.stages:
            continue
        anchor = _anchor(cap.timescale, min(cap.stages), ends)
        if anchor is None:
            if cap.id not in unchecked_caps:
                unchecked_caps.add(cap.id)  # pragma: no mutate - equivalent: a repeated warning is the same text, and _unique drops it
                warnings.append(f"The protocol also limits stages {_stage_list(cap.stages)} together "
                                f"({_quote(cap.timescale.wording)}). It counts from "
                                f"{_anchor_words(cap.timescale, min(cap.stages))}, which was not given, so "
                                "that limit could not be checked and the date shown may be later than it.")
            continue
        limit = _limit(cap.timescale, anchor, calendar, warnings, cap=cap, formal_only=route.urgent)
        if limit:
            candidates.append(limit)
    if not candidates:
        return StageDeadline(stage, None, _undated_rule(stage, route))
    # The earliest date wins; on the same day a fixed limit beats a guideline, and the stage's own beats a cap.
    best = min(candidates, key=lambda lim: (lim.date, lim.guideline, lim.cap is not None))
    rule = best.rule
    if best.cap is not None and own is not None and own.date > best.date:
        rule += f" This is earlier than the stage's own limit ({describe(own.date)}), so it is the one that counts."
    elif best.cap is not None and own is not None and own.guideline and not best.guideline:
        rule += (f" The protocol's ideal ({_quote(own.rule_wording)}) falls on the same day; this fixed limit is "
                 "the binding rule.")
    elif best.cap is not None and own is None:
        rule += f" Stage {stage.number} has no limit of its own."
    return StageDeadline(stage, best, rule, own)


def _anchor(ts: model.Timescale, first_stage: int, ends) -> tuple[dt.date, str] | None:
    if ts.anchor == model.EVENT:
        return None
    if ts.anchor == model.DISAGREEMENT_AROSE:
        return ends.get(ARISING)
    if ts.anchor == model.STAGE_END:
        return ends.get(ts.anchor_stage)
    return ends.get(first_stage - 1)


def _anchor_words(ts: model.Timescale, first_stage: int) -> str:
    if ts.anchor == model.EVENT:
        return ts.anchor_event
    if ts.anchor == model.DISAGREEMENT_AROSE or (ts.anchor == model.PREVIOUS_STAGE_END and first_stage == 1):
        return "the day the disagreement first arose"
    stage = ts.anchor_stage if ts.anchor == model.STAGE_END else first_stage - 1
    return f"the day stage {stage} ended"


def _limit(ts: model.Timescale, anchor, calendar: Calendar, warnings, cap=None, formal_only=False) -> Limit | None:
    day, label = anchor
    try:
        if ts.kind == model.CLOCK_HOURS:
            end = day + dt.timedelta(days=-(-ts.hours // 24))
            calendar.is_working_day(end)  # refuses a day outside the years the calendar knows
            rule = (f"Latest date: {describe(end)}, {_n(ts.hours, 'hour')} on the clock from the time on "
                    f"{describe(day)} ({label}), weekends and bank holidays included. The protocol says: "
                    f"{_quote(ts.wording)}")
            return Limit(end, rule, (), ts.guideline, cap, False, ts.wording)
        if ts.kind == model.WORKING_DAYS:
            result = calendar.add_working_days(day, ts.days)
            how = f"{_n(ts.days, 'working day')} after {describe(day)} ({label})"
        elif ts.kind == model.SAME_WORKING_DAY:
            result = calendar.same_working_day(day)
            how = f"the same working day as {describe(day)} ({label})"
            if result.date != day:
                how += ", which is not a working day, so the next working day"
        else:
            result = calendar.add_calendar_months(day, ts.months)
            how = f"{_n(ts.months, 'calendar month')} after {describe(day)} ({label})"
            if result.moved_back:
                how += (", which would not be a working day, so moved back to the working day before "
                        "(the safe reading)")
    except OutOfRange as exc:
        warnings.append(str(exc))
        return None
    subject = f"Stages {_stage_list(cap.stages)} together" if cap else "Deadline"
    kind = "Guideline (the protocol says this is the ideal, not a fixed limit)" if ts.guideline else subject
    if formal_only:
        kind = f"{FORMAL_STEP} (act today all the same: this date is never a reason to wait)"
    rule = f"{kind}: {describe(result.date)}, {how}. The protocol says: {_quote(ts.wording)}"
    if result.skipped:
        rule += f" {describe_skipped(result.skipped)}."
    return Limit(result.date, rule, tuple(result.skipped), ts.guideline, cap, formal_only, ts.wording)


def _undated_rule(stage: model.Stage, route: model.Route) -> str:
    ts = stage.timescale
    if ts.kind == model.WITHOUT_DELAY:
        return f"No number of days is given: act without delay. The protocol says: {_quote(ts.wording)}"
    if ts.kind == model.AGREED:
        return f"No number of days is given: agree a timescale. The protocol says: {_quote(ts.wording)}"
    if ts.dated:
        return f"This stage's date could not be worked out. The protocol says: {_quote(ts.wording)}"
    return "The protocol gives no timescale for this stage." + (f" {ts.wording}" if ts.wording else "")


def _after_last(protocol: model.Protocol, route: model.Route) -> str:
    text = f"Stage {len(route.stages)} is the last stage of this route."
    if route.after_last_stage:
        text += f" The protocol says what happens next: {route.after_last_stage}"
    if route.continues_with:
        text += f" Then follow the route '{protocol.route(route.continues_with).title}'."
    return text


def _quote(wording: str) -> str:
    """The text's words in quotation marks, unless the spec already quotes (several passages)."""
    return wording if wording.startswith('"') else f'"{wording}"'


def _stage_list(numbers) -> str:
    numbers = sorted(numbers)
    if numbers == list(range(numbers[0], numbers[-1] + 1)) and len(numbers) > 2:
        return f"{numbers[0]} to {numbers[-1]}"
    return ", ".join(map(str, numbers[:-1])) + f" and {numbers[-1]}"


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


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
        started=day("started", False),  # pragma: no mutate - equivalent: `required` is only tested for truth, and None is false too
        immediate_danger=bool(data.get("immediate_danger")),
        timescale_unsafe=bool(data.get("timescale_unsafe")),
        stage_ends=tuple(sorted((int(n), _iso(v, "stage_ends")) for n, v in (data.get("stage_ends") or {}).items())),
    )


def _iso(value, field: str) -> dt.date:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise AnswerError(field, t("error.not_a_date", value=value)) from None
