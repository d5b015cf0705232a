"""`guidance diff --since REF`: "what changed" for every spec a pull request touches, as its CI runs it.

Each test builds a small git repository: a base commit on main, then a working tree changed the way a
partnership would change it (a new version file, an edit in place, a new partnership, a mistake, a removal).
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from pathlib import Path

import cmarkgfm
import pytest
from cmarkgfm.cmark import Options

from generator import review
from generator.cli import main

FIXTURES = Path(__file__).resolve().parent / "fixtures"
TESTSHIRE = FIXTURES / "versions" / "testshire"
MINIMAL = FIXTURES / "specs" / "minimal" / "2025-01.yaml"

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is needed")


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.invalid", *args],
                          cwd=repo, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """main holds testshire 2022-06 and the minimal spec; the working tree is then changed by each test."""
    (tmp_path / "protocols" / "testshire").mkdir(parents=True)
    (tmp_path / "protocols" / "minimal").mkdir()
    shutil.copy(TESTSHIRE / "2022-06.yaml", tmp_path / "protocols" / "testshire" / "2022-06.yaml")
    shutil.copy(MINIMAL, tmp_path / "protocols" / "minimal" / "2025-01.yaml")
    (tmp_path / "README.md").write_text("not a spec\n")
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "base")
    git(tmp_path, "checkout", "-q", "-b", "proposal")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def commit(repo: Path) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "proposal")


def summary(capsys, *extra: str) -> tuple[int, str]:
    code = main(["diff", "--since", "main", "--format", "markdown", *extra])
    return code, capsys.readouterr().out


def shown(markdown: str) -> str:
    """What a reader sees: the rendered summary's text, tags removed."""
    rendered = cmarkgfm.github_flavored_markdown_to_html(markdown, options=Options.CMARK_OPT_UNSAFE)
    return html.unescape(re.sub(r"<[^>]+>", "", rendered))


