"""Protocol data at stable addresses (data/v1/): what other systems read, and the CLI's JSON contract."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from generator import load
from generator.core import engine, model
from generator.core.calendar import Calendar, calendar_for
from generator.views import data

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_VERSIONS = ROOT / "tests" / "fixtures" / "versions"
TODAY = dt.date(2026, 11, 29)


@pytest.fixture(scope="module")
def protocols():
    return load.load_tree(ROOT / "protocols") + load.load_tree(FIXTURE_VERSIONS)


@pytest.fixture(scope="module")
def published(protocols, tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("data-site")
    return data.write_data(protocols, site, today=TODAY).directory


def read(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))


def validator(published: Path, name: str) -> jsonschema.Draft202012Validator:
    schema = read(published / name)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def test_every_published_file_validates_against_the_schema_beside_it(published):
    schemas = {name: validator(published, name) for name in
               ("protocol.schema.json", "index.schema.json", "holidays.schema.json")}
    checked = 0
    for path in sorted(published.rglob("*.json")):
        if path.name.endswith(".schema.json"):
            continue
        name = ("index.schema.json" if path.name == "index.json"
                else "holidays.schema.json" if path.parent.name == "holidays" else "protocol.schema.json")
        errors = [f"{list(e.path)}: {e.message}" for e in schemas[name].iter_errors(read(path))]
        assert not errors, f"{path.relative_to(published)}: {errors}"
        checked += 1
    assert checked == 8 + 6 + 2 + 1  # 8 versions, 6 current.json, england and wales, the index


def test_the_protocol_schema_is_the_spec_schema_so_published_data_is_a_valid_spec(published):
    assert (published / "protocol.schema.json").read_bytes() == (ROOT / "protocols" / "schema.json").read_bytes()


def test_a_schema_rejects_what_it_should(published):
    """The schemas say something: a protocol without routes and an index entry without dates fail."""
    protocol = read(published / "swindon" / "current.json")
    del protocol["routes"]
    assert not validator(published, "protocol.schema.json").is_valid(protocol)
    index = read(published / "index.json")
    del index["partnerships"][0]["versions"][0]["review_due"]
    assert not validator(published, "index.schema.json").is_valid(index)


def test_published_data_reads_back_into_the_same_model(published, protocols):
    for protocol in protocols:
        path = published / protocol.id / f"{protocol.version.id}.json"
        assert model.from_dict(read(path)) == protocol
        assert "source_path" not in read(path)  # the build machine's paths are not published


def test_index_lists_every_version_with_its_dates_and_current(published):
    index = read(published / "index.json")
    by_id = {p["id"]: p for p in index["partnerships"]}
    assert sorted(by_id) == ["calderdale", "hips", "kirklees", "north-wales", "swindon", "testshire"]
    testshire = by_id["testshire"]
    assert [(v["id"], v["issued"], v["review_due"]) for v in testshire["versions"]] == [
        ("2022-06", "2022-06", "2024-06"), ("2024-01", "2024-01", "2026-01"), ("2025-09", "2025-09", "2027-09")]
    assert testshire["current"] == "2025-09"
    assert read(published / testshire["current_url"]) == read(published / "testshire" / "2025-09.json")
    assert by_id["hips"]["versions"][0]["issued"] is None  # the text gives no date: null, not a guess
    for partnership in index["partnerships"]:
        for version in partnership["versions"]:
            assert (published / version["url"]).is_file()
        holidays = read(published / partnership["holidays_url"])
        assert holidays["nation"] == partnership["nation"]
    assert index["holiday_years"] == [2024, 2030]


def test_holidays_are_the_ones_the_engine_counts_with(published):
    england = read(published / "holidays" / "england.json")
    assert england["holidays"]["2026-12-28"] == "Boxing Day, substitute day"
    assert england["holidays"] == {d.isoformat(): n for d, n in calendar_for("england", 2024, 2030)._holidays.items()}
    assert read(published / "holidays" / "wales.json")["holidays"]["2026-08-31"] == "Late Summer Bank Holiday"


# --- another system computing a deadline from the published JSON alone --------------------------------


def independent_deadline(protocol: dict, holidays: dict, on: dt.date) -> dt.date | None:
    """A case-management system's own few lines: the first stage's latest date when a disagreement has just
    arisen, from the JSON alone. Working days only: Monday to Friday and not in the holiday file; the day
    itself not counted; the earliest of the stage's own limit and any working-day cap over stage 1."""
    route = next(r for r in protocol["routes"] if r["id"] == "standard")
    limits = [route["stages"][0]["timescale"]]
    limits += [c["timescale"] for c in route.get("caps", []) if 1 in c["stages"]]
    dates = []
    for timescale in limits:
        if timescale["kind"] != "working_days":
            continue
        day, left = on, timescale["days"]
        while left:
            day += dt.timedelta(days=1)
            if day.weekday() < 5 and day.isoformat() not in holidays["holidays"]:
                left -= 1
        dates.append(day)
    return min(dates, default=None)


