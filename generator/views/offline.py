"""The decision aid and opened guidance pages offline: a Workbox service worker and its precache manifest.

Written last into a built site, because it lists the build's files with the hash of their bytes. It
also content-addresses the wizard's own files in the wizard page (script, stylesheet, worker, bundle:
`?v=<sha-256 prefix>`, as the engine wheel already is), so that a page can only ever be given the files
of its own build; see templates/sw.js for how the worker keeps to that. Workbox's run-time files come
from the npm packages (pinned in package.json) and are copied into the site like Pyodide: no CDN.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from generator.views.bundle import PYODIDE_DIR, PYODIDE_FILES

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = Path(__file__).resolve().parent / "templates" / "sw.js"
WORKBOX_DIR = "assets/workbox"
# npm package -> file in its build/ folder, in the order the worker loads them (each needs the ones before).
# Loaded with importScripts directly rather than through workbox-sw, whose loader defaults to a CDN.
WORKBOX_FILES = {
    "workbox-core": "workbox-core.prod.js",
    "workbox-routing": "workbox-routing.prod.js",
    "workbox-strategies": "workbox-strategies.prod.js",
    "workbox-precaching": "workbox-precaching.prod.js",
}
SW_NAME = "sw.js"
NEXT_PAGE = "next/index.html"
# Pages precached whole: the decision aid and the page shown for an address not saved. Not the home page:
# it lists every partnership, so it grows with the country (52 KB at 100 partnerships) and would count in
# every guidance page's first download; like any page, it is kept for offline reading once opened.
PRECACHED_PAGES = ("next/", "offline/")
# Files Material's own script fetches on every page (the sitemap, for instant links). Not the search index:
# a page asks for it only once the reader searches (search-on-demand.js), and sw.js keeps it then.
PRECACHED_FILES = ("sitemap.xml",)
# The wizard's files that its page asks for by content address.
ADDRESSED = ("assets/wizard.js", "assets/wizard.css", "assets/wizard/bundle.json", "assets/wizard/checksums.json")
WORKER = "assets/wizard-worker.js"
CHECKSUMS = "assets/wizard/checksums.json"
WIZARD_PREFIXES = ("assets/pyodide/", "assets/wizard")
# Not precached: Material's search-language files (loaded only for other languages) and source maps.
SKIPPED = re.compile(r"^assets/javascripts/lunr/|\.map$")
_SOURCE_MAP = re.compile(rb"\n//# sourceMappingURL=\S+\s*$")


class OfflineError(RuntimeError):
    """The service worker cannot be written; the message says what to do."""


@dataclass(frozen=True)
class Offline:
    """What was written, for the build's log and for tests."""

    service_worker: Path
    build: str
    manifest: tuple[dict, ...]


def digest(data: bytes) -> str:
    """The content address used in ?v= and as a precache revision: sha-256, first 16 hex digits."""
    return hashlib.sha256(data).hexdigest()[:16]


def write_offline(site_dir: Path, *, node_modules: Path | None = None) -> Offline:
    """Copy Workbox in, content-address the wizard page's files, write sw.js with the build's manifest."""
    site = Path(site_dir)
    copy_workbox(Path(node_modules or ROOT / "node_modules"), site / WORKBOX_DIR)
    if (site / NEXT_PAGE).is_file():
        address_wizard_files(site)
    manifest = precache_manifest(site)
    shell = [e for e in manifest if not is_wizard(e["url"])]
    wizard = [e for e in manifest if is_wizard(e["url"])]
    build = digest(json.dumps(manifest, sort_keys=True).encode())
    engine = engine_key(site) if (site / NEXT_PAGE).is_file() else ""
    source = TEMPLATE.read_text(encoding="utf-8")
    scripts = ", ".join(json.dumps(f"{WORKBOX_DIR}/{name}") for name in WORKBOX_FILES.values())
    text = (source.replace("__BUILD__", build).replace("__ENGINE__", engine).replace("__WORKBOX_SCRIPTS__", scripts)
            .replace("__SHELL__", json.dumps(shell, indent=1))
            .replace("__WIZARD__", json.dumps(wizard, indent=1)))
    path = site / SW_NAME
    path.write_text(text, encoding="utf-8")
    return Offline(path, build, tuple(manifest))


def is_wizard(url: str) -> bool:
    """The decision aid's own files (about 10 MB with Pyodide): precached only once a reader has opened it,
    so that reading a guidance page never downloads them."""
    return url == "next/" or url.startswith(WIZARD_PREFIXES)


def copy_workbox(node_modules: Path, target: Path) -> None:
    missing = [f"{package}/build/{name}" for package, name in WORKBOX_FILES.items()
               if not (node_modules / package / "build" / name).is_file()]
    if missing:
        raise OfflineError(f"Workbox is missing from {node_modules} ({', '.join(missing)} not found). "
                           f"Run `npm ci` in {ROOT} to install the pinned npm packages, then build again.")
    target.mkdir(parents=True, exist_ok=True)
    for package, name in WORKBOX_FILES.items():
        data = (node_modules / package / "build" / name).read_bytes()
        (target / name).write_bytes(_SOURCE_MAP.sub(b"\n", data))  # the maps are not shipped


