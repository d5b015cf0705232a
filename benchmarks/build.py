"""Time `guidance build`: cold, after one changed spec, after no change; and the search index's size.

    .venv/bin/python benchmarks/build.py              # the real protocols, then 200 synthetic versions
    .venv/bin/python benchmarks/build.py 200 1000     # other sizes

Synthetic versions are the real specs with new partnership and version ids and shifted working-day
timescales (10 versions per synthetic partnership), so each one costs what a real one does: its pages,
its flowcharts (SVG, PDF, PNG, trainer's pack), its share of the "what changed" pages and the search
index. Every build runs in a fresh process, as `guidance build` does (start-up included). "Cold" means an
empty build folder (no flowchart cached); "one changed" edits one stage title of one spec; "unchanged"
builds again with nothing edited. The search index is also measured with one version per partnership, to
show that superseded versions do not grow it. The machine's load average is printed with each figure.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent

VERSIONS_PER_PARTNERSHIP = 10
# The index comparison builds a second tree cold: skipped for the largest sizes, where it takes minutes.
MAX_SIZE_FOR_INDEX_COMPARISON = 200
TODAY = "2026-03-01"


def synthetic_tree(root: Path, count: int, *, versions_per_partnership: int = VERSIONS_PER_PARTNERSHIP,
                   partnerships: int | None = None) -> Path:
    """`count` valid specs under root, made by varying the real ones (or `partnerships` with one version each)."""
    bases = sorted((ROOT / "protocols").glob("*/*.yaml"))
    root.mkdir(parents=True, exist_ok=True)
    (root / "schema.json").write_text((ROOT / "protocols" / "schema.json").read_text(encoding="utf-8"))
    items = [(g, VERSIONS_PER_PARTNERSHIP - 1) for g in range(partnerships)] if partnerships else \
        [divmod(i, versions_per_partnership) for i in range(count)]
    for group, k in items:
        base = bases[group % len(bases)]
        data = yaml.safe_load(base.read_text(encoding="utf-8"))
        pid = f"synthetic-{group:03d}"
        data["partnership"].update(id=pid, short_name=f"Synthetic {group}",
                                   name=f"Synthetic {group} ({data['partnership']['name']})")
        data["version"].update(id=f"{2000 + k}-01", issued=f"{2000 + k}-01", review_due=f"{2003 + k}-01",
                               changes=[f"Synthetic version {k}."])
        for route in data["routes"]:
            for stage in route["stages"]:
                if stage["timescale"].get("kind") == "working_days":
                    stage["timescale"]["days"] += k % 3
        folder = root / pid
        folder.mkdir(exist_ok=True)
        (folder / f"{2000 + k}-01.yaml").write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True),
                                                    encoding="utf-8")
    return root


def timed_build(protocols: Path, folder: Path) -> float:
    """One build in a fresh process; `folder` holds its site and build folder (kept between calls)."""
    seconds, _ = timed_build_with_result(protocols, folder)
    return seconds


def timed_build_with_result(protocols: Path, folder: Path) -> tuple[float, str]:
    """The build's time, and what it did: versions drawn, partnerships rendered, how the engine ran."""
    code = ("import sys, datetime as dt; from pathlib import Path; from generator import build; "
            "f = Path(sys.argv[1]); r = build.build_site(build.project(Path(sys.argv[3]), "
            "protocols=Path(sys.argv[2]), site_dir=f / 'site', build_dir=f / 'build'), "
            "today=dt.date.fromisoformat(sys.argv[4])); "
            "print(f'{len(r.generated.drawn)} drawn, {len(r.generated.rendered)} partnerships rendered, engine ' "
            "+ ('re-rendered only changed pages' if r.incremental else 'ran in full' if r.engine_ran else 'not run'))")
    start, cpu = time.perf_counter(), _children_cpu()
    done = subprocess.run([sys.executable, "-c", code, str(folder), str(protocols), str(ROOT), TODAY], cwd=ROOT,
                          check=True, capture_output=True, text=True)
    seconds, cpu = time.perf_counter() - start, _children_cpu() - cpu
    return seconds, f"{done.stdout.strip().splitlines()[-1]}; {cpu:.1f} s of CPU = {cpu / 2:.1f} s on 2 idle cores"


