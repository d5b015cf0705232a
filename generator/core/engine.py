"""The decision: a practitioner's answers -> what to do next, with whom, by when, and why.

Standard library only: CPython (`guidance next`, the tests) and Pyodide (the wizard) run this very file.
Two rules shape everything here. A date is never invented: where the text gives no number the deadline is
None and the answer quotes the text. And a date never reads as permission to wait: danger comes first,
before any working-day arithmetic.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field, replace

from . import model
from .calendar import Calendar, OutOfRange, describe, describe_skipped
from .messages import and_list, contact_line, count, languages, t

# Only YYYY-MM-DD: `date.fromisoformat` also takes 20261223 and ISO week dates (2026-W52-3), which a
# practitioner never means and a reader of the answer could not check against what was typed.
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def iso_date(text: str) -> dt.date:
    """A date written YYYY-MM-DD (ASCII digits), or ValueError: the one reading of a typed date."""
    if not isinstance(text, str) or not _ISO_DATE.fullmatch(text):
        raise ValueError(f"not a date as YYYY-MM-DD: {text!r}")
    return dt.date.fromisoformat(text)


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
            "version_label": self.protocol.version.label_in(lang),
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
    _check_dates(answers)
    _check_in_calendar(protocol, answers, calendar)
    warnings: list[str] = []
    lang = answers.language

    immediate = _immediate_actions(protocol, route, answers, calendar, switched_from)
    # Someone is at risk (a route about immediate risk, danger, or a timescale that is not safe): every date
    # is only the latest for the formal in-hours step, never a time to wait, whatever route the protocol has.
    at_risk = route.urgent or answers.immediate_danger or answers.timescale_unsafe
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
                           route=protocol.route(switched_from).title, anchor=f"{describe(answers.on, lang)} ({label})"))
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
        deadline = _deadline(route, stage, ends, calendar, warnings, unchecked_caps, lang, at_risk=at_risk)
        deadline = replace(deadline, readings=tuple(
            r.id for r in protocol.readings_for((f"{route.id}.{stage.number}",))))
        timeline.append(deadline)
        if deadline.limit is not None:
            ends[stage.number] = (deadline.limit.date, t("anchor.stage_latest", lang, stage=stage.number))

    nxt = timeline[0] if timeline else None
    duties = tuple(_duty(duty, route, nxt.stage, ends, calendar, lang, at_risk=at_risk)
                   for duty in nxt.stage.duties) if nxt else ()
    targets = [route.id] + [f"{route.id}.{d.stage.number}" for d in timeline] + (["risk"] if immediate else [])
    if nxt is None:
        warnings.append(_after_last(protocol, route, lang))
    elif nxt.limit is not None:
        if nxt.limit.date < answers.today:
            warnings.insert(0, t("warning.overdue", lang, stage=nxt.stage.number,
                                 date=describe(nxt.limit.date, lang)))
        elif nxt.limit.date == answers.today:
            warnings.insert(0, t("warning.due_today", lang, stage=nxt.stage.number))
    # A task of the next stage with its own, earlier date (HIPS: concerns in writing the same working day) is
    # as overdue as a stage when that date has passed, though the stage's own date may still be to come.
    late = [t("warning.duty_overdue" if limit.date < answers.today else "warning.duty_due_today", lang,
              stage=nxt.stage.number, date=describe(limit.date, lang), duty=duty.text)
            for duty, limit, _ in duties if limit is not None and limit.date <= answers.today]
    after_stage = int(nxt is not None and nxt.limit is not None and nxt.limit.date <= answers.today)
    warnings[after_stage:after_stage] = late  # after the stage's own warning, before every other
    if protocol.review_overdue(answers.today):
        warnings.append(t("warning.review_overdue", lang, due=protocol.version.review_due.human(lang),
                          partnership=protocol.partnership.name))
    if protocol.version.issued is None:
        warnings.append(t("warning.no_issue_date", lang))
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
    lang = answers.language
    return [t("warning.before_issue", lang, date=describe(earliest, lang), issued=issued.human(lang),
              partnership=protocol.partnership.name)]


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


def _check_dates(answers: Answers) -> None:
    lang = answers.language
    today = describe(answers.today, lang)
    if answers.on > answers.today:
        raise AnswerError("on", t("error.on_in_future", lang, date=describe(answers.on, lang), today=today))
    if answers.started is not None:
        if answers.started > answers.today:
            raise AnswerError("started", t("error.started_in_future", lang, date=describe(answers.started, lang),
                                           today=today))
        if answers.started > answers.on:
            # the practitioner's own stage, even where danger switched to the urgent route (which starts afresh)
            completed = answers.completed_stage
            raise AnswerError("started", t("error.started_after_arose" if completed is None else "error.started_after_stage",
                                           lang, date=describe(answers.started, lang), stage=completed,
                                           on=describe(answers.on, lang)))
    if answers.completed_stage is None and answers.started is not None and answers.started < answers.on:
        # With no stage ended, `on` is when the disagreement arose: an earlier "first arose" would be
        # silently dropped, and every limit counted from the later day (later dates than the text allows).
        raise AnswerError("started", t("error.started_without_stage", lang, date=describe(answers.started, lang),
                                       on=describe(answers.on, lang)))
    given = answers.completed_stage  # the practitioner's own answer, even when danger switched the route
    earlier: tuple[int, dt.date] | None = None
    for number, day in sorted(answers.stage_ends):
        if given is None or not 1 <= number < given:
            raise AnswerError("stage_ends", t("error.stage_end_not_earlier", lang, stage=number))
        # A later stage cannot end before an earlier one (nor one stage on two days): the dates would
        # contradict each other, and whichever the engine counted from, one answer would be wrong.
        out_of_order = earlier is not None and (earlier[0] == number or day < earlier[1])
        if day > answers.on or (answers.started and day < answers.started) or out_of_order:
            raise AnswerError("stage_ends", t("error.stage_end_outside", lang, stage=number,
                                              date=describe(day, lang)))
        earlier = (number, day)


def _span_days(ts: model.Timescale) -> int:
    """Calendar days a timescale can reach past its anchor, generously (weekends, Christmas, Easter)."""
    if ts.kind == model.WORKING_DAYS:
        return 2 * ts.days + 14  # the spec requires days, months and hours of their kinds
    if ts.kind == model.SAME_WORKING_DAY:
        return 14
    if ts.kind == model.CALENDAR_MONTHS:
        return 31 * ts.months + 14
    if ts.kind == model.CLOCK_HOURS:
        return math.ceil(ts.hours / 24) + 1
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
    lang = answers.language
    years = {"first": calendar.first_year, "last": calendar.last_year}
    if not first <= answers.today <= last:
        raise AnswerError("today", t("error.today_outside_years", lang, date=describe(answers.today, lang), **years))
    given = [("on", answers.on), ("started", answers.started)] + [("stage_ends", d) for _, d in answers.stage_ends]
    for question, day in given:
        if day is not None and day < first:
            raise AnswerError(question, t("error.date_before_years", lang, date=describe(day, lang), **years))
    if (last - answers.on).days < _horizon_days(protocol):
        raise AnswerError("on", t("error.dates_past_years", lang, date=describe(answers.on, lang), **years))


def _immediate_actions(protocol, route, answers, calendar, switched_from) -> list[str]:
    """What to do today. On a route about immediate risk this leads every answer, danger ticked or not."""
    lines: list[str] = []
    risk = protocol.risk
    if answers.immediate_danger or route.urgent:
        lines.append(_act_today(protocol, answers.today, calendar, answers.language))
        if not names_999(protocol):
            lines.append(t("danger.general_999", answers.language))
        lines.extend(risk.immediate_danger)
        for cid in risk.immediate_danger_contacts:
            lines.append(t("danger.contact", answers.language, contact=contact_line(protocol.contact(cid))))
    if answers.timescale_unsafe:
        lines.extend(risk.timescale_unsafe)
    if answers.timescale_unsafe or (answers.immediate_danger and not route.urgent):
        if switched_from or route.urgent:
            lines.append(t("danger.urgent_route_now", answers.language, route=route.title))
        else:
            covers = protocol.partnership.covers
            whose = t("danger.whose." + (covers[0] if covers in (("children",), ("adults",)) else "both"),
                      answers.language)
            lines.append(t("danger.no_urgent_route", answers.language, partnership=protocol.partnership.short_name,
                           whose=whose))
    elif switched_from:
        lines.append(t("danger.urgent_route_now", answers.language, route=route.title))
    return lines


def names_999(protocol: model.Protocol) -> bool:
    """Whether the protocol's own words about risk name 999; if not, 999 is only ever our general advice."""
    risk = protocol.risk
    return any("999" in line for line in (*risk.immediate_danger, *risk.timescale_unsafe, *risk.out_of_hours))


