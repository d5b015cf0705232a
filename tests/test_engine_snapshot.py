"""The wizard worker's saved Python memory (a Pyodide memory snapshot in Cache Storage, wizard-worker.js).

A revisit restores Python with the engine already imported and the bundle read instead of starting it
again. What must hold: the snapshot is only ever restored by the build it was made from (its cache is
named by generator/views/offline.py's engine key, the content address of everything in that memory),
a restored engine gives the answers a fresh one gives, and a damaged snapshot costs a fresh start,
never a failure to answer.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytest.importorskip("playwright")
from browser_helpers import CHROMIUM, build_testshire, copy_of_testshire  # noqa: E402
from test_wizard import (  # noqa: E402
    ANSWER_TIMEOUT,
    OFFLINE_ANSWER,
    OFFLINE_CLOCK,
    controlled,
    offline_answer,
    wait_until,
)

from generator.static_server import Server  # noqa: E402
from generator.views import offline  # noqa: E402

pytestmark = [
    pytest.mark.browser,  # launches Chromium: `make test-fast` leaves it out
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
]

SAVED = """(async () => {
  const found = [];
  for (const name of await caches.keys()) {
    if (!name.startsWith("eg-engine-")) continue;
    for (const request of await (await caches.open(name)).keys()) found.push(name);
  }
  return found;
})()"""


def restored(page) -> bool:
    """Whether the page's engine worker restored a snapshot (a mark on the worker's own timeline: the
    page's is not usable under Playwright's fixed clock)."""
    workers = [worker for worker in page.workers if "wizard-worker.js" in worker.url]
    assert len(workers) == 1
    return workers[0].evaluate("performance.getEntriesByName('wz-snapshot-restored').length > 0")


# Stage 1 ended Tue 3 Nov 2026: stage 2 is 3 working days in Testshire's 2022-06 version.
LATER_ANSWER = OFFLINE_ANSWER.replace("on=2026-11-02", "on=2026-11-03")


@pytest.fixture
def served(tmp_path):
    copy_of_testshire(("2022-06",), tmp_path / "site")  # a copy: a test deploys a second build into it
    with Server(tmp_path / "site") as server:
        yield tmp_path, server.url


def saved_snapshots(page) -> list[str]:
    """The snapshot caches holding a snapshot, once the worker has had its idle moment to save one."""
    return wait_until(page, f"{SAVED}.then((found) => found.length > 0 && found)")


def engine_key_of_page(site: Path) -> str:
    html = (site / "next" / "index.html").read_text(encoding="utf-8")
    keys = set(re.findall(r"wizard-worker\.js\?[^\"]*engine=([0-9a-f]{16})", html))
    assert len(keys) == 1, keys
    return keys.pop()


def first_visit(context, base: str) -> tuple[dict, list[str]]:
    page = context.new_page()
    page.clock.set_fixed_time(OFFLINE_CLOCK)
    answer = offline_answer(page, base + OFFLINE_ANSWER)
    controlled(page)
    saved = saved_snapshots(page)
    page.close()
    return answer, saved


def revisit(context, base: str, path: str = OFFLINE_ANSWER):
    page = context.new_page()
    page.clock.set_fixed_time(OFFLINE_CLOCK)
    return page, offline_answer(page, base + path)


def test_a_revisit_restores_this_builds_engine_and_answers_as_a_fresh_one(browser, served):
    work, base = served
    context = browser.new_context(bypass_csp=True)  # for Playwright's own scripts
    try:
        fresh, saved = first_visit(context, base)
        assert fresh["deadline"] == "Thu 5 Nov 2026" and "June 2022" in fresh["protocol"]
        key = offline.engine_key(work / "site")
        assert engine_key_of_page(work / "site") == key
        assert saved == [f"eg-engine-{key}"]
        assert f'const ENGINE_CACHE = "eg-engine-{key}";' in (work / "site" / "sw.js").read_text(encoding="utf-8")

        page, answer = revisit(context, base)
        assert restored(page)
        assert answer == fresh
        # The restored engine answers a new question too (the flow and the engine both run in it).
        page.goto(base + LATER_ANSWER)
        page.wait_for_selector("#wizard[data-screen=answer]", timeout=ANSWER_TIMEOUT)
        assert page.locator("[data-slot=deadline-text]").inner_text() == "Fri 6 Nov 2026"
    finally:
        context.close()


@pytest.mark.parametrize("damage", ["header", "cut short"])
def test_a_damaged_snapshot_costs_a_fresh_start_never_a_wrong_or_missing_answer(browser, served, damage):
    work, base = served
    context = browser.new_context(bypass_csp=True)
    try:
        fresh, saved = first_visit(context, base)
        page = context.new_page()
        page.goto(base + "offline/")
        cut = "bytes.slice(0, bytes.byteLength >> 1)" if damage == "cut short" else \
            "(() => { const copy = new Uint8Array(bytes.slice(0)); copy[0] ^= 0xff; return copy; })()"
        magic = page.evaluate(f"""(async () => {{
            const cache = await caches.open({saved[0]!r});
            const [request] = await cache.keys();
            const response = await cache.match(request);
            const bytes = await response.arrayBuffer();
            await cache.put(request, new Response({cut}, {{ headers: response.headers }}));
            return new Uint32Array(bytes, 0, 1)[0];
        }})()""")
        page.close()

        page, answer = revisit(context, base)
        assert answer == fresh
        assert not restored(page)
        # The damaged snapshot is replaced by a good one, which the next visit restores.
        wait_until(page, f"""(async () => {{
            const cache = await caches.open({saved[0]!r});
            const [request] = await cache.keys();
            const response = request && await cache.match(request);
            if (!response) return false;
            const bytes = await response.arrayBuffer();
            return bytes.byteLength === Number(response.headers.get("X-Engine-Bytes")) && new Uint32Array(bytes, 0, 1)[0] === {magic};
        }})()""")
        page.close()
        page, again = revisit(context, base)
        assert again == fresh and restored(page)
    finally:
        context.close()


def test_a_new_build_never_restores_the_previous_builds_engine(browser, served):
    work, base = served
    context = browser.new_context(bypass_csp=True)
    try:
        old, saved = first_visit(context, base)
        old_key = offline.engine_key(work / "site")
        assert saved == [f"eg-engine-{old_key}"]

        build_testshire(work / "protocols", ("2022-06", "2024-01"), work / "site")  # deploy a new build
        new_key = offline.engine_key(work / "site")
        assert new_key != old_key
        page, new = revisit(context, base)
        assert new["deadline"] == "Mon 9 Nov 2026" and "January 2024" in new["protocol"]
        assert not restored(page)
        # The old build's snapshot is deleted (by the new service worker or the worker saving its own).
        wait_until(page, f"{SAVED}.then((found) => found.length === 1 && found[0] === 'eg-engine-{new_key}')")
        page.close()
        page, again = revisit(context, base)
        assert again == new and restored(page)
    finally:
        context.close()
