"""`guidance build` as its own step: a plain tree before the engine, incremental, cached, searchable, served."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path

import pytest
import yaml
from site_builds import FIXTURE_VERSIONS, ROOT, build_into, two_partnerships

from generator import build, load, serve
from generator.cli import main


def _change_a_stage_title(spec: Path, new_title: str) -> None:
    text = spec.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    old_title = data["routes"][0]["stages"][0]["title"]
    assert text.count(f"title: {old_title}\n") >= 1, "the test edits the stage title in place"
    spec.write_text(text.replace(f"title: {old_title}\n", f"title: {new_title}\n", 1), encoding="utf-8")


@pytest.fixture(scope="module")
def twice(tmp_path_factory):
    """A cold build, then a second build with nothing changed; the file times of the first are kept."""
    folder = tmp_path_factory.mktemp("twice")
    tree = two_partnerships(folder)
    first = build_into(folder, tree)
    times = {p: p.stat().st_mtime_ns for p in (folder / "build" / "docs").rglob("*") if p.is_file()}
    site_times = {p: p.stat().st_mtime_ns for p in (folder / "site").rglob("*.html")}
    second = build_into(folder, tree)
    return folder, tree, first, second, times, site_times


def test_a_cold_build_draws_every_version_and_renders_every_partnership(twice):
    _, tree, first, *_ = twice
    versions = {f"{p.id}/{p.version.id}" for p in load.load_tree(tree)}
    assert set(first.generated.drawn) == versions and len(versions) == 4
    assert sorted(first.generated.rendered) == ["swindon", "testshire"]
    assert first.engine_ran


def test_a_second_build_with_nothing_changed_redraws_no_flowchart_and_rewrites_nothing(twice):
    folder, _, _, second, times, site_times = twice
    assert second.generated.drawn == [] and second.generated.rendered == []
    assert second.generated.tree.changed == []
    assert not second.engine_ran  # nothing changed, so the site engine did not run either
    after = {p: p.stat().st_mtime_ns for p in (folder / "build" / "docs").rglob("*") if p.is_file()}
    assert after == times
    assert {p: p.stat().st_mtime_ns for p in (folder / "site").rglob("*.html")} == site_times


def test_a_changed_spec_rebuilds_its_own_pages_and_flowcharts_and_no_others(tmp_path):
    tree = two_partnerships(tmp_path)
    build_into(tmp_path, tree)
    docs = tmp_path / "build" / "docs"
    before = {p.relative_to(docs).as_posix(): p.read_bytes() for p in docs.rglob("*") if p.is_file()}
    _change_a_stage_title(tree / "swindon" / "2024-01.yaml", "Talk it through first")
    result = build_into(tmp_path, tree)
    assert result.generated.drawn == ["swindon/2024-01"]
    assert result.generated.rendered == ["swindon"]
    after = {p.relative_to(docs).as_posix(): p.read_bytes() for p in docs.rglob("*") if p.is_file()}
    changed = {rel for rel in after if before.get(rel) != after[rel]}
    assert not any(rel.startswith("testshire/") for rel in changed)
    assert {"swindon/index.md", "swindon/2024-01/index.md"} <= changed
    assert "Talk it through first" in (result.site / "swindon" / "index.html").read_text(encoding="utf-8")
    assert result.engine_ran


def test_the_tree_is_plain_markdown_and_its_config_has_no_hooks_and_the_nav(twice):
    folder, tree, *_ = twice
    config = yaml.safe_load((folder / "build" / "mkdocs.yml").read_text(encoding="utf-8"))
    assert "hooks" not in config
    assert config["theme"]["name"] == "material" and config["theme"]["custom_dir"] == str(ROOT / "site_overrides")
    assert {"Protocols": [{"Swindon": "swindon/index.md"}, {"Testshire": "testshire/index.md"}]} in config["nav"]
    page = (folder / "build" / "docs" / "swindon" / "index.md").read_text(encoding="utf-8")
    assert page.startswith("---\ntitle: ") and '<figure class="ec-flowchart" data-search-exclude><svg' in page
    # Every download the page links sits beside it in the tree, so any engine copies it unchanged.
    for name in ("standard.pdf", "standard.png", build.TRAINER_PACK):
        assert (folder / "build" / "docs" / "swindon" / "2024-01" / "flowcharts" / name).is_file()


def test_plain_mkdocs_builds_the_generated_tree_by_itself(twice, tmp_path):
    folder, *_ = twice
    out = tmp_path / "plain"
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f",
                           str(folder / "build" / "mkdocs.yml"), "-d", str(out)],
                          capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert done.returncode == 0, done.stderr
    assert (out / "testshire" / "2022-06" / "index.html").is_file()
    assert (out / "assets" / "wizard" / "bundle.json").is_file()


def test_superseded_versions_are_browsable_but_not_searched(twice):
    folder, *_ = twice
    site = folder / "site"
    assert (site / "testshire" / "2022-06" / "index.html").is_file()
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    locations = {doc["location"].split("#")[0] for doc in index["docs"]}
    assert "testshire/" in locations and "swindon/" in locations
    assert not [loc for loc in locations if loc.count("/") >= 2], "version and changes pages are not searched"


def test_search_index_does_not_grow_with_superseded_versions(tmp_path):
    one = tmp_path / "one" / "protocols"
    (one / "testshire").mkdir(parents=True)
    shutil.copy(FIXTURE_VERSIONS / "testshire" / "2025-09.yaml", one / "testshire")
    small = build_into(tmp_path / "one", one).site / "search" / "search_index.json"
    large = build_into(tmp_path / "three", FIXTURE_VERSIONS).site / "search" / "search_index.json"
    # Three versions against one: the two superseded ones add nothing but the "what changed" link.
    assert large.stat().st_size - small.stat().st_size < 2_000


def test_each_guidance_page_with_its_svgs_downloads_under_300_kb(twice):
    folder, *_ = twice
    site = folder / "site"
    for page in [*site.glob("*/index.html"), *site.glob("*/*/index.html")]:
        assert page.stat().st_size < 300_000, page  # the SVGs are inline: the HTML is the whole download


def test_a_folder_with_only_protocols_builds_with_the_shipped_pages_and_theme(tmp_path, monkeypatch):
    tree = two_partnerships(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert main(["build", "--today", "2026-03-01"]) == 0
    site = tmp_path / "site"
    for rel in ("index.html", "next/index.html", "compare/index.html", "swindon/index.html",
                "testshire/2022-06/index.html", "testshire/changes/index.html"):
        assert (site / rel).is_file(), rel
    assert "Testshire" in (site / "index.html").read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == [".guidance-build", "protocols", "site"]
    assert tree.is_dir()


def test_reserved_version_id_is_refused_before_anything_is_written(tmp_path):
    tree = tmp_path / "protocols"
    shutil.copytree(FIXTURE_VERSIONS, tree)
    spec = tree / "testshire" / "2025-09.yaml"
    spec.rename(tree / "testshire" / "changes.yaml")
    text = (tree / "testshire" / "changes.yaml").read_text(encoding="utf-8")
    (tree / "testshire" / "changes.yaml").write_text(text.replace('  id: 2025-09\n', '  id: changes\n'),
                                                     encoding="utf-8")
    with pytest.raises((build.BuildError, load.SpecError)) as failure:
        build_into(tmp_path, tree)
    assert "changes" in str(failure.value) and "reserved" in str(failure.value)
    assert not (tmp_path / "site").exists()


# --- guidance new ----------------------------------------------------------------------------------

def test_new_writes_a_spec_that_check_flags_until_every_placeholder_is_filled(tmp_path, capsys):
    protocols = tmp_path / "protocols"
    assert main(["new", "north-yorkshire", "--protocols", str(protocols), "--version", "2026-11"]) == 0
    spec = protocols / "north-yorkshire" / "2026-11.yaml"
    assert spec.read_text(encoding="utf-8").splitlines()[0] == "# yaml-language-server: $schema=../schema.json"
    assert (protocols / "schema.json").is_file()
    capsys.readouterr()
    assert main(["check", "--protocols", str(protocols)]) == 1
    messages = capsys.readouterr().err.splitlines()
    fields = {line.split(": ")[1] for line in messages}
    assert {"partnership.name", "partnership.nation", "version.issued", "risk.immediate_danger[0]",
            "routes[0].stages[0].role", "routes[0].stages[0].timescale.kind"} <= fields
    assert all(f"{spec}:" in line and "placeholder not yet filled in" in line for line in messages)
    assert len(messages) == len(fields)  # one message per field, not also the schema's complaint
    assert main(["new", "north-yorkshire", "--protocols", str(protocols), "--version", "2026-11"]) == 2
    assert main(["new", "North Yorkshire", "--protocols", str(protocols)]) == 2


def test_a_filled_in_new_spec_passes_check(tmp_path):
    protocols = tmp_path / "protocols"
    assert main(["new", "testtown", "--protocols", str(protocols), "--version", "2026-11"]) == 0
    spec = protocols / "testtown" / "2026-11.yaml"
    filled = {"name": "Testtown Safeguarding Partnership", "short_name": "Testtown", "nation": "england",
              "covers": ["children"], "issued": "2026-11", "review_due": "unknown", "source_title": "Protocol",
              "title": "Talk", "question": "Any disagreement", "role": "Practitioner", "kind": "without_delay",
              "wording": "without delay"}
    data = yaml.safe_load(spec.read_text(encoding="utf-8"))
    data["partnership"].update({k: filled[k] for k in ("name", "short_name", "nation", "covers")})
    data["version"].update({k: filled[k] for k in ("issued", "review_due", "source_title")})
    data["risk"]["immediate_danger"] = ["Call 999."]
    route = data["routes"][0]
    route.update(title="Standard route", question=filled["question"])
    route["stages"][0].update(title=filled["title"], role=filled["role"],
                              timescale={"kind": filled["kind"], "wording": filled["wording"]})
    spec.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    assert main(["check", "--protocols", str(protocols)]) == 0


# --- guidance serve --------------------------------------------------------------------------------

def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - 127.0.0.1 only
        return response.read().decode("utf-8")


def test_serve_rebuilds_on_change_and_keeps_the_last_good_site_when_a_spec_breaks(tmp_path, capsys):
    tree = two_partnerships(tmp_path)
    project = build.project(ROOT, protocols=tree, site_dir=tmp_path / "site", build_dir=tmp_path / "build")
    watcher = serve.Watcher(project)
    assert watcher.rebuild()
    server = serve.make_server(watcher, port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        page = _get(f"{base}/swindon/")
        assert f'{serve.CONTROL}reload.js" data-generation="1"' in page
        assert "Talk it through first" not in page
        assert not watcher.check()  # nothing changed: no build

        spec = tree / "swindon" / "2024-01.yaml"
        _change_a_stage_title(spec, "Talk it through first")
        assert watcher.check()
        assert json.loads(_get(f"{base}{serve.CONTROL}status")) == {"generation": 2, "errors": ""}
        assert "Talk it through first" in _get(f"{base}/swindon/")

        lines = spec.read_text(encoding="utf-8").splitlines(keepends=True)
        number = next(i for i, line in enumerate(lines) if line.strip().startswith("days: "))
        lines[number] = lines[number].split("days:")[0] + "days: five\n"
        spec.write_text("".join(lines), encoding="utf-8")
        assert watcher.check()
        status = json.loads(_get(f"{base}{serve.CONTROL}status"))
        assert status["generation"] == 3 and f"{spec}:{number + 1}:" in status["errors"]
        page = _get(f"{base}/swindon/")
        assert "Talk it through first" in page  # the last good site is still served
        assert 'role="alert"' in page and f"{spec}:{number + 1}:" in page
        assert f"{spec}:{number + 1}:" in capsys.readouterr().err  # and the terminal says it too
        assert "/__guidance__/status" in _get(f"{base}{serve.CONTROL}reload.js")
    finally:
        server.shutdown()
        server.server_close()


def test_serve_escapes_spec_text_in_the_error_banner(tmp_path):
    tree = two_partnerships(tmp_path)
    project = build.project(ROOT, protocols=tree, site_dir=tmp_path / "site", build_dir=tmp_path / "build")
    watcher = serve.Watcher(project)
    watcher.errors = 'x.yaml:1:1: name: expected text; got "<script>alert(1)</script>"'
    handler = type("H", (serve.Handler,), {"watcher": watcher})
    page = handler._decorate(handler, "<html><body><p>hi</p></body></html>")
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert page.index('role="alert"') < page.index("<p>hi</p>")



def test_checked_specs_are_read_back_from_the_cache_and_a_changed_one_is_checked_again(tmp_path, monkeypatch):
    tree = two_partnerships(tmp_path)
    project = build.project(ROOT, protocols=tree, build_dir=tmp_path / "build", site_dir=tmp_path / "site")
    first = build.load_specs(project)
    checked = []
    real = load.load_protocol
    monkeypatch.setattr(load, "load_protocol", lambda path: checked.append(Path(path).name) or real(path))
    assert build.load_specs(project) == first and checked == []
    spec = tree / "testshire" / "2024-01.yaml"
    spec.write_text(spec.read_text(encoding="utf-8").replace("days: 5", "days: five", 1), encoding="utf-8")
    with pytest.raises(load.SpecError, match="2024-01.yaml:.*expected a whole number"):
        build.load_specs(project)
    assert checked == ["2024-01.yaml"]


def test_a_drawing_process_killed_mid_build_is_made_up_for_in_the_main_process(tmp_path, monkeypatch, capsys):
    class KilledPool:
        def __init__(self, max_workers):
            pass

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def map(self, *args):
            raise build.BrokenProcessPool("a worker was killed")

    monkeypatch.setattr(build, "ProcessPoolExecutor", KilledPool)
    result = build_into(tmp_path, FIXTURE_VERSIONS, jobs=2)
    assert sorted(result.generated.drawn) == ["testshire/2022-06", "testshire/2024-01", "testshire/2025-09"]
    assert (result.site / "testshire" / "2022-06" / "flowcharts" / build.TRAINER_PACK).is_file()
    assert "drawing the rest in this one" in capsys.readouterr().err


@pytest.mark.parametrize(("value", "expected"), [(None, True), ("false", False), ("true", True)])
def test_the_generated_configuration_resolves_the_preview_switch(tmp_path, monkeypatch, value, expected):
    """mkdocs.yml's `!ENV [ESCALATION_DIRECTORY_URLS, true]` is resolved into the generated configuration,
    so the publishing workflow's folder-openable preview works through `guidance build` (any engine)."""
    if value is None:
        monkeypatch.delenv("ESCALATION_DIRECTORY_URLS", raising=False)
    else:
        monkeypatch.setenv("ESCALATION_DIRECTORY_URLS", value)
    proj = build.project(ROOT, protocols=FIXTURE_VERSIONS, build_dir=tmp_path / "build", site_dir=tmp_path / "site")
    proj.build_dir.mkdir()
    generated = yaml.safe_load(build._site_config(proj, []))
    assert generated["use_directory_urls"] is expected
    assert "!ENV" not in build._site_config(proj, [])


def test_a_bad_clock_setting_is_a_message_not_a_traceback(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv(load.TODAY_ENV, "tomorrow")
    monkeypatch.chdir(tmp_path)
    assert main(["build", "--protocols", str(FIXTURE_VERSIONS)]) == 2
    assert "ESCALATION_TODAY='tomorrow' is not a date" in capsys.readouterr().err
    assert not (tmp_path / "site").exists() and not (tmp_path / build.BUILD_DIR).exists()


def test_an_upgraded_tool_rewrites_a_site_whose_specs_did_not_change(tmp_path, monkeypatch):
    """The service worker's template and the other site writers are the tool's code, not the tree: a new
    release of the tool must reach site/ even when no spec changed (it kept the old sw.js)."""
    from generator import build

    tree = two_partnerships(tmp_path)
    build_into(tmp_path, tree)
    assert not build_into(tmp_path, tree).engine_ran
    monkeypatch.setattr(build, "page_code_version", lambda: "the next release of the tool")
    assert build_into(tmp_path, tree).engine_ran