def _act_today(protocol: model.Protocol, today: dt.date, calendar: Calendar, lang: str = "en") -> str:
    try:
        working = calendar.is_working_day(today)
    except OutOfRange:  # never let an unknown day read as a working day that could wait
        working = False  # pragma: no mutate (None reads the same: both are false)
    services = protocol.risk.out_of_hours
    text = "" if working else t("danger.not_working_day", lang, date=describe(today, lang)) + " "
    if services:
        return text + t("danger.act_today_through", lang, services=_or_list(services, lang))
    return text + t("danger.act_today_no_service", lang, partnership=protocol.partnership.short_name)


def _or_list(items, lang: str = "en") -> str:  # pragma: no mutate - equivalent: every caller passes the language
    items = list(items)
    return items[0] if len(items) == 1 else t("list.or", lang, items=t("list.separator", lang).join(items[:-1]),
                                              last=items[-1])


def _duty(duty: model.Duty, route, stage, ends, calendar, lang: str, *,
          at_risk: bool) -> tuple[model.Duty, Limit | None, str]:
    ts = duty.timescale
    anchor = _anchor(ts, stage.number, ends)  # None for an event the answers do not date
    if ts.dated and anchor is not None:
        limit = _limit(ts, anchor, calendar, formal_only=at_risk, lang=lang)
        return duty, limit, limit.rule
    if ts.dated:
        # the next stage's previous end is always known: only anchors that ignore the stage number reach here
        start = _anchor_words(ts, stage.number, lang)  # pragma: no mutate (so the number is never read)
        return duty, None, t("rule.counted_from_missing", lang, start=start, wording=_said(ts.wording))
    return duty, None, (_undated_rule(stage, lang) if not ts.wording
                        else t("rule.protocol_says", lang, wording=_said(ts.wording)))


