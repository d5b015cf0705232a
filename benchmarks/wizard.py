"""Times the decision aid in Debian's Chromium against the built site served on 127.0.0.1.

Figures, each the median of several runs in fresh browser contexts (a cold HTTP cache) and then a
revisit in the same context (warm cache):
  - navigation -> first question usable (the questions are plain HTML, drawn before Python loads);
  - navigation -> first answer with Pyodide cold (a bookmarked answer URL);
  - a warm re-answer (change the date on the answer page: the engine is already running);
  - bytes transferred;
  - a bare page that loads the same vendored Pyodide and runs one line of Python: the floor for this
    design. The ratio first answer / bare page is the figure the design targets (within 15%).

Usage: .venv/bin/python benchmarks/wizard.py [--runs 5] [--site DIR]   (DIR: an already built site)
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "parity"))
from wizard_site import Server, build_site  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ANSWER = "next/?protocol=swindon&danger=no&unsafe=no&stage=1&on=2026-11-02"
BARE_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Bare Pyodide</title></head>
<body><p id="out">loading</p><script type="module">
const indexURL = new URL("assets/pyodide/", location.href).href;
const { loadPyodide } = await import(indexURL + "pyodide.mjs");
const py = await loadPyodide({ indexURL });
document.getElementById("out").textContent = py.runPython("1 + 1");
performance.mark("bare-done");
</script></body></html>
"""
BYTES = ("performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))"
         ".reduce((sum, e) => sum + (e.transferSize || 0), 0)")


def mark(page, name: str) -> float:
    return page.evaluate(f"performance.getEntriesByName({name!r})[0].startTime")


def wizard_run(browser, base: str) -> dict:
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(base + "next/")
        page.wait_for_selector("#wz-protocol")
        first_question = mark(page, "wz-first-screen")

        answer_page = browser.new_context()  # a second fresh context: nothing cached for the answer
        try:
            cold = answer_page.new_page()
            cold.goto(base + ANSWER)
            cold.wait_for_selector("#wizard[data-screen=answer]", timeout=120_000)
            first_answer = mark(cold, "wz-answer-shown")
            cold_bytes = cold.evaluate(BYTES)
            warm_answers = []
            for day in ("3", "4", "5"):
                cold.locator(".wz-summary__row", has_text="November 2026").get_by_role("link").click()
                cold.fill("#wz-on", day)
                cold.get_by_role("button", name="Continue").click()
                cold.wait_for_function(f"document.querySelector('[data-slot=\"deadline-text\"]') && "
                                       f"location.search.includes('on=2026-11-0{day}')")
                warm_answers.append(cold.evaluate("performance.getEntriesByName('wz-answer').at(-1).duration"))
            revisit = answer_page.new_page()
            revisit.goto(base + ANSWER)
            revisit.wait_for_selector("#wizard[data-screen=answer]", timeout=120_000)
            revisit_answer = mark(revisit, "wz-answer-shown")
            revisit_bytes = revisit.evaluate(BYTES)
        finally:
            answer_page.close()
        return {"first_question": first_question, "first_answer": first_answer,
                "warm_answer": statistics.median(warm_answers), "bytes": cold_bytes,
                "revisit_answer": revisit_answer, "revisit_bytes": revisit_bytes}
    finally:
        context.close()


def bare_run(browser, base: str) -> dict:
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(base + "bench-bare.html")
        page.wait_for_function("document.getElementById('out').textContent === '2'", timeout=120_000)
        cold, cold_bytes = mark(page, "bare-done"), page.evaluate(BYTES)
        page = context.new_page()
        page.goto(base + "bench-bare.html")
        page.wait_for_function("document.getElementById('out').textContent === '2'", timeout=120_000)
        return {"cold": cold, "bytes": cold_bytes, "revisit": mark(page, "bare-done")}
    finally:
        context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--site", type=Path, help="an already built site (default: build one now)")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if options.site:
            site = options.site
        else:
            built = build_site(Path(tmp) / "site")
            site = built.directory
            if built.fallback:
                print("note: the full site did not build; timing the wizard in a minimal site")
        (site / "bench-bare.html").write_text(BARE_PAGE, encoding="utf-8")
        try:
            with Server(site) as server, sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                wizard_run(browser, server.url)  # one unmeasured run: Chromium's own start-up costs
                bare_run(browser, server.url)
                wizard, bare = [], []
                for _ in range(options.runs):  # interleaved, so drift affects both alike
                    wizard.append(wizard_run(browser, server.url))
                    bare.append(bare_run(browser, server.url))
                browser.close()
        finally:
            (site / "bench-bare.html").unlink(missing_ok=True)

    def med(rows, key):
        return statistics.median(r[key] for r in rows)

    print(f"Decision aid in Chromium {CHROMIUM}, {options.runs} runs each, medians (ms from navigation start)")
    print(f"  first question usable             {med(wizard, 'first_question'):8.0f} ms")
    print(f"  first answer, Pyodide cold        {med(wizard, 'first_answer'):8.0f} ms   "
          f"({med(wizard, 'bytes') / 1e6:.1f} MB transferred)")
    print(f"  warm re-answer (changed date)     {med(wizard, 'warm_answer'):8.1f} ms")
    print(f"  first answer, revisit (warm HTTP) {med(wizard, 'revisit_answer'):8.0f} ms   "
          f"({med(wizard, 'revisit_bytes') / 1e6:.2f} MB transferred)")
    print(f"  bare Pyodide + one line, cold     {med(bare, 'cold'):8.0f} ms   ({med(bare, 'bytes') / 1e6:.1f} MB)")
    print(f"  bare Pyodide + one line, revisit  {med(bare, 'revisit'):8.0f} ms")
    print(f"  ratio first answer / bare, cold   {med(wizard, 'first_answer') / med(bare, 'cold'):8.2f}")
    print(f"  ratio on revisit                  {med(wizard, 'revisit_answer') / med(bare, 'revisit'):8.2f}")


if __name__ == "__main__":
    main()
