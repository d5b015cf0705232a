"""What a proposed change does to the protocol specs, for the reviewer of a pull request.

The pull-request workflow runs `guidance diff --since BASE --format markdown` and shows the result as the
job summary, so a reviewer reads "stage 2's timescale went from 3 to 5 working days" instead of a YAML
diff. Git says which spec files changed since BASE; each is then compared with what it replaces:
- a new version file (`swindon/2026-04.yaml`) with the partnership's previous version in the same tree,
  as the site's "what changed" page will;
- an edited file with the same file as it was at BASE;
- a new partnership or a removed file is named, with no comparison to make.
A spec that does not load is reported with its problems (the check job annotates them too).
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from . import load
from .core import model
from .views import diff

ADDED, MODIFIED, DELETED = "added", "modified", "deleted"


class GitError(Exception):
    """Git could not answer (not a repository, an unknown base): bad input to the command, exit 2."""


@dataclass(frozen=True)
class SpecReport:
    path: str
    status: str  # ADDED, MODIFIED or DELETED
    old: model.Protocol | None = None  # what the file is compared with, when there is one
    new: model.Protocol | None = None
    changes: list[diff.Change] = field(default_factory=list)
    problems: list[load.Problem] = field(default_factory=list)
    note: str = ""  # why there is no comparison, in a sentence


def _git(*args: str) -> str:
    try:
        result = subprocess.run(["git", *args], capture_output=True, text=True, check=False)
    except OSError as exc:
        raise GitError(f"cannot run git: {exc}") from None
    if result.returncode != 0:
        raise GitError(result.stderr.strip() or f"git {' '.join(args)} failed")
    return result.stdout


def resolve(base: str) -> str:
    """The commit base names; never read as one of git's options, whatever it holds."""
    try:
        if base.startswith("-"):
            raise GitError(base)
        return _git("rev-parse", "--verify", "--quiet", "--end-of-options", f"{base}^{{commit}}").strip()
    except GitError:
        raise GitError(f"'{base}' is not a commit or branch git knows here "
                       "(in CI, check out with fetch-depth: 0)") from None


def changed_specs(base: str, root: Path) -> list[tuple[str, str]]:
    """(status, path) of every `<partnership>/<version>.yaml` under root that differs from base, with paths
    relative to the current folder as git prints them. The working tree counts, new files not yet added
    to git included, so the command gives the same answer before and after a commit. A rename counts as
    a removal and an addition."""
    commit = resolve(base)
    root = Path(os.path.relpath(root))
    # -z: paths exactly as stored (no quoting of unusual characters), NUL-separated.
    fields = _git("diff", "--name-status", "--no-renames", "--relative", "-z", commit, "--", str(root)).split("\0")
    entries = list(zip(fields[0::2], fields[1::2], strict=False))
    untracked = _git("ls-files", "--others", "--exclude-standard", "-z", "--", str(root)).split("\0")
    entries += [("A", path) for path in untracked if path]
    kinds = {"A": ADDED, "M": MODIFIED, "D": DELETED, "T": MODIFIED}
    found = []
    for status, path in entries:
        parts = Path(path).relative_to(root).parts if Path(path).is_relative_to(root) else ()
        if len(parts) == 2 and parts[1].endswith(".yaml") and status[:1] in kinds:
            found.append((kinds[status[:1]], path))
    return sorted(found, key=lambda item: item[1])


def _same_partnership(new: model.Protocol, folder: Path) -> list[model.Protocol]:
    """The other versions of new's partnership in its folder (those that load; the others are reported
    under their own names when they changed too)."""
    others = []
    for sibling in sorted(folder.glob("*.yaml")):
        if sibling.resolve() == Path(new.source_path).resolve():
            continue
        try:
            other = load.load_protocol(sibling)
        except load.SpecError:
            continue
        if other.id == new.id:
            others.append(other)
    return others


