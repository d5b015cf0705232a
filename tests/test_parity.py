"""The wizard's answers (Pyodide in the browser) must be the command line's answers (CPython).

Both sides run the same code on the same inputs: the engine wheel and bundle.json that the build
writes, and the Python glue quoted from wizard-worker.js (the Web Worker the page runs it in).
CPython imports the engine from the wheel (not the source tree), Pyodide is the copy vendored into
the site from the npm package. The case table is built from the protocols themselves: every
protocol, every route, every stage (and "none yet"), urgent and not, with dates around Christmas
2026 and Easter 2027, plus answers that must be refused.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator import load
from generator.views import bundle

ROOT = Path(__file__).resolve().parent.parent
WORKER_JS = ROOT / "site_overrides" / "assets" / "wizard-worker.js"
HARNESS = ROOT / "tests" / "parity" / "harness.mjs"
BUILD_DAY = dt.date(2026, 6, 1)  # bank holidays 2016 to 2032: covers every date below

# Dates either side of the Christmas 2026 holidays (Fri 25, Mon 28 Dec substitute, Fri 1 Jan) and
# Easter 2027 (Good Friday 26 Mar, Easter Monday 29 Mar).
DATES = ["2026-12-23", "2026-12-24", "2026-12-29", "2026-12-31", "2027-03-24", "2027-03-25", "2027-03-26",
         "2027-03-29"]
TODAYS = ["2027-01-04", "2027-03-31", "2027-04-20"]

pytestmark = [
    pytest.mark.browser,  # launches Chromium or Node: `make test-fast` leaves it out
    pytest.mark.skipif(shutil.which("node") is None, reason="Node is needed to run Pyodide"),
]


def _answers(route, stage, on, today, *, started=None, danger=False, unsafe=False, stage_ends=None) -> dict:
    answers = {"route": route, "completed_stage": stage, "on": on, "today": today, "started": started,
               "immediate_danger": danger, "timescale_unsafe": unsafe}
    if stage_ends is not None:
        answers["stage_ends"] = stage_ends
    return answers


def build_cases(data: dict) -> list[dict]:
    cases = []
    n = 0
    for protocol in data["questions"]:
        for route in protocol["routes"]:
            for stage in [None] + [s["number"] for s in route["stages"]]:
                on = DATES[n % len(DATES)]
                today = max(TODAYS[n % len(TODAYS)], on)
                started = None
                if stage in route["asks_started"]:
                    started = (dt.date.fromisoformat(on) - dt.timedelta(days=9)).isoformat()
                cases.append({"protocol": protocol["id"], "answers": _answers(
                    route["id"], stage, on, today, started=started, danger=n % 5 == 0, unsafe=n % 7 == 0)})
                n += 1
        first = protocol["routes"][0]["id"]
        cases += [
            {"protocol": protocol["id"], "answers": _answers(first, None, "2026-12-24", "2026-12-24",
                                                             danger=True, unsafe=True)},
            {"protocol": protocol["id"], "answers": _answers(first, 1, "2027-03-25", "2027-03-26", unsafe=True)},
            # A cap counted from the disagreement arising, left unanswered: a warning, not a crash.
            {"protocol": protocol["id"], "answers": _answers(first, 1, "2026-12-23", "2027-01-04")},
            # Answers that must be refused, each naming the question to go back to.
            {"protocol": protocol["id"], "answers": _answers(first, None, "2027-02-31", "2027-03-31")},
            {"protocol": protocol["id"], "answers": _answers(first, None, "2027-05-01", "2027-03-31")},
            {"protocol": protocol["id"], "answers": _answers(first, 99, "2026-12-23", "2027-01-04")},
            {"protocol": protocol["id"], "answers": _answers("no-such-route", None, "2026-12-23", "2027-01-04")},
            {"protocol": protocol["id"], "answers": _answers(first, 1, "2026-12-23", "2027-01-04",
                                                             started="2026-12-30")},
            # Beyond the years whose bank holidays were shipped: refused, naming the question, not guessed.
            {"protocol": protocol["id"], "answers": _answers(first, None, "2032-12-30", "2032-12-31")},
            # A device whose clock is years out.
            {"protocol": protocol["id"], "answers": _answers(first, None, "2026-12-30", "2040-01-01")},
        ]
    cases += [HAND_WORKED, STAGE_END_CAP, STAGE_END_CAP_UNANSWERED]
    return cases


HAND_WORKED = {"protocol": "swindon", "answers": _answers("standard", 1, "2026-12-23", "2027-01-04")}
# HIPS caps stages 2 and 3 at 2 working days from the end of stage 1, as the wizard's "ended1" asks.
STAGE_END_CAP = {"protocol": "hips", "answers": _answers("standard", 2, "2026-12-29", "2027-01-04",
                                                         stage_ends={"1": "2026-12-24"})}
STAGE_END_CAP_UNANSWERED = {"protocol": "hips", "answers": _answers("standard", 2, "2026-12-29", "2027-01-04")}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    site_dir = tmp_path_factory.mktemp("parity-site")
    bundle.write_bundle(load.load_tree(ROOT / "protocols"), site_dir, today=BUILD_DAY)
    return site_dir


@pytest.fixture(scope="module")
def cases(site) -> list[dict]:
    data = json.loads((site / bundle.WIZARD_DIR / bundle.BUNDLE_NAME).read_text(encoding="utf-8"))
    return build_cases(data)


@pytest.fixture(scope="module")
def runs(site, cases, tmp_path_factory) -> tuple[dict, dict]:
    cases_file = tmp_path_factory.mktemp("parity-cases") / "cases.json"
    cases_file.write_text(json.dumps(cases), encoding="utf-8")
    node = subprocess.run(["node", str(HARNESS), str(site), str(WORKER_JS), str(cases_file)],
                          capture_output=True, text=True, timeout=300)
    assert node.returncode == 0, node.stderr
    cpython = subprocess.run([sys.executable, "-I", "-c", _CPYTHON_RUNNER, str(site), str(WORKER_JS),
                              str(cases_file)], capture_output=True, text=True, timeout=300)
    assert cpython.returncode == 0, cpython.stderr
    return json.loads(cpython.stdout), json.loads(node.stdout)


# The CPython side, run isolated (-I) with only the wheel on the path, so it cannot pick up the tree. The
# wheel is unpacked first, as pip and Pyodide's unpackArchive install it (core/messages.py reads its
# catalogues as files beside it, not from inside a zip).
_CPYTHON_RUNNER = r"""
import json, os, re, sys, tempfile, zipfile
site, worker_js, cases_file = sys.argv[1:]
bundle_text = open(f"{site}/assets/wizard/bundle.json", encoding="utf-8").read()
wheel = json.loads(bundle_text)["wheel"]
unpacked = tempfile.TemporaryDirectory()
installed = os.path.join(unpacked.name, os.path.basename(wheel))
zipfile.ZipFile(f"{site}/assets/wizard/{wheel}").extractall(installed)
sys.path.insert(0, installed)
worker_text = open(worker_js, encoding="utf-8").read()
glue = re.search(r"const PY_GLUE = `([\s\S]*?)`;", worker_text).group(1)
page_only = json.loads(re.search(r"const PAGE_ONLY = (\[[^\]]*\]);", worker_text).group(1))
engine_text = json.dumps({k: v for k, v in json.loads(bundle_text).items() if k not in page_only})
namespace = {"wizard_bundle_json": engine_text}
exec(glue, namespace)
import generator.core.engine
cases = json.load(open(cases_file, encoding="utf-8"))
results = [json.loads(namespace["wizard_answer"](c["protocol"], json.dumps(c["answers"]))) for c in cases]
print(json.dumps({"python": sys.version.split()[0], "engine_file": generator.core.engine.__file__, "results": results}))
"""


def test_the_table_covers_every_protocol_route_and_stage(site, cases):
    data = json.loads((site / bundle.WIZARD_DIR / bundle.BUNDLE_NAME).read_text(encoding="utf-8"))
    assert len(cases) >= 60
    wanted = {(p["id"], r["id"], s) for p in data["questions"] for r in p["routes"]
              for s in [None] + [st["number"] for st in r["stages"]]}
    covered = {(c["protocol"], c["answers"]["route"], c["answers"]["completed_stage"]) for c in cases}
    assert wanted <= covered
    assert {c["answers"]["timescale_unsafe"] for c in cases} == {True, False}
    assert {c["answers"]["immediate_danger"] for c in cases} == {True, False}


def test_cpython_and_pyodide_give_identical_answers(runs, cases):
    cpython, pyodide = runs
    assert cpython["python"].startswith("3.11") and pyodide["python"].startswith("3.14")
    assert ".whl" in cpython["engine_file"]  # imported from the wheel, not the source tree
    assert len(cpython["results"]) == len(pyodide["results"]) == len(cases)
    for case, ours, theirs in zip(cases, cpython["results"], pyodide["results"], strict=True):
        assert ours == theirs, f"{case}: CPython and Pyodide differ"


def test_the_cases_exercise_the_holidays_and_the_refusals(runs):
    """Parity over trivial answers would prove little: check the table reaches the interesting paths."""
    results = runs[1]["results"]
    skipped = {h["name"] for r in results if r["ok"] for h in r["advice"]["skipped_holidays"]}
    assert {"Christmas Day", "Boxing Day, substitute day", "New Year's Day", "Good Friday",
            "Easter Monday"} <= skipped
    fields = {r["field"] for r in results if not r["ok"]}
    assert {"on", "completed_stage", "route", "started", "today"} <= fields
    assert any(r["ok"] and r["advice"]["cap_applied"] for r in results)
    assert any(r["ok"] and r["advice"]["route_switched_from"] for r in results)
    assert any(r["ok"] and r["advice"]["deadline"] is None for r in results)
    assert any(not r["ok"] and "reach past 2032, the last year whose bank holidays" in r["message"]
               for r in results)


def test_a_hand_worked_christmas_answer_is_the_same_on_both_sides(runs, cases):
    """Swindon, stage 1 ended Wed 23 Dec 2026, stage 2 allows 5 working days: Thu 24, Tue 29, Wed 30,
    Thu 31 Dec and Mon 4 Jan (Fri 25, Mon 28 Dec and Fri 1 Jan are bank holidays)."""
    index = cases.index(HAND_WORKED)
    for side in runs:
        advice = side["results"][index]["advice"]
        assert advice["deadline"] == "2027-01-04"
        assert [h["date"] for h in advice["skipped_holidays"]] == ["2026-12-25", "2026-12-28", "2027-01-01"]


def test_a_cap_from_the_end_of_stage_1_is_the_same_on_both_sides(runs, cases):
    """HIPS, stage 2 ended Tue 29 Dec 2026. Stage 1 ended Thu 24 Dec: 2 working days after it (Fri 25
    and Mon 28 Dec are bank holidays) are Tue 29 and Wed 30 Dec. Without that date only stage 3's own
    2 working days from Tue 29 Dec apply (Wed 30, Thu 31 Dec), with a warning that the cap went unchecked."""
    with_end, without = cases.index(STAGE_END_CAP), cases.index(STAGE_END_CAP_UNANSWERED)
    for side in runs:
        assert side["results"][with_end]["advice"]["deadline_text"] == "Wed 30 Dec 2026"
        assert not any("could not be checked" in w for w in side["results"][with_end]["advice"]["warnings"])
        assert side["results"][without]["advice"]["deadline_text"] == "Thu 31 Dec 2026"
        assert any("stage 1 ended, which was not given" in w for w in side["results"][without]["advice"]["warnings"])


def test_the_glue_is_quoted_from_where_the_page_runs_it():
    """The page runs Python only in the worker, so quoting the worker's glue is quoting the page's."""
    assert re.search(r"const PY_GLUE = `([\s\S]*?)`;", WORKER_JS.read_text(encoding="utf-8"))
    page_js = (ROOT / "site_overrides" / "assets" / "wizard.js").read_text(encoding="utf-8")
    assert "PY_GLUE" not in page_js and "runPython" not in page_js
    assert "assets/wizard-worker.js" in (ROOT / "site_overrides" / "next.html").read_text(encoding="utf-8")
