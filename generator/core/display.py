"""What the decision aid's page shows, as blocks of text already worded: the page only draws them.

The wizard's JavaScript is a generic renderer: it knows how to draw a block of each kind, and nothing
about protocols, routes, stages or words. Everything it shows is decided and worded here, from the
message catalogue, in the language the page asks for, so a Welsh page is a Welsh catalogue, not code.

A block is a dict with a "kind":

    heading   {level, text}                    level 1 is the screen's heading (it takes the focus)
    paragraph {text, style?}                    style: hint, caption, strong, ...
    list      {items}
    warning   {text}
    contact   {name, details: [{label, text, href}], note}
    section   {style?, blocks}                  style "act-now" is the danger box
    table     {head, rows}
    pairs     {rows: [{label, text, slot?}], style?}   a definition list
    answers   {rows: [{label, shown, ask, change}]}    "Your answers", each with a link back to its question
    lines     {rows: [label, ...]}              the print record's blank lines to fill in by hand
    buttons   {items: [{action, text}]}         action: print or ics (the page offers `view["ics"]`)
    links     {parts: [{text, action?}]}        action: restart or guidance; text alone is plain

Any block may carry "slot" (a name the tests and the stylesheet find it by) and "style" (a class).
On a page in another language than the spec's, core/spec_text.py turns a text holding the partnership's
words into a list of runs: strings in the page's language and {text, lang} pieces the page marks `lang`.
Spec text is only ever text: the page sets it with textContent. Links are built here only as tel:,
mailto: and http(s): addresses, and the page checks the scheme again where it makes the link.

Standard library only: CPython and Pyodide run this very file.
"""

from __future__ import annotations

import datetime as dt
import re

from .messages import DEFAULT_LANGUAGE, date_long, quote, t

_EMAIL = re.compile(r"^[^\s@<>()\[\]\\,;:\"`]+@[^\s@<>()\[\]\\,;:\"`]+$")
_WEB = re.compile(r"^https?://", re.IGNORECASE)


def heading(text: str, level: int = 2, **extra) -> dict:
    return {"kind": "heading", "level": level, "text": text, **extra}


def paragraph(text: str, style: str = "", **extra) -> dict:
    return {"kind": "paragraph", "text": text, "style": style, **extra}


def bullets(items, **extra) -> dict:
    return {"kind": "list", "items": [str(i) for i in items], **extra}


def section(blocks: list[dict], style: str = "", **extra) -> dict:
    return {"kind": "section", "style": style, "blocks": blocks, **extra}


# --- contacts ----------------------------------------------------------------------------------------


def contact_block(contact: dict, language: str = DEFAULT_LANGUAGE) -> dict:
    """A contact card: phone, e-mail, website and hours, each a live link only where that is safe."""
    phone = contact.get("phone") or ""
    email = contact.get("email") or ""
    website = (contact.get("website") or "").strip()
    digits = re.sub(r"[^\d+]", "", phone)
    details = [
        (t("answer.phone", language), phone, f"tel:{digits}" if digits else ""),
        (t("answer.email", language), email, f"mailto:{email}" if _EMAIL.fullmatch(email) else ""),
        (t("answer.website", language), website, website if _WEB.match(website) else ""),
        (t("answer.hours", language), contact.get("hours") or "", ""),
    ]
    return {"kind": "contact", "name": contact["name"],  # every contact has a name (the spec requires it)
            "details": [{"label": label, "text": text, "href": href} for label, text, href in details if text],
            "note": contact.get("notes") or ""}


# --- before the escalation questions: immediate danger -----------------------------------------------


def danger_blocks(name: str, actions, general_999: str, contacts, language: str = DEFAULT_LANGUAGE) -> list[dict]:
    """Shown above the next question as soon as "someone is in immediate danger" is answered yes."""
    blocks = [heading(t("wizard.danger.heading", language), 1),
              paragraph(t("danger.act_today", language))]
    if general_999:
        blocks.append(paragraph(general_999, "act-now__999", strong=True))
    blocks += [paragraph(t("wizard.danger.protocol_says", language, name=name)), bullets(actions)]
    blocks += [contact_block(c, language) for c in contacts]
    blocks.append(paragraph(t("wizard.danger.then", language)))
    return [section(blocks, "act-now")]


# --- the answer ---------------------------------------------------------------------------------------


