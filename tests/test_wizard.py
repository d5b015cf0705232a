"""The decision aid end to end: the built site on 127.0.0.1, Debian's Chromium, real Pyodide.

Expected dates are worked out by hand in each test's docstring or comment. The browser's clock is
fixed, because the page passes the browser's local date to the engine as "today".
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

pytest.importorskip("playwright")
from browser_helpers import CHROMIUM, build_testshire, copy_of_testshire  # noqa: E402
from playwright.sync_api import expect  # noqa: E402

from generator.static_server import Server  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
EASTER_WEEK = "2027-03-24T10:00:00"  # Wed 24 Mar 2027; Good Friday 26 Mar, Easter Monday 29 Mar
NEW_YEAR = "2027-01-04T10:00:00"  # Mon 4 Jan 2027
ANSWER_TIMEOUT = 60_000

pytestmark = [
    pytest.mark.browser,  # launches Chromium or Node: `make test-fast` leaves it out
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
]


@pytest.fixture(scope="module")
def site(real_site):
    """The one site the browser tests share (tests/browser_helpers.py), built by the real build: a failure
    fails the tests rather than falling back to a smaller site."""
    return real_site, real_site


@pytest.fixture
def visit(site, browser):
    """A fresh browser context per test; every request and console error is recorded and checked."""
    server, _ = site
    requests: list[str] = []
    problems: list[str] = []
    contexts = []

    def open_page(path: str = "next/", *, clock: str | None = NEW_YEAR, wait: str = "#wz-screen .wz-heading",
                  **context_options):
        # Playwright's string predicates and axe's <script> tag are refused by the site's Content-Security-
        # Policy; test_csp.py visits the wizard with the policy in force.
        context = browser.new_context(**{"bypass_csp": True, **context_options})
        contexts.append(context)
        context.on("request", lambda request: requests.append(request.url))
        page = context.new_page()
        page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
        if clock:
            page.clock.set_fixed_time(clock)
        page.goto(server.url + path)
        if wait:
            page.wait_for_selector(wait, timeout=ANSWER_TIMEOUT)
        return page

    open_page.problems = problems
    open_page.requests = requests
    yield open_page
    for context in contexts:
        context.close()
    hosts = {urlsplit(url).hostname for url in requests if not url.startswith(("blob:", "data:"))}
    assert hosts <= {"127.0.0.1"}, f"requests left the site: {sorted(set(requests))}"
    assert not problems, problems


def bundle_questions(site) -> dict:
    _, built = site
    data = json.loads((built.directory / "assets" / "wizard" / "bundle.json").read_text(encoding="utf-8"))
    return {q["id"]: q for q in data["questions"]}


def heading(page):
    return page.locator("#wz-screen .wz-heading").first


def expect_focus_on(page, text: str):
    focused = heading(page)
    expect(focused).to_have_text(text)
    expect(focused).to_be_focused()


def choose_by_keyboard(page, index: int | None):
    """Tab from the focused heading into the radios, pick one with Space and arrows, Tab to Continue."""
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    if index is None:  # the last choice: arrows wrap round from the first
        page.keyboard.press("ArrowUp")
    else:
        for _ in range(index):
            page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    expect(page.locator("button[type=submit]")).to_be_focused()
    page.keyboard.press("Enter")


def wait_for_answer(page):
    page.wait_for_selector("#wizard[data-screen=answer]", timeout=ANSWER_TIMEOUT)


def enter_date(page, field: str, day: str, month: str | None = None, year: str | None = None):
    """Type into a GOV.UK date input (`#wz-<field>`, `-month`, `-year`; parts left None keep their value)
    and press Continue."""
    for suffix, value in (("", day), ("-month", month), ("-year", year)):
        if value is not None:
            page.fill(f"#wz-{field}{suffix}", value)
    page.get_by_role("button", name="Continue").click()


def deadline(page) -> str:
    return page.locator("[data-slot=deadline-text]").inner_text()


# Swindon, stage 1 ended Wed 23 Dec 2026, the disagreement arose Mon 14 Dec (asked for since "Day 17"
# limits stages 1 to 4 from that day; it falls on Mon 11 Jan 2027, after stage 2's own Mon 4 Jan).
SWINDON_STAGE_1 = "protocol=swindon&danger=no&unsafe=no&stage=1&on=2026-12-23&started=2026-12-14"


# Disagreement arising on Wed 24 Mar 2027 (today), just before Easter, the standard route:
KEYBOARD_CASES = {
    # 2 working days: Thu 25, (Fri 26 and Mon 29 bank holidays), Tue 30 Mar.
    "swindon": "Tue 30 Mar 2027",
    # 1 working day: Thu 25 Mar.
    "hips": "Thu 25 Mar 2027",
    # Stage 1 has no number; steps 1 to 5 within 5 working days: Thu 25, Tue 30, Wed 31, Thu 1, Fri 2 Apr.
    "calderdale": "Fri 2 Apr 2027",
    # Step 1: ideally 10 working days (the kirklees-ten-days-step-1 reading): Thu 25, Tue 30, Wed 31 Mar,
    # Thu 1, Fri 2, Mon 5 to Fri 9 Apr; earlier than the month (Sat 24 Apr, moved back to Fri 23 Apr).
    "kirklees": "Fri 9 Apr 2027",
    # 5 working days (Wales has the same Easter holidays): Fri 2 Apr.
    "north-wales": "Fri 2 Apr 2027",
}


@pytest.mark.parametrize("protocol_id", sorted(KEYBOARD_CASES))
def test_keyboard_alone_completes_the_wizard(visit, site, protocol_id):
    questions = bundle_questions(site)
    order = sorted(questions.values(), key=lambda q: q["name"].lower())
    protocol = questions[protocol_id]
    page = visit(clock=EASTER_WEEK)

    expect_focus_on(page, "Which partnership's protocol do you follow?")
    choose_by_keyboard(page, [q["id"] for q in order].index(protocol_id))
    expect_focus_on(page, "Is anyone in immediate danger?")
    choose_by_keyboard(page, 1)  # No
    expect_focus_on(page, f"Do you believe the normal timescale is not safe for the {protocol['person']}?")
    choose_by_keyboard(page, 1)  # No
    if len(protocol["route_choices"]) > 1:
        expect_focus_on(page, "What is the disagreement about?")
        assert protocol["route_choices"][0] == "standard"
        choose_by_keyboard(page, 0)
    expect_focus_on(page, "Which stage has ended without agreement?")
    choose_by_keyboard(page, None)  # none yet: I have just disagreed
    expect_focus_on(page, "On what date did the disagreement arise?")
    day = page.locator("#wz-on")
    assert (day.input_value(), page.locator("#wz-on-month").input_value(),
            page.locator("#wz-on-year").input_value()) == ("24", "3", "2027")  # defaults to today
    for _ in range(4):
        page.keyboard.press("Tab")
    expect(page.locator("button[type=submit]")).to_be_focused()
    page.keyboard.press("Enter")

    wait_for_answer(page)
    expect_focus_on(page, "What to do next")
    assert deadline(page) == KEYBOARD_CASES[protocol_id]
    query = dict(part.split("=") for part in urlsplit(page.url).query.split("&"))
    assert query == {"protocol": protocol_id, "danger": "no", "unsafe": "no", "route": "standard",
                     "stage": "none", "on": "2027-03-24"}


def test_immediate_danger_shows_999_first(visit):
    page = visit("next/?protocol=swindon")
    expect_focus_on(page, "Is anyone in immediate danger?")
    page.get_by_label("Yes").check()
    page.get_by_role("button", name="Continue").click()
    act_now = page.locator(".wz-act-now")
    expect(act_now.locator("h1")).to_be_focused()
    expect(act_now).to_contain_text("Act today, whatever the day")
    expect(act_now).to_contain_text("refer to MASH/EDT or dial 999")
    expect(act_now).not_to_contain_text("General advice")  # Swindon's own flowchart says "dial 999"
    # The next question waits below the actions, on the same screen.
    text = page.locator("#wz-screen").inner_text()
    assert text.index("999") < text.index("Do you believe the normal timescale is not safe")

    # In danger, Swindon's answer follows its urgent route (the engine switches, whatever stage was given),
    # starting afresh at its stage 1, MASH the same working day, with 999 above it.
    page.goto(page.url.split("?")[0] + "?protocol=swindon&danger=yes&unsafe=no&stage=1&on=2026-12-23"
              "&started=2026-12-14")
    wait_for_answer(page)
    answer = page.locator("#wz-screen").inner_text()
    assert answer.index("999") < answer.index("Next: stage 1, Escalate through MASH the same working day")
    expect(page.locator("[data-slot=deadline-label]")).to_contain_text("formal in-hours step")


def test_general_advice_is_marked_where_the_text_never_says_999(visit):
    page = visit("next/?protocol=north-wales")
    page.get_by_label("Yes").check()
    page.get_by_role("button", name="Continue").click()
    act_now = page.locator(".wz-act-now")
    expect(act_now).to_contain_text("General advice (ours, not the protocol's words): if anyone is in immediate "
                                    "danger, call 999 now.")
    expect(act_now).not_to_contain_text("named above")


def test_timescale_not_safe_takes_the_urgent_route(visit):
    """Swindon's urgent route: escalate through MASH the same working day. Disagreement arose on
    Sat 2 Jan 2027, so the next working day, Mon 4 Jan."""
    page = visit("next/?protocol=swindon&danger=no")
    page.get_by_label("Yes").check()
    page.get_by_role("button", name="Continue").click()
    # The stage reached is asked of the route being followed; the engine decides the urgent switch.
    expect_focus_on(page, "Which stage has ended without agreement?")
    page.get_by_label("None yet: I have just disagreed").check()
    page.get_by_role("button", name="Continue").click()
    enter_date(page, "on", "2", "1")
    wait_for_answer(page)
    assert deadline(page) == "Mon 4 Jan 2027"
    expect(page.locator("[data-slot=next-heading]")).to_contain_text("Escalate through MASH the same working day")
    expect(page.locator("[data-slot=immediate]")).to_contain_text("Follow the protocol's urgent route now")
    expect(page.locator("[data-slot=switched]")).to_be_visible()


def test_swindon_completed_stage_2_timescale_unsafe_matches_the_command_line(visit):
    """Issue 9's example: the urgent route applies at any time, so it starts from its stage 1, counted
    from the day stage 2 of the standard route ended (Wed 23 Dec 2026), as `guidance next` says."""
    page = visit("next/?protocol=swindon&danger=no&unsafe=yes&route=standard&stage=2&on=2026-12-23&started=2026-12-17")
    wait_for_answer(page)
    expect(page.locator("[data-slot=next-heading]")).to_contain_text("stage 1, Escalate through MASH")
    expect(page.locator("[data-slot=immediate]")).to_contain_text("You had reached the end of stage 2")
    expect(page.locator("[data-slot=deadline-rule]")).to_contain_text("the day stage 2 of")


def test_changing_an_answer_changes_the_date(visit):
    """Stage 1 ended Wed 23 Dec 2026: 5 working days skipping 25, 28 Dec and 1 Jan is Mon 4 Jan 2027.
    Changed to Thu 17 Dec: Fri 18, Mon 21, Tue 22, Wed 23, Thu 24 Dec 2026. The disagreement arose Mon
    14 Dec, so "Day 17" (stages 1 to 4) is Mon 11 Jan 2027: 15-18, 21-24, 29-31 Dec, 4-8, 11 Jan; later."""
    page = visit(f"next/?{SWINDON_STAGE_1}", wait=None)
    wait_for_answer(page)
    assert deadline(page) == "Mon 4 Jan 2027"
    expect(page.locator("[data-slot=deadline-rule]")).to_contain_text(
        "Fri 25 Dec (Christmas Day), Mon 28 Dec (Boxing Day, substitute day) and Fri 1 Jan (New Year's Day) "
        "are not working days")
    page.locator(".wz-summary__row", has_text="23 December 2026").get_by_role("link").click()
    expect_focus_on(page, "On what date did stage 1 (Internal Discussion) end without agreement?")
    assert page.locator("#wz-on").input_value() == "23"
    enter_date(page, "on", "17")
    wait_for_answer(page)
    assert deadline(page) == "Thu 24 Dec 2026"
    assert "on=2026-12-17" in page.url and "ask=" not in page.url
    page.get_by_role("link", name="Start again").click()
    expect_focus_on(page, "Which partnership's protocol do you follow?")
    assert urlsplit(page.url).query == ""


def test_back_button_and_reload_keep_the_answers(visit):
    page = visit("next/?protocol=hips")
    page.get_by_label("No").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("No").check()
    page.get_by_role("button", name="Continue").click()
    expect_focus_on(page, "What is the disagreement about?")
    page.get_by_label("A referral or contact to MASH").check()
    page.get_by_role("button", name="Continue").click()
    expect_focus_on(page, "Which stage has ended without agreement?")

    page.go_back()
    expect_focus_on(page, "What is the disagreement about?")
    expect(page.get_by_label("A referral or contact to MASH")).to_be_checked()
    page.reload()
    page.wait_for_selector("#wz-screen .wz-heading")
    expect(heading(page)).to_have_text("What is the disagreement about?")
    expect(page.get_by_label("A referral or contact to MASH")).to_be_checked()
    page.go_forward()
    expect(heading(page)).to_have_text("Which stage has ended without agreement?")
    # The page's own Back link goes back too.
    page.locator("a.wz-back").click()
    expect_focus_on(page, "What is the disagreement about?")


TAMPERED = [
    ("protocol=nowhere&danger=no", "Which partnership's protocol do you follow?",
     "We do not have a protocol called \u201cnowhere\u201d"),
    ("protocol=swindon&danger=perhaps", "Is anyone in immediate danger?", "Choose yes or no."),
    ("protocol=hips&danger=no&unsafe=no&route=teleport", "What is the disagreement about?",
     "HIPS's protocol has no route 'teleport'"),
    ("protocol=swindon&danger=no&unsafe=no&stage=9&on=2026-12-23", "Which stage has ended without agreement?",
     "there is no stage 9"),
    ("protocol=swindon&danger=no&unsafe=no&stage=1&on=2026-12-", "On what date did stage 1",
     "is not a real date"),
    # These two are refused by the engine itself, in Python.
    ("protocol=swindon&danger=no&unsafe=no&stage=none&on=2027-02-31", "On what date did the disagreement arise?",
     "'2027-02-31' is not a real date"),
    ("protocol=swindon&danger=no&unsafe=no&stage=none&on=2027-02-01", "On what date did the disagreement arise?",
     "Mon 1 Feb 2027 is in the future (today is Mon 4 Jan 2027)"),
    # Stage 1 cannot have ended after stage 2 did (Tue 29 Dec 2026): the engine names stage_ends.
    ("protocol=hips&danger=no&unsafe=no&route=standard&stage=2&on=2026-12-29&ended1=2026-12-30",
     "On what date did stage 1 (Direct professional to professional discussion) end?",
     "Stage 1 cannot have ended on Wed 30 Dec 2026"),
]


@pytest.mark.parametrize(("query", "question", "message"), TAMPERED, ids=[t[0] for t in TAMPERED])
def test_a_tampered_url_is_explained_with_the_question_to_fix_it(visit, query, question, message):
    page = visit(f"next/?{query}", wait="[data-wz-error-summary]")
    summary = page.locator("[data-wz-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text(message)
    expect(page.locator(".wz-error-message")).to_contain_text(message)
    expect(heading(page)).to_contain_text(question)
    assert page.title().startswith("Error: ")


def test_print_record_and_calendar_file_carry_the_deadline(visit, tmp_path):
    page = visit(f"next/?{SWINDON_STAGE_1}", wait=None)
    wait_for_answer(page)
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Add to calendar").click()
    download = download_info.value
    assert download.suggested_filename == "escalation-deadline-2027-01-04.ics"
    ics = Path(download.path()).read_bytes().decode("utf-8")
    unfolded = ics.replace("\r\n ", "")
    assert ics.startswith("BEGIN:VCALENDAR\r\n") and ics.endswith("END:VCALENDAR\r\n")
    assert "DTSTART;VALUE=DATE:20270104\r\n" in ics
    assert "SUMMARY:Escalation: latest date for stage 2 (Inter-agency Discussion)\\, Swindon" in unfolded
    assert "Fri 25 Dec (Christmas Day)" in unfolded
    assert all(len(line.encode()) <= 75 for line in ics.split("\r\n"))

    page.emulate_media(media="print")
    expect(page.locator(".md-header")).to_be_hidden()
    expect(page.locator("[data-wz-print]")).to_be_hidden()
    record = page.locator(".wz-record")
    expect(record).to_be_visible()
    for label in ("Your name", "Your agency", "Date contacted", "Outcome"):
        expect(record).to_contain_text(label)
    pdf = tmp_path / "record.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
        for expected in ("Mon 4 Jan 2027", "issued January 2024", "Date contacted", "Your answers",
                         "23 December 2026"):
            assert expected in text, expected
        assert "Print this answer" not in text and "Change" not in text


def test_without_webassembly_the_page_says_so_and_links_to_the_guidance(visit):
    page = visit(f"next/?{SWINDON_STAGE_1}", wait=None)
    page.context.add_init_script("delete globalThis.WebAssembly")
    page.reload()
    page.wait_for_selector("#wizard[data-screen=failed]", timeout=ANSWER_TIMEOUT)
    expect_focus_on(page, "The decision aid cannot run here")
    link = page.get_by_role("link", name="read the guidance")
    assert link.get_attribute("href").endswith("/swindon/")


ENGINE_FILES = [
    ("**/*.whl*", "A file the decision aid needs (/assets/wizard/escalation_guide_engine-1.0-py3-none-any.whl) could not be loaded."),
    ("**/wizard-worker.js*", "The decision aid's engine (/assets/wizard-worker.js) could not be started."),
    # Pyodide itself only warns and never settles when its WebAssembly is missing: the worker notices.
    ("**/pyodide.asm.wasm", "A file the decision aid needs (/assets/pyodide/pyodide.asm.wasm) could not be loaded."),
]


@pytest.mark.parametrize(("pattern", "detail"), ENGINE_FILES, ids=[p for p, _ in ENGINE_FILES])
def test_if_the_engine_cannot_be_fetched_the_page_says_so(visit, site, pattern, detail):
    server, _ = site
    # Requests a service worker answers are not seen by page.route: this test runs without one.
    page = visit("next/", wait=None, service_workers="block")
    page.route(pattern, lambda route: route.fulfill(status=404, body="missing"))
    page.goto(server.url + "next/?protocol=hips&danger=no&unsafe=no&route=standard&stage=none&on=2026-12-23")
    page.wait_for_selector("#wizard[data-screen=failed]", timeout=ANSWER_TIMEOUT)
    expect_focus_on(page, "The decision aid cannot run here")
    expect(page.locator("[data-slot=detail]")).to_have_text(detail)
    assert page.get_by_role("link", name="read the guidance").get_attribute("href").endswith("/hips/")
    # The browser's own report of the 404 is expected; nothing else may go wrong.
    unexpected = [p for p in visit.problems if "status of 404 (Not Found)" not in p]
    assert unexpected == []
    visit.problems.clear()


def test_without_web_workers_the_page_says_so_and_links_to_the_guidance(visit):
    page = visit("next/?protocol=hips&danger=no&unsafe=no&route=standard&stage=none&on=2026-12-23", wait=None)
    page.context.add_init_script("delete globalThis.Worker")
    page.reload()
    page.wait_for_selector("#wizard[data-screen=failed]", timeout=ANSWER_TIMEOUT)
    expect_focus_on(page, "The decision aid cannot run here")
    expect(page.locator("[data-slot=detail]")).to_contain_text("Web Workers")
    assert page.get_by_role("link", name="read the guidance").get_attribute("href").endswith("/hips/")


def test_python_runs_in_a_worker_started_before_the_page_loads_anything_else(visit, site):
    """The page's own thread never loads Pyodide, so the questions are drawn before Python is ready."""
    _, built = site
    html = (built.directory / "next" / "index.html").read_text(encoding="utf-8")
    assert html.index("wizard-start.js") < html.index('rel="stylesheet"') < html.index("wizard.js")

    page = visit("next/", clock=None)  # Playwright's fixed clock replaces performance marks too
    expect_focus_on(page, "Which partnership's protocol do you follow?")
    page.wait_for_function("performance.getEntriesByName('wz-engine-ready').length > 0", timeout=ANSWER_TIMEOUT)
    first_screen, engine_ready = page.evaluate(
        "['wz-first-screen', 'wz-engine-ready'].map(n => performance.getEntriesByName(n)[0].startTime)")
    assert first_screen < engine_ready
    assert [w.url.rsplit("/", 1)[-1].split("?")[0] for w in page.workers if "wizard" in w.url] == ["wizard-worker.js"]
    # The page's thread only asks early for Pyodide's smaller files, for the worker to find in the HTTP
    # cache (wizard-start.js); it never fetches the WebAssembly or the engine, and never runs Python.
    on_page_thread = page.evaluate("performance.getEntriesByType('resource').map(e => e.name)")
    assert not [url for url in on_page_thread if url.endswith(".wasm") or ".whl" in url]
    assert page.evaluate("typeof loadPyodide === 'undefined' && typeof pyodide === 'undefined'")
    # The worker's own requests are seen (so the fixture's 127.0.0.1-only check covers them too).
    assert any(url.endswith("/assets/pyodide/pyodide.asm.wasm") for url in visit.requests)