def _tree_problems(root: Path) -> dict[str, list[load.Problem]]:
    """Every problem `guidance check` would report, by file: a file can load on its own and still clash
    with another (two files holding one version)."""
    try:
        load.load_tree(root)
    except load.SpecError as exc:
        found: dict[str, list[load.Problem]] = {}
        for problem in exc.problems:
            found.setdefault(os.path.normpath(os.path.relpath(problem.path)), []).append(problem)
        return found
    return {}


def review(base: str, root: Path = Path("protocols")) -> list[SpecReport]:
    changed = changed_specs(base, root)
    problems = _tree_problems(root) if any(status != DELETED for status, _ in changed) else {}
    reports = []
    commit = resolve(base)
    for status, path in changed:
        if status == DELETED:
            reports.append(SpecReport(path, status, note="The file is removed: its pages leave the site."))
            continue
        if problems.get(os.path.normpath(path)):
            reports.append(SpecReport(path, status, problems=problems[os.path.normpath(path)]))
            continue
        new = load.load_protocol(path)
        if status == MODIFIED:
            try:
                old = load.load_text(_git("show", f"{commit}:./{path}"), f"{path} (before)")
            except load.SpecError:
                reports.append(SpecReport(path, status, new=new,
                                          note="The earlier copy of this file does not load, so there is no comparison."))
                continue
        else:
            others = _same_partnership(new, Path(path).parent)
            earlier = [o for o in others if model.version_order(o) < model.version_order(new)]
            if not earlier:
                note = ("There is no earlier version of this protocol to compare with." if others
                        else "A new protocol: there is no earlier version to compare with.")
                reports.append(SpecReport(path, status, new=new, note=note))
                continue
            old = max(earlier, key=model.version_order)
        reports.append(SpecReport(path, status, old=old, new=new, changes=diff.diff_versions(old, new)))
    return reports


def _routes_summary(protocol: model.Protocol) -> str:
    return "; ".join(f"{r.title} ({len(r.stages)} stage{'s' if len(r.stages) != 1 else ''})"
                     for r in protocol.routes)


def format_markdown(reports: list[SpecReport], base: str) -> str:
    """The job summary: one section per changed spec file, every spec-supplied word escaped."""
    esc = diff.markdown_text
    lines = ["## What this change does to the protocols", ""]
    if not reports:
        lines += [f"No protocol spec changed since {esc(base)}.", ""]
    for report in reports:
        lines += [f"**{esc(report.path)}** ({report.status})", ""]
        if report.problems:
            lines += ["This file has problems, so nothing can be compared. Fix each one "
                      "(they are also marked on the changed lines):", ""]
            lines += [f"- line {p.line}, column {p.column}: {esc(f'{p.field}: {p.message}' if p.field else p.message)}"
                      for p in report.problems]
            lines.append("")
        elif report.old is not None and report.new is not None:
            lines.append(diff.format_markdown(report.changes, report.old, report.new, level=3))
            claimed = report.new.version.changes
            if claimed and report.new.version.id != report.old.version.id:
                lines += ["**What the file says this version changed** (compare it with the list above)", ""]
                lines += [f"- {esc(item)}" for item in claimed]
                lines.append("")
        else:
            lines += [esc(report.note), ""]
            if report.new is not None:
                lines += [f"{esc(report.new.partnership.name)}, version {esc(report.new.version.id)}: "
                          f"{esc(_routes_summary(report.new))}.", ""]
    return "\n".join(lines)


def format_text(reports: list[SpecReport], base: str) -> str:
    """The same for a terminal: `guidance diff --since main` before opening a pull request."""
    if not reports:
        return f"No protocol spec changed since {base}.\n"
    out = []
    for report in reports:
        out.append(f"{report.path} ({report.status})")
        if report.problems:
            out += [f"  {p}" for p in report.problems]
        elif report.old is not None and report.new is not None:
            out.append("  " + diff.format_text(report.changes, report.old, report.new).rstrip("\n")
                       .replace("\n", "\n  "))
        else:
            out.append(f"  {report.note}")
        out.append("")
    return "\n".join(out)