def answer_blocks(advice: dict, summary: list[dict], today: dt.date, language: str = DEFAULT_LANGUAGE) -> list[dict]:
    """The answer screen: the engine's answer (engine.Advice.to_dict) worded as the page shows it."""
    def say(message_id: str, **values) -> str:
        return t(message_id, language, **values)

    blocks = [paragraph(say("answer.protocol_line", name=advice["protocol_name"], version=advice["version_label"],
                            route=advice["route_title"]), "caption", slot="protocol-line"),
              heading(say("wizard.answer.heading"), 1)]
    if advice["immediate_actions"]:
        blocks.append(section([heading(say("danger.act_today_heading")), bullets(advice["immediate_actions"],
                                                                               slot="immediate-actions")]
                              + [contact_block(c, language) for c in advice["emergency_contacts"]],
                              "act-now", slot="immediate"))
    blocks.append(section([{"kind": "warning", "text": text} for text in advice["warnings"]], slot="warnings"))
    if advice["route_switched_from"]:
        blocks.append(paragraph(say("answer.switched", route=advice["route_switched_from_title"]), "route-switch",
                                slot="switched"))
    stage = advice["next_stage"]
    if stage:
        blocks.append(section(_next_stage(advice, stage, say, language), slot="next"))
    else:
        blocks.append(section([heading(say("wizard.answer.no_more_stages")),
                               paragraph(advice["after_last_stage"] or " ".join(advice["warnings"]))], slot="after"))
    buttons = [{"action": "print", "text": say("wizard.answer.print")}]
    if calendar_offered(advice):
        buttons.append({"action": "ics", "text": say("wizard.answer.calendar")})
    blocks.append({"kind": "buttons", "items": buttons, "style": "actions wz-no-print"})
    if advice["timeline"]:
        rows = [[say("answer.stage_cell", stage=row["stage"], title=row["title"]),
                 row["latest_text"] or say("answer.no_date"), row["rule"]] for row in advice["timeline"]]
        blocks.append(section([heading(say("wizard.answer.timeline")), paragraph(say("wizard.answer.timeline_intro")),
                               {"kind": "table", "head": [say("wizard.answer.timeline_stage"),
                                                          say("wizard.answer.timeline_date"),
                                                          say("wizard.answer.timeline_why")],
                                "rows": rows, "style": "timeline", "slot": "timeline"}], slot="timeline-block"))
    if advice["readings"]:
        blocks.append(section([heading(say("readings.heading")), paragraph(say("wizard.answer.readings_intro")),
                               bullets([say("wizard.answer.reading", quote=quote(r["quote"]), used=r["used"])
                                        for r in advice["readings"]], slot="readings")], slot="readings-block"))
    if advice["record_keeping"]:
        blocks.append(section([heading(say("wizard.answer.keeping")), bullets(advice["record_keeping"])]))
    blocks.append(section([heading(say("wizard.answer.your_answers")),
                           {"kind": "answers", "slot": "answers", "rows": [
                               {**row, "ask": row["id"], "change": say("answer.change")} for row in summary]}]))
    blocks.append(section([heading(say("wizard.record.heading")),
                           paragraph(say("wizard.record.printed", date=date_long(today.year, today.month, today.day,
                                                                                 language))),
                           {"kind": "lines", "rows": [say(f"wizard.record.{name}") for name in _RECORD_LINES]}],
                          "print-only wz-record"))
    blocks.append({"kind": "links", "style": "no-print", "parts": [{"text": say("wizard.restart"),
                                                                     "action": "restart"}]})
    return blocks


_RECORD_LINES = ("your_name", "your_agency", "person_contacted", "their_agency", "date_contacted", "how_contacted",
                 "outcome")


def _next_stage(advice: dict, stage: dict, say, language: str) -> list[dict]:
    if advice["deadline"]:
        label = (say("answer.deadline_label_formal") if advice["deadline_is_formal_step_only"] else
                 say("answer.deadline_label_guideline") if advice["deadline_is_guideline"] else
                 say("answer.deadline_label"))
        when, style = advice["deadline_text"], "deadline"
    else:
        label, when, style = say("answer.no_deadline_label"), say("answer.no_deadline"), "deadline wz-deadline--none"
    box = [paragraph(label, "deadline__label", slot="deadline-label"),
           paragraph(when, "deadline__date", slot="deadline-text"),
           paragraph(advice["deadline_rule"], "deadline__why", slot="deadline-rule")]
    blocks = [heading(say("answer.next_heading", stage=stage["number"], title=stage["title"]), slot="next-heading"),
              section(box, style, slot="deadline-box"),
              heading(say("wizard.answer.who"), 3),
              {"kind": "pairs", "style": "summary wz-summary--who", "rows": [
                  {"label": say("wizard.answer.who_acts"), "text": stage["role"], "slot": "role"},
                  {"label": say("wizard.answer.with_whom"), "text": stage["counterpart"] or "",
                   "slot": "counterpart"}]}]
    if stage["similar_seniority"]:
        blocks.append(paragraph(say("wizard.answer.similar_seniority")))
    blocks += [contact_block(c, language) for c in stage["contacts"]]
    blocks += [heading(say("wizard.answer.what_to_do"), 3), bullets(stage["actions"])]
    if stage["record"]:
        blocks += [heading(say("wizard.answer.record"), 3), bullets(stage["record"])]
    if stage["forms"]:
        blocks += [heading(say("wizard.answer.forms"), 3), bullets(stage["forms"])]
    if advice["duties"]:
        blocks += [heading(say("wizard.answer.duties"), 3), bullets(
            [f"{say('answer.duty_due', text=d['text'], date=d['latest_text'])} {d['rule']}" if d["latest_text"]
             else f"{d['text']} {d['rule']}" for d in advice["duties"]])]
    blocks.append(paragraph(say("wizard.answer.stage_wording", wording=quote(stage["timescale_wording"])), "hint"))
    return blocks