DAYS = [dt.date(2026, 12, 21), dt.date(2026, 12, 23), dt.date(2026, 12, 24), dt.date(2027, 3, 25),
        dt.date(2026, 8, 27)]


def test_a_deadline_computed_from_the_published_json_alone_is_the_engines(published, protocols, tmp_path):
    # Only the published folder is read (copied away from the repository, protocols/ out of reach).
    copy = tmp_path / "downloaded"
    for path in published.rglob("*.json"):
        target = copy / path.relative_to(published)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(path.read_bytes())
    index = read(copy / "index.json")
    compared = 0
    current = model.current_versions(protocols)
    for entry in index["partnerships"]:
        protocol = read(copy / entry["current_url"])
        holidays = read(copy / entry["holidays_url"])
        for on in DAYS:
            ours = independent_deadline(protocol, holidays, on)
            advice = engine.advise(current[entry["id"]], engine.Answers(on=on, today=on),
                                   calendar_for(entry["nation"], 2024, 2030))
            if ours is None:
                continue
            assert advice.next.stage.number == 1
            assert ours.isoformat() == advice.to_dict()["deadline"], (entry["id"], on)
            compared += 1
    assert compared >= 4 * len(DAYS)  # four partnerships give stage 1 a number of working days


def test_the_engine_run_on_published_json_gives_the_cli_answer(published):
    """A Python system can run our own engine on the data: the same answer as `guidance next --json`."""
    protocol = read(published / "hips" / "current.json")
    holidays = read(published / "holidays" / "england.json")
    result = engine.advise_json(protocol, {"completed_stage": 1, "on": "2026-12-23", "today": "2026-12-24"},
                                holidays["holidays"], holidays["first_year"], holidays["last_year"])
    cli = run_next("--protocol", "hips", "--completed-stage", "1", "--on", "2026-12-23", "--today", "2026-12-24")
    assert result["ok"] and result["advice"] == cli
    assert cli["deadline"] == "2026-12-29"  # over Christmas Day and the Boxing Day substitute


def test_a_calendar_from_published_holidays_matches_the_build_calendar(published):
    holidays = read(published / "holidays" / "wales.json")
    ours = Calendar(holidays["holidays"], holidays["first_year"], holidays["last_year"])
    built = calendar_for("wales", 2024, 2030)
    day = dt.date(2026, 12, 23)
    assert ours.add_working_days(day, 5) == built.add_working_days(day, 5)


# --- guidance next --json -----------------------------------------------------------------------------


def run_next(*args: str) -> dict:
    out = subprocess.run([sys.executable, "-m", "generator.cli", "next", *args, "--json"], cwd=ROOT,
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


NEXT_CASES = [
    ("--protocol", "hips", "--completed-stage", "1", "--on", "2026-12-23", "--today", "2026-12-24"),
    ("--protocol", "calderdale", "--not-started", "--on", "2026-12-23", "--today", "2026-12-24",
     "--immediate-danger"),
    ("--protocol", "swindon", "--not-started", "--on", "2026-12-24", "--today", "2026-12-24",
     "--timescale-unsafe"),
    ("--protocol", "kirklees", "--completed-stage", "4", "--on", "2026-11-02", "--today", "2026-11-03"),
    ("--protocol", "north-wales", "--not-started", "--on", "2026-11-02", "--today", "2026-11-03"),
]


@pytest.mark.parametrize("args", NEXT_CASES, ids=lambda a: a[1])
def test_guidance_next_json_validates_against_its_schema(args):
    schema = read(data.SCHEMAS["next.schema.json"])
    jsonschema.Draft202012Validator.check_schema(schema)
    answer = run_next(*args)
    errors = [f"{list(e.path)}: {e.message}" for e in jsonschema.Draft202012Validator(schema).iter_errors(answer)]
    assert not errors


def test_the_next_schema_documents_every_key_and_rejects_strays():
    schema = read(data.SCHEMAS["next.schema.json"])
    answer = run_next(*NEXT_CASES[0])
    assert set(schema["required"]) == set(answer) == set(schema["properties"])
    validator = jsonschema.Draft202012Validator(schema)
    assert not validator.is_valid({**answer, "deadline": "29/12/2026"})
    assert not validator.is_valid({**answer, "surprise": 1})