def rows(markdown: str) -> list[list[str]]:
    rendered = cmarkgfm.github_flavored_markdown_to_html(markdown, options=Options.CMARK_OPT_UNSAFE)
    return [[html.unescape(c) for c in re.findall(r"<td>(.*?)</td>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", rendered, re.S) if "<td>" in row]


def test_a_new_version_file_is_compared_with_the_version_it_supersedes(repo, capsys):
    shutil.copy(TESTSHIRE / "2024-01.yaml", repo / "protocols" / "testshire" / "2024-01.yaml")
    commit(repo)
    code, out = summary(capsys)
    assert code == 0
    assert "**protocols\\/testshire\\/2024\\-01\\.yaml** (added)" in out
    assert "version 2022\\-06 → 2024\\-01" in out
    # The file's own account of the version follows, for the reviewer to set against the computed one.
    claimed = shown(out).split("What the file says this version changed (compare it with the list above)")[1]
    assert claimed.split() == "Added a stage for team and service managers. Stage 2 now allows five working days.".split()
    assert [r[1] for r in rows(out)] == ["2. Inter-agency Discussion", "3. Team / Inspectors / Service Manager",
                                         "4. Heads / Leads / Directors of Service",
                                         "5. Testshire Safeguarding Partnership"]


def test_an_edit_in_place_is_compared_with_the_file_as_it_was(repo, capsys):
    spec = repo / "protocols" / "minimal" / "2025-01.yaml"
    spec.write_text(spec.read_text().replace("days: 5\n", "days: 4\n").replace("role: Line manager", "role: Team manager")
                    .replace("  source_title: Minimal protocol\n", "  source_title: Minimal protocol\n  changes: [First.]\n"))
    commit(repo)
    code, out = summary(capsys)
    assert code == 0
    assert "**protocols\\/minimal\\/2025\\-01\\.yaml** (modified)" in out
    assert "What the file says" not in out  # same version: its own list of changes is not about this edit
    assert rows(out) == [["Standard route", "2. Managers",
                          "who acts: “Line manager” → “Team manager”; "
                          "timescale: within 5 working days → within 4 working days"]]


def test_uncommitted_edits_count_too(repo, capsys):
    spec = repo / "protocols" / "minimal" / "2025-01.yaml"
    spec.write_text(spec.read_text().replace("days: 5\n", "days: 3\n"))
    code, out = summary(capsys)
    assert code == 0
    assert rows(out) == [["Standard route", "2. Managers", "timescale: within 5 working days → within 3 working days"]]


def test_a_new_partnership_is_named_with_nothing_to_compare(repo, capsys):
    (repo / "protocols" / "newshire").mkdir()
    text = MINIMAL.read_text().replace("id: minimal", "id: newshire").replace(
        "name: Minimal Safeguarding Partnership", "name: Newshire Safeguarding Partnership")
    (repo / "protocols" / "newshire" / "2025-01.yaml").write_text(text)
    commit(repo)
    code, out = summary(capsys)
    assert code == 0
    assert "**protocols\\/newshire\\/2025\\-01\\.yaml** (added)" in out
    assert "A new protocol: there is no earlier version to compare with." in shown(out)
    assert "Newshire Safeguarding Partnership, version 2025-01: Standard route (2 stages)." in shown(out)


def test_a_spec_with_problems_lists_them_and_exits_1(repo, capsys):
    spec = repo / "protocols" / "minimal" / "2025-01.yaml"
    spec.write_text(spec.read_text().replace("days: 5\n", "days: five\n"))
    code, out = summary(capsys)
    assert code == 1
    assert "This file has problems" in out
    assert "line 41, column 17: routes[0].stages[1].timescale.days: expected a whole number" in shown(out)


def test_a_removed_file_and_files_that_are_not_specs(repo, capsys):
    (repo / "protocols" / "testshire" / "2022-06.yaml").unlink()
    (repo / "README.md").write_text("changed\n")
    (repo / "protocols" / "notes.txt").write_text("not a spec\n")
    commit(repo)
    code, out = summary(capsys)
    assert code == 0
    assert "**protocols\\/testshire\\/2022\\-06\\.yaml** (deleted)" in out
    assert "README" not in out and "notes" not in out


def test_nothing_changed(repo, capsys):
    code, out = summary(capsys)
    assert code == 0
    assert "No protocol spec changed since main." in shown(out)


def test_text_format_for_the_terminal(repo, capsys):
    shutil.copy(TESTSHIRE / "2024-01.yaml", repo / "protocols" / "testshire" / "2024-01.yaml")
    assert main(["diff", "--since", "main"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "protocols/testshire/2024-01.yaml (added)"
    assert "  - Resolution process: stage 3 “Team / Inspectors / Service Manager” added." in out


def test_changed_specs_lists_paths_git_reports(repo):
    shutil.copy(TESTSHIRE / "2024-01.yaml", repo / "protocols" / "testshire" / "2024-01.yaml")
    (repo / "protocols" / "minimal" / "2025-01.yaml").unlink()
    commit(repo)
    assert review.changed_specs("main", Path("protocols")) == [
        (review.DELETED, "protocols/minimal/2025-01.yaml"), (review.ADDED, "protocols/testshire/2024-01.yaml")]
    assert review.changed_specs("main", repo / "protocols") == review.changed_specs("main", Path("protocols"))


@pytest.mark.parametrize("argv", [
    ["diff", "--since", "no-such-branch"],
    ["diff", "--since=--output=written-by-git.txt"],  # never passed to git as an option
    ["diff", "--since", "main", "a.yaml"],
    ["diff", "only-one.yaml"],
])
def test_bad_input_exits_2_with_a_message(repo, capsys, argv):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("guidance: ") and "Traceback" not in err
    assert not (repo / "written-by-git.txt").exists()


def test_outside_a_git_repository_exits_2(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    assert main(["diff", "--since", "main"]) == 2
    assert "not a commit or branch" in capsys.readouterr().err


def test_a_copy_that_keeps_the_old_version_id_is_a_problem_not_a_new_protocol(repo, capsys):
    # The commonest slip when starting a new version from a copy: the id inside is still the old one.
    shutil.copy(TESTSHIRE / "2022-06.yaml", repo / "protocols" / "testshire" / "2026-04.yaml")
    code, out = summary(capsys)
    assert code == 1
    assert "This file has problems" in shown(out)
    assert "'2022-06'" in shown(out) and "2026-04.yaml" in shown(out)  # the loader names the clash
    assert "A new protocol" not in shown(out)


def test_an_older_version_added_after_a_newer_one_has_nothing_earlier_to_compare_with(repo, capsys):
    git(repo, "checkout", "-q", "main")
    shutil.copy(TESTSHIRE / "2024-01.yaml", repo / "protocols" / "testshire" / "2024-01.yaml")
    (repo / "protocols" / "testshire" / "2022-06.yaml").unlink()
    commit(repo)
    git(repo, "checkout", "-q", "-b", "older")
    shutil.copy(TESTSHIRE / "2022-06.yaml", repo / "protocols" / "testshire" / "2022-06.yaml")
    code, out = summary(capsys)
    assert code == 0
    assert "There is no earlier version of this protocol to compare with." in shown(out)


def test_a_folder_name_git_would_quote_is_read_as_it_is(repo, capsys):
    (repo / "protocols" / "ynys-môn").mkdir()
    text = MINIMAL.read_text().replace("id: minimal", "id: ynys-mon")
    (repo / "protocols" / "ynys-môn" / "2025-01.yaml").write_text(text)
    commit(repo)
    assert review.changed_specs("main", Path("protocols")) == [(review.ADDED, "protocols/ynys-môn/2025-01.yaml")]
