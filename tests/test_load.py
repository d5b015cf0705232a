"""The loader: the real specs load, and every kind of mistake gets its exact file:line:column message."""

from pathlib import Path

import pytest

from generator import load
from generator.cli import main

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = ROOT / "tests" / "fixtures" / "specs" / "minimal" / "2025-01.yaml"
SPEC = "protocols/minimal/2025-01.yaml"  # the name the broken copies are reported under


def test_every_real_protocol_loads():
    protocols = load.load_tree(ROOT / "protocols")
    ids = {p.id for p in protocols}
    assert {"calderdale", "swindon", "north-wales", "kirklees", "hips"} <= ids
    for p in protocols:
        assert p.route("standard").stages, p.id
        assert p.source_path.endswith(".yaml")


def test_minimal_fixture_is_valid():
    protocol = load.load_protocol(MINIMAL)
    assert protocol.route("standard").caps[0].stages == (1, 2)
    assert protocol.version.review_due.iso() == "2027-01"


# (kind of mistake, text replaced, replacement, exact messages)
BROKEN = [
    ("typo in a key", "        timescale:\n          kind: working_days\n          days: 2",
     "        timscale:\n          kind: working_days\n          days: 2",
     [f"{SPEC}:28:9: routes[0].stages[0]: missing required field 'timescale'",
      f"{SPEC}:31:9: routes[0].stages[0].timscale: unknown key 'timscale' (did you mean 'timescale'?); expected "
      "one of: actions, contacts, counterpart, duties, forms, notes, number, record, role, similar_seniority, "
      "timescale, title"]),
    ("unknown nation", "nation: england", "nation: englnd",
     [f"{SPEC}:7:11: partnership.nation: expected one of: england, wales, scotland, northern-ireland; got 'englnd'"]),
    ("days as words", "days: 5\n", "days: five\n",
     [f"{SPEC}:41:17: routes[0].stages[1].timescale.days: expected a whole number; got 'five'"]),
    ("working days without a number", "          days: 2\n", "",
     [f"{SPEC}:32:11: routes[0].stages[0].timescale: missing required field 'days' (needed when kind is "
      "working_days)"]),
    ("unknown timescale kind", "kind: working_days\n          days: 2", "kind: asap\n          days: 2",
     [f"{SPEC}:32:17: routes[0].stages[0].timescale.kind: expected one of: working_days, same_working_day, "
      "calendar_months, clock_hours, without_delay, agreed, none; got 'asap'"]),
    ("stage numbers not consecutive", "      - number: 2\n", "      - number: 3\n",
     [f"{SPEC}:35:17: routes[0].stages[1].number: expected stage 2 (stages are numbered 1, 2, 3 ... in order); "
      "got 3",
      f"{SPEC}:45:21: routes[0].caps[0].stages[1]: stage 2 does not exist in route 'standard' (it has stages 1, 3)"]),
    ("contact that does not exist", "contacts: [front-door]\n        timescale",
     "contacts: [front-dor]\n        timescale",
     [f"{SPEC}:38:20: routes[0].stages[1].contacts[0]: no contact with id 'front-dor' (did you mean "
      "'front-door'?); known: front-door"]),
    ("urgent route that does not exist", "urgent_route: null", "urgent_route: urgent",
     [f"{SPEC}:22:17: risk.urgent_route: no route with id 'urgent'; known: standard"]),
    ("cap over a missing stage", "stages: [1, 2]", "stages: [1, 7]",
     [f"{SPEC}:45:21: routes[0].caps[0].stages[1]: stage 7 does not exist in route 'standard' (it has stages 1, 2)"]),
    ("review before issue", 'review_due: "2027-01"', 'review_due: "2024-12"',
     [f"{SPEC}:12:15: version.review_due: review date 2024-12 is before the issue date 2025-01-15"]),
    ("impossible date", 'issued: "2025-01-15"', 'issued: "2025-02-31"',
     [f"{SPEC}:11:11: version.issued: '2025-02-31' is not a real date"]),
    ("date in another format", 'issued: "2025-01-15"', 'issued: "15/01/2025"',
     [f"{SPEC}:11:11: version.issued: expected a date as YYYY-MM-DD, or YYYY-MM when the text gives only a "
      "month, or 'unknown'; got '15/01/2025'"]),
    ("duplicate key", "  short_name: Minimal\n", "  short_name: Minimal\n  short_name: Min\n",
     [f"{SPEC}:7:3: partnership.short_name: duplicate key 'short_name' (first given on line 6)"]),
    ("tab indentation", "  short_name: Minimal\n", "\tshort_name: Minimal\n",
     [f"{SPEC}:6:1: not valid YAML: while scanning for the next token found character '\\t' that cannot start "
      "any token (YAML does not allow tabs for indentation: use spaces)"]),
    ("duplicate contact id", "    phone: \"01234 567890\"\n",
     "    phone: \"01234 567890\"\n  - id: front-door\n    name: Again\n",
     [f"{SPEC}:18:9: contacts[1].id: contact id 'front-door' is used twice"]),
    ("missing top-level section", "risk:\n  immediate_danger:\n    - Call the Front Door.\n"
     "  immediate_danger_contacts: [front-door]\n  urgent_route: null\n", "",
     [f"{SPEC}:3:1: missing required field 'risk'"]),
    ("partnership id not its folder", "  id: minimal\n", "  id: minimum\n",
     [f"{SPEC}:4:7: partnership.id: 'minimum' does not match its folder 'minimal' (each partnership's "
      "versions live in protocols/<partnership id>/)"]),
]


@pytest.mark.parametrize(("kind", "old", "new", "expected"), BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_spec_messages(kind, old, new, expected):
    text = MINIMAL.read_text()
    assert old in text, f"fixture no longer contains {old!r}"
    with pytest.raises(load.SpecError) as caught:
        load.load_text(text.replace(old, new, 1), SPEC)
    assert str(caught.value).splitlines() == expected


def test_a_bare_list_is_explained():
    with pytest.raises(load.SpecError) as caught:
        load.load_text("- one\n- two\n", SPEC)
    assert str(caught.value) == (f"{SPEC}:1:1: expected a mapping with keys partnership, version, risk and "
                                 "routes; got a list")


def test_an_empty_file_is_explained():
    with pytest.raises(load.SpecError) as caught:
        load.load_text("# nothing yet\n", SPEC)
    assert str(caught.value) == f"{SPEC}:1:1: the file is empty; expected a protocol spec (a mapping)"


def test_check_reports_every_file_and_exits_1(tmp_path, capsys):
    for name in ("one", "two"):
        folder = tmp_path / name
        folder.mkdir()
        text = MINIMAL.read_text().replace("id: minimal", f"id: {name}").replace("nation: england", "nation: mars")
        (folder / "2025-01.yaml").write_text(text)
    assert main(["check", str(tmp_path)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert [line.split(": ", 1)[0] for line in err] == [f"{tmp_path}/one/2025-01.yaml:7:11",
                                                        f"{tmp_path}/two/2025-01.yaml:7:11"]
    assert "Traceback" not in "\n".join(err)


def test_check_passes_on_the_real_protocols(capsys):
    assert main(["check", str(ROOT / "protocols")]) == 0
    assert capsys.readouterr().out.count("ok  ") >= 5


def test_check_of_a_missing_path_exits_2(capsys):
    assert main(["check", "no/such/folder"]) == 2
    assert "no such file or folder" in capsys.readouterr().err
