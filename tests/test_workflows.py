"""The GitHub workflows cannot run here, so they are checked here: against GitHub's published schemas
(bundled in check-jsonschema, so offline), and against the rules the project sets for them.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
GITHUB = ROOT / ".github"
WORKFLOWS = sorted((GITHUB / "workflows").glob("*.yml"))
ACTIONS = sorted((GITHUB / "actions").glob("*/action.yml"))
PULL_REQUEST = GITHUB / "workflows" / "pull-request.yml"
PUBLISH = GITHUB / "workflows" / "publish.yml"
SETUP = GITHUB / "actions" / "setup" / "action.yml"
PINNED = re.compile(r"^(?P<action>[\w.-]+/[\w./-]+)@(?P<sha>[0-9a-f]{40}) # v\d+\.\d+\.\d+$")
FAST_TESTS = '.venv/bin/pytest -q -p no:cacheprovider -m "not browser and not slow"'  # the same selection as `make test-fast`


def validate(schema: str, *paths: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema,
                           *map(str, paths)], capture_output=True, text=True)


def load(path: Path) -> dict:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)  # keeps `on:` a string key


def steps(path: Path) -> list[dict]:
    data = load(path)
    if "runs" in data:
        return data["runs"]["steps"]
    return [step for job in data["jobs"].values() for step in job.get("steps", [])]


def runs(path: Path) -> str:
    return "\n".join(step.get("run", "") for step in steps(path))


def test_there_are_the_two_workflows_and_the_setup_action():
    assert [p.name for p in WORKFLOWS] == ["publish.yml", "pull-request.yml"]
    assert ACTIONS == [SETUP]


def test_workflows_validate_against_githubs_schema():
    result = validate("vendor.github-workflows", *WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_setup_action_validates_against_githubs_schema():
    result = validate("vendor.github-actions", *ACTIONS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_check_catches_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text(PULL_REQUEST.read_text().replace("runs-on: ubuntu-24.04", "run-on: ubuntu-24.04", 1))
    assert validate("vendor.github-workflows", broken).returncode == 1


def test_every_action_is_pinned_to_a_full_commit_with_its_version():
    for path in [*WORKFLOWS, *ACTIONS]:
        for line in path.read_text().splitlines():
            match = re.match(r"^\s*(?:- )?uses: (.+)$", line)
            if match and not match[1].startswith("./"):
                assert PINNED.match(match[1]), f"{path.name}: {line.strip()}"


def test_nothing_is_fetched_except_by_package_managers():
    for path in [*WORKFLOWS, *ACTIONS]:
        script = runs(path)
        assert not re.search(r"\b(curl|wget|git clone|pip download)\b|https?://", script), path.name
        for step in steps(path):
            assert not step.get("uses", "").startswith("docker://"), path.name


def test_no_expression_is_pasted_into_a_script():
    # `${{ }}` in a run script is text substituted before the shell sees it: pass values through env instead.
    for path in [*WORKFLOWS, *ACTIONS]:
        assert "${{" not in runs(path), path.name


def test_setup_installs_what_the_makefile_installs():
    makefile = (ROOT / "Makefile").read_text()
    debs = set(re.search(r"^DEBS\s*:=\s*(.+)$", makefile, re.M)[1].split())
    script = runs(SETUP)
    installed = set(re.search(r"apt-get install -y -q (.+)", script)[1].split())
    assert "graphviz" in installed
    assert installed <= debs and debs - installed == {"chromium"}  # only the browser tests need Chromium
    assert "npm ci --no-audit --no-fund" in script and "npm ci --no-audit --no-fund" in makefile
    assert "pip install -q -e '.[test]'" in script and "pip install -q -e '.[test]'" in makefile


def test_pull_request_checks_tests_previews_and_summarises():
    data = load(PULL_REQUEST)
    assert set(data["on"]) == {"pull_request"}
    assert data["permissions"] == {"contents": "read"}
    script = runs(PULL_REQUEST)
    assert ".venv/bin/guidance check --format github protocols/" in script
    assert FAST_TESTS in script
    makefile = (ROOT / "Makefile").read_text()
    assert FAST_TESTS in makefile.replace("$(VENV)", ".venv")  # one definition of "fast": the browser marker
    lint = re.search(r"^lint:.*\n((?:\t.+\n)+)", makefile, re.M)[1]
    for command in lint.split("\t"):  # the same linters as `make lint`
        command = command.strip().replace("$(VENV)", ".venv")
        assert not command or command in script, command
    assert '.venv/bin/guidance diff --since "$BASE_SHA" --format markdown >> "$GITHUB_STEP_SUMMARY"' in script
    assert ".venv/bin/guidance build" in script
    preview = data["jobs"]["preview"]["steps"]
    checkout = next(s for s in preview if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == "0"  # the base commit must be there to compare with
    summary = next(s for s in preview if "guidance diff" in s.get("run", ""))
    assert summary["env"]["BASE_SHA"] == "${{ github.event.pull_request.base.sha }}"
    upload = next(s for s in preview if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["with"]["path"] == "site/" and upload["with"]["name"] == "site-preview"
    build = next(s for s in preview if s.get("run") == ".venv/bin/guidance build")
    assert build["env"] == {"ESCALATION_DIRECTORY_URLS": "false"}  # opens from a folder: see docs/publishing.md
    assert preview.index(summary) < preview.index(build) < preview.index(upload)


def test_main_is_published_with_the_official_pages_actions():
    data = load(PUBLISH)
    assert data["on"]["push"]["branches"] == ["main"]
    assert data["permissions"] == {"contents": "read"}
    build, deploy = data["jobs"]["build"], data["jobs"]["deploy"]
    used = [s.get("uses", "").split("@")[0] for s in build["steps"]]
    assert "actions/configure-pages" in used and "actions/upload-pages-artifact" in used
    upload = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert upload["with"]["path"] == "site/"
    assert ".venv/bin/guidance check --format github protocols/" in runs(PUBLISH)
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]
    # The published build keeps directory addresses: no preview switch here.
    assert all("ESCALATION_DIRECTORY_URLS" not in str(s.get("env", "")) for s in build["steps"])


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_job_checks_out_before_using_the_local_setup_action(path):
    for name, job in load(path)["jobs"].items():
        uses = [s.get("uses", "") for s in job.get("steps", [])]
        if "./.github/actions/setup" in uses:
            first = uses.index("./.github/actions/setup")
            assert any(u.startswith("actions/checkout@") for u in uses[:first]), name


@pytest.mark.parametrize(("value", "expected"), [(None, True), ("false", False), ("true", True)])
def test_the_preview_switch_turns_folder_addresses_into_file_links(monkeypatch, value, expected):
    """A downloaded preview is opened from a folder, where `swindon/` shows a file listing, not the page."""
    from mkdocs.config import load_config

    if value is None:
        monkeypatch.delenv("ESCALATION_DIRECTORY_URLS", raising=False)
    else:
        monkeypatch.setenv("ESCALATION_DIRECTORY_URLS", value)
    assert load_config(str(ROOT / "mkdocs.yml"))["use_directory_urls"] is expected


def test_the_gitlab_example_in_the_publishing_guide_validates(tmp_path):
    """The guide's GitLab Pages job cannot run here either: it is checked against GitLab's schema."""
    guide = (ROOT / "docs" / "publishing.md").read_text(encoding="utf-8")
    block = re.search(r"```text\n(    pages:.*?)```", guide, re.S)[1]
    example = tmp_path / ".gitlab-ci.yml"
    example.write_text("\n".join(line.removeprefix("    ") for line in block.splitlines()) + "\n")
    job = yaml.safe_load(example.read_text())["pages"]
    assert job["artifacts"]["paths"] == ["public"]
    assert "make check build" in job["script"] and "mv site public" in job["script"]
    result = validate("vendor.gitlab-ci", example)
    assert result.returncode == 0, result.stdout + result.stderr
    example.write_text(example.read_text().replace("script:", "scripts:"))
    assert validate("vendor.gitlab-ci", example).returncode == 1