def test_opened_from_disk_the_page_says_so(browser, site):
    _, built = site
    context = browser.new_context()
    page = context.new_page()
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto((built.directory / "next" / "index.html").as_uri() + "?protocol=kirklees")
    page.wait_for_selector("#wizard[data-screen=failed]", timeout=ANSWER_TIMEOUT)
    href = page.get_by_role("link", name="read the guidance").get_attribute("href")
    assert href.startswith("file://") and href.endswith("/kirklees/index.html")
    assert all(url.startswith(("file://", "data:")) for url in requests)
    context.close()


def test_without_javascript_the_page_points_to_the_guidance(visit):
    page = visit("next/", java_script_enabled=False, wait=None)
    notice = page.locator(".wz-notice")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("needs JavaScript")
    expect(notice.get_by_role("link")).to_have_attribute("href", re.compile(r"^\.\./?$"))


def test_pyodide_loads_only_on_the_wizard_page(visit):
    # Every request the browser makes, the worker's included (the page's own resource timing would
    # not list what a worker fetches).
    page = visit("", wait="body")
    page.wait_for_load_state("networkidle")
    assert not [url for url in visit.requests if "/pyodide/" in url or "wizard" in url]
    assert not [w.url for w in page.workers if "wizard" in w.url]


# Every screen of the wizard, each checked with axe-core.
SCREENS = [
    ("next/", "Which partnership's protocol do you follow?"),
    ("next/?protocol=calderdale", "Is anyone in immediate danger?"),
    ("next/?protocol=calderdale&danger=no", "Do you believe the normal timescale is not safe"),
    ("next/?protocol=swindon&danger=yes", "Someone is in immediate danger: act now"),
    ("next/?protocol=calderdale&danger=no&unsafe=no", "What is the disagreement about?"),
    ("next/?protocol=calderdale&danger=no&unsafe=no&route=standard", "Which stage has ended without agreement?"),
    ("next/?protocol=calderdale&danger=no&unsafe=no&route=standard&stage=2", "On what date did stage 2"),
    ("next/?protocol=calderdale&danger=no&unsafe=no&route=standard&stage=2&on=2026-12-23",
     "On what date did the disagreement first arise?"),
    ("next/?protocol=calderdale&danger=yes&unsafe=yes&route=standard&stage=1&on=2026-12-23&started=2026-12-21",
     "What to do next"),
    ("next/?protocol=calderdale&danger=no&unsafe=no&route=standard&stage=2&on=2026-12-23&started=2026-12-21",
     "What to do next"),
    ("next/?protocol=hips&danger=no&unsafe=no&route=standard&stage=2&on=2026-12-29", "On what date did stage 1"),
    ("next/?protocol=swindon&danger=no&unsafe=no&stage=none&on=2027-02-31", "There is a problem"),
    ("next/?protocol=nowhere", "There is a problem"),
]