def _deadline(route, stage, ends, calendar, warnings, unchecked_caps, lang: str = "en", *,
              at_risk: bool) -> StageDeadline:  # pragma: no mutate - equivalent: every caller passes the language
    own = None
    ts = stage.timescale
    if ts.dated:
        anchor = _anchor(ts, stage.number, ends)
        if anchor is None:
            warnings.append(t("warning.stage_anchor_missing", lang, stage=stage.number, wording=_quote(ts.wording),
                              anchor=_anchor_words(ts, stage.number, lang)))
        else:
            own = _limit(ts, anchor, calendar, formal_only=at_risk, lang=lang)
    candidates = [own] if own else []
    for cap in route.caps:
        if stage.number not in cap.stages:
            continue
        anchor = _anchor(cap.timescale, min(cap.stages), ends)
        if anchor is None:
            if cap.id not in unchecked_caps:
                unchecked_caps.add(cap.id)  # pragma: no mutate - equivalent: a repeated warning is the same text, and _unique drops it
                warnings.append(t("warning.cap_anchor_missing", lang, stages=_stage_list(cap.stages, lang),
                                  wording=_quote(cap.timescale.wording),
                                  anchor=_anchor_words(cap.timescale, min(cap.stages), lang)))
            continue
        candidates.append(_limit(cap.timescale, anchor, calendar, cap=cap, formal_only=at_risk, lang=lang))
    if not candidates:
        return StageDeadline(stage, None, _undated_rule(stage, lang))
    # The earliest date wins; on the same day a fixed limit beats a guideline, and the stage's own beats a cap.
    best = min(candidates, key=lambda lim: (lim.date, lim.guideline, lim.cap is not None))
    rule = best.rule
    if best.cap is not None:  # why the cap counts and not the stage's own limit
        if own is None:
            rule += " " + t("rule.no_own_limit", lang, stage=stage.number)
        elif own.date > best.date:
            rule += " " + t("rule.earlier_than_own", lang, date=describe(own.date, lang))
        else:  # the same day: a cap wins it only as a fixed limit over the stage's guideline
            rule += " " + t("rule.ideal_same_day", lang, wording=_quote(own.rule_wording))
    return StageDeadline(stage, best, rule)