def address_wizard_files(site: Path) -> None:
    """Give the wizard page's own files their content address (the worker's carries the bundle's too)."""
    page = site / NEXT_PAGE
    html = page.read_text(encoding="utf-8")
    addresses = {name: f"{name}?v={digest((site / name).read_bytes())}" for name in ADDRESSED}
    bundle_version = addresses["assets/wizard/bundle.json"].rsplit("=", 1)[1]
    worker = f"{WORKER}?v={digest((site / WORKER).read_bytes())}&amp;bundle={bundle_version}"
    worker += f"&amp;checksums={addresses[CHECKSUMS].rsplit('=', 1)[1]}"  # the worker checks against these
    worker += f"&amp;engine={engine_key(site)}"  # names the worker's saved Python memory (templates/sw.js)
    html, count = re.subn(rf'(data-worker="[^"]*){re.escape(WORKER)}"', rf'\g<1>{worker}"', html)
    if not count:
        raise OfflineError(f"{page}: no data-worker attribute naming {WORKER} found to give it its content address")
    for name, address in addresses.items():
        html, count = re.subn(rf'(["\'/]){re.escape(name)}(["\'])', rf"\g<1>{address}\g<2>", html)
        if not count:
            raise OfflineError(f"{page}: no reference to {name} found to give it its content address")
    page.write_text(html, encoding="utf-8")


def engine_key(site: Path) -> str:
    """The content address of everything in the wizard worker's memory snapshot: the worker's own text
    (its Python glue), the bundle, the checksums (which pin the engine wheel) and Pyodide's files.

    The worker saves Python's memory, engine imported and bundle read, in Cache Storage under this key
    and restores it on a revisit; a change to any of these files gives a new key, so no snapshot is ever
    restored by a build it was not made from, and the build's service worker deletes the others."""
    files = [WORKER, "assets/wizard/bundle.json", CHECKSUMS]
    files += [f"{PYODIDE_DIR}/{name}" for name in PYODIDE_FILES]
    whole = hashlib.sha256()
    for name in files:
        whole.update(f"{name}\0{hashlib.sha256((site / name).read_bytes()).hexdigest()}\0".encode())
    return whole.hexdigest()[:16]


def precache_manifest(site: Path) -> list[dict]:
    """Workbox's manifest: the wizard page and its files, the site's assets, the offline page.

    Content-addressed URLs carry their revision in the URL (revision null: Workbox may then take them
    from the HTTP cache); every other entry is revised by the hash of its bytes.
    """
    entries: list[dict] = []
    for page in PRECACHED_PAGES:
        path = site / page / "index.html"
        if path.is_file():
            entries.append({"url": page or "./", "revision": digest(path.read_bytes())})
    for name in PRECACHED_FILES:
        if (site / name).is_file():
            entries.append({"url": name, "revision": digest((site / name).read_bytes())})
    addressed = _addressed_urls(site)
    for path in sorted(p for p in (site / "assets").rglob("*") if p.is_file()):
        name = path.relative_to(site).as_posix()
        if SKIPPED.search(name):
            continue
        if name in addressed:
            entries += [{"url": url, "revision": None} for url in addressed[name]]
        else:
            entries.append({"url": name, "revision": digest(path.read_bytes())})
    # Asked for by the worker, by content address: the engine wheel.
    for name, url in filter(None, (_wheel_url(site),)):
        entries = [e for e in entries if e["url"] != name] + [{"url": url, "revision": None}]
    return entries


def _addressed_urls(site: Path) -> dict[str, list[str]]:
    """Each content-addressed file -> the URL(s) the wizard page asks for it by."""
    page = site / NEXT_PAGE
    if not page.is_file():
        return {}
    found: dict[str, list[str]] = {}
    html = page.read_text(encoding="utf-8").replace("&amp;", "&")  # attributes and script alike
    for name in (*ADDRESSED, WORKER):
        urls = sorted(set(re.findall(rf"{re.escape(name)}\?v=[0-9a-f]{{16}}(?:&[a-z]+=[0-9a-f]{{16}})*", html)))
        if urls:
            found[name] = urls
    return found


def _wheel_url(site: Path) -> tuple[str, str] | None:
    """The engine wheel, as the worker asks for it: `<wheel>?v=<first 16 of its sha-256>`."""
    bundle = site / "assets" / "wizard" / "bundle.json"
    if not bundle.is_file():
        return None
    data = json.loads(bundle.read_text(encoding="utf-8"))
    name = f"assets/wizard/{data['wheel']}"
    return name, f"{name}?v={data['wheel_sha256'][:16]}"