@pytest.mark.skipif(not AXE.exists(), reason="axe-core is not installed (npm ci)")
@pytest.mark.parametrize(("path", "text"), SCREENS, ids=[s[0].removeprefix("next/") or "start" for s in SCREENS])
def test_axe_finds_no_violations(visit, path, text):
    page = visit(path, wait=None)
    page.wait_for_function("document.getElementById('wizard').dataset.screen !== 'loading' && "
                           "!!document.getElementById('wizard').dataset.screen", timeout=ANSWER_TIMEOUT)
    expect(page.locator("#wz-screen")).to_contain_text(text)
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate("axe.run().then(r => r.violations.map(v => ({id: v.id, impact: v.impact, "
                               "nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)})))")
    assert violations == []


def test_the_answer_for_a_stage_with_a_cap_asks_when_it_all_began(visit):
    """Calderdale: steps 1 to 5 within 5 working days of the disagreement arising (Mon 21 Dec 2026):
    Tue 22, Wed 23, Thu 24, Tue 29, Wed 30 Dec 2026. Stage 2 ended Wed 23 Dec; stages have no own limit."""
    # A question after the first date is decided by Python in the worker: the page waits for it.
    page = visit("next/?protocol=calderdale&danger=no&unsafe=no&route=standard&stage=2&on=2026-12-23",
                 wait="#wizard[data-screen=started]")
    expect_focus_on(page, "On what date did the disagreement first arise?")
    enter_date(page, "started", "21", "12", "2026")
    wait_for_answer(page)
    assert deadline(page) == "Wed 30 Dec 2026"
    expect(page.locator("[data-slot=deadline-rule]")).to_contain_text("Stages 1 to 5 together")


