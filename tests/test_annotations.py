"""`guidance check --format github`: one GitHub annotation per problem, on the right file, line and column.

The broken fixtures (tests/fixtures/broken/) were broken by hand; the places below were counted by hand
from those files, not read back from the loader.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator import load
from generator.cli import main
from generator.views import annotations

ROOT = Path(__file__).resolve().parent.parent
BROKEN = Path("tests") / "fixtures" / "broken"
ANNOTATION = re.compile(r"^::error file=(?P<file>[^,]*),line=(?P<line>\d+),col=(?P<col>\d+),"
                        r"title=(?P<title>[^:]*)::(?P<message>.*)$")

# (file, line, column, field) of every problem in the broken fixtures, counted by hand.
EXPECTED = [
    ("tests/fixtures/broken/minimal/2025-01.yaml", 8, 11, "partnership.nation"),  # nation: atlantis
    ("tests/fixtures/broken/minimal/2025-01.yaml", 34, 17, "routes[0].stages[0].timescale.days"),  # days: two
    ("tests/fixtures/broken/minimal/2025-01.yaml", 36, 9, "routes[0].stages[1]"),  # stage 2 has no role
    ("tests/fixtures/broken/tabbed/2025-01.yaml", 6, 1, ""),  # a tab before short_name
]


@pytest.fixture
def in_repository(monkeypatch):
    monkeypatch.chdir(ROOT)


def test_one_annotation_per_problem_on_its_file_line_and_column(in_repository, capsys):
    assert main(["check", "--format", "github", str(BROKEN)]) == 1
    out, err = capsys.readouterr()
    lines = out.splitlines()
    matches = [ANNOTATION.match(line) for line in lines]
    assert all(matches), lines
    assert [(m["file"], int(m["line"]), int(m["col"])) for m in matches] == [e[:3] for e in EXPECTED]
    assert err == ""


def test_each_annotation_carries_the_loaders_own_message(in_repository, capsys):
    main(["check", "--format", "github", str(BROKEN)])
    messages = [ANNOTATION.match(line)["message"] for line in capsys.readouterr().out.splitlines()]
    problems = []
    for folder in ("minimal", "tabbed"):
        with pytest.raises(load.SpecError) as caught:
            load.load_protocol(BROKEN / folder / "2025-01.yaml")
        problems += caught.value.problems
    assert [(p.path, p.line, p.column, p.field) for p in problems] == EXPECTED
    assert messages == [annotations.escape_data(f"{p.field}: {p.message}" if p.field else p.message)
                        for p in problems]
    assert "expected one of" in messages[0] and "atlantis" in messages[0]
    assert "missing required field 'role'" in messages[2]
    assert "tab" in messages[3]


def test_default_output_is_unchanged(in_repository, capsys):
    assert main(["check", str(BROKEN)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert "::error" not in err
    assert err.splitlines()[0].startswith("tests/fixtures/broken/minimal/2025-01.yaml:8:11: partnership.nation: ")
    assert len(err.splitlines()) == 4


def test_a_clean_tree_gives_no_annotation_and_exits_0(in_repository, capsys):
    assert main(["check", "--format", "github", "protocols"]) == 0
    out = capsys.readouterr().out
    assert "::error" not in out
    assert out.count("ok  ") >= 5


def test_an_unknown_format_is_bad_input():
    with pytest.raises(SystemExit) as exit_:
        main(["check", "--format", "gitlab", str(BROKEN)])
    assert exit_.value.code == 2


@pytest.mark.parametrize(("message", "escaped"), [
    ("100% sure", "100%25 sure"),
    ("first line\nsecond line", "first line%0Asecond line"),
    ("carriage\r\nreturn", "carriage%0D%0Areturn"),
    ("%0A is not a newline", "%250A is not a newline"),
    ("keys: a, b", "keys: a, b"),  # the message is data: ':' and ',' are left as they are
])
def test_message_escaping_follows_githubs_rules(message, escaped):
    problem = load.Problem("protocols/a/1.yaml", 3, 4, "", message)
    assert annotations.github_annotation(problem) == (
        f"::error file=protocols/a/1.yaml,line=3,col=4,title=Protocol spec problem::{escaped}")


def test_property_escaping_keeps_a_strange_file_name_in_one_property():
    problem = load.Problem("protocols/a,b/v:1%.yaml", 2, 5, "version.id", "expected text")
    line = annotations.github_annotation(problem)
    assert line == ("::error file=protocols/a%2Cb/v%3A1%25.yaml,line=2,col=5,title=Protocol spec problem"
                    "::version.id: expected text")
    assert line.count(",") == 3 and line.count("::") == 2


def test_a_message_cannot_start_a_second_command():
    problem = load.Problem("p/v.yaml", 1, 1, "", "oops\n::warning file=x::injected")
    out = annotations.github_annotations([problem])
    assert out.count("\n") == 1 and out.endswith("\n")
    assert "\n::warning" not in out


def test_absolute_paths_inside_the_workspace_become_relative(tmp_path):
    spec = tmp_path / "protocols" / "a" / "1.yaml"
    assert annotations.repository_path(str(spec), workspace=tmp_path) == "protocols/a/1.yaml"
    assert annotations.repository_path("./protocols/a/1.yaml") == "protocols/a/1.yaml"
    elsewhere = "/somewhere/else/1.yaml"
    assert annotations.repository_path(elsewhere, workspace=tmp_path) == elsewhere


def test_control_characters_in_a_spec_never_reach_the_log_raw(tmp_path, capsys):
    folder = tmp_path / "minimal"
    folder.mkdir()
    text = (ROOT / "tests" / "fixtures" / "specs" / "minimal" / "2025-01.yaml").read_text()
    (folder / "2025-01.yaml").write_text(text.replace("nation: england", 'nation: "eng\\x1b[2Jland"'))
    assert main(["check", "--format", "github", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert out.startswith("::error ") and out.count("\n") == 1
    assert "\x1b" not in out
