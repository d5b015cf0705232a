"""The MkDocs hook that makes `mkdocs build` the one build: specs in, the whole site out.

Generated pages are virtual files (never written into docs/, never committed). A broken spec stops the
build in `on_config`, before MkDocs cleans or writes the site folder, with the loader's own
file:line messages. Two environment variables let tests and benchmarks build other trees:
ESCALATION_PROTOCOLS (the protocols folder) and ESCALATION_TODAY (an ISO date for review warnings).
"""

from __future__ import annotations

import datetime as dt
import html
import os
import re
import secrets
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel

from generator import load, site
from generator.views import bundle, data, feeds, flowchart, offline, pages, pocket

PROTOCOLS_ENV = "ESCALATION_PROTOCOLS"
TODAY_ENV = load.TODAY_ENV
HOME_MARKER = "<!-- partnerships -->"
TRAINER_PACK = "trainers-pack.pdf"

# Each build marks where an inline flowchart goes with a random token, so no spec text can name one.
_NONCE = secrets.token_hex(12)
_TOKEN = re.compile(rf"<p>(ECFLOWCHART{_NONCE}N\d+)</p>")


@dataclass
class _Build:
    series: list[pages.Series]
    protocols: list
    today: dt.date
    guide_url: str = ""  # the site's address (mkdocs.yml site_url), printed on the pocket cards when known
    svgs: dict[str, str] = field(default_factory=dict)
    scratch: Path | None = None


_build: _Build | None = None


def _load_all(root: Path) -> list:
    return load.load_tree(root)


def protocols_root(config) -> Path:
    configured = os.environ.get(PROTOCOLS_ENV)
    if configured:
        return Path(configured)
    return Path(config.config_file_path).resolve().parent / "protocols"


def build_today() -> dt.date:
    try:
        return load.today()
    except load.ClockError as exc:
        raise PluginError(str(exc)) from None


_command: str | None = None  # "build", "serve" or "gh-deploy" when MkDocs' own command runs this hook
_final_site_dir: Path | None = None  # where `mkdocs build` was asked to write, while building beside it
_staging: Path | None = None
_failed = False


def on_startup(command, dirty):
    global _command
    _command = command


def on_config(config):
    global _build, _final_site_dir, _staging, _failed
    try:
        protocols = _load_all(protocols_root(config))
    except load.SpecError as exc:
        raise PluginError(str(exc)) from None
    series = pages.group(protocols)
    _build = _Build(series=series, protocols=protocols, today=build_today(), guide_url=config.site_url or "")
    # main.html links each partnership's pages to that partnership's feed (and every page to the site's).
    config.extra["partnership_feeds"] = {s.id: s.current.partnership.short_name for s in series}
    if config.nav is None:
        config.nav = _nav(series, Path(config.docs_dir))
    if _command in ("build", "gh-deploy"):
        # `mkdocs build -d DIR` cleans DIR before it writes: build beside it and swap only on success,
        # so a build that fails leaves DIR as it was (generator.site does the same for `guidance build`).
        _final_site_dir = Path(config.site_dir).resolve()
        _final_site_dir.parent.mkdir(parents=True, exist_ok=True)
        _staging, _failed = site.staging_dir(_final_site_dir), False
        config.site_dir = str(_staging)
    return config


def _nav(series: list[pages.Series], docs_dir: Path) -> list:
    """Home, one entry per partnership (its current version), then the cross-cutting pages."""
    nav: list = [{"Home": "index.md"}]
    if (docs_dir / pages.NEXT_PAGE).exists():
        nav.append({"What do I do next?": pages.NEXT_PAGE})
    # Navigation titles reach the page as markup (MkDocs and the theme do not escape them): escape here.
    nav.append({"Protocols": [{html.escape(s.current.partnership.short_name): pages.partnership_page(s.id)}
                              for s in series]})
    nav.append({"Compare protocols": pages.COMPARE_PAGE})
    for title, name in (("Publish or update a protocol", "publishing.md"), ("Protocol data for developers",
                        "developers.md"), ("About", "about.md")):
        if (docs_dir / name).exists():
            nav.append({title: name})
    return nav


def on_files(files: Files, config) -> Files:
    build = _state()
    site.clean_stale(Path(tempfile.gettempdir()), "escalation-flowcharts-")
    build.scratch = Path(tempfile.mkdtemp(prefix=f"escalation-flowcharts-{os.getpid()}-"))
    has_next = files.get_file_from_path(pages.NEXT_PAGE) is not None

    def add(src_uri: str, content: str, in_nav: bool = False) -> None:
        inclusion = InclusionLevel.UNDEFINED if in_nav else InclusionLevel.NOT_IN_NAV
        files.append(File.generated(config, src_uri, content=content, inclusion=inclusion))

    drawn = _draw_all(build)
    for series in build.series:
        for protocol in series.versions:
            charts, pack = _flowcharts(protocol, drawn[protocol.id, protocol.version.id], build, files, config)
            review = pages.review_status(series.current, build.today)  # the protocol in force decides
            common = dict(series=series, protocol=protocol, review=review, has_next=has_next,
                          flowcharts=charts, trainer_pack=pack, pocket_card=pocket.FILE_NAME)
            add(pages.version_page(protocol), pages.protocol_page(pages.ProtocolPage(
                links=pages.Links(root="../../", partnership="../", version=""), **common)))
            if protocol is series.current:
                add(pages.partnership_page(series.id), pages.protocol_page(pages.ProtocolPage(
                    links=pages.Links(root="../", partnership="", version=f"{protocol.version.id}/"), **common)),
                    in_nav=True)
        add(pages.changes_page_path(series.id), pages.changes_page(series, build.today))
    add(pages.COMPARE_PAGE, pages.compare_page(build.series, build.today), in_nav=True)
    return files