def test_a_cap_counted_from_the_end_of_stage_1_asks_when_stage_1_ended(visit):
    """HIPS: stages 2 and 3 within 2 working days of the end of stage 1 (Thu 24 Dec 2026): Fri 25 Dec
    and Mon 28 Dec (substitute for Boxing Day) are bank holidays, so Tue 29 and Wed 30 Dec 2026. Stage 3's
    own limit from stage 2's end (Tue 29 Dec) would be Wed 30, Thu 31 Dec: the cap is earlier."""
    page = visit("next/?protocol=hips&danger=no&unsafe=no&route=standard&stage=2&on=2026-12-29",
                 wait="#wizard[data-screen=ended1]")
    expect_focus_on(page, "On what date did stage 1 (Direct professional to professional discussion) end?")
    expect(page.locator(".wz-hint").first).to_contain_text("counted from the day stage 1 ended")
    enter_date(page, "ended1", "24", "12", "2026")
    wait_for_answer(page)
    assert deadline(page) == "Wed 30 Dec 2026"
    assert "ended1=2026-12-24" in page.url
    row = page.locator(".wz-summary__row", has_text="Date stage 1 ended")
    expect(row).to_contain_text("24 December 2026")
    expect(page.locator("[data-slot=warnings]")).not_to_contain_text("could not be checked")

    row.get_by_role("link", name="Change").click()
    expect_focus_on(page, "On what date did stage 1 (Direct professional to professional discussion) end?")
    expect(page.locator("#wz-ended1")).to_have_value("24")
    enter_date(page, "ended1", "23")
    wait_for_answer(page)
    # From Wed 23 Dec: Thu 24, then (after Fri 25 and Mon 28) Tue 29 Dec 2026.
    assert deadline(page) == "Tue 29 Dec 2026"

    # With stage 1 the last to end, its date is the answer's own: ended1 is neither asked nor used.
    # From Tue 29 Dec, the cap and stage 2's own limit agree: Wed 30, Thu 31 Dec 2026.
    page.goto(page.url.replace("stage=2", "stage=1"))
    wait_for_answer(page)
    assert deadline(page) == "Thu 31 Dec 2026"
    rows = page.locator("[data-slot=answers] .wz-summary__row", has_text="Date stage 1 ended")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("29 December 2026")