# --- the calendar file ---------------------------------------------------------------------------------


def calendar_offered(advice: dict) -> bool:
    """A calendar entry only where waiting until its date is allowed: never on an answer about immediate risk
    (danger, a timescale that is not safe, a route about immediate risk), where a reminder on a later day
    would read as permission to wait, and never for a date that is only the formal in-hours step's."""
    return bool(advice["deadline"]) and not advice["immediate_actions"] \
        and not advice["deadline_is_formal_step_only"]


def ics(advice: dict, stamp: str, url: str, language: str = DEFAULT_LANGUAGE) -> dict | None:
    """The next stage's latest date as an all-day event (RFC 5545), or None where there is no date (or
    none that may wait: `calendar_offered`).

    `stamp` (UTC, 20261230T101500Z) and `url` (the answer's own address) are the page's: the core reads
    no clock and knows no address.
    """
    stage = advice["next_stage"]
    if not calendar_offered(advice) or stage is None:
        return None
    day = advice["deadline"].replace("-", "")
    description = "\n\n".join([advice["deadline_rule"],
                               t("ics.who", language, role=stage["role"], counterpart=stage["counterpart"])
                               if stage["counterpart"] else t("ics.who_alone", language, role=stage["role"]),
                               t("ics.link", language, url=url)])
    summary = t("ics.summary", language, stage=stage["number"], title=stage["title"], name=advice["protocol_name"])
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Escalation guide//Decision aid//EN", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH", "BEGIN:VEVENT",
             f"UID:{advice['protocol']}-{advice['route']}-{stage['number']}-{day}-{stamp}@escalation-guide",
             f"DTSTAMP:{stamp}", f"DTSTART;VALUE=DATE:{day}", f"SUMMARY:{_ics_text(summary)}",
             f"DESCRIPTION:{_ics_text(description)}", "TRANSP:TRANSPARENT", "END:VEVENT", "END:VCALENDAR"]
    return {"text": "".join(_fold(line) + "\r\n" for line in lines),
            "filename": f"escalation-deadline-{advice['deadline']}.ics"}


def _ics_text(text: str) -> str:
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n"))


def _fold(line: str) -> str:
    """RFC 5545: at most 75 octets a line; a continuation line starts with a space (which counts)."""
    out, current = [], ""
    for char in line:
        limit = 74 if out else 75
        if len((current + char).encode("utf-8")) > limit:
            out.append(current)
            current = char
        else:
            current += char
    out.append(current)
    return "\r\n ".join(out)


# --- when no answer can be given --------------------------------------------------------------------------


def problem_blocks(message: str, language: str = DEFAULT_LANGUAGE) -> list[dict]:
    return [heading(t("wizard.problem.heading", language), 1), paragraph(message),
            {"kind": "links", "parts": [{"text": t("wizard.problem.guidance", language), "action": "guidance"},
                                        {"text": t("wizard.problem.or", language)},
                                        {"text": t("wizard.restart", language), "action": "restart"}]}]


# --- the page's own words, for screens drawn without Python -------------------------------------------

PAGE_WORDS = ("back", "continue", "error_summary", "error_title", "day", "month", "year", "loading_questions",
              "loading.heading", "loading.text", "failed.heading", "failed.text", "failed.guidance",
              "failed.guidance_link", "noscript.heading", "noscript.text", "noscript.link", "error.data_missing",
              "error.data_damaged", "error.no_wasm", "error.saved_file", "error.no_workers", "error.engine_start")


def page_words(language: str = DEFAULT_LANGUAGE) -> dict[str, str]:
    """The words the page needs before, or without, the engine (written into next.html at build time)."""
    return {name: t(f"wizard.{name}", language) for name in PAGE_WORDS}