def _children_cpu() -> float:
    """CPU time of finished child processes and theirs (the build, its drawing workers, Graphviz): unlike
    the wall time it hardly depends on what else the machine is doing, so it shows the work itself."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def page_weight_line(site: Path) -> str:
    """What the heaviest partnership page downloads as it loads (benchmarks/page_weight.py), if Chromium is here."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import page_weight

    if not Path(page_weight.CHROMIUM).exists():
        return "page weight: not measured (no Chromium)"
    page = page_weight.heaviest_partnership_page(site)
    return "page weight: " + page_weight.describe(page, page_weight.page_download(site, page))


def load() -> str:
    return f"load {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"


def index_size(folder: Path) -> int:
    return (folder / "site" / "search" / "search_index.json").stat().st_size


def change_one_spec(tree: Path) -> None:
    spec = sorted(tree.glob("*/*.yaml"))[len(list(tree.glob("*/*.yaml"))) // 2]
    text = spec.read_text(encoding="utf-8")
    spec.write_text(text.replace("title: ", "title: Changed ", 1), encoding="utf-8")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="Times guidance build: the real protocols, then synthetic trees "
                                     "of the given numbers of versions (cold, nothing changed, one spec changed).")
    parser.add_argument("sizes", nargs="*", type=int, metavar="VERSIONS", help="synthetic tree sizes (default: 200)")
    sizes = parser.parse_args(argv).sizes or [200]
    real_count = len(list((ROOT / "protocols").glob("*/*.yaml")))
    with tempfile.TemporaryDirectory(prefix="escalation-bench-") as scratch:
        scratch = Path(scratch)
        timed_build(ROOT / "protocols", scratch / "warm")  # the operating system's file cache, as on a second build
        seconds, did = timed_build_with_result(ROOT / "protocols", scratch / "real")
        print(f"real protocols: {real_count} versions cold in {seconds:.2f} s ({load()}; {did})", flush=True)
        seconds, did = timed_build_with_result(ROOT / "protocols", scratch / "real")
        print(f"real protocols: nothing changed in {seconds:.2f} s ({load()}; {did})", flush=True)
        print(f"real protocols: {page_weight_line(scratch / 'real' / 'site')}", flush=True)
        for size in sizes:
            tree = synthetic_tree(scratch / f"specs-{size}", size)
            folder = scratch / f"out-{size}"
            seconds, did = timed_build_with_result(tree, folder)
            print(f"synthetic: {size} versions cold in {seconds:.2f} s = {seconds / size:.3f} s per version "
                  f"({load()}; {did})", flush=True)
            print(f"synthetic: search index at {size} versions: {index_size(folder) / 1024:.0f} KB "
                  "(fetched only when a reader searches)")
            print(f"synthetic: {page_weight_line(folder / 'site')}", flush=True)
            seconds, did = timed_build_with_result(tree, folder)
            print(f"synthetic: {size} versions, nothing changed, in {seconds:.2f} s ({load()}; {did})", flush=True)
            change_one_spec(tree)
            seconds, did = timed_build_with_result(tree, folder)
            print(f"synthetic: {size} versions, one spec changed, in {seconds:.2f} s ({load()}; {did})", flush=True)
            if size > MAX_SIZE_FOR_INDEX_COMPARISON:
                continue
            current = synthetic_tree(scratch / f"current-{size}", size, versions_per_partnership=1,
                                     partnerships=size // VERSIONS_PER_PARTNERSHIP)
            timed_build(current, scratch / f"current-out-{size}")
            print(f"synthetic: search index with the same {size // VERSIONS_PER_PARTNERSHIP} partnerships, "
                  f"one version each: {index_size(scratch / f'current-out-{size}') / 1024:.0f} KB", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
