"""Time the full site build: the real protocols, then synthetic trees of 50 and 200 protocol versions.

    .venv/bin/python benchmarks/build.py            # sizes 50 and 200
    .venv/bin/python benchmarks/build.py 200 400    # other sizes

Synthetic versions are the real specs with new partnership and version ids and shifted working-day
timescales (10 versions per synthetic partnership), so each one costs what a real one does: its pages,
its flowcharts (SVG, PDF, PNG, trainer's pack), its share of the "what changed" pages and the search
index. Seconds per version should stay flat as the count grows: the build must be linear. Each build
runs in a fresh process (start-up included), so the small real tree carries a second or so of fixed cost.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent

VERSIONS_PER_PARTNERSHIP = 10
TODAY = "2026-03-01"


def synthetic_tree(root: Path, count: int) -> Path:
    """`count` valid specs under root, made by varying the real ones."""
    bases = sorted((ROOT / "protocols").glob("*/*.yaml"))
    root.mkdir(parents=True, exist_ok=True)
    (root / "schema.json").write_text((ROOT / "protocols" / "schema.json").read_text(encoding="utf-8"))
    for i in range(count):
        group, k = divmod(i, VERSIONS_PER_PARTNERSHIP)
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


def timed_build(protocols: Path | None, dest: Path) -> float:
    """One build in a fresh process, as `guidance build` runs it: no drawing cached from an earlier build."""
    code = ("import sys; from pathlib import Path; from generator import site; "
            "site.build_site(Path(sys.argv[1]), protocols=Path(sys.argv[2]) if sys.argv[2] else None, "
            f"today={TODAY!r})")
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code, str(dest), str(protocols or "")], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main(argv: list[str]) -> int:
    sizes = [int(a) for a in argv] or [50, 200]
    real_count = len(list((ROOT / "protocols").glob("*/*.yaml")))
    with tempfile.TemporaryDirectory(prefix="escalation-bench-") as scratch:
        scratch = Path(scratch)
        timed_build(None, scratch / "warm")  # the operating system's file cache, as on a second build
        seconds = timed_build(None, scratch / "real")
        print(f"real protocols: {real_count} versions in {seconds:.2f} s = {seconds / real_count:.3f} s per version")
        for size in sizes:
            tree = synthetic_tree(scratch / f"specs-{size}", size)
            seconds = timed_build(tree, scratch / f"site-{size}")
            print(f"synthetic: {size} versions in {seconds:.2f} s = {seconds / size:.3f} s per version")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
