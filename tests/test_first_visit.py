"""What a reader's first visit to the decision aid downloads (decision 014), in Chromium with a profile on
disk, as a reader's browser has (a private window keeps nothing in its HTTP cache as big as Pyodide's
9.6 MB WebAssembly).

- wizard-start.js asks early for Pyodide's smaller files; the worker then finds them in the HTTP cache.
- The service worker precaches Pyodide from the HTTP cache the visit filled (asked for with no-cache: the
  server confirms the copy), so the first visit, offline use included, downloads each file once.
- It never precaches bytes that are not this build's: a copy whose hash is not the revision sw.js lists
  is asked for again past every cache.
"""

from __future__ import annotations

import collections
import hashlib
import os

import pytest

pytest.importorskip("playwright")
from browser_helpers import ARGS, CHROMIUM, copy_of_testshire  # noqa: E402

from generator.static_server import Server  # noqa: E402

pytestmark = [pytest.mark.browser]

CLOCK = "2026-11-03T10:00:00"
ANSWER = "next/?protocol=testshire&danger=no&unsafe=no&stage=1&on=2026-11-02"  # Thu 5 Nov 2026 (test_wizard.py)
TIMEOUT = 60_000
PYODIDE = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json")
LOCK = "assets/pyodide/pyodide-lock.json"
WIZARD_SW = ("navigator.serviceWorker.controller !== null && "
             "navigator.serviceWorker.controller.scriptURL.endsWith('sw.js?wizard=1')")


@pytest.fixture
def visit(browser, tmp_path):
    """A copy of the Testshire site, served; a browser profile on disk; the pages opened in it."""
    site = copy_of_testshire(("2022-06",), tmp_path / "site")
    with Server(site) as server:
        context = browser.browser_type.launch_persistent_context(
            tmp_path / "profile", executable_path=CHROMIUM, args=ARGS, bypass_csp=True)
        try:
            yield site, server, context
        finally:
            context.close()


def answer(context, url: str):
    page = context.pages[0] if context.pages else context.new_page()
    page.clock.set_fixed_time(CLOCK)
    page.goto(url)
    page.wait_for_selector("#wizard[data-screen=answer]", timeout=TIMEOUT)
    return page


def test_a_first_visit_downloads_pyodide_once_offline_use_included(visit):
    site, server, context = visit
    page = answer(context, server.url + ANSWER)
    assert page.locator("[data-slot=deadline-text]").inner_text() == "Thu 5 Nov 2026"
    page.wait_for_function(WIZARD_SW, timeout=TIMEOUT)  # installed: everything precached
    sent = collections.Counter(path for path, _ in server.sent)
    assert {name: sent[f"assets/pyodide/{name}"] for name in PYODIDE} == dict.fromkeys(PYODIDE, 1)
    context.set_offline(True)  # and the precache has all of it
    assert answer(context, server.url + ANSWER).locator("[data-slot=deadline-text]").inner_text() == "Thu 5 Nov 2026"


def test_a_copy_of_pyodide_from_another_build_is_never_precached(visit):
    """The browser holds a pyodide-lock.json whose bytes are not this build's, and the server, asked whether
    the copy is current, says it is (its file keeps the old time): the precache asks again past the cache."""
    site, server, context = visit
    page = context.new_page()
    page.goto(server.url + "testshire/")
    path = site / LOCK
    old = path.read_text(encoding="utf-8")
    assert page.evaluate(f"fetch('/{LOCK}').then((r) => r.text())") == old  # now in the HTTP cache
    stamp = path.stat().st_mtime
    new = old + "\n"
    path.write_text(new, encoding="utf-8")
    os.utime(path, (stamp, stamp))
    sw = site / "sw.js"  # this build lists the new bytes' revision, as a new build's manifest would
    old_revision = hashlib.sha256(old.encode()).hexdigest()[:16]
    new_revision = hashlib.sha256(new.encode()).hexdigest()[:16]
    assert old_revision in sw.read_text(encoding="utf-8")
    sw.write_text(sw.read_text(encoding="utf-8").replace(old_revision, new_revision), encoding="utf-8")

    page = answer(context, server.url + ANSWER)
    page.wait_for_function(WIZARD_SW, timeout=TIMEOUT)
    precached = page.evaluate(f"""(async () => {{
        for (const name of await caches.keys()) {{
            const cache = await caches.open(name);
            for (const request of await cache.keys()) {{
                if (new URL(request.url).pathname === '/{LOCK}') return (await cache.match(request)).text();
            }}
        }}
        return null;
    }})()""")
    assert precached == new
