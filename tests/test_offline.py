"""The service worker's build side: the precache manifest, content addresses, Workbox vendored.

Its behaviour in Chromium (offline answers, a new build with no stale file) is tested at the end of
tests/test_wizard.py, with the other browser tests.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from browser_helpers import copy_of_testshire

from generator.views import bundle, offline

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "versions" / "testshire"


@pytest.fixture(scope="module")
def first_build(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("offline")
    copy_of_testshire(("2022-06",), work / "site")  # a copy of the one Testshire build (tests/browser_helpers.py)
    return work


# --- the build's side: manifest, content addresses, Workbox vendored ---------------------------------


def manifest(site: Path) -> list[dict]:
    text = (site / "sw.js").read_text(encoding="utf-8")
    lists = re.findall(r"const (?:SHELL|WIZARD) = (\[.*?\]);\n", text, re.S)
    assert len(lists) == 2
    return [entry for found in lists for entry in json.loads(found)]


def test_the_precache_lists_the_wizard_and_its_files_with_the_hash_of_their_bytes(first_build):
    site = first_build / "site"
    entries = {e["url"]: e["revision"] for e in manifest(site)}
    for name in bundle.PYODIDE_FILES:
        assert entries[f"assets/pyodide/{name}"] == offline.digest((site / "assets/pyodide" / name).read_bytes())
    assert entries["next/"] == offline.digest((site / "next/index.html").read_bytes())
    assert "offline/" in entries
    assert "./" not in entries  # the home page grows with the country: kept once opened, like any page
    # The wizard's own files by content address: the address is the hash of the bytes served.
    addressed = [url for url, revision in entries.items() if revision is None]
    assert len(addressed) == 6  # wizard.js, wizard.css, worker, bundle, engine wheel, checksums
    for url in addressed:
        path, version = url.split("?v=")
        assert offline.digest((site / path).read_bytes()) == version.split("&")[0]
    assert not [url for url in entries if url.startswith(("data/", "feeds/", "http"))]


def test_the_wizard_page_asks_for_its_files_by_content_address(first_build):
    html = (first_build / "site" / "next" / "index.html").read_text(encoding="utf-8")
    assert not re.search(r"assets/wizard(\.js|\.css|-worker\.js|/bundle\.json)[\"']", html)
    bundle = re.search(r"bundle\.json\?v=([0-9a-f]{16})", html).group(1)
    # Both data-worker attributes (wizard-start.js's and the wizard's own) carry the bundle's address.
    assert html.count("wizard-worker.js?v=") == html.count(f"&amp;bundle={bundle}&amp;checksums=") == 2


def test_workbox_is_copied_from_npm_and_never_fetched_from_a_cdn(first_build):
    site = first_build / "site"
    for name in offline.WORKBOX_FILES.values():
        assert (site / offline.WORKBOX_DIR / name).is_file()
    text = (site / "sw.js").read_text(encoding="utf-8")
    assert 'importScripts("assets/workbox/workbox-core.prod.js", "assets/workbox/workbox-routing.prod.js"' in text
    assert not re.search(r"https?://", text.split("*/", 1)[1])  # nothing named outside the site
    assert "sourceMappingURL" not in (site / offline.WORKBOX_DIR / "workbox-precaching.prod.js").read_text()


def test_missing_workbox_says_to_run_npm_ci(first_build, tmp_path):
    with pytest.raises(offline.OfflineError, match="npm ci"):
        offline.write_offline(tmp_path, node_modules=tmp_path / "empty")


def test_reading_guidance_never_precaches_the_decision_aid(first_build):
    """Pyodide and the engine (about 10 MB) are precached only by the worker the wizard page registers."""
    text = (first_build / "site" / "sw.js").read_text(encoding="utf-8")
    shell = json.loads(re.search(r"const SHELL = (\[.*?\]);\n", text, re.S).group(1))
    wizard = json.loads(re.search(r"const WIZARD = (\[.*?\]);\n", text, re.S).group(1))
    assert not [e["url"] for e in shell if "pyodide" in e["url"] or "wizard" in e["url"] or e["url"] == "next/"]
    assert {"next/", "assets/pyodide/pyodide.asm.wasm"} <= {e["url"] for e in wizard}
    assert "offline/" in {e["url"] for e in shell}
    assert 'searchParams.get("wizard") === "1"' in text
    html = (first_build / "site" / "index.html").read_text(encoding="utf-8")
    assert 'src="assets/offline-register.js" data-service-worker="sw.js"' in html
    register = (first_build / "site" / "assets" / "offline-register.js").read_text(encoding="utf-8")
    assert 'script + "?wizard=1"' in register and "wz-engine-ready" in register


# --- the engine worker's saved memory: named by the content of everything in it -----------------------


def test_the_worker_and_the_service_worker_name_the_same_engine_key(first_build):
    site = first_build / "site"
    key = offline.engine_key(site)
    html = (site / "next" / "index.html").read_text(encoding="utf-8")
    assert html.count(f"&amp;engine={key}") == html.count("wizard-worker.js?v=") == 2
    assert f'const ENGINE_CACHE = "eg-engine-{key}";' in (site / "sw.js").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", [offline.WORKER, "assets/wizard/bundle.json", offline.CHECKSUMS,
                                  *(f"assets/pyodide/{name}" for name in bundle.PYODIDE_FILES)])
def test_the_engine_key_changes_with_every_file_in_the_engines_memory(first_build, tmp_path, name):
    """A snapshot restored by a worker, bundle, wheel or Pyodide other than its own would answer from
    another build's protocol (or not start): each of those files must change the key."""
    site = tmp_path / "site"
    for part in {offline.WORKER, "assets/wizard/bundle.json", offline.CHECKSUMS, "assets/pyodide/"}:
        source = first_build / "site" / part
        (site / part).parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, site / part)
        else:
            shutil.copy(source, site / part)
    before = offline.engine_key(site)
    assert before == offline.engine_key(first_build / "site")
    with (site / name).open("ab") as changed:
        changed.write(b" ")
    assert offline.engine_key(site) != before


def test_a_site_without_the_wizard_gets_no_engine_cache_name(tmp_path):
    (tmp_path / "index.html").write_text("<!doctype html><title>Home</title>", encoding="utf-8")
    offline.write_offline(tmp_path)
    assert 'const ENGINE_CACHE = "eg-engine-";' in (tmp_path / "sw.js").read_text(encoding="utf-8")