# --- the question flow: the same questions in the same order, the same answer, in CPython and Chromium ---

FLOW_TODAY = "2027-01-04"  # NEW_YEAR, the browser's fixed clock
FLOW_DATES = {"on": "2026-12-29", "started": "2026-12-21", "ended": "2026-12-24"}


def _flow_cases(site) -> list[tuple[str, dict]]:
    """Every protocol and route, at a stage that asks the most (the cap-anchor questions where there are
    any), plus each protocol's "not safe" switch. Choices the walk meets are taken from here."""
    from generator.core import questions

    protocols, _ = _bundle_protocols(site)
    cases = []
    for protocol in protocols.values():
        for route in questions.route_choices(protocol):
            asks = [s.number for s in route.stages
                    if s.number in questions.asks_started(route) or questions.asks_ended(route, s.number)]
            stage = str(asks[0]) if asks else str(route.stages[min(1, len(route.stages) - 1)].number)
            cases.append((f"{protocol.id}-{route.id}", {"protocol": protocol.id, "danger": "no", "unsafe": "no",
                                                       "route": route.id, "stage": stage}))
        first = questions.route_choices(protocol)[0]
        cases.append((f"{protocol.id}-unsafe", {"protocol": protocol.id, "danger": "yes", "unsafe": "yes",
                                                "route": first.id, "stage": str(first.stages[-1].number)}))
    return cases


