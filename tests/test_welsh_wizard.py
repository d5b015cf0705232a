"""The decision aid in Welsh at cy/next/: walked by keyboard alone it gives the same answer data as the
English one for the North Wales cases (the same answers in the address, the same dates), worded in Welsh,
with Welsh weekday and month names; its calendar file and print record are in Welsh too.

Dates worked by hand:
- Easter 2027: the disagreement arises Wed 24 Mar 2027 (today), stage 1 has 5 working days: Thu 25,
  (Good Friday 26, Easter Monday 29 are bank holidays in Wales), Tue 30, Wed 31 Mar, Thu 1, Fri 2 Apr.
- Christmas 2026: stage 1 ended Wed 23 Dec 2026; stage 2, 5 working days after it: Thu 24, (Fri 25, Mon 28
  substitute Boxing Day), Tue 29, Wed 30, Thu 31, (Fri 1 Jan), Mon 4 Jan 2027.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

pytest.importorskip("playwright")
from playwright.sync_api import expect  # noqa: E402
from test_wizard import (  # noqa: E402,F401 - the wizard tests' helpers and fixtures (site, visit: noqa F811 below)
    ANSWER_TIMEOUT,
    EASTER_WEEK,
    choose_by_keyboard,
    deadline,
    site,
    visit,
    wait_for_answer,
)

from generator.core import messages  # noqa: E402

pytestmark = [pytest.mark.browser]

EASTER_ANSWER = dt.date(2027, 4, 2)
CHRISTMAS = "protocol=north-wales&danger=no&unsafe=no&route=standard&stage=1&on=2026-12-23"
CHRISTMAS_ANSWER = dt.date(2027, 1, 4)


def _heading(page, text: str):
    focused = page.locator("#wz-screen .wz-heading").first
    expect(focused).to_have_text(text)
    expect(focused).to_be_focused()


def _walk_north_wales_by_keyboard(page, language: str) -> dict:
    say = lambda message_id, **values: messages.t(message_id, language, **values)  # noqa: E731
    _heading(page, say("q.protocol.heading"))
    names = sorted(("Calderdale", "Hampshire", "Kirklees", "North Wales", "Swindon"))
    choose_by_keyboard(page, names.index("North Wales"))
    _heading(page, say("q.danger.heading"))
    choose_by_keyboard(page, 1)  # No / Na
    _heading(page, say("q.unsafe.heading", person=messages.person(("children", "adults"), language)))
    choose_by_keyboard(page, 1)
    _heading(page, say("q.stage.heading"))
    choose_by_keyboard(page, None)  # none yet
    _heading(page, say("q.on.heading"))
    for _ in range(4):
        page.keyboard.press("Tab")
    expect(page.locator("button[type=submit]")).to_be_focused()
    page.keyboard.press("Enter")
    wait_for_answer(page)
    _heading(page, say("wizard.answer.heading"))
    return dict(part.split("=") for part in urlsplit(page.url).query.split("&"))


def test_the_welsh_wizard_by_keyboard_gives_the_english_answer_in_welsh(visit, browser):  # noqa: F811 - browser: the shared Chromium visit opens pages in
    english = visit("next/", clock=EASTER_WEEK)
    english_answers = _walk_north_wales_by_keyboard(english, "en")
    welsh = visit("cy/next/", clock=EASTER_WEEK)
    assert welsh.evaluate("document.documentElement.lang") == "cy"
    welsh_answers = _walk_north_wales_by_keyboard(welsh, "cy")
    assert welsh_answers == english_answers == {"protocol": "north-wales", "danger": "no", "unsafe": "no",
                                                "route": "standard", "stage": "none", "on": "2027-03-24"}
    assert deadline(english) == messages.date_short(EASTER_ANSWER, "en") == "Fri 2 Apr 2027"
    assert deadline(welsh) == messages.date_short(EASTER_ANSWER, "cy") == "Gwe 2 Ebr 2027"
    assert urlsplit(welsh.url).path.endswith("/cy/next/")


def test_the_switch_carries_the_answers_to_the_other_language(visit, browser):  # noqa: F811 - browser: the shared Chromium visit opens pages in
    page = visit(f"next/?{CHRISTMAS}", clock="2026-12-24T10:00:00", wait=None)
    wait_for_answer(page)
    english_deadline = deadline(page)
    page.locator("a[data-keep-query]").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert urlsplit(page.url).path.endswith("/cy/next/") and urlsplit(page.url).query == CHRISTMAS
    page.wait_for_selector("#wizard[data-screen=answer]", timeout=ANSWER_TIMEOUT)
    assert english_deadline == messages.date_short(CHRISTMAS_ANSWER, "en")
    assert deadline(page) == messages.date_short(CHRISTMAS_ANSWER, "cy") == "Llun 4 Ion 2027"


def test_the_calendar_file_and_print_record_are_in_welsh(visit, browser, tmp_path):  # noqa: F811
    page = visit(f"cy/next/?{CHRISTMAS}", clock="2026-12-24T10:00:00", wait=None)
    wait_for_answer(page)
    with page.expect_download() as download_info:
        page.get_by_role("button", name=messages.t("wizard.answer.calendar", "cy")).click()
    ics = Path(download_info.value.path()).read_bytes().decode("utf-8").replace("\r\n ", "")
    assert "DTSTART;VALUE=DATE:20270104\r\n" in ics
    summary = re.search(r"^SUMMARY:(.*)$", ics, re.M).group(1)
    assert summary.startswith("Uwchgyfeirio: y dyddiad olaf ar gyfer cam 2")
    assert "latest date for stage" not in ics  # no English sentence
    page.emulate_media(media="print")
    record = page.locator(".wz-record")
    expect(record).to_be_visible()
    for message_id in ("wizard.record.your_name", "wizard.record.date_contacted"):
        expect(record).to_contain_text(messages.t(message_id, "cy"))
    expect(page.locator("#wz-screen")).to_contain_text("23 Rhagfyr 2026")


def test_the_partnerships_english_is_marked_on_the_welsh_wizard(visit, browser):  # noqa: F811
    """North Wales published no Welsh: on /cy/next/ every piece of its text is inside lang="en", the
    Welsh around it is not, and axe finds no violation on the answer (nor on a question with spec text)."""
    from browser_helpers import AXE

    from generator import load
    from generator.core import spec_text
    from generator.views import bundle

    protocol = bundle.current_versions(load.load_tree(Path(__file__).resolve().parents[1] / "protocols"))
    protocol = next(p for p in protocol if p.id == "north-wales")
    stage = protocol.route("standard").stage(2)
    page = visit(f"cy/next/?{CHRISTMAS}", clock="2026-12-24T10:00:00", wait=None)
    wait_for_answer(page)
    expect(page.locator("[data-slot=next-heading] [lang=en]")).to_have_text(stage.title)
    expect(page.locator("[data-slot=role] [lang=en]")).to_have_text(stage.role)
    assert page.locator("[data-slot=next-heading]").evaluate("e => e.closest('[lang]').lang") == "cy"
    # the bank holidays in the worded rule are named in Welsh
    expect(page.locator("[data-slot=deadline-rule]")).to_contain_text("Gwe 25 Rhag (Dydd Nadolig)")
    # no text node outside a lang="en" element holds a piece of the spec's English
    unmarked = page.evaluate("""() => {
        const out = [];
        const walk = document.createTreeWalker(document.getElementById('wz-screen'), NodeFilter.SHOW_TEXT);
        while (walk.nextNode()) {
            const node = walk.currentNode;
            if (node.parentElement.closest('[lang]').lang !== 'en') out.push(node.textContent);
        }
        return out;
    }""")
    pieces = {text.strip() for text in spec_text.field_texts(protocol).values() if len(text.strip()) > 12}
    assert [text for text in unmarked if any(piece in text for piece in pieces)] == []
    marked = page.locator("#wz-screen [lang=en]")
    assert marked.count() >= 6
    for tab in (page, visit("cy/next/?protocol=north-wales&danger=no&unsafe=no", clock="2026-12-24T10:00:00")):
        tab.evaluate(AXE.read_text(encoding="utf-8"))
        violations = tab.evaluate("async () => (await axe.run(document.getElementById('wizard'))).violations")
        assert violations == [], json.dumps(violations)[:2000]
    question = tab.locator("#wz-screen")
    expect(question.locator(".wz-radios__label [lang=en]").first).to_have_text(
        protocol.route("standard").stage(1).title)
