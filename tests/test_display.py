"""The decision aid's screens as the core words them (core/display.py, core/screens.py), and the page's
renderer owning no words: every sentence of the wizard comes from the catalogue, in the page's language.

Dates are worked by hand in each test's comment.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from generator import load
from generator.core import display, messages, screens
from generator.views import bundle

ROOT = Path(__file__).resolve().parent.parent
PROTOCOLS = {p.id: p for p in bundle.current_versions(load.load_tree(ROOT / "protocols"))}
DATA = bundle.bundle_data(list(PROTOCOLS.values()), 2016, 2032, "engine.whl")
CONTEXT = {"lang": "en", "today": "2027-01-04", "stamp": "20270104T100000Z",
           "url": "https://example.org/next/?protocol=swindon"}
# Swindon, stage 1 ended Wed 23 Dec 2026; the disagreement arose Mon 14 Dec.
SWINDON_STAGE_1 = {"protocol": "swindon", "danger": "no", "unsafe": "no", "stage": "1", "on": "2026-12-23",
                   "started": "2026-12-14"}


def texts(blocks: list[dict]) -> list[str]:
    """Every text the blocks show, in order, sections opened."""
    out: list[str] = []
    for block in blocks:
        out += [block[k] for k in ("text", "name", "note") if block.get(k)]
        out += block.get("items", []) + [d["text"] for d in block.get("details", [])]
        out += [row if isinstance(row, str) else row.get("text") or row.get("shown") or ""
                for row in block.get("rows", []) if not isinstance(row, list)]
        out += [cell for row in block.get("rows", []) if isinstance(row, list) for cell in row]
        out += [p["text"] for p in block.get("parts", [])] + [i["text"] for i in block.get("items", [])
                                                              if isinstance(i, dict)]
        out += texts(block.get("blocks", []))
    return [t for t in out if isinstance(t, str)]


def slot(blocks: list[dict], name: str) -> dict:
    for block in blocks:
        if block.get("slot") == name:
            return block
        found = slot(block.get("blocks", []), name) if block.get("blocks") else None
        if found:
            return found
    return {}


def test_the_answer_screen_is_worded_by_the_core():
    """Stage 2 allows 5 working days from Wed 23 Dec 2026: Thu 24, Tue 29, Wed 30, Thu 31 Dec and Mon 4 Jan
    (Fri 25, Mon 28 Dec and Fri 1 Jan are bank holidays)."""
    view = screens.screen(PROTOCOLS, DATA, SWINDON_STAGE_1, None, CONTEXT)
    assert view["screen"] == "answer" and view["question"] is None
    assert slot(view["blocks"], "deadline-text")["text"] == "Mon 4 Jan 2027"
    assert slot(view["blocks"], "deadline-label")["text"] == "Do this by"
    assert slot(view["blocks"], "next-heading")["text"].startswith("Next: stage 2")
    shown = texts(view["blocks"])
    assert "What to do next" in shown and "Your answers" in shown
    assert "Printed on 4 January 2027 from the escalation guide. Keep it with your agency's record." in shown
    rows = slot(view["blocks"], "answers")["rows"]
    assert [r["ask"] for r in rows] == ["protocol", "danger", "unsafe", "stage", "on", "started"]  # one route: not asked
    assert {r["change"] for r in rows} == {"Change"}


def test_issue_9s_example_is_the_urgent_route_from_the_day_stage_2_ended():
    """Swindon, stage 2 ended Wed 23 Dec 2026, timescale not safe: the urgent route starts afresh, same
    working day as Wed 23 Dec, as `guidance next` says."""
    answers = {**SWINDON_STAGE_1, "unsafe": "yes", "stage": "2", "started": "2026-12-17"}
    view = screens.screen(PROTOCOLS, DATA, answers, None, CONTEXT)
    assert slot(view["blocks"], "deadline-text")["text"] == "Wed 23 Dec 2026"
    assert "stage 1, Escalate through MASH" in slot(view["blocks"], "next-heading")["text"]
    assert any("You had reached the end of stage 2" in t for t in slot(view["blocks"], "immediate")["blocks"][1]["items"])
    assert slot(view["blocks"], "switched")["text"].startswith("Someone is in immediate danger or the normal")


def test_an_answer_the_engine_refuses_goes_back_to_its_question_with_the_message():
    """On Mon 4 Jan 2027, a stage that ended on Fri 8 Jan is in the future."""
    view = screens.screen(PROTOCOLS, DATA, {**SWINDON_STAGE_1, "on": "2027-01-08"}, None, CONTEXT)
    assert view["screen"] == "on"
    assert view["question"]["error"] == ("Fri 8 Jan 2027 is in the future (today is Mon 4 Jan 2027). Give the date "
                                         "the stage ended, or the disagreement arose.")


def test_a_refusal_with_no_question_to_fix_is_a_problem_screen():
    """A device clock in 2040 is outside the bank holiday years: no question can fix it."""
    view = screens.screen(PROTOCOLS, DATA, SWINDON_STAGE_1, None, {**CONTEXT, "today": "2040-01-01"})
    assert view["screen"] == "problem"
    shown = texts(view["blocks"])
    assert shown[0] == "The answer could not be worked out"
    assert "Today's date reads as Sun 1 Jan 2040" in shown[1]
    assert [p.get("action") for p in view["blocks"][-1]["parts"]] == ["guidance", None, "restart"]


def test_the_page_asks_in_welsh_and_gets_welsh_words():
    view = screens.screen(PROTOCOLS, DATA, SWINDON_STAGE_1, None, {**CONTEXT, "lang": "cy"})
    shown = texts(view["blocks"])
    assert messages.t("wizard.answer.heading", "cy") in shown
    assert messages.t("wizard.answer.heading", "cy") != messages.t("wizard.answer.heading")
    assert "What to do next" not in shown
    # Swindon's text was issued in January 2024: the version is named in the page's language too
    # (the partnership's name is its English, marked so on the Welsh page: core/spec_text.py)
    line = slot(view["blocks"], "protocol-line")["text"]
    assert line[0] == {"text": "Swindon Safeguarding Partnership", "lang": "en"}
    assert line[1].startswith(", cyhoeddwyd ") and "issued" not in line[1]
    # the engine's own words follow the page's language too (a date in Welsh month names)
    refused = screens.screen(PROTOCOLS, DATA, {**SWINDON_STAGE_1, "on": "2027-01-08"}, None, {**CONTEXT, "lang": "cy"})
    assert refused["question"]["error"].startswith("Mae ")
    # a language the catalogue lacks is English, never an error screen
    assert screens.screen(PROTOCOLS, DATA, SWINDON_STAGE_1, None, {**CONTEXT, "lang": "zz"})["screen"] == "answer"


def test_the_calendar_file_is_rfc_5545():
    view = screens.screen(PROTOCOLS, DATA, SWINDON_STAGE_1, None, CONTEXT)
    ics = view["ics"]
    assert ics["filename"] == "escalation-deadline-2027-01-04.ics"
    text = ics["text"]
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    lines = text.split("\r\n")[:-1]
    assert all(len(line.encode("utf-8")) <= 75 for line in lines)
    unfolded = text.replace("\r\n ", "")
    assert "DTSTART;VALUE=DATE:20270104\r\n" in unfolded
    assert "DTSTAMP:20270104T100000Z\r\n" in unfolded
    assert "Your answer: https://example.org/next/?protocol=swindon" in unfolded
    description = next(line for line in unfolded.split("\r\n") if line.startswith("DESCRIPTION:"))
    assert "\\n\\nWho acts: " in description and "\\," in description  # commas escaped, newlines as \n


def test_folding_counts_octets_not_characters():
    line = "SUMMARY:" + "é" * 80  # two octets each
    folded = display._fold(line).split("\r\n")
    assert all(len(part.encode("utf-8")) <= 75 for part in folded)
    assert folded[0] + "".join(part[1:] for part in folded[1:]) == line
    assert all(part.startswith(" ") for part in folded[1:])


def test_no_date_no_calendar_file():
    """HIPS's conference dissent gives no number: no date, so nothing to put in a calendar."""
    answers = {"protocol": "hips", "danger": "no", "unsafe": "no", "route": "conference-dissent", "stage": "none",
               "on": "2026-12-02"}
    view = screens.screen(PROTOCOLS, DATA, answers, None, {**CONTEXT, "today": "2026-12-02"})
    assert view["screen"] == "answer" and view["ics"] is None
    assert [i["action"] for b in view["blocks"] if b["kind"] == "buttons" for i in b["items"]] == ["print"]