def _bundle_protocols(site) -> dict:
    from generator.core import model

    _, built = site
    data = json.loads((built.directory / "assets" / "wizard" / "bundle.json").read_text(encoding="utf-8"))
    return {pid: model.from_dict(p) for pid, p in data["protocols"].items()}, data


def _reply(question_id: str, plan: dict) -> str:
    if question_id in plan:
        return plan[question_id]
    return FLOW_DATES["ended" if question_id.startswith("ended") else question_id]


def _cpython_walk(protocols, data, plan) -> tuple[list[str], dict]:
    """The questions CPython asks, and the answer screen it draws (the engine's answer and its blocks)."""
    from generator.core import engine, questions, screens

    answers, asked = {}, []
    while (step := questions.next_step(protocols, answers)).question is not None:
        asked.append(step.question.id)
        answers[step.question.id] = _reply(step.question.id, plan)
    view = questions.screen(protocols, answers)
    protocol = data["protocols"][answers["protocol"]]
    result = engine.advise_json(protocol, {**view["engine"], "today": FLOW_TODAY},
                                data["holidays"][protocol["partnership"]["nation"]], data["first_year"],
                                data["last_year"])
    shown = screens.screen(protocols, data, answers, None, {"lang": "en", "today": FLOW_TODAY})
    assert shown["result"] == result  # the page's one call reaches the engine's own answer
    return asked, shown


def test_the_question_flow_is_the_same_in_cpython_and_in_the_wizard(visit, site):
    (protocols, data) = _bundle_protocols(site)
    cases = _flow_cases(site)
    assert any("ended" in q for _, plan in cases for q in _cpython_walk(protocols, data, plan)[0])
    assert any("started" in _cpython_walk(protocols, data, plan)[0] for _, plan in cases)
    page = visit("next/")
    page.wait_for_function("!!window.wizardWorker")
    worker = next(w for w in page.workers if "wizard" in w.url)
    worker.evaluate("""() => {
        self.__replies = [];
        const send = self.postMessage.bind(self);
        self.postMessage = (message) => { self.__replies.push(message); send(message); };
    }""")
    for name, plan in cases:
        expected_asked, expected = _cpython_walk(protocols, data, plan)
        if "?" in page.url:  # "Start again" stays on the page, so the worker (and its record) carry on
            page.get_by_role("link", name="Start again").click()
        asked = []
        for _ in range(12):
            page.wait_for_function("['answer', 'problem', 'failed'].includes(document.getElementById('wizard')"
                                   ".dataset.screen) || !!document.querySelector('#wz-screen form')",
                                   timeout=ANSWER_TIMEOUT)
            screen_name = page.locator("#wizard").get_attribute("data-screen")
            if screen_name in ("answer", "problem", "failed"):
                break
            asked.append(screen_name)
            value = _reply(screen_name, plan)
            if page.locator(f"#wz-{screen_name}-month").count():
                year, month, day = value.split("-")
                enter_date(page, screen_name, day, month, year)
            else:
                page.check(f"input[name='{screen_name}'][value='{value}']")
                page.get_by_role("button", name="Continue").click()
            page.wait_for_function(f"document.getElementById('wizard').dataset.screen !== '{screen_name}'",
                                   timeout=ANSWER_TIMEOUT)
        assert asked == expected_asked, name
        wait_for_answer(page)
        replies = worker.evaluate("self.__replies.filter(m => m.result && JSON.parse(m.result).screen === 'answer')"
                                  ".map(m => m.result)")
        shown = json.loads(replies[-1])
        assert shown["result"] == expected["result"], name  # the same answer JSON
        assert shown["blocks"] == expected["blocks"], name  # worded and laid out the same



