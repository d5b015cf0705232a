"""The browser bundle: what the build puts in the site for the wizard, and what it refuses to do."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from generator import load
from generator.views import bundle

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def protocols():
    return load.load_tree(ROOT / "protocols")


@pytest.fixture(scope="module")
def built(protocols, tmp_path_factory):
    site = tmp_path_factory.mktemp("bundle-site")
    result = bundle.write_bundle(protocols, site, today=dt.date(2026, 11, 29))
    return site, result, json.loads(result.bundle_json.read_text(encoding="utf-8"))


def test_pyodide_is_copied_from_the_npm_package_not_fetched(built):
    site, result, _ = built
    for name in bundle.PYODIDE_FILES:
        assert (site / "assets" / "pyodide" / name).read_bytes() == \
            (ROOT / "node_modules" / "pyodide" / name).read_bytes()


def test_missing_npm_package_says_what_to_install(protocols, tmp_path):
    with pytest.raises(bundle.BundleError) as caught:
        bundle.write_bundle(protocols, tmp_path / "site", node_modules=tmp_path / "empty")
    message = str(caught.value)
    assert "npm install pyodide@" in message and "pyodide.asm.wasm" in message


def test_holidays_cover_ten_years_back_to_six_ahead(built):
    _, result, data = built
    assert (data["first_year"], data["last_year"]) == (2016, 2032)
    assert (result.first_year, result.last_year) == (2016, 2032)
    england = data["holidays"]["england"]
    assert england["2026-12-28"] == "Boxing Day, substitute day"
    assert england["2027-03-26"] == "Good Friday"
    assert min(england) >= "2016-01-01" and max(england) <= "2032-12-31"
    assert england["2016-03-25"] == "Good Friday" and "2032-12-27" in england
    # Wales shares England's list; Scotland's has its own (2 January, St Andrew's Day).
    assert data["holidays"]["wales"] == england
    assert set(data["holidays"]) == {"england", "wales"}


def test_only_the_current_version_of_each_partnership_is_offered(protocols):
    swindon = next(p for p in protocols if p.id == "swindon")
    older = dataclasses.replace(swindon, version=dataclasses.replace(
        swindon.version, id="2020-01", issued=swindon.version.issued.__class__(year=2020, month=1)))
    chosen = bundle.current_versions([swindon, older])
    assert [p.version.id for p in chosen] == [swindon.version.id]
    assert [p.version.id for p in bundle.current_versions([older, swindon])] == [swindon.version.id]


def test_protocol_data_round_trips_through_the_bundle(built, protocols):
    from generator.core.model import from_dict

    _, _, data = built
    for protocol in protocols:
        assert from_dict(data["protocols"][protocol.id]) == protocol


def test_questions_follow_the_protocols(built):
    _, _, data = built
    questions = {q["id"]: q for q in data["questions"]}
    swindon = questions["swindon"]
    assert swindon["urgent_route"] == "urgent"
    assert swindon["route_choices"] == ["standard"]  # the urgent route is reached by "not safe", not chosen
    assert swindon["person"] == "child"
    assert questions["calderdale"]["person"] == "child or adult"
    # Calderdale caps steps 1 to 5 from the day the disagreement arose: asked after stages 1 to 4 end,
    # not after stage 5 (its only later stage, 6, is outside the cap).
    calderdale = {r["id"]: r for r in questions["calderdale"]["routes"]}
    assert calderdale["standard"]["asks_started"] == [1, 2, 3, 4]
    # Hips' cap over stages 2 and 3 counts from the end of a stage the wizard already asks about.
    assert all(r["asks_started"] == [] for r in questions["hips"]["routes"])


def test_wheel_is_deterministic_and_holds_only_the_engine():
    name, first = bundle.engine_wheel()
    _, second = bundle.engine_wheel()
    assert first == second
    assert name == "escalation_guide_engine-1.0-py3-none-any.whl"
    with zipfile.ZipFile(__import__("io").BytesIO(first)) as archive:
        names = set(archive.namelist())
        modules = {n for n in names if n.endswith(".py")}
        core = sorted(p.name for p in (ROOT / "generator" / "core").glob("*.py"))
        assert {"model.py", "calendar.py", "engine.py", "__init__.py"} <= set(core)
        assert modules == {"generator/__init__.py"} | {f"generator/core/{m}" for m in core}
        for module in core:
            assert archive.read(f"generator/core/{module}") == (ROOT / "generator" / "core" / module).read_bytes()


def test_engine_imports_only_the_standard_library_and_itself():
    """Whatever else the engine imported would be missing in Pyodide, which gets only the wheel."""
    for path in sorted((ROOT / "generator" / "core").glob("*.py")):
        module = path.name
        text = path.read_text(encoding="utf-8")
        for line in text.splitlines():
            if line.startswith(("import ", "from ")):
                target = line.split()[1]
                assert target.startswith(".") or target.split(".")[0] in sys.stdlib_module_names, \
                    f"{module}: {line}"


def test_pip_accepts_the_wheel(built, tmp_path):
    """A standard wheel: pip checks its metadata and RECORD hashes while installing it."""
    _, result, _ = built
    target = tmp_path / "installed"
    run = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "--quiet",
                          "--target", str(target), str(result.wheel)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert (target / "generator" / "core" / "engine.py").is_file()
    check = subprocess.run([sys.executable, "-I", "-c", "import sys; sys.path.insert(0, sys.argv[1]);"
                            "import generator.core.engine as e; print(e.__file__)", str(target)],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    assert check.stdout.strip().startswith(str(target))
