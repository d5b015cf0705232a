"""Spec problems as GitHub workflow commands, so a mistake shows on the changed line of a pull request.

GitHub reads `::error file=F,line=L,col=C,title=T::message` lines from a step's output and pins each to
that place in the pull request's "Files changed" view, where the person who edited the spec is looking.
The escaping follows the runner's own rules (actions/toolkit, `command.ts`): in the message `%`, CR and
LF are percent-encoded; in a property `:` and `,` are too, because they separate the properties. Without
it, a message holding a newline would end the command early and print the rest as plain log text.
Standard library only; nothing here reads files or the environment.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path, PurePath
from typing import Protocol as _Shape


class ProblemLike(_Shape):
    """What a loader problem (`generator.load.Problem`) offers; views never import the loader."""

    path: str
    line: int
    column: int
    field: str
    message: str


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def repository_path(path: str, workspace: Path | None = None) -> str:
    """The path as GitHub names files in a pull request: relative to the checkout, with forward slashes.

    `guidance check protocols/` already gives relative paths; an absolute path inside the workspace (the
    current folder unless given) is made relative, and anything else is left as it is rather than guessed.
    """
    pure = PurePath(path)
    if pure.is_absolute():
        base = (workspace or Path.cwd()).resolve()
        try:
            pure = Path(path).resolve().relative_to(base)
        except ValueError:
            return pure.as_posix()
    return pure.as_posix().removeprefix("./")


def github_annotation(problem: ProblemLike, workspace: Path | None = None) -> str:
    message = f"{problem.field}: {problem.message}" if problem.field else problem.message
    props = ",".join([
        f"file={escape_property(repository_path(problem.path, workspace))}",
        f"line={int(problem.line)}",
        f"col={int(problem.column)}",
        "title=Protocol spec problem",
    ])
    return f"::error {props}::{escape_data(message)}"


def github_annotations(problems: Iterable[ProblemLike], workspace: Path | None = None) -> str:
    """One `::error` line per problem, in the order given (the loader sorts by file, line, column)."""
    return "".join(github_annotation(p, workspace) + "\n" for p in problems)