# --- Routes about immediate risk: act today, whatever the day (issue 7) -----------------------------------

# Days worked out by hand: Sat 14 Nov 2026 a weekend; Fri 25 Dec 2026 Christmas Day (Sat 26 Boxing Day,
# substitute Mon 28); Fri 26 Mar 2027 Good Friday (Mon 29 Easter Monday); Wed 2 Dec 2026 a working day.
# (query, today, date shown, its label, the first act-today line starts with)
URGENT_IN_THE_BROWSER = {
    "swindon": ("protocol=swindon&danger=no&unsafe=yes&stage=none&on={day}", [
        ("2026-11-14", "Mon 16 Nov 2026", "formal", "Today (Sat 14 Nov 2026) is not a working day."),
        ("2026-12-25", "Tue 29 Dec 2026", "formal", "Today (Fri 25 Dec 2026) is not a working day."),
        ("2027-03-26", "Tue 30 Mar 2027", "formal", "Today (Fri 26 Mar 2027) is not a working day."),
        ("2026-12-02", "Wed 2 Dec 2026", "formal", "Act today, whatever the day"),
    ]),
    # Danger ticked, standard route chosen: the answer points to the Immediate / 24 hr route; 24 clock hours.
    "calderdale": ("protocol=calderdale&danger=yes&unsafe=no&route=standard&stage=none&on={day}", [
        ("2026-11-14", "Sun 15 Nov 2026", "plain", "Today (Sat 14 Nov 2026) is not a working day."),
        ("2026-12-25", "Sat 26 Dec 2026", "plain", "Today (Fri 25 Dec 2026) is not a working day."),
        ("2027-03-26", "Sat 27 Mar 2027", "plain", "Today (Fri 26 Mar 2027) is not a working day."),
        ("2026-12-02", "Thu 3 Dec 2026", "plain", "Act today, whatever the day"),
    ]),
    # HIPS's conference dissent is about significant harm; danger not ticked; the route gives no number.
    "hips": ("protocol=hips&danger=no&unsafe=no&route=conference-dissent&stage=none&on={day}", [
        ("2026-11-14", None, "none", "Today (Sat 14 Nov 2026) is not a working day."),
        ("2026-12-25", None, "none", "Today (Fri 25 Dec 2026) is not a working day."),
        ("2027-03-26", None, "none", "Today (Fri 26 Mar 2027) is not a working day."),
        ("2026-12-02", None, "none", "Act today, whatever the day"),
    ]),
}
LABELS = {"formal": "Latest date for the formal in-hours step (act today all the same)", "plain": "Do this by",
          "none": "When"}


@pytest.mark.parametrize("pid", list(URGENT_IN_THE_BROWSER))
def test_urgent_routes_lead_with_acting_today_on_any_day(visit, pid):
    query, days = URGENT_IN_THE_BROWSER[pid]
    page = None
    for day, shown, label, first in days:
        if page is None:
            page = visit(f"next/?{query.format(day=day)}", clock=f"{day}T10:00:00", wait=None)
        else:
            page.clock.set_fixed_time(f"{day}T10:00:00")
            page.goto(page.url.split("?")[0] + "?" + query.format(day=day))
        wait_for_answer(page)
        items = page.locator("[data-slot=immediate-actions] li")
        expect(items.first).to_contain_text(first)
        text = page.locator("#wz-screen").inner_text()
        assert text.index("Act today") < text.index("Next: stage 1"), day
        assert ("is not a working day" in text) is (day != "2026-12-02"), day
        assert "named above" not in text
        assert ("General advice (ours" in text) is (pid != "swindon"), day
        expect(page.locator("[data-slot=deadline-label]")).to_have_text(LABELS[label])
        if shown:
            assert deadline(page) == shown, day
    if pid == "calderdale":
        expect(page.locator("[data-slot=protocol-line]")).to_contain_text("Immediate / 24 hour escalation")
        # a reading is named by the text's own words, never by the spec's id
        readings = page.locator("[data-slot=readings]")
        expect(readings).to_contain_text('"Immediate/24 hour Escalation" (heading)')
        expect(readings).to_contain_text("is warranted\" (body): 24 clock hours")
        expect(readings).not_to_contain_text("calderdale-24-hours")


# --- offline (the service worker of generator/views/offline.py) -----------------------------------------
# A site built from the Testshire fixture; a second build is deployed into the same folder while the
# browser keeps its service worker and caches.

OFFLINE_CLOCK = "2026-11-03T10:00:00"
# Stage 1 ended on Mon 2 Nov 2026: stage 2 is 3 working days in version 2022-06, 5 in version 2024-01.
OFFLINE_ANSWER = "next/?protocol=testshire&danger=no&unsafe=no&stage=1&on=2026-11-02"


def precache_manifest(site: Path) -> list[dict]:
    text = (site / "sw.js").read_text(encoding="utf-8")
    lists = re.findall(r"const (?:SHELL|WIZARD) = (\[.*?\]);\n", text, re.S)
    assert len(lists) == 2
    return [entry for found in lists for entry in json.loads(found)]


