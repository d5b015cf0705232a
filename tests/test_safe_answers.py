"""Hostile answers found by the safety re-check (safe5), one test per class of defect:

- `guidance ask` kept what to do about immediate danger until every escalation question was answered (and
  printed none of it if the practitioner stopped answering), where the wizard shows it at once;
- `guidance ask` read a numbered choice typed in other digits ('３' as choice 3), and '²' ended in
  "unexpected error" instead of the question again;
"""

from __future__ import annotations

import io
from contextlib import redirect_stdout
from pathlib import Path

import pytest

import generator.cli as cli
from generator.cli import main

ROOT = Path(__file__).resolve().parent.parent


def ask(replies: list[str], today: str = "2026-12-25") -> tuple[int, str]:
    """`guidance ask` with these replies typed, then end of input; its exit code and everything printed."""
    given = iter(replies)

    def read(prompt=""):
        try:
            return next(given)
        except StopIteration:
            raise EOFError from None

    out, original = io.StringIO(), cli._ask.__defaults__
    cli._ask.__defaults__ = (read,)
    try:
        with redirect_stdout(out):
            code = main(["ask", "--today", today, "--protocols", str(ROOT / "protocols")])
    finally:
        cli._ask.__defaults__ = original
    return code, out.getvalue()


# --- guidance ask: danger first, the moment it is answered ------------------------------------------------

def test_ask_says_what_to_do_about_danger_before_the_next_question(capsys):
    code, text = ask(["swindon", "yes"])  # then the practitioner stops answering
    assert code == 2  # the questions stopped
    danger_at = text.index("SOMEONE IS IN IMMEDIATE DANGER: ACT NOW")
    # Swindon's own words and contacts, before the next question is asked
    assert danger_at < text.index("dial 999") < text.index("Contact MASH.") < text.index("Contact EDT.")
    assert text.index("Contact EDT.") < text.index("Do you believe the normal timescale is not safe")


def test_ask_adds_our_general_999_line_where_the_protocol_names_none(capsys):
    code, text = ask(["north-wales", "yes"])
    assert "General advice (ours, not the protocol's words): if anyone is in immediate danger, call 999 now." in text
    assert text.index("call 999 now") < text.index("Do you believe the normal timescale is not safe")


def test_ask_prints_no_danger_box_when_nobody_is_in_danger(capsys):
    code, text = ask(["swindon", "no"])
    assert "IMMEDIATE DANGER" not in text and "Contact MASH." not in text


# --- guidance ask: numbered choices in ASCII digits -------------------------------------------------------

@pytest.mark.parametrize("typed", ["３", "²", "٣", "3_0"])
def test_ask_takes_a_choice_number_in_ascii_digits_only(capsys, typed):
    code, text = ask([typed])
    err = capsys.readouterr().err
    assert "unexpected error" not in err and "Traceback" not in err
    assert code == 2  # asked again, then input ended: no partnership was chosen
    assert "Is anyone in immediate danger?" not in text  # choice 3 (Kirklees) was not taken
    assert f"We do not have a protocol called \u201c{typed}\u201d" in text
