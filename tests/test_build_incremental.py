"""MkDocs re-renders only what changed (issue 10): a changed spec re-renders its own pages and no others,
the result is the site a clean build makes, a new version (a navigation change) updates every page, and
the published site is never written through while a build runs."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from site_builds import build_into, two_partnerships

from generator import build


def _retitle_first_stage(spec: Path, new_title: str) -> None:
    text = spec.read_text(encoding="utf-8")
    old = yaml.safe_load(text)["routes"][0]["stages"][0]["title"]
    assert f"title: {old}\n" in text, "the test edits the stage title in place"
    spec.write_text(text.replace(f"title: {old}\n", f"title: {new_title}\n", 1), encoding="utf-8")


def _site_files(site: Path) -> dict[str, bytes]:
    """Every file's bytes; a PDF's without the moment Graphviz drew it (two builds draw at two moments)."""
    return {p.relative_to(site).as_posix(): re.sub(rb"/CreationDate \(D:\d+Z?\)", b"", p.read_bytes())
            if p.suffix == ".pdf" else p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def _html_times(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns for p in folder.rglob("*.html")}


@pytest.fixture(scope="module")
def changed_once(tmp_path_factory):
    """A cold build, then one stage title of Swindon changed and built again."""
    folder = tmp_path_factory.mktemp("incremental")
    tree = two_partnerships(folder)
    first = build_into(folder, tree)
    engine_site = folder / "build" / build.ENGINE_SITE
    before_times = _html_times(engine_site)
    before_site = _site_files(folder / "site")
    _retitle_first_stage(tree / "swindon" / "2024-01.yaml", "Talk it through first")
    second = build_into(folder, tree)
    return folder, tree, first, second, before_times, before_site


def test_a_changed_spec_re_renders_its_own_pages_and_no_others(changed_once):
    folder, _, first, second, before_times, _ = changed_once
    assert not first.incremental and second.incremental
    after = _html_times(folder / "build" / build.ENGINE_SITE)
    rendered = {rel for rel in after if after[rel] != before_times.get(rel)}
    swindon_pages = {"swindon/index.html", "swindon/2024-01/index.html", "swindon/changes/index.html"}
    assert rendered - {"404.html"} <= swindon_pages, rendered
    assert {"swindon/index.html", "swindon/2024-01/index.html"} <= rendered
    assert not any(rel.startswith("testshire/") for rel in rendered)
    assert "Talk it through first" in (second.site / "swindon" / "index.html").read_text(encoding="utf-8")


def test_the_incremental_site_is_the_site_a_clean_build_makes(changed_once, tmp_path):
    folder, tree, *_ = changed_once
    clean = build_into(tmp_path, tree)
    assert not clean.incremental
    ours, theirs = _site_files(folder / "site"), _site_files(clean.site)
    assert ours.keys() == theirs.keys()
    differing = [rel for rel in ours if ours[rel] != theirs[rel]]
    assert differing == [], differing
    index = json.loads(ours[build.SEARCH_INDEX])
    titles = " ".join(doc["text"] for doc in index["docs"] if doc["location"].startswith("swindon/"))
    assert "Talk it through first" in titles  # the changed page's new words are searchable


def test_the_published_site_was_not_written_through_by_the_incremental_run(changed_once):
    """Files shared by hard link between the engine's output and site/ are replaced, never rewritten: the
    first site's bytes, captured before the second build, are what the old inodes still hold."""
    folder, _, _, _, _, before_site = changed_once
    after = _site_files(folder / "site")
    assert before_site["swindon/index.html"] != after["swindon/index.html"]
    engine_site = folder / "build" / build.ENGINE_SITE
    linked = [p for p in (folder / "site").rglob("*") if p.is_file() and p.stat().st_nlink > 1]
    assert linked, "large downloads are hard-linked from the engine's output"
    for path in linked:
        assert path.suffix in build.LINKED_SUFFIXES
        assert path.read_bytes() == (engine_site / path.relative_to(folder / "site")).read_bytes()


def test_a_new_version_changes_the_set_of_pages_and_every_page_is_rendered(tmp_path):
    tree = two_partnerships(tmp_path)
    build_into(tmp_path, tree)
    engine_site = tmp_path / "build" / build.ENGINE_SITE
    before = _html_times(engine_site)
    data = yaml.safe_load((tree / "swindon" / "2024-01.yaml").read_text(encoding="utf-8"))
    data["version"].update(id="2026-02", issued="2026-02", review_due="2029-02", changes=["A new version for the test."])
    (tree / "swindon" / "2026-02.yaml").write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True),
                                                   encoding="utf-8")
    result = build_into(tmp_path, tree)
    assert not result.incremental
    after = _html_times(engine_site)
    assert all(after[rel] != before[rel] for rel in before if rel in after), "every page rendered again"
    assert (result.site / "swindon" / "2026-02" / "index.html").is_file()
    clean = build_into(tmp_path / "clean", tree)
    assert _site_files(result.site) == _site_files(clean.site)


def test_a_failed_incremental_run_is_not_built_on(tmp_path, monkeypatch):
    """An engine run that stops half-way leaves its output unknown: the next build starts from clean."""
    tree = two_partnerships(tmp_path)
    build_into(tmp_path, tree)
    _retitle_first_stage(tree / "swindon" / "2024-01.yaml", "Half-way")

    def stop(*args, **kwargs):
        raise build.BuildError("stopped for the test")

    monkeypatch.setattr(build, "_run_mkdocs", stop)
    with pytest.raises(build.BuildError):
        build_into(tmp_path, tree)
    monkeypatch.undo()
    result = build_into(tmp_path, tree)
    assert result.engine_ran and not result.incremental
    assert "Half-way" in (result.site / "swindon" / "index.html").read_text(encoding="utf-8")


def test_merging_a_search_index_replaces_rendered_pages_in_place():
    previous = {"config": {}, "docs": [{"location": "", "text": "home"}, {"location": "a/", "text": "old a"},
                                       {"location": "a/#s", "text": "old a s"}, {"location": "b/", "text": "b"}]}
    fresh = {"config": {"lang": ["en"]}, "docs": [{"location": "a/", "text": "new a"}, {"location": "c/", "text": "c"}]}
    merged = build.merge_search_index(previous, fresh, {"a/", "c/", "gone/"})
    assert merged["config"] == {"lang": ["en"]}
    assert [d["text"] for d in merged["docs"]] == ["home", "new a", "b", "c"]
    # A rendered page that is no longer searched loses its entries.
    assert [d["text"] for d in build.merge_search_index(previous, {"docs": []}, {"a/"})["docs"]] == ["home", "b"]