@pytest.fixture
def served(tmp_path):
    copy_of_testshire(("2022-06",), tmp_path / "site")  # a copy: the tests deploy a second build into it
    with Server(tmp_path / "site") as server:
        yield tmp_path, server.url


def offline_answer(page, url: str) -> dict:
    page.goto(url)
    page.wait_for_selector("#wizard[data-screen=answer]", timeout=ANSWER_TIMEOUT)
    return {"deadline": page.locator("[data-slot=deadline-text]").inner_text(),
            "protocol": page.locator("[data-slot=protocol-line]").inner_text()}


def wait_until(page, condition: str, timeout_ms: int = ANSWER_TIMEOUT):
    """Poll an asynchronous condition: Playwright's wait_for_function takes a returned Promise as truthy
    whatever it resolves to, so an async check given to it passes at once."""
    deadline = time.monotonic() + timeout_ms / 1000
    while not (value := page.evaluate(condition)):
        assert time.monotonic() < deadline, f"still false after {timeout_ms} ms: {condition}"
        page.wait_for_timeout(250)
    return value


def controlled(page) -> None:
    """Wait until the wizard's service worker (sw.js?wizard=1) has precached everything and controls the page."""
    page.wait_for_function("navigator.serviceWorker.controller !== null && "
                           "navigator.serviceWorker.controller.scriptURL.endsWith('sw.js?wizard=1')",
                           timeout=ANSWER_TIMEOUT)


def test_after_one_visit_the_wizard_answers_offline(browser, served):
    work, base = served
    context = browser.new_context(bypass_csp=True)  # for Playwright's own scripts, as above
    try:
        page = context.new_page()
        page.clock.set_fixed_time(OFFLINE_CLOCK)
        online = offline_answer(page, base + OFFLINE_ANSWER)
        assert online["deadline"] == "Thu 5 Nov 2026" and "June 2022" in online["protocol"]
        controlled(page)
        page.goto(base + "testshire/")  # a guidance page the reader opens: kept for offline reading
        assert page.evaluate("navigator.serviceWorker.controller.scriptURL").endswith("sw.js?wizard=1")
        context.set_offline(True)
        failed: list[str] = []
        page.on("requestfailed", lambda request: failed.append(request.url))
        assert offline_answer(page, base + OFFLINE_ANSWER) == online
        page.reload()
        page.wait_for_selector("#wizard[data-screen=answer]", timeout=ANSWER_TIMEOUT)
        assert page.locator("[data-slot=deadline-text]").inner_text() == "Thu 5 Nov 2026"
        page.goto(base + "testshire/")
        assert "Testshire" in page.title()
        assert page.locator("article").get_by_text("Inter-agency Discussion").first.is_visible()
        # A page never opened: the offline page says so and links to what is saved.
        page.goto(base + "compare/")
        assert page.locator("h1").first.inner_text().startswith("You are offline")
        page.wait_for_selector("#eg-saved li a", timeout=10_000)
        saved = page.locator("#eg-saved li a").evaluate_all("links => links.map((a) => a.href)")
        assert base + "testshire/" in saved and base + "next/" in saved
        assert not failed, sorted(set(failed))
    finally:
        context.close()


def test_a_new_build_is_picked_up_on_the_next_visit_with_no_stale_file(browser, served):
    work, base = served
    # The old build's pages last changed an hour ago: a browser may then keep them fresh in its HTTP cache
    # for minutes (heuristic freshness: a tenth of their age), as it would on a real host; the new build
    # must be seen at once all the same.
    an_hour_ago = time.time() - 3600
    for path in (work / "site").rglob("*"):
        os.utime(path, (an_hour_ago, an_hour_ago))
    context = browser.new_context(bypass_csp=True)  # for Playwright's own scripts, as above
    try:
        page = context.new_page()
        page.clock.set_fixed_time(OFFLINE_CLOCK)
        old = offline_answer(page, base + OFFLINE_ANSWER)
        assert old["deadline"] == "Thu 5 Nov 2026" and "June 2022" in old["protocol"]
        controlled(page)
        old_addresses = {e["url"] for e in precache_manifest(work / "site") if e["revision"] is None}

        build_testshire(work / "protocols", ("2022-06", "2024-01"), work / "site")  # deploy a new build
        new_addresses = {e["url"] for e in precache_manifest(work / "site") if e["revision"] is None}
        asked: list[str] = []
        context.on("request", lambda request: asked.append(request.url))
        new = offline_answer(page, base + OFFLINE_ANSWER)
        assert new["deadline"] == "Mon 9 Nov 2026" and "January 2024" in new["protocol"]
        content_addressed = {url.removeprefix(base) for url in asked if "?v=" in url}
        assert content_addressed and content_addressed <= new_addresses
        assert not content_addressed & (old_addresses - new_addresses)

        # The new worker takes over, drops the old build's files, and the new build works offline.
        page.wait_for_function(
            "navigator.serviceWorker.controller && navigator.serviceWorker.controller.scriptURL && "
            "caches.keys().then(() => true)", timeout=ANSWER_TIMEOUT)
        wait_until(page, f"""(async () => {{
            const names = await caches.keys();
            const urls = [];
            for (const name of names) for (const r of await (await caches.open(name)).keys()) urls.push(r.url);
            return urls.some((u) => u.includes({json.dumps(sorted(new_addresses - old_addresses)[0])}))
              && !urls.some((u) => {json.dumps(sorted(old_addresses - new_addresses))}.some((o) => u.endsWith(o)));
        }})()""")
        context.set_offline(True)
        assert offline_answer(page, base + OFFLINE_ANSWER) == new
    finally:
        context.close()
