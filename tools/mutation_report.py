"""Score per core module from mutmut's results, and the mutants that survived: `make mutation` prints it.

mutmut keeps one `<module>.py.meta` JSON file per mutated module under `mutants/`, holding the test run's exit
code for every mutant. mutmut's own summary is one total for the whole run; the issue asks for a figure per
module, because a well-guarded calendar must not hide a weak engine. Equivalent mutants never reach these
files: they are marked in the source with `# pragma: no mutate` and a reason, and counted here from the
source so the report says how many lines were excused.
"""

from __future__ import annotations

import argparse
import ast
import difflib
import json
import sys
from collections import Counter
from pathlib import Path

# mutmut's exit-code meanings (mutmut/stats.py). A timeout or a type-check catch means a test noticed.
KILLED = {1, 3, 24, -24, 36, 37, 152, 255}
SURVIVED = {0}
NO_TESTS = {5, 33}
NOT_CHECKED = {None}
PRAGMA = "# pragma: no mutate"


def classify(exit_code: int | None) -> str:
    if exit_code in KILLED:
        return "killed"
    if exit_code in SURVIVED:
        return "survived"
    if exit_code in NO_TESTS:
        return "no tests"
    if exit_code in NOT_CHECKED:
        return "not checked"
    return "suspicious"


def read_results(mutants_dir: Path) -> dict[str, dict[str, str]]:
    """{source path: {mutant name: status}} for every module mutmut mutated."""
    results = {}
    for meta in sorted(mutants_dir.rglob("*.py.meta")):
        source = meta.relative_to(mutants_dir).with_suffix("")  # generator/core/engine.py
        codes = json.loads(meta.read_text("utf-8")).get("exit_code_by_key", {})
        results[str(source)] = {name: classify(code) for name, code in codes.items()}
    return results


def score(statuses: dict[str, str]) -> float | None:
    """Killed over all mutants that were generated (equivalents are never generated). None: no mutants."""
    if not statuses:
        return None
    return 100.0 * sum(s == "killed" for s in statuses.values()) / len(statuses)


def excused_lines(source: Path) -> int:
    if not source.exists():
        return 0
    return sum(PRAGMA in line for line in source.read_text("utf-8").splitlines())


def functions(mutated_module: Path) -> dict[str, str]:
    """{function name: source} for every function in mutmut's copy of a module.

    mutmut writes each mutant as a whole function named `<mangled>__mutmut_<n>` beside the original
    `<mangled>__mutmut_orig`. Reading them here gives the same diff as `mutmut show`, which starts a new
    process per mutant (about a second each: minutes for a few hundred survivors).
    """
    source = mutated_module.read_text("utf-8")
    lines = source.splitlines()
    return {node.name: "\n".join(lines[node.lineno:node.end_lineno])  # the body: the def line names differ
            for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and "__mutmut_" in node.name}


def diff(name: str, defs: dict[str, str]) -> str:
    """The changed lines of one mutant against the original, indented under its name."""
    mangled = name.rpartition(".")[2]
    original = defs.get(mangled.rpartition("__mutmut_")[0] + "__mutmut_orig", "")
    changed = difflib.unified_diff(original.splitlines(), defs.get(mangled, "").splitlines(), lineterm="", n=0)
    return "\n".join(f"        {line}" for line in changed
                     if line.startswith(("-", "+")) and not line.startswith(("---", "+++")))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mutants", type=Path, default=Path("mutants"), help="mutmut's working folder")
    parser.add_argument("--fail-under", type=float, default=None, metavar="PERCENT",
                        help="exit 1 when any module scores below this")
    parser.add_argument("--no-diffs", action="store_true", help="list surviving mutants by name only")
    args = parser.parse_args(argv)

    results = read_results(args.mutants)
    if not results:
        print(f"No mutmut results under {args.mutants}/: run `mutmut run` first.", file=sys.stderr)
        return 2

    print(f"{'module':<32} {'mutants':>7} {'killed':>7} {'survived':>8} {'no tests':>8} {'other':>6} "
          f"{'score':>7} {'excused lines':>13}")
    low = []
    for source, statuses in results.items():
        counts = Counter(statuses.values())
        value = score(statuses)
        other = len(statuses) - counts["killed"] - counts["survived"] - counts["no tests"]
        shown = "-" if value is None else f"{value:6.1f}%"
        print(f"{source:<32} {len(statuses):>7} {counts['killed']:>7} {counts['survived']:>8} "
              f"{counts['no tests']:>8} {other:>6} {shown:>7} {excused_lines(Path(source)):>13}")
        if value is not None and args.fail_under is not None and value < args.fail_under:
            low.append(source)

    for source, statuses in results.items():
        alive = [name for name, status in statuses.items() if status != "killed"]
        if not alive:
            continue
        print(f"\nNot killed in {source}:")
        defs = {} if args.no_diffs else functions(args.mutants / source)
        for name in alive:
            print(f"    {name}  [{statuses[name]}]")
            if not args.no_diffs:
                print(diff(name, defs))

    if low:
        print(f"\nBelow {args.fail_under:g}%: {', '.join(low)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
