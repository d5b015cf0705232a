"""`guidance build`: specs and hand-written pages -> a plain docs tree -> a site engine -> site/.

Generation happens before the site engine runs, never inside its plugin events, so any engine that
reads a Material `mkdocs.yml` (MkDocs + Material today, Zensical next) builds the same tree: Markdown
pages, flowchart files, the wizard bundle, and a generated `mkdocs.yml` beside the tree that carries the
navigation plus every theme setting of the project's own (or the shipped) `mkdocs.yml`.

The build folder (`.guidance-build/`, never committed) is also the cache that makes rebuilds cheap:
flowcharts are kept by a hash of what they are drawn from (the version's data, the drawing code, the
Graphviz version) and drawn in parallel processes; a partnership's pages are re-rendered only when one of
its specs (or the page code, or the day's review status) changed; files are rewritten only when their
bytes differ; and when nothing in the tree changed the site engine does not run at all.

A failed build leaves the previous site as it was: the engine writes into a sibling folder that is
renamed over site/ only on success.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import hashlib
import html
import importlib.metadata
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from . import load, resources
from .core import display, messages, model
from .views import bilingual, bundle, data, feeds, flowchart, offline, pages, pocket, welsh

BUILD_DIR = ".guidance-build"
TREE_DIR = "docs"
CONFIG_NAME = "mkdocs.yml"
STATE_NAME = "state.json"
CACHE_DIR = "cache/flowcharts"
SPEC_CACHE_DIR = "cache/specs"
OUTPUT_CACHE_DIR = "cache/outputs"  # the wizard bundle, data and feeds, by a hash of what they are made from
HOME_PAGE = "index.md"
HOME_MARKER = "<!-- partnerships -->"
TRAINER_PACK = "trainers-pack.pdf"
DRAWING_PREFIX = ".drawing-"  # + process id: scratch folders in the flowchart cache
ENGINES = ("mkdocs", "zensical")
# MkDocs' own output, kept between builds: with the same pages, configuration and theme it re-renders only
# the pages whose Markdown changed (its `dirty` mode); the published site is a copy of it (see _stage).
ENGINE_SITE = "engine-site"
SEARCH_INDEX = "search/search_index.json"
# What the staging copy hard-links from the engine's output rather than copying: the large downloads and
# Pyodide, which only the engine writes (and then as a new file). Pages, scripts and data are copied, since
# site writers may rewrite them in the staging folder.
LINKED_SUFFIXES = (".pdf", ".png", ".wasm", ".zip", ".whl", ".tar", ".woff2", ".woff", ".ttf", ".jpg", ".ico")
# Cross-cutting hand-written pages and their place in the navigation (when the docs folder has them).
NAV_PAGES = (("Publish or update a protocol", "publishing.md"), ("Protocol data for developers", "developers.md"),
             ("Python API for suppliers", "api.md"), ("About", "about.md"))
# From this many partnerships on, a page's navigation lists the partnerships only on their own pages
# (Material's navigation.prune): elsewhere "Protocols" is one link, to the first, and the home page lists
# them all. Every page, and every page the service worker keeps, then stops growing with the country.
PRUNE_NAV_FROM = 20
# Folders of docs/ that are for the guide's developers, not pages of the site.
DEVELOPER_DOCS = ("decisions/",)
# Pages kept and browsable but left out of the search index: every version page (the current one is
# also the partnership's own page) and the "what changed" pages, which quote superseded versions.
SEARCH_EXCLUDE = "search:\n  exclude: true\n"


def excluded_from_search(markdown: str) -> str:
    """The page with Material's `search: exclude` in its front matter (added to the page's own, if any)."""
    if markdown.startswith("---\n"):
        return f"---\n{SEARCH_EXCLUDE}{markdown[4:]}"
    return f"---\n{SEARCH_EXCLUDE}---\n\n{markdown}"


class BuildError(Exception):
    """The build failed; `str()` is the message for the user (the loader's file:line lines, for a bad spec)."""


# --- Where things are ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Project:
    """A folder to build: the checkout, or a partnership's own folder holding only protocols/."""

    root: Path
    protocols: Path
    docs: Path | None  # its own hand-written pages, layered over the shipped ones
    config: Path  # its mkdocs.yml, else the shipped one
    build_dir: Path
    site_dir: Path

    @property
    def tree(self) -> Path:
        return self.build_dir / TREE_DIR

    @property
    def config_file(self) -> Path:
        return self.build_dir / CONFIG_NAME

    def watched(self) -> list[Path]:
        """What `guidance serve` watches: the specs, the hand-written pages, the configuration."""
        return [p for p in (self.protocols, self.docs, self.config) if p is not None and p.exists()]


def project(root: Path | str | None = None, *, protocols: Path | str | None = None,
            site_dir: Path | str | None = None, build_dir: Path | str | None = None) -> Project:
    root = Path(root or Path.cwd()).resolve()
    specs = Path(protocols).resolve() if protocols else resources.default_protocols(root).resolve()
    docs = root / "docs" if (root / "docs").is_dir() else None
    config = root / CONFIG_NAME if (root / CONFIG_NAME).is_file() else resources.path(CONFIG_NAME)
    return Project(root=root, protocols=specs, docs=docs, config=config.resolve(),
                   build_dir=Path(build_dir or root / BUILD_DIR).resolve(),
                   site_dir=Path(site_dir or root / "site").resolve())


# --- The docs tree ---------------------------------------------------------------------------------

class Tree:
    """The generated docs folder, written file by file only where the bytes differ.

    Every path written (or kept) in a run is recorded; anything else left from an earlier run is removed
    at the end, so the tree is always exactly this run's output and its modification times say what changed.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self.kept: set[str] = set()
        self.changed: list[str] = []

    def write(self, rel: str, data: bytes | str) -> None:
        raw = data.encode("utf-8") if isinstance(data, str) else data
        path = self.root / rel
        self.kept.add(rel)
        if path.is_file() and path.stat().st_size == len(raw) and path.read_bytes() == raw:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(raw)
        self.changed.append(rel)

    def place(self, rel: str, source: Path, *, linked: bool = False) -> None:
        """A large file (flowchart, Pyodide) by hard link from the cache, or a copy across file systems.

        `linked`: the source is still being written (a PNG drawn while the engine runs): the tree's file
        must be that very file, whatever it holds now."""
        path = self.root / rel
        self.kept.add(rel)
        if path.is_file() and (path.samefile(source) or (not linked and _same_file_content(path, source))):
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        path.unlink(missing_ok=True)
        try:
            os.link(source, path)
        except OSError:
            if linked:
                raise
            shutil.copyfile(source, path)
        # Now, not when the cached drawing was made: a site engine copies what is newer than its output.
        os.utime(path)
        self.changed.append(rel)

    def keep(self, rels) -> None:
        self.kept.update(rels)

    def prune(self) -> None:
        for path in sorted(self.root.rglob("*"), reverse=True):
            rel = path.relative_to(self.root).as_posix()
            if path.is_file() and rel not in self.kept:
                path.unlink()
                self.changed.append(rel)
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()


def _same_file_content(a: Path, b: Path) -> bool:
    return a.stat().st_size == b.stat().st_size and a.read_bytes() == b.read_bytes()


@dataclass
class Generated:
    """One run's model and tree: what output writers receive, and what tests and benchmarks inspect."""

    project: Project
    protocols: list[model.Protocol]
    series: list[pages.Series]
    today: dt.date
    tree: Tree
    site_url: str = ""  # mkdocs.yml's site_url: printed on the pocket cards, the base of the feeds
    drawn: list[str] = field(default_factory=list)  # "partnership/version" whose flowcharts were drawn
    rendered: list[str] = field(default_factory=list)  # partnerships whose pages were rendered
    charts: dict = field(default_factory=dict)  # (partnership, version) -> _Charts: the inline drawings
    pending: PendingPNGs | None = None  # PNGs drawing while the engine runs (generate(defer_png=True))


# An output writer adds files to the tree from the model: the wizard bundle here; data, feeds and a
# service worker can join the list without touching the rest of the build.
OutputWriter = Callable[[Generated], None]


def write_wizard_bundle(generated: Generated) -> None:
    for rel, content in _bundle_files(generated).items():
        generated.tree.write(rel, content)
    source = bundle.find_pyodide(project=generated.project.root)
    for name in bundle.PYODIDE_FILES:
        generated.tree.place(f"{bundle.PYODIDE_DIR}/{name}", source / name)


@cache
def generator_code_version() -> str:
    """The generator's own code and data (modules, catalogues, templates, schemas) and the bank holidays'
    package: what a cached output is made by, besides the specs, the day and the site's address."""
    digest = hashlib.sha256(importlib.metadata.version("holidays").encode())
    package = Path(__file__).parent
    for path in sorted(package.rglob("*")):
        rel = path.relative_to(package).as_posix()
        if path.is_file() and not rel.startswith("shipped/") and path.suffix in (".py", ".json", ".html", ".j2", ".md"):
            digest.update(rel.encode() + b"\n" + path.read_bytes())
    return digest.hexdigest()


def _output_key(generated: Generated, name: str) -> str:
    return hashlib.sha256("\n".join([name, generator_code_version(), generated.today.isoformat(), generated.site_url,
                                     *(spec_text(p) for p in generated.protocols)]).encode()).hexdigest()[:32]


def _cached(generated: Generated, name: str, make: Callable[[], dict[str, bytes]]) -> dict[str, bytes]:
    """`make()`'s files (path in the tree -> bytes), kept in the build folder by a hash of what they are made
    from, so that a build with unchanged specs reads them back instead of making them again."""
    cache_root = generated.project.build_dir / OUTPUT_CACHE_DIR / name
    folder = cache_root / _output_key(generated, name)
    try:
        names = json.loads((folder / "files.json").read_text(encoding="utf-8"))
        return {rel: (folder / str(n)).read_bytes() for n, rel in enumerate(names)}
    except (OSError, ValueError, TypeError):
        pass
    files = make()
    cache_root.mkdir(parents=True, exist_ok=True)
    for old in cache_root.iterdir():  # one set is kept: the last one made
        shutil.rmtree(old, ignore_errors=True)
    scratch = Path(tempfile.mkdtemp(prefix=f"{DRAWING_PREFIX}{os.getpid()}-", dir=cache_root))
    for n, content in enumerate(files.values()):
        (scratch / str(n)).write_bytes(content)
    (scratch / "files.json").write_text(json.dumps(list(files)), encoding="utf-8")
    try:
        scratch.rename(folder)
    except OSError:
        shutil.rmtree(scratch, ignore_errors=True)  # another build kept the same files at the same moment
    return files


def _bundle_files(generated: Generated) -> dict[str, bytes]:
    """Working out each partnership's first questions takes about a tenth of a second: kept between builds."""
    return _cached(generated, "bundle", lambda: bundle.bundle_files(generated.protocols, today=generated.today))


def _through_folder(generated: Generated, name: str, write: Callable[[Path], object]) -> None:
    """Views that write into a folder (data, feeds) land in the tree file by file, so an unchanged output
    leaves the tree unchanged and the site engine need not run; their files are kept between builds."""
    def make() -> dict[str, bytes]:
        with tempfile.TemporaryDirectory(prefix=f"escalation-output-{os.getpid()}-") as folder:
            write(Path(folder))
            return {path.relative_to(folder).as_posix(): path.read_bytes()
                    for path in sorted(Path(folder).rglob("*")) if path.is_file()}

    for rel, content in _cached(generated, name, make).items():
        generated.tree.write(rel, content)


def write_protocol_data(generated: Generated) -> None:
    _through_folder(generated, "data", lambda folder: data.write_data(generated.protocols, folder,
                                                                      today=generated.today))


def write_feeds(generated: Generated) -> None:
    _through_folder(generated, "feeds", lambda folder: feeds.write_feeds(
        generated.protocols, folder, today=generated.today, site_url=generated.site_url or None))


OUTPUT_WRITERS: list[OutputWriter] = [write_wizard_bundle, write_protocol_data, write_feeds, welsh.write_welsh_pages]
# Output writers that do not read the flowcharts: a cold build runs them while the drawing processes work.
WRITERS_WITHOUT_CHARTS: tuple[OutputWriter, ...] = (write_wizard_bundle, write_protocol_data, write_feeds)

# A site writer runs on the built site, before it is swapped into place: the service worker lists (and
# content-addresses) every file the engine wrote, so it comes after the engine and last of all.
SiteWriter = Callable[[Generated, Path], None]


def write_service_worker(generated: Generated, site: Path) -> None:
    try:
        offline.write_offline(site, node_modules=workbox_modules(generated.project))
    except offline.OfflineError as exc:
        raise BuildError(str(exc)) from None


def workbox_modules(proj: Project) -> Path | None:
    """The node_modules holding Workbox: beside the Pyodide the build uses (GUIDANCE_PYODIDE or the
    folder's own), else the project's, else the checkout's; None lets the service worker's own message say."""
    candidates = [p.parent for p in resources.pyodide_candidates(proj.root)]
    candidates += [proj.root / "node_modules", resources.CHECKOUT_DIR / "node_modules"]
    for folder in candidates:
        if all((folder / package / "build" / name).is_file() for package, name in offline.WORKBOX_FILES.items()):
            return folder
    return None


SITE_WRITERS: list[SiteWriter] = [welsh.write_theme_words, write_service_worker]  # pages first, then their precache


def generate(proj: Project, today: dt.date | None = None, *, jobs: int | None = None,
             defer_png: bool = False) -> Generated:
    """Write the docs tree and its mkdocs.yml; raise load.SpecError or BuildError, leaving site/ alone.

    `defer_png`: newly drawn PNGs may still be drawing when this returns (`generated.pending`, placed in the
    tree but empty until drawn): the caller runs the site engine meanwhile, then `finish_drawings`."""
    _SPEC_TEXTS.clear()
    protocols = load_specs(proj, jobs)  # the loader refuses ids reserved for the site's own pages
    series = pages.group(protocols)
    today = today or load.today()
    settings = _read_config(proj)
    proj.tree.mkdir(parents=True, exist_ok=True)
    state = _read_state(proj)
    generated = Generated(proj, protocols, series, today, Tree(proj.tree), site_url=settings.get("site_url") or "")

    has_next = _write_hand_written(generated)
    early = [writer for writer in OUTPUT_WRITERS if writer in WRITERS_WITHOUT_CHARTS]

    def write_early() -> None:
        for writer in early:
            writer(generated)

    try:
        generated.charts = _flowcharts(generated, jobs, defer_png, meanwhile=write_early)
        _generate_pages(generated, state, has_next, done=early)
    except BaseException:
        abandon_drawings(generated)
        raise
    return generated


def _generate_pages(generated: Generated, state: dict, has_next: bool, done: list[OutputWriter] = ()) -> None:
    """The partnerships' pages (only those whose specs changed), the output writers', the configuration."""
    proj, series, today, charts = generated.project, generated.series, generated.today, generated.charts
    page_state = {}
    for one in series:
        key = _series_key(one, today, has_next, generated.site_url)
        before = state.get("series", {}).get(one.id, {})
        if before.get("key") == key and all((proj.tree / rel).is_file() for rel in before.get("files", ())):
            generated.tree.keep(before["files"])
            page_state[one.id] = before
            continue
        generated.rendered.append(one.id)
        page_state[one.id] = {"key": key, "files": _write_series(generated.tree, one, today, has_next, charts)}
    generated.tree.write(pages.COMPARE_PAGE, pages.compare_page(series, today))
    for writer in OUTPUT_WRITERS:
        if writer not in done:
            writer(generated)
    generated.tree.prune()
    config = _site_config(proj, series, _read_config(proj))
    _write_if_changed(proj.config_file, config, generated.tree)
    _write_state(proj, {**state, "series": page_state})


@cache
def loader_version() -> str:
    """What a checked spec's model depends on besides its bytes: the loader, the model and the schema."""
    digest = hashlib.sha256()
    for path in (Path(load.__file__), Path(model.__file__), load.SCHEMA_PATH):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _spec_cache_file(folder: Path, path: Path) -> Path | None:
    """Where a spec's checked model is kept: by the loader's version, the file's place and its bytes."""
    try:
        if path.stat().st_size > load.MAX_FILE_BYTES:  # refused by the loader from its size: never read whole
            return None
        raw = path.read_bytes()
    except OSError:
        return None
    # The file's place is part of the key: checks may compare a spec with its folder and file name.
    place = f"{path.parent.name}/{path.name}".encode()
    key = hashlib.sha256(loader_version().encode() + b"\n" + place + b"\n" + raw).hexdigest()[:40]
    return folder / f"{key}.json"


def _check_into_cache(path: Path, hit: Path) -> None:
    """Load one spec and keep its model (in a worker process). A spec with problems is left to the main
    process, whose loader reports every file's problems together."""
    try:
        protocol = load.load_protocol(path)
    except load.SpecError:
        return
    scratch = hit.with_name(f"{DRAWING_PREFIX}{os.getpid()}-{hit.name}")
    scratch.write_text(json.dumps(protocol.to_dict(), ensure_ascii=False), encoding="utf-8")
    scratch.replace(hit)


# Below this many unchecked specs, starting worker processes costs more than checking them here.
PARALLEL_CHECK_FROM = 8


def _check_in_parallel(proj: Project, folder: Path, jobs: int | None) -> None:
    """Specs not checked before are checked across the machine's cores (a spec takes about a twentieth of a
    second to check: a cold tree of hundreds would otherwise keep one core busy while the other waits)."""
    workers = min(jobs or os.cpu_count() or 1, os.cpu_count() or 1)
    if workers < 2 or not proj.protocols.is_dir():
        return
    unchecked = []
    for path in sorted(proj.protocols.glob("*/*.yaml")):
        hit = _spec_cache_file(folder, path)
        if hit is not None and not hit.is_file():
            unchecked.append((path, hit))
    if len(unchecked) < PARALLEL_CHECK_FROM:
        return
    folder.mkdir(parents=True, exist_ok=True)
    try:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            list(pool.map(_check_into_cache, *zip(*unchecked, strict=True), chunksize=4))
    except (BrokenProcessPool, OSError):
        pass  # what is not in the cache is checked in this process


def load_specs(proj: Project, jobs: int | None = None) -> list[model.Protocol]:
    """load.load_tree, but a file whose bytes were checked before is read back from the build folder's
    cache (the model as JSON), so an unchanged tree of hundreds of specs loads in a fraction of a second."""
    folder = proj.build_dir / SPEC_CACHE_DIR
    _check_in_parallel(proj, folder, jobs)

    def read(path: Path) -> model.Protocol:
        hit = _spec_cache_file(folder, path)
        if hit is None:
            return load.load_protocol(path)  # the loader's own message
        try:
            data = json.loads(hit.read_text(encoding="utf-8"))
            return dataclasses.replace(model.from_dict(data), source_path=str(path))
        except (OSError, ValueError, KeyError, TypeError):
            pass
        protocol = load.load_protocol(path)
        folder.mkdir(parents=True, exist_ok=True)
        hit.write_text(json.dumps(protocol.to_dict(), ensure_ascii=False), encoding="utf-8")
        return protocol

    return load.load_tree(proj.protocols, read=read)


def _write_hand_written(generated: Generated) -> bool:
    """The shipped pages, then the project's own (same name wins); the home page gets the partnership list."""
    sources: dict[str, Path] = {}
    for folder in (resources.path("docs"), generated.project.docs):
        if folder is not None and folder.is_dir():
            for path in sorted(folder.rglob("*")):
                rel = path.relative_to(folder).as_posix()
                if path.is_file() and not rel.startswith(DEVELOPER_DOCS):
                    sources[rel] = path
    for rel, path in sources.items():
        if rel == HOME_PAGE:
            text = path.read_text(encoding="utf-8")
            generated.tree.write(rel, text.replace(HOME_MARKER, pages.home_fragment(generated.series, generated.today)))
        else:  # copied, not linked: an edit in place must show as a change of the tree
            generated.tree.write(rel, path.read_bytes())
    return pages.NEXT_PAGE in sources


def _write_series(tree: Tree, series: pages.Series, today: dt.date, has_next: bool,
                  charts: dict[tuple[str, str], _Charts]) -> list[str]:
    written = []

    def write(rel: str, text: str) -> None:
        tree.write(rel, text)
        written.append(rel)

    review = pages.review_status(series.current, today)  # the protocol in force decides
    for protocol in series.versions:
        drawn = charts[protocol.id, protocol.version.id]
        for rel in drawn.files:
            written.append(rel)
        common = dict(series=series, protocol=protocol, review=review, has_next=has_next,
                      flowcharts=drawn.flowcharts, trainer_pack=TRAINER_PACK, pocket_card=pocket.FILE_NAME)
        write(pages.version_page(protocol), excluded_from_search(pages.protocol_page(pages.ProtocolPage(
            links=pages.Links(root="../../", partnership="../", version=""), **common))))
        if protocol is series.current:
            write(pages.partnership_page(series.id), pages.protocol_page(pages.ProtocolPage(
                links=pages.Links(root="../", partnership="", version=f"{protocol.version.id}/"), **common)))
    write(pages.changes_page_path(series.id), excluded_from_search(pages.changes_page(series, today)))
    return written


# --- Flowcharts: cached by what they are drawn from, drawn in parallel ------------------------------

@dataclass(frozen=True)
class _Charts:
    protocol: model.Protocol
    folder: Path  # the version's drawings in the cache
    files: tuple[str, ...]  # paths in the tree of the version's downloads

    @property
    def flowcharts(self) -> dict[str, pages.Flowchart]:
        """The page's figures, read from the cache only for pages rendered in this run."""
        return self.flowcharts_in("en")

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(language for language, _ in _drawing_languages(self.protocol, self.folder))

    def flowcharts_in(self, language: str) -> dict[str, pages.Flowchart]:
        """The figures of the pages in `language` (English, or Welsh for a version drawn in Welsh)."""
        folder = dict(_drawing_languages(self.protocol, self.folder))[language]
        figures = {}
        for route in self.protocol.routes:
            svg = (folder / f"{route.id}.svg").read_text(encoding="utf-8")
            print_svg = (folder / f"{route.id}.print-svg").read_text(encoding="utf-8")
            figures[route.id] = pages.Flowchart(
                figure=pages.flowchart_html(svg, print_svg),
                text=tuple(flowchart.text_alternative(self.protocol, route, language)),
                pdf=f"{route.id}.pdf", png=f"{route.id}.png")
        return figures


@cache
def drawing_version() -> str:
    """What else a drawing depends on besides the data: the drawing code and the Graphviz release."""
    digest = hashlib.sha256()
    for module in (flowchart, pocket, model, bilingual, messages):
        digest.update(Path(module.__file__).read_bytes())
    for catalogue in sorted(Path(messages.__file__).parent.glob("catalogue/*.json")):  # the drawings' words
        digest.update(catalogue.read_bytes())
    try:
        digest.update(subprocess.run(["dot", "-V"], capture_output=True, check=False).stderr)
    except OSError:
        pass  # no Graphviz: drawing will say so with its own message
    return digest.hexdigest()


_SPEC_TEXTS: dict[tuple[int, bool], tuple[model.Protocol, str]] = {}


def spec_text(protocol: model.Protocol, *, with_place: bool = True) -> str:
    """The model as text, the stuff of every cache key: worked out once per version and run (a version's
    text is a few thousand characters, asked for by each of its keys)."""
    key = (id(protocol), with_place)
    if key not in _SPEC_TEXTS or _SPEC_TEXTS[key][0] is not protocol:
        text = repr(protocol if with_place else dataclasses.replace(protocol, source_path=""))
        _SPEC_TEXTS[key] = (protocol, text)
    return _SPEC_TEXTS[key][1]


def flowchart_key(protocol: model.Protocol, guide_url: str = "") -> str:
    text = spec_text(protocol, with_place=False)
    return hashlib.sha256(f"{drawing_version()}\n{guide_url}\n{text}".encode()).hexdigest()[:32]


# A version's drawings are one part of work for a process, so that its routes' layout searches share their
# Graphviz runs (flowchart.prepare), its PDFs are drawn by one run and its PNGs by another: starting `dot`
# costs more than laying out a page. The versions are spread over the processes, the longest first.
_PngJob = tuple[list[str], list[Path], str]  # PNGs' DOT texts, the files they are drawn into, the spec's name


def _draw_version_but_png(protocol: model.Protocol, scratch: Path, guide_url: str = "", *,
                          png: bool = False) -> tuple[str | None, list[tuple[str, str]]]:
    """Every drawing of one version into its scratch folder but its PNGs (unless `png`), in each language the
    version is drawn in: (the error or None, [(a PNG's DOT text, its path in the scratch folder)]).

    Each route is checked before anything is drawn, so a version with two routes too large to print names
    both."""
    languages = _drawing_languages(protocol, scratch)
    try:  # the pocket card's text sizes, laid out with the routes' search; its own errors are given below
        cards = tuple(source for language, _ in languages
                      for source in pocket.size_sources(protocol, guide_url, language))
    except (flowchart.FlowchartError, pocket.PocketCardError):
        cards = ()
    flowchart.prepare(protocol, tuple(language for language, _ in languages), also=cards)
    errors: list[str] = []
    png_sources: list[tuple[str, str]] = []
    for language, folder in languages:
        folder.mkdir(parents=True, exist_ok=True)
        for route in protocol.routes:
            try:
                flowchart.check_printable(protocol, route, language)
                svg = flowchart.inline_svg(protocol, route, language=language)
                (folder / f"{route.id}.svg").write_text(svg, encoding="utf-8")
                print_svg = flowchart.inline_svg(protocol, route, id_prefix=f"{route.id}{flowchart.PRINT_SUFFIX}",
                                                 layout="print", language=language)
                (folder / f"{route.id}.print-svg").write_text(print_svg, encoding="utf-8")
                png_sources.append((flowchart.png_source(protocol, route, language),
                                    (folder / f"{route.id}.png").relative_to(scratch).as_posix()))
            except flowchart.FlowchartError as exc:
                errors.append(f"{protocol.source_path}: {exc}")
    if errors:
        return "\n".join(dict.fromkeys(errors)), []
    try:
        for language, folder in languages:
            card, _, _ = pocket.layout(protocol, guide_url, language)
            *pages, card_pdf = flowchart.write_pdfs(protocol, folder, language, also=(card,))
            pocket.write_pocket_card(protocol, folder / pocket.FILE_NAME, guide_url=guide_url, language=language,
                                     pdf=card_pdf)
            flowchart.write_trainer_pack(protocol, folder / TRAINER_PACK, language=language, pages=pages)
        if png:
            flowchart.write_pngs([source for source, _ in png_sources], [scratch / rel for _, rel in png_sources])
    except (flowchart.FlowchartError, pocket.PocketCardError) as exc:
        return f"{protocol.source_path}: {exc}", []
    return None, png_sources


def _draw_pngs(sources: list[str], paths: list[Path], label: str) -> str | None:
    """A version's PNGs into their (already placed) files, in a worker process; the error, or None."""
    try:
        flowchart.write_pngs(sources, paths)
    except (flowchart.FlowchartError, OSError) as exc:
        return f"{label}: {exc}"
    return None


def _drawing_languages(protocol: model.Protocol, folder: Path) -> list[tuple[str, Path]]:
    """The languages a version is drawn in, each with its folder: English, and Welsh in `cy/` for a version
    with Welsh pages (views/welsh.py links them from under the site's cy/)."""
    if not bilingual.welsh_pages(protocol):
        return [("en", folder)]
    return [("en", folder), (welsh.LANGUAGE, folder / welsh.FOLDER)]


def _keep(scratch: Path, folder: Path) -> None:
    """The version's drawings into the cache in one rename."""
    try:
        scratch.rename(folder)
    except OSError:
        if not folder.is_dir():  # another build drew the same version at the same moment: theirs stands
            raise
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _draw(protocol: model.Protocol, folder: Path, guide_url: str = "") -> str | None:
    """Every drawing of one version into `folder`, in this process; the error message, or None."""
    scratch = Path(tempfile.mkdtemp(prefix=f"{DRAWING_PREFIX}{os.getpid()}-", dir=folder.parent))
    try:
        error, _ = _draw_version_but_png(protocol, scratch, guide_url, png=True)
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        raise
    if error:
        shutil.rmtree(scratch, ignore_errors=True)
        return error
    _keep(scratch, folder)
    return None


def _version_cost(protocol: model.Protocol) -> int:
    boxes = sum(len(route.stages) + len(route.caps) + 1 for route in protocol.routes)
    return boxes * (2 if bilingual.welsh_pages(protocol) else 1)


class PendingPNGs:
    """PNGs still being drawn in worker processes while the site engine runs: a third of Graphviz's work,
    which would otherwise keep both cores busy before the engine and leave one idle while it renders pages.

    Their files are in the tree already (empty, hard links into the versions' scratch folders, written in
    place when drawn), so the engine lists them; `wait_for` holds the engine's copy of one until it is
    drawn. `finish` waits for the rest and only then moves each version's drawings into the cache, so a
    cached version is always complete; `abandon` (a failed or stopped build) keeps nothing.
    """

    def __init__(self, pool: ProcessPoolExecutor, stack: contextlib.ExitStack,
                 jobs: list[_PngJob], keep: list[tuple[Path, Path]]) -> None:
        self._stack = stack
        self._jobs = dict(enumerate(jobs))  # a version's PNGs each, drawn by one Graphviz run
        # By the file's identity: the tree's name for it is a hard link to the scratch folder's.
        self._job_of = {_identity(path): n for n, (_, paths, _) in self._jobs.items() for path in paths}
        self._keep = keep
        self._errors: list[str] = []
        try:
            self._futures = {n: pool.submit(_draw_pngs, *job) for n, job in self._jobs.items()}
        except (BrokenProcessPool, RuntimeError, AttributeError):
            self._futures = {}

    def wait_for(self, path: str | Path) -> None:
        """Before the engine copies `path` (the tree's or the engine's name for it): drawn, if it is a PNG here."""
        try:
            key = _identity(Path(path))
        except OSError:
            return
        if self._job_of.get(key) in self._jobs:
            self._settle(self._job_of[key])

    def _settle(self, n: int) -> None:
        job = self._jobs.pop(n)
        future = self._futures.pop(n, None)
        try:
            error = future.result() if future is not None else _draw_pngs(*job)
        except BrokenProcessPool:  # a worker was killed: these are drawn here
            error = _draw_pngs(*job)
        if error:
            self._errors.append(error)

    def finish(self) -> None:
        """Every PNG drawn, the workers stopped, the versions' drawings kept in the cache; BuildError if any failed."""
        for n in list(self._jobs):
            self._settle(n)
        self._stack.close()
        if self._errors:
            self.abandon()
            raise BuildError("\n".join(dict.fromkeys(self._errors)))
        for scratch, folder in self._keep:
            _keep(scratch, folder)
        self._keep = []

    def scratches(self) -> dict[Path, Path]:
        """Each unfinished version's cache folder -> the scratch folder its drawings are in until `finish`."""
        return {folder: scratch for scratch, folder in self._keep}

    def abandon(self) -> None:
        for future in self._futures.values():
            future.cancel()
        self._stack.close()
        for scratch, _ in self._keep:
            shutil.rmtree(scratch, ignore_errors=True)
        self._keep = []


def _identity(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_dev, stat.st_ino


def _draw_in_parallel(missing: list[model.Protocol], folders: dict, url: str, workers: int,
                      tree: Tree | None = None, meanwhile: Callable[[], None] = lambda: None,
                      ) -> tuple[list[str], PendingPNGs | None]:
    """Every missing version's drawings across `workers` processes, a version to a process at a time; each
    version is renamed into the cache here. Versions a stopped pool left undrawn are drawn in this process.

    With `tree`, the PNGs are left drawing (a second round, see PendingPNGs) and their files placed in the
    tree; the versions are renamed into the cache when they are done (PendingPNGs.finish).
    `meanwhile` runs in this process while the workers draw (it would otherwise wait idle)."""
    scratches = {(p.id, p.version.id): Path(tempfile.mkdtemp(prefix=f"{DRAWING_PREFIX}{os.getpid()}-",
                                                             dir=folders[p.id, p.version.id].parent))
                 for p in missing}
    parts = sorted(missing, key=_version_cost, reverse=True)
    failed: dict[tuple[str, str], str] = {}
    stack = contextlib.ExitStack()
    pngs: list[_PngJob] = []
    try:
        with stack:
            pool = stack.enter_context(ProcessPoolExecutor(max_workers=workers))
            drawn = pool.map(functools.partial(_draw_version_but_png, png=tree is None), parts,
                             [scratches[p.id, p.version.id] for p in parts], [url] * len(parts))
            try:
                meanwhile()
            except BaseException:  # the drawings not started are dropped; those running end before their
                pool.shutdown(wait=True, cancel_futures=True)  # scratch folders are removed below
                raise
            for protocol, (error, sources) in zip(parts, drawn, strict=True):
                scratch = scratches[protocol.id, protocol.version.id]
                if error:
                    failed[protocol.id, protocol.version.id] = error
                elif tree is not None and sources:
                    pngs.append(([source for source, _ in sources], [scratch / rel for _, rel in sources],
                                 str(protocol.source_path)))
            if tree is not None and not failed:
                for _, paths, _ in pngs:
                    for path in paths:
                        path.touch()  # the file the tree links to, written in place when drawn
                keep = [(scratches[p.id, p.version.id], folders[p.id, p.version.id]) for p in missing]
                return [], PendingPNGs(pool, stack.pop_all(), pngs, keep)
    except BrokenProcessPool:  # a worker was killed (e.g. by the system): draw what is left here
        print("guidance build: a drawing process stopped; drawing the rest in this one", file=sys.stderr)
        for scratch in scratches.values():
            shutil.rmtree(scratch, ignore_errors=True)
        return [_draw(p, folders[p.id, p.version.id], url) or "" for p in missing], None
    except BaseException:
        for scratch in scratches.values():
            shutil.rmtree(scratch, ignore_errors=True)
        raise
    for protocol in missing:
        key = (protocol.id, protocol.version.id)
        if key in failed:
            shutil.rmtree(scratches[key], ignore_errors=True)
        else:
            for job in pngs:  # another version failed: this one's PNGs are drawn here, then it is kept
                if job[1][0].is_relative_to(scratches[key]):
                    _draw_pngs(*job)
            _keep(scratches[key], folders[key])
    return [failed[p.id, p.version.id] for p in missing if (p.id, p.version.id) in failed], None


def _flowcharts(generated: Generated, jobs: int | None, defer_png: bool = False,
                meanwhile: Callable[[], None] = lambda: None) -> dict[tuple[str, str], _Charts]:
    """Every version's drawings, from the cache or drawn now; `meanwhile` is run once, while they draw."""
    ran: list[bool] = []

    def once() -> None:
        if not ran:
            ran.append(True)
            meanwhile()

    charts = _flowcharts_drawn(generated, jobs, defer_png, once)
    once()
    return charts


def _flowcharts_drawn(generated: Generated, jobs: int | None, defer_png: bool,
                      meanwhile: Callable[[], None]) -> dict[tuple[str, str], _Charts]:
    cache_root = generated.project.build_dir / CACHE_DIR
    cache_root.mkdir(parents=True, exist_ok=True)
    clean_stale(cache_root, DRAWING_PREFIX)  # scratch of a drawing process that was killed
    versions = [p for s in generated.series for p in s.versions]
    url = generated.site_url
    folders = {(p.id, p.version.id): cache_root / flowchart_key(p, url) for p in versions}
    missing = [p for p in versions if not folders[p.id, p.version.id].is_dir()]
    if missing:
        workers = max(1, min(jobs or os.cpu_count() or 1, len(missing)))
        if workers > 1:
            errors, generated.pending = _draw_in_parallel(missing, folders, url, workers,
                                                          tree=generated.tree if defer_png else None,
                                                          meanwhile=meanwhile)
        else:
            errors = [_draw(p, folders[p.id, p.version.id], url) or "" for p in missing]
        if any(errors):
            raise BuildError("\n".join(e for e in errors if e))
        generated.drawn.extend(f"{p.id}/{p.version.id}" for p in missing)
    drawing = generated.pending.scratches() if generated.pending else {}  # folder -> scratch, until finished
    try:
        return _place_charts(generated, versions, folders, drawing)
    except OSError:
        if not drawing:
            raise
        finish_drawings(generated)  # the tree cannot link to the PNGs being drawn: they are waited for
        return _place_charts(generated, versions, folders, {})


def _place_charts(generated: Generated, versions: list[model.Protocol], folders: dict,
                  drawing: dict[Path, Path]) -> dict[tuple[str, str], _Charts]:
    charts = {}
    for protocol in versions:
        folder = folders[protocol.id, protocol.version.id]
        folder = drawing.get(folder, folder)
        target = pages.flowchart_dir(protocol)
        files = []
        for language, drawn in _drawing_languages(protocol, folder):
            placed = target if language == "en" else f"{welsh.FOLDER}/{target}"
            for name in sorted(p.name for p in drawn.iterdir() if p.suffix in (".pdf", ".png")):
                generated.tree.place(f"{placed}/{name}", drawn / name, linked=folder in drawing.values())
                files.append(f"{placed}/{name}")
        charts[protocol.id, protocol.version.id] = _Charts(protocol, folder, tuple(files))
    return charts


def finish_drawings(generated: Generated) -> None:
    """The PNGs left drawing (PendingPNGs) drawn and every drawing kept in the cache; BuildError if one failed."""
    pending, generated.pending = generated.pending, None
    if pending is None:
        return
    moved = {scratch: folder for folder, scratch in pending.scratches().items()}
    pending.finish()
    for key, chart in generated.charts.items():
        if chart.folder in moved:
            generated.charts[key] = dataclasses.replace(chart, folder=moved[chart.folder])


def abandon_drawings(generated: Generated) -> None:
    pending, generated.pending = generated.pending, None
    if pending is not None:
        pending.abandon()


# --- What a partnership's pages depend on ----------------------------------------------------------

@cache
def page_code_version() -> str:
    digest = hashlib.sha256()
    views = Path(pages.__file__).parent
    for path in sorted([*views.glob("*.py"), *(views / "templates").glob("*"), Path(model.__file__),
                        Path(__file__)]):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _series_key(series: pages.Series, today: dt.date, has_next: bool, guide_url: str = "") -> str:
    parts = [page_code_version(), str(has_next), repr(pages.review_status(series.current, today)),
             *(f"{flowchart_key(p, guide_url)}:{spec_text(p)}" for p in series.versions)]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _read_state(proj: Project) -> dict:
    try:
        return json.loads((proj.build_dir / STATE_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _write_state(proj: Project, state: dict) -> None:
    (proj.build_dir / STATE_NAME).write_text(json.dumps(state, sort_keys=True), encoding="utf-8")


# --- The generated configuration -------------------------------------------------------------------

class _ConfigLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """Safe YAML plus MkDocs' `!ENV` tag, resolved now (the generated configuration carries the value), so
    a setting such as `use_directory_urls: !ENV [ESCALATION_DIRECTORY_URLS, true]` works with every engine."""


def _env_tag(loader: yaml.SafeLoader, node: yaml.Node):
    """`!ENV NAME` or `!ENV [NAME, OTHER, default]`: the first variable set, read as YAML, else the default."""
    if isinstance(node, yaml.ScalarNode):
        names, default = [loader.construct_scalar(node)], None
    else:
        items = loader.construct_sequence(node, deep=True)
        names, default = (items[:-1], items[-1]) if len(items) > 1 else (items, None)
    for name in names:
        value = os.environ.get(str(name))
        if value is not None:
            return yaml.safe_load(value) if value.strip() else value
    return default


_ConfigLoader.add_constructor("!ENV", _env_tag)
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _read_config(proj: Project) -> dict:
    try:
        config = yaml.load(proj.config.read_text(encoding="utf-8"), Loader=_ConfigLoader) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise BuildError(f"{proj.config}: cannot read the site configuration: {exc}") from None
    if not isinstance(config, dict):
        raise BuildError(f"{proj.config}: expected a mapping of MkDocs settings")
    return config


def _site_config(proj: Project, series: list[pages.Series], config: dict | None = None) -> str:
    """The project's mkdocs.yml with the tree, the navigation and absolute theme paths filled in."""
    config = dict(config if config is not None else _read_config(proj))
    config.pop("hooks", None)
    config["docs_dir"] = TREE_DIR
    config.pop("site_dir", None)  # each engine run is given its own (a staging folder swapped into place)
    theme = config["theme"] = dict(config.get("theme") or {"name": "material"})
    custom = theme.get("custom_dir")
    theme["custom_dir"] = str((proj.config.parent / custom).resolve() if custom else resources.path("site_overrides"))
    if "nav" not in config:
        config["nav"] = _nav(series, proj.tree)
    features = list(theme.get("features") or [])
    if len(series) >= PRUNE_NAV_FROM and "navigation.prune" not in features and "navigation.expand" not in features:
        theme["features"] = [*features, "navigation.prune"]
    # Version and "what changed" pages are reached from their partnership's page, not the navigation.
    listed = str(config.get("not_in_nav") or "")
    config["not_in_nav"] = listed + ("" if not listed or listed.endswith("\n") else "\n") + "/*/*/index.md\n"
    # main.html links each partnership's pages to that partnership's feed (and every page to the site's).
    extra = dict(config.get("extra") or {})
    extra["partnership_feeds"] = {s.id: s.current.partnership.short_name for s in series}
    # next.html's own words (Back, Continue, loading, failure), by language, from the one catalogue.
    extra["wizard_words"] = {language: display.page_words(language) for language in messages.languages()}
    config["extra"] = extra
    config = welsh.configure(config, series)  # the Welsh pages under cy/ and the language switch
    header = "# Generated by `guidance build` from the project's mkdocs.yml: edit that file, not this one.\n"
    return header + yaml.dump(config, Dumper=_DUMPER, sort_keys=False, allow_unicode=True)


def _nav(series: list[pages.Series], tree: Path) -> list:
    """Home, one entry per partnership (its current version), then the cross-cutting pages."""
    nav: list = [{"Home": HOME_PAGE}]
    if (tree / pages.NEXT_PAGE).exists():
        nav.append({"What do I do next?": pages.NEXT_PAGE})
    # Navigation titles reach the page as markup (MkDocs and the theme do not escape them): escape here.
    nav.append({"Protocols": [{html.escape(s.current.partnership.short_name): pages.partnership_page(s.id)}
                              for s in series]})
    nav.append({"Compare protocols": pages.COMPARE_PAGE})
    nav += [{title: name} for title, name in NAV_PAGES if (tree / name).exists()]
    return nav


def _write_if_changed(path: Path, text: str, tree: Tree) -> None:
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
        tree.changed.append(f"../{path.name}")


# --- Running the site engine -----------------------------------------------------------------------

class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _overrides_stamp(proj: Project) -> str:
    """Theme files are read by the engine, not the tree: their sizes and times decide a rebuild too."""
    config = yaml.load(proj.config_file.read_text(encoding="utf-8"), Loader=_ConfigLoader)
    folder = Path(config["theme"]["custom_dir"])
    stamp = [f"{p.relative_to(folder)}:{p.stat().st_size}:{p.stat().st_mtime_ns}"
             for p in sorted(folder.rglob("*")) if p.is_file()]
    return hashlib.sha256("\n".join(stamp).encode()).hexdigest()


def run_engine(proj: Project, dest: Path, *, engine: str = "mkdocs", strict: bool = True,
               dirty: bool = False, before_copy: Callable[[str], None] | None = None) -> list[str]:
    """Build the tree into `dest` with MkDocs (in process) or Zensical (its command); BuildError on failure.

    `dirty` (MkDocs only): `dest` holds this tree's previous output and only pages whose Markdown is newer
    than their HTML are rendered again. Returns the files MkDocs wrote (empty for Zensical).
    """
    if engine == "mkdocs":
        return _run_mkdocs(proj, dest, strict=strict, dirty=dirty, before_copy=before_copy)
    if engine == "zensical":
        _run_zensical(proj, dest)
        return []
    raise BuildError(f"unknown site engine '{engine}' (known: {', '.join(ENGINES)})")


class _NotTheDirtyWarning(logging.Filter):
    """MkDocs warns that a dirty build may leave navigation stale; strict mode would count it as a failure.
    The build asks for one only when the navigation and the set of pages are unchanged (see _engine_key)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("A 'dirty' build is being performed")


@contextlib.contextmanager
def _writes_as_new_files(written: list[str], before_copy: Callable[[str], None] | None = None):
    """MkDocs writes by opening the old file in place; files of the kept engine output may be hard links in
    the published site, so each write here replaces the file instead (site/ is untouched until the swap).
    `before_copy(source)` is called before a file of the tree is copied (a PNG still drawing is waited for)."""
    from mkdocs import utils

    write_file, copy_file = utils.write_file, utils.copy_file

    def write_new(content: bytes, output_path: str) -> None:
        Path(output_path).unlink(missing_ok=True)
        written.append(output_path)
        write_file(content, output_path)

    def copy_new(source_path: str, output_path: str) -> None:
        if before_copy is not None:
            before_copy(source_path)
        target = Path(output_path) / Path(source_path).name if Path(output_path).is_dir() else Path(output_path)
        target.unlink(missing_ok=True)
        written.append(str(target))
        copy_file(source_path, str(target))

    utils.write_file, utils.copy_file = write_new, copy_new
    try:
        yield
    finally:
        utils.write_file, utils.copy_file = write_file, copy_file


def _run_mkdocs(proj: Project, dest: Path, *, strict: bool, dirty: bool,
                before_copy: Callable[[str], None] | None = None) -> list[str]:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    collect = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(collect)
    quiet = _NotTheDirtyWarning()
    logging.getLogger("mkdocs.commands.build").addFilter(quiet)
    saved = os.environ.get("NO_MKDOCS_2_WARNING")
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    written: list[str] = []
    try:
        with _writes_as_new_files(written, before_copy):
            build(load_config(str(proj.config_file), site_dir=str(dest), strict=strict), dirty=dirty)
    except (MkDocsException, SystemExit) as exc:
        detail = "\n".join(m for m in collect.messages if not m.startswith("Aborted")) or str(exc)
        raise BuildError(detail) from None
    finally:
        logger.removeHandler(collect)
        logging.getLogger("mkdocs.commands.build").removeFilter(quiet)
        if saved is None:
            os.environ.pop("NO_MKDOCS_2_WARNING", None)
    return written


def _run_zensical(proj: Project, dest: Path) -> None:
    config = yaml.safe_load(proj.config_file.read_text(encoding="utf-8"))
    inside = proj.build_dir / "zensical-site"  # Zensical insists on a site folder inside its project
    shutil.rmtree(inside, ignore_errors=True)
    config["site_dir"] = inside.name
    config["docs_dir"] = TREE_DIR
    zensical_config = proj.build_dir / "zensical.yml"
    zensical_config.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    command = shutil.which("zensical") or str(Path(sys.executable).parent / "zensical")
    try:
        done = subprocess.run([command, "build", "--clean", "-f", str(zensical_config)], cwd=proj.build_dir,
                              capture_output=True, text=True, check=False)
    except OSError as exc:
        raise BuildError(f"Zensical could not be run ({exc}); install it with `pip install zensical`") from None
    if done.returncode != 0 or not inside.is_dir():
        raise BuildError(f"Zensical failed:\n{done.stdout}{done.stderr}")
    dest.rmdir()
    inside.rename(dest)


# --- MkDocs, incrementally --------------------------------------------------------------------------

def _engine_key(proj: Project, generated: Generated, strict: bool) -> str:
    """What must be as it was for MkDocs to re-render only changed pages: the generated configuration (with
    the navigation), the theme and its overrides, the engine's versions, and the set of files of the tree
    (a page added or removed changes other pages' links and the search index's pages)."""
    parts = [proj.config_file.read_text(encoding="utf-8"), _overrides_stamp(proj), str(strict),
             *(importlib.metadata.version(name) for name in ("mkdocs", "mkdocs-material")),
             *sorted(generated.tree.kept)]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def update_engine_site(proj: Project, generated: Generated, *, strict: bool = True) -> tuple[Path, bool]:
    """MkDocs' output in the build folder brought up to date: (folder, whether only changed pages were
    rendered). From clean when anything but pages' content changed, or when the last run did not finish."""
    site = proj.build_dir / ENGINE_SITE
    state = _read_state(proj)
    key = _engine_key(proj, generated, strict)
    previous = _read_search_index(site) if state.get("engine_site") == key and site.is_dir() else None
    dirty = previous is not None
    _write_state(proj, {**state, "engine_site": None})  # a run that stops half-way is not built on
    site.mkdir(parents=True, exist_ok=True)
    before_copy = generated.pending.wait_for if generated.pending else None
    written = run_engine(proj, site, engine="mkdocs", strict=strict, dirty=dirty, before_copy=before_copy)
    if dirty:
        use_directory_urls = yaml.load(proj.config_file.read_text(encoding="utf-8"), Loader=_ConfigLoader).get(
            "use_directory_urls", True)
        rebuilt = {_page_location(Path(path).relative_to(site).as_posix(), use_directory_urls)
                   for path in written if path.endswith(".html")}
        fresh = _read_search_index(site)
        if fresh is not None:
            merged = merge_search_index(previous, fresh, rebuilt)
            path = site / SEARCH_INDEX
            path.unlink()
            path.write_text(json.dumps(merged, separators=(",", ":"), default=str), encoding="utf-8")
    _write_state(proj, {**_read_state(proj), "engine_site": key})
    return site, dirty


def _read_search_index(site: Path) -> dict | None:
    try:
        return json.loads((site / SEARCH_INDEX).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _page_location(rel: str, use_directory_urls: bool) -> str:
    """A page's URL as the search index names it, from its HTML file's place in the site."""
    if use_directory_urls and (rel == "index.html" or rel.endswith("/index.html")):
        return rel[: -len("index.html")]
    return rel


def merge_search_index(previous: dict, fresh: dict, rebuilt: set[str]) -> dict:
    """The index of a dirty MkDocs run holds only the pages it rendered: those pages' entries replace
    their old ones, in place (so the order is a full build's); every other page keeps its entries."""
    def page(entry: dict) -> str:
        return entry["location"].split("#", 1)[0]

    fresh_by_page: dict[str, list[dict]] = {}
    for entry in fresh.get("docs", []):
        fresh_by_page.setdefault(page(entry), []).append(entry)
    docs, placed = [], set()
    for entry in previous.get("docs", []):
        where = page(entry)
        if where not in rebuilt:
            docs.append(entry)
        elif where not in placed:
            docs += fresh_by_page.get(where, [])
            placed.add(where)
    for where, entries in fresh_by_page.items():  # a page searched now that was not before
        if where not in placed and where in rebuilt:
            docs += entries
    return {**fresh, "docs": docs}


def _stage(source: Path, staging: Path) -> None:
    """The engine's output into the staging folder: large downloads hard-linked, everything else copied."""
    for path in sorted(source.rglob("*")):
        target = staging / path.relative_to(source)
        if path.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix in LINKED_SUFFIXES:
            try:
                os.link(path, target)
                continue
            except OSError:
                pass
        shutil.copy2(path, target)


@dataclass
class Result:
    site: Path
    generated: Generated
    engine_ran: bool
    incremental: bool = False  # the engine re-rendered only the pages that changed


def build_site(proj: Project | None = None, *, today: dt.date | None = None, engine: str = "mkdocs",
               strict: bool = True, jobs: int | None = None) -> Result:
    """Generate the tree, run the engine into a fresh folder and swap it over site/ (only on success)."""
    proj = proj or project()
    if proj.site_dir.parent.is_dir():  # what killed builds left is cleaned even if this one fails
        clean_stale(proj.site_dir.parent, f".{proj.site_dir.name}-")
    try:
        # With MkDocs, new PNGs are drawn while it renders the pages (it waits for each before copying it).
        generated = generate(proj, today, jobs=jobs, defer_png=engine == "mkdocs")
    except (load.SpecError, load.ClockError) as exc:
        raise BuildError(str(exc)) from None
    except bundle.BundleError as exc:
        raise BuildError(str(exc)) from None
    staging = None
    try:
        state = _read_state(proj)
        # The site writers' code (the service worker's template among them) is in page_code_version: an
        # upgraded tool rewrites a site whose specs did not change.
        site_key = (f"{engine}:{strict}:{_overrides_stamp(proj)}:{page_code_version()}:{proj.site_dir}:"
                    f"{generated.today}")
        if not generated.tree.changed and state.get("site") == site_key and proj.site_dir.is_dir():
            finish_drawings(generated)
            return Result(proj.site_dir, generated, engine_ran=False)
        proj.site_dir.parent.mkdir(parents=True, exist_ok=True)
        staging = staging_dir(proj.site_dir)
        incremental = False
        if engine == "mkdocs":
            built, incremental = update_engine_site(proj, generated, strict=strict)
            finish_drawings(generated)
            _stage(built, staging)
        else:
            finish_drawings(generated)
            run_engine(proj, staging, engine=engine, strict=strict)
        for write in SITE_WRITERS:
            write(generated, staging)
    except BaseException:
        abandon_drawings(generated)
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
            _write_state(proj, {**_read_state(proj), "site": None})
        raise
    swap(staging, proj.site_dir)
    _write_state(proj, {**_read_state(proj), "site": site_key})
    return Result(proj.site_dir, generated, engine_ran=True, incremental=incremental)


# --- Staging: a build never leaves less than it found ---------------------------------------------

def _prefix(dest: Path, kind: str) -> str:
    return f".{dest.name}-{kind}-{os.getpid()}-"


def staging_dir(dest: Path) -> Path:
    """A fresh folder beside `dest` to build into, named with this process's id; stale ones (left by a
    build that was killed) are removed first, while those of builds still running are left alone."""
    clean_stale(dest.parent, f".{dest.name}-")
    return Path(tempfile.mkdtemp(prefix=_prefix(dest, "building"), dir=dest.parent))


def clean_stale(folder: Path, prefix: str, max_age_s: float = 3600) -> None:
    """Remove `<prefix>building-<pid>-*` and `<prefix>old-<pid>-*` folders (and scratch folders named
    `<prefix><pid>-*`) whose process has ended; folders without a process id once they are an hour old."""
    for path in Path(folder).glob(f"{prefix}*"):
        if not path.is_dir() or path.is_symlink():
            continue
        pid = next((int(part) for part in path.name[len(prefix):].split("-") if part.isdigit()), None)
        if pid == os.getpid() or (pid is not None and _alive(pid)):
            continue
        if pid is None and time.time() - path.stat().st_mtime < max_age_s:
            continue
        shutil.rmtree(path, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process: alive
    return True


def swap(staging: Path, dest: Path) -> None:
    """Put the new site in place with two renames, so there is never a moment with no site at all."""
    staging.chmod(0o755)  # mkdtemp makes it private; a web server must be able to read it
    if dest.exists():
        old = Path(tempfile.mkdtemp(prefix=_prefix(dest, "old"), dir=dest.parent))
        old.rmdir()
        dest.rename(old)
        staging.rename(dest)
        shutil.rmtree(old, ignore_errors=True)
    else:
        staging.rename(dest)
