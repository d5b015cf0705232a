"""`guidance ask` with its replies typed by a test: the command line run in-process, each prompt answered
from a list, then end of input, as a practitioner closing the terminal would."""

from __future__ import annotations

import io
from contextlib import redirect_stdout

import generator.cli as cli


def run_typed(argv: list[str], replies: list[str]) -> tuple[int, str]:
    """`guidance <argv>` with `replies` typed at its prompts: its exit code and everything it printed."""
    given = iter(replies)

    def read(prompt=""):
        try:
            return next(given)
        except StopIteration:
            raise EOFError from None

    out, original = io.StringIO(), cli._ask.__defaults__
    cli._ask.__defaults__ = (read,)  # the reader `_ask` prompts with
    try:
        with redirect_stdout(out):
            try:
                code = cli.main(argv)
            except SystemExit as exc:  # pragma: no cover - a usage error exits through argparse's path
                code = exc.code
    finally:
        cli._ask.__defaults__ = original
    return code, out.getvalue()