def _anchor(ts: model.Timescale, first_stage: int, ends) -> tuple[dt.date, str] | None:
    if ts.anchor == model.EVENT:
        return None
    if ts.anchor == model.DISAGREEMENT_AROSE:
        return ends.get(ARISING)
    if ts.anchor == model.STAGE_END:
        return ends.get(ts.anchor_stage)
    return ends.get(first_stage - 1)


def _anchor_words(ts: model.Timescale, first_stage: int, lang: str = "en") -> str:  # pragma: no mutate - equivalent: every caller passes the language
    if ts.anchor == model.EVENT:
        return ts.anchor_event
    if ts.anchor == model.DISAGREEMENT_AROSE or (ts.anchor == model.PREVIOUS_STAGE_END and first_stage == 1):
        return t("anchor.first_arose", lang)
    stage = ts.anchor_stage if ts.anchor == model.STAGE_END else first_stage - 1
    return t("anchor.stage_ended", lang, stage=stage)


def _limit(ts: model.Timescale, anchor, calendar: Calendar, *, cap=None, formal_only: bool, lang: str) -> Limit:
    """One timescale counted from its anchor. Every day it can reach is inside the calendar's years:
    _check_in_calendar refused the answers otherwise (a Calendar asked past them raises OutOfRange)."""
    day, label = anchor
    if ts.kind == model.CLOCK_HOURS:
        end = day + dt.timedelta(days=-(-ts.hours // 24))
        calendar.is_working_day(end)  # raises OutOfRange past the calendar's years, as the other kinds do
        rule = t("rule.clock_hours", lang, end=describe(end, lang), count=count(ts.hours, "hour", lang),
                 day=describe(day, lang), label=label, wording=_said(ts.wording))
        # never formal_only: hours on the clock already run through weekends and bank holidays
        return Limit(end, rule, guideline=ts.guideline, cap=cap, rule_wording=ts.wording)
    if ts.kind == model.WORKING_DAYS:
        result = calendar.add_working_days(day, ts.days)
        how = t("rule.after", lang, count=count(ts.days, "working_day", lang), day=describe(day, lang), label=label)
    elif ts.kind == model.SAME_WORKING_DAY:
        result = calendar.same_working_day(day)
        how = t("rule.same_working_day_as" if result.date == day else "rule.same_working_day_moved", lang,
                day=describe(day, lang), label=label)
    else:
        result = calendar.add_calendar_months(day, ts.months)
        how = t("rule.months_moved_back" if result.moved_back else "rule.after", lang,
                count=count(ts.months, "calendar_month", lang), day=describe(day, lang), label=label)
    subject = t("rule.kind_cap", lang, stages=_stage_list(cap.stages, lang)) if cap else t("rule.kind_deadline", lang)
    kind = t("rule.kind_guideline", lang) if ts.guideline else subject
    if formal_only:  # which limit it is stays said: a limit across stages, or the protocol's guideline
        which = ("rule.kind_formal_cap" if cap else "rule.kind_formal_guideline" if ts.guideline
                 else "rule.kind_formal")
        kind = t(which, lang, formal=t("answer.label.formal", lang),
                 stages=_stage_list(cap.stages, lang) if cap else "")
    rule = t("rule.line", lang, kind=kind, date=describe(result.date, lang), how=how, wording=_said(ts.wording))
    if result.skipped:
        rule += f" {describe_skipped(result.skipped, lang)}."
    return Limit(result.date, rule, tuple(result.skipped), ts.guideline, cap, formal_only, ts.wording)


def _undated_rule(stage: model.Stage, lang: str) -> str:
    ts = stage.timescale
    if ts.kind == model.WITHOUT_DELAY:
        return t("rule.without_delay", lang, wording=_said(ts.wording))
    if ts.kind == model.AGREED:
        return t("rule.agreed", lang, wording=_said(ts.wording))
    if ts.dated:
        return t("rule.not_worked_out", lang, wording=_said(ts.wording))
    return t("rule.no_timescale", lang) + (f" {ts.wording}" if ts.wording else "")


def _after_last(protocol: model.Protocol, route: model.Route, lang: str = "en") -> str:  # pragma: no mutate - equivalent: every caller passes the language
    text = t("outcome.last_stage", lang, stage=len(route.stages))
    if route.after_last_stage:
        text += " " + t("outcome.next_said", lang, text=route.after_last_stage)
    if route.continues_with:
        text += " " + t("outcome.then_route", lang, route=protocol.route(route.continues_with).title)
    return text


def _quote(wording: str) -> str:
    """The text's words in quotation marks, unless the spec already quotes (several passages)."""
    return wording if wording.startswith('"') else f'"{wording}"'


def _said(wording: str) -> str:
    """The text's words quoted as the end of a sentence: a quotation that stops without a full stop
    ("... (five working days after stage 1)") gets one, or the next sentence (the bank holidays skipped,
    why a limit across stages counts) ran on from it as if the protocol had said that too."""
    quoted = _quote(wording)
    return quoted if quoted.rstrip('"\'’”)').endswith((".", "!", "?", "…")) else quoted + "."


def _stage_list(numbers, lang: str = "en") -> str:  # pragma: no mutate - equivalent: every caller passes the language
    numbers = sorted(numbers)
    if numbers == list(range(numbers[0], numbers[-1] + 1)) and len(numbers) > 2:
        return t("stage.numbers_range", lang, first=numbers[0], last=numbers[-1])
    return and_list(numbers, lang)


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
        return {"ok": False, "field": "", "message": t("error.engine_failed", _language(answers_data), detail=exc)}


def _language(data: dict) -> str:
    """The language the answers ask for, where the catalogue has it (else English: words, never a crash)."""
    wanted = data.get("language") if isinstance(data, dict) else None
    return wanted if wanted in languages() else "en"


def answers_from_dict(data: dict) -> Answers:
    language = _language(data)

    def day(key: str, required: bool) -> dt.date | None:
        value = data.get(key)
        if value in (None, ""):
            if required:
                raise AnswerError(key, t("error.date_needed", language))
            return None
        try:
            return iso_date(str(value))
        except ValueError:
            raise AnswerError(key, t("error.not_a_date", language, value=value)) from None

    stage = data.get("completed_stage")
    if stage in ("", "none"):
        stage = None
    if stage is not None:
        stage = _stage_number(stage, "completed_stage", language)
    ends = data.get("stage_ends") or {}
    if not isinstance(ends, dict):
        raise AnswerError("stage_ends", t("error.not_a_stage", language, value=ends))
    return Answers(
        route=str(data.get("route") or "standard"),
        completed_stage=stage,
        on=day("on", True),
        today=day("today", True),
        started=day("started", False),  # pragma: no mutate - equivalent: `required` is only tested for truth, and None is false too
        immediate_danger=_yes_no(data.get("immediate_danger"), "immediate_danger", language),
        timescale_unsafe=_yes_no(data.get("timescale_unsafe"), "timescale_unsafe", language),
        stage_ends=tuple(sorted((_stage_number(n, "stage_ends", language), _iso(v, "stage_ends", language))
                                for n, v in ends.items())),
        language=language,
    )


_STAGE_NUMBER = re.compile(r"-?[0-9]{1,6}")


def _stage_number(value, field: str, language: str) -> int:
    """A whole number, or one in ASCII digits: int() would also read '３' and ' 3' as 3, '3_0' as thirty,
    True as 1 and 1.9 as stage 1, answers nobody gives and nobody could check against the answer."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and _STAGE_NUMBER.fullmatch(value):
        return int(value)
    raise AnswerError(field, t("error.not_a_stage", language, value=value))


def _yes_no(value, field: str, language: str) -> bool:
    """A danger answer read one way only: bool('no') and bool('false') are True, so words are read as words."""
    if value is True or value in ("yes", "true"):
        return True
    if value is None or value is False or value in ("", "no", "false"):
        return False
    raise AnswerError(field, t("error.yes_no", language))


def _iso(value, field: str, language: str) -> dt.date:
    try:
        return iso_date(str(value))
    except ValueError:
        raise AnswerError(field, t("error.not_a_date", language, value=value)) from None
