"""The command line: every bad input gets a message naming the option and exit code 2 (1 for a bad
spec), never a traceback; spec text never reaches the terminal as raw escape codes."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import main, terminal_safe

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = ROOT / "tests" / "fixtures" / "specs" / "minimal" / "2025-01.yaml"
NEXT = ["next", "--protocol", "swindon", "--completed-stage", "1"]


@pytest.mark.parametrize(("argv", "words"), [
    (NEXT + ["--on", "0001-01-01", "--today", "2026-12-24"], "argument --on: '0001-01-01': working days can be"),
    (NEXT + ["--on", "9999-12-30", "--today", "2026-12-24"], "argument --on: '9999-12-30'"),
    (NEXT + ["--on", "2026-12-23", "--today", "1900-01-01"], "argument --today: '1900-01-01'"),
    (NEXT + ["--on", "2100-12-20", "--today", "2100-12-21"], "reach past 2100"),
    (NEXT + ["--on", "2026-12-23", "--today", "2026-12-24", "--started", "1066-10-14"], "argument --started"),
    (NEXT + ["--on", "2026-12-23", "--today", "2026-12-24", "--stage-ended", "1=2026-12-01",
             "--stage-ended", "1=2026-12-02"], "--stage-ended gives two dates for stage 1"),
    (NEXT + ["--on", "2026-12-23", "--today", "2026-12-24", "--protocols", "/no/such/folder"],
     "--protocols /no/such/folder: no such folder"),
    (NEXT + ["--on", "2026-12-23", "--today", "2026-12-24", "--protocols", str(ROOT / "generator")],
     "no protocol specs in this folder"),
    (["serve", "--port", "70000"], "argument --port: '70000' is not a port number"),
    (["serve", "--port", "http"], "argument --port: 'http' is not a port number"),
])
def test_bad_command_input_exits_2_with_the_option_named(argv, words, capsys):
    assert run(argv) == 2
    err = capsys.readouterr().err
    assert words in err
    assert "Traceback" not in err


def test_building_from_an_empty_folder_is_bad_command_input(tmp_path, capsys):
    (tmp_path / "swindon").mkdir()  # a partnership folder with no spec in it is still no spec
    assert run(["build", "--protocols", str(tmp_path), "--site-dir", str(tmp_path / "site")]) == 2
    err = capsys.readouterr().err
    assert f"--protocols {tmp_path}: no protocol specs in this folder (expected {tmp_path}/<partnership>/" in err
    assert not (tmp_path / "site").exists() and "Traceback" not in err


def run(argv: list[str]) -> int:
    """The exit code, whether `main` returns it or argparse exits with it."""
    try:
        return main(argv)
    except SystemExit as exc:
        return exc.code


def test_the_same_stage_end_given_twice_is_accepted(capsys):
    assert main(NEXT[:-1] + ["3", "--on", "2026-12-23", "--today", "2026-12-24", "--stage-ended", "1=2026-12-01",
                             "--stage-ended", "1=2026-12-01"]) in (0, 2)
    assert "two dates" not in capsys.readouterr().err


def test_a_busy_port_is_refused_before_building(capsys, monkeypatch):
    from generator import build

    monkeypatch.setattr(build, "build_site", lambda *a, **k: pytest.fail("built before checking the port"))
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert main(["serve", "--port", str(port)]) == 2
    err = capsys.readouterr().err
    assert f"--port {port}: cannot listen on 127.0.0.1:{port}" in err


def test_next_works_outside_the_repository(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = subprocess.run([sys.executable, "-m", "generator.cli", *NEXT, "--on", "2026-12-23", "--today", "2026-12-24"],
                         cwd=tmp_path, capture_output=True, text=True, env=env)
    assert run.returncode == 0, run.stderr
    assert "Swindon" in run.stdout


def two_partnerships(tmp_path: Path) -> tuple[Path, Path]:
    one = tmp_path / "one.yaml"
    one.write_text(MINIMAL.read_text())
    other = tmp_path / "other.yaml"
    other.write_text(MINIMAL.read_text().replace("id: minimal", "id: elsewhere"))
    return one, other


def test_diff_between_two_partnerships_says_so(tmp_path, capsys):
    one, other = two_partnerships(tmp_path)
    assert main(["diff", str(one), str(other)]) == 2
    assert "diff compares two versions of one partnership's protocol" in capsys.readouterr().err


def test_diff_of_a_draft_kept_anywhere(tmp_path, capsys):
    draft = tmp_path / "drafts" / "my-draft.yaml"
    draft.parent.mkdir()
    draft.write_text(MINIMAL.read_text().replace("Talk", "Talk it through"))
    assert main(["diff", str(MINIMAL), str(draft)]) == 0, capsys.readouterr().err
    assert "Talk it through" in capsys.readouterr().out


def test_diff_of_a_missing_file_exits_2(capsys):
    assert main(["diff", str(MINIMAL), "/no/such.yaml"]) == 2
    assert "/no/such.yaml: no such file" in capsys.readouterr().err


def test_terminal_escape_codes_are_shown_not_sent():
    assert terminal_safe("red \x1b[31m text\x07 \u202e ok\n") == "red \\x1b[31m text\\x07 \\u202e ok\n"


def test_an_escape_code_in_a_key_never_reaches_the_terminal_raw(tmp_path, capsys):
    folder = tmp_path / "minimal"
    folder.mkdir()
    (folder / "2025-01.yaml").write_text(MINIMAL.read_text().replace("  short_name: Minimal\n",
                                                                      '  short_name: Minimal\n  "x\\e]0;pwned\\a": 1\n'))
    assert main(["check", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\x07" not in err
    assert "x\\x1b]0;pwned\\x07" in err