@dataclass
class _Drawn:
    svgs: dict[str, tuple[str, str]]  # route id -> (screen drawing, print drawing)
    texts: dict[str, tuple[str, ...]]
    downloads: dict[str, dict[str, Path]]
    pack: Path


def _draw(protocol, out: Path, guide_url: str = "") -> _Drawn:
    """Every drawing of one version; runs in a worker thread (the time is spent in Graphviz processes)."""
    try:
        downloads = flowchart.write_downloads(protocol, out)
        pack = flowchart.write_trainer_pack(protocol, out / TRAINER_PACK)
        pocket.write_pocket_card(protocol, out / pocket.FILE_NAME, guide_url=guide_url)
        svgs = {route.id: (flowchart.inline_svg(protocol, route),
                           flowchart.inline_svg(protocol, route, id_prefix=f"{route.id}-print", layout="print"))
                for route in protocol.routes}
        texts = {route.id: tuple(flowchart.text_alternative(protocol, route)) for route in protocol.routes}
    except (flowchart.FlowchartError, pocket.PocketCardError) as exc:
        raise PluginError(f"{protocol.source_path}: {exc}") from None
    return _Drawn(svgs, texts, downloads, pack)


def _draw_all(build: _Build) -> dict[tuple[str, str], _Drawn]:
    versions = [p for series in build.series for p in series.versions]
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        drawn = pool.map(lambda p: _draw(p, build.scratch / pages.flowchart_dir(p), build.guide_url), versions)
        return {(p.id, p.version.id): d for p, d in zip(versions, drawn, strict=True)}


def _flowcharts(protocol, drawn: _Drawn, build: _Build, files: Files, config) -> tuple[dict[str, pages.Flowchart], str]:
    """Register a version's downloads as site files; give each inline SVG a placeholder for the page."""
    folder = pages.flowchart_dir(protocol)
    charts = {}
    for route in protocol.routes:
        token = f"ECFLOWCHART{_NONCE}N{len(build.svgs)}"
        build.svgs[token] = pages.flowchart_html(*drawn.svgs[route.id])
        made = drawn.downloads.get(route.id, {})
        charts[route.id] = pages.Flowchart(
            token=token, text=drawn.texts[route.id],
            pdf=made["pdf"].name if "pdf" in made else "", png=made["png"].name if "png" in made else "")
    for path in sorted((build.scratch / folder).iterdir()):
        files.append(File.generated(config, f"{folder}/{path.name}", abs_src_path=str(path)))
    return charts, drawn.pack.name


def on_page_markdown(markdown: str, page, config, files) -> str:
    if page.file.src_uri == "index.md" and HOME_MARKER in markdown:
        build = _state()
        return markdown.replace(HOME_MARKER, pages.home_fragment(build.series, build.today))
    return markdown


def on_page_content(html: str, page, config, files) -> str:
    svgs = _state().svgs
    return _TOKEN.sub(lambda m: svgs.get(m.group(1), m.group(0)), html)


def on_post_build(config) -> None:
    build = _state()
    bundle.write_bundle(build.protocols, Path(config.site_dir), today=build.today)
    data.write_data(build.protocols, Path(config.site_dir))
    feeds.write_feeds(build.protocols, Path(config.site_dir), today=build.today, site_url=config.site_url)
    try:
        offline.write_offline(Path(config.site_dir))  # last: it lists every file of the build
    except offline.OfflineError as exc:
        raise PluginError(str(exc)) from None
    _clean_scratch()


def on_build_error(error) -> None:
    global _failed
    _failed = True
    _clean_scratch()


def on_shutdown() -> None:
    """After `mkdocs build`: the staged site replaces DIR only if the build succeeded (strict mode's final
    check runs after on_post_build, so the swap waits until here); a failed build's folder is removed."""
    global _final_site_dir, _staging
    if _final_site_dir is None or _staging is None:
        return
    if _failed or not _staging.is_dir():
        shutil.rmtree(_staging, ignore_errors=True)
    else:
        site.swap(_staging, _final_site_dir)
    _final_site_dir = _staging = None


def _clean_scratch() -> None:
    if _build is not None and _build.scratch is not None:
        shutil.rmtree(_build.scratch, ignore_errors=True)
        _build.scratch = None


def _state() -> _Build:
    if _build is None:  # pragma: no cover - MkDocs always runs on_config first
        raise PluginError("the escalation guide hook ran before on_config")
    return _build