@pytest.mark.parametrize(("contact", "links"), [
    ({"name": "MASH", "phone": "01793 466903", "email": "mash@swindon.gov.uk", "website": "https://x.org/a"},
     ["tel:01793466903", "mailto:mash@swindon.gov.uk", "https://x.org/a"]),
    ({"name": "Bad", "email": "not an address", "website": "javascript:alert(1)"}, ["", ""]),
    ({"name": "Relative", "website": "/next/"}, [""]),
])
def test_a_contact_links_only_safe_addresses(contact, links):
    card = display.contact_block(contact)
    assert [d["href"] for d in card["details"]] == links
    assert card["name"] == contact["name"]


def test_the_page_words_exist_in_every_language():
    for language in messages.languages():
        words = display.page_words(language)
        assert set(words) == set(display.PAGE_WORDS) and all(words.values())


# --- the renderer owns no words ---------------------------------------------------------------------------

WIZARD_JS = ROOT / "site_overrides" / "assets" / "wizard.js"
NEXT_HTML = ROOT / "site_overrides" / "next.html"


def test_the_renderer_has_no_sentence_of_its_own():
    """Every string in wizard.js is a tag, class, selector, key or pattern: none is prose a reader sees."""
    code = re.sub(r"/\*[\s\S]*?\*/|^\s*//.*$", "", WIZARD_JS.read_text(encoding="utf-8"), flags=re.M)
    literals = re.findall(r'"((?:[^"\\\n]|\\.)*)"|`([^`]*)`', code)
    prose = [text for pair in literals for text in pair if text != "use strict"
             and re.search(r"(?<![\w.-])[A-Za-z]{2,},? [A-Za-z]{2,}(?![\w.-])", text)]
    assert prose == []


def test_the_page_template_has_no_words_of_its_own():
    """next.html's content block: markup and catalogue look-ups only, no text between the tags."""
    page = NEXT_HTML.read_text(encoding="utf-8")
    content = page[page.index("{% block content %}"):]
    content = re.sub(r"\{#[\s\S]*?#\}|\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}|<[^>]*>", " ", content)
    assert re.findall(r"[A-Za-z]{2,}", content) == []


def test_the_first_screens_are_shipped_in_every_language():
    screens_ = DATA["flow"]["screens"]
    assert set(screens_) == set(messages.languages())
    for language, pack in screens_.items():
        first = pack["views"][pack["at"][""]]
        assert pack["questions"][first["question"]]["heading"] == messages.t("q.protocol.heading", language)
    json.dumps(DATA)  # JSON-ready throughout


def test_the_core_reads_no_clock():
    """The page passes today and the calendar stamp; the core never asks the machine."""
    for name in ("display.py", "screens.py"):
        source = (ROOT / "generator" / "core" / name).read_text(encoding="utf-8")
        assert "today()" not in source and "now()" not in source
    assert dt.date  # the module is used only for parsing the page's date
