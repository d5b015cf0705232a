"""The job-summary Markdown of `guidance diff`: it names the changed stages, and spec text stays text.

Rendered with cmarkgfm (GitHub's own cmark fork, with its table, autolink and tag-filter extensions and
raw HTML allowed), so what is checked is what a reviewer would see, and an escape that GitHub's sanitiser
would have rescued still fails here.
"""

from __future__ import annotations

import dataclasses
import html
import re
from pathlib import Path

import cmarkgfm
import pytest
from cmarkgfm.cmark import Options
from hypothesis import given
from hypothesis import strategies as st

from generator.cli import main
from generator.views import diff

VERSIONS = Path(__file__).resolve().parent / "fixtures" / "versions" / "testshire"


def render(markdown: str) -> str:
    return cmarkgfm.github_flavored_markdown_to_html(markdown, options=Options.CMARK_OPT_UNSAFE)


def table_rows(rendered: str) -> list[list[str]]:
    body = rendered.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [[html.unescape(cell) for cell in re.findall(r"<td>(.*?)</td>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


def test_summary_names_each_changed_stage_with_what_changed(v2022, v2024):
    # Worked out from the edits made to the fixture (see test_diff.py): stage 2's timescale went from 3 to 5
    # working days, a stage 3 was inserted, the old stages 3 and 4 became 4 and 5, and who acts at stage 4
    # was renamed.
    rendered = render(diff.format_markdown(diff.diff_versions(v2022, v2024), v2022, v2024))
    assert "<h3>Testshire Safeguarding Partnership (test fixture): version 2022-06 → 2024-01</h3>" in rendered
    assert table_rows(rendered) == [
        ["Resolution process", "2. Inter-agency Discussion",
         "timescale: within 3 working days → within 5 working days"],
        ["Resolution process", "3. Team / Inspectors / Service Manager", "added"],
        ["Resolution process", "4. Heads / Leads / Directors of Service",
         "was stage 3; who acts: “Heads of Service” → “Heads / Directors of Service”"],
        ["Resolution process", "5. Testshire Safeguarding Partnership", "was stage 4"],
    ]
    items = [html.unescape(x) for x in re.findall(r"<li>(.*?)</li>", rendered)]
    assert len(items) == 8
    assert "Review date changed from June 2024 to January 2026." in items


def test_a_removed_stage_and_the_stage_that_takes_its_number_are_two_rows(v2024):
    standard = v2024.route("standard")
    # Drop stage 2; stage 3 keeps its title, so it is matched by title and renumbered to 2.
    rest = tuple(dataclasses.replace(s, number=s.number - 1) for s in standard.stages[2:])
    edited = dataclasses.replace(v2024, routes=(dataclasses.replace(standard, stages=(standard.stages[0], *rest)),
                                                v2024.route("urgent")))
    rows = table_rows(render(diff.format_markdown(diff.diff_versions(v2024, edited), v2024, edited)))
    assert rows[0] == ["Resolution process", "2. Inter-agency Discussion", "removed"]
    assert rows[1] == ["Resolution process", "2. Team / Inspectors / Service Manager", "was stage 3"]
    assert len(rows) == 4


def test_no_changes_says_so(v2024):
    rendered = render(diff.format_markdown([], v2024, v2024))
    assert "<p>No changes to routes, stages, timescales, roles, contacts or review date.</p>" in rendered
    assert "<table>" not in rendered


HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=https://tracker.example/x.png>",
    "[click me](javascript:alert(1))",
    "![pixel](https://tracker.example/p.png)",
    "# A heading\n\n- a list",
    "cell | another cell | third",
    "www.evil.example and https://evil.example/path",
    "**bold** _em_ `code` ~~gone~~",
    "&lt;b&gt; entity &amp; text",
    "line one\r\nline two\u2028three",
    "1. numbered\n> quoted\n---",
    "back\\slash \\| \\",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_spec_text_cannot_put_markup_into_the_summary(v2024, text):
    standard = v2024.route("standard")
    first = dataclasses.replace(standard.stages[0], title=text, role=text)
    edited = dataclasses.replace(
        v2024, partnership=dataclasses.replace(v2024.partnership, name=text),
        routes=(dataclasses.replace(standard, title=text, stages=(first, *standard.stages[1:])),
                v2024.route("urgent")))
    rendered = render(diff.format_markdown(diff.diff_versions(v2024, edited), v2024, edited))
    tags = set(re.findall(r"<(/?[a-z0-9]+)", rendered))
    assert tags <= {"h3", "/h3", "p", "/p", "strong", "/strong", "table", "/table", "thead", "/thead",
                    "tbody", "/tbody", "tr", "/tr", "th", "/th", "td", "/td", "ul", "/ul", "li", "/li"}
    assert "href=" not in rendered
    flat = " ".join(text.split())
    heading = re.search(r"<h3>(.*?)</h3>", rendered)[1]
    assert html.unescape(heading) == f"{flat}: version 2024-01 → 2024-01"
    rows = table_rows(rendered)
    assert all(len(row) == 3 for row in rows)
    assert rows[0] == [flat, f"1. {flat}", f"was titled “Internal Discussion”; who acts: "
                                           f"“{' '.join(standard.stages[0].role.split())}” → “{flat}”"]


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")))
def test_escaped_text_renders_as_exactly_the_text(text):
    flat = " ".join(text.split())
    rendered = render(f"Start {diff.markdown_text(text)} end")
    assert rendered.startswith("<p>Start ") and rendered.endswith(" end</p>\n")
    inner = rendered[len("<p>Start "):-len(" end</p>\n")]
    assert "<" not in inner  # no tag of any kind: what shows is text
    assert html.unescape(inner) == flat


def test_guidance_diff_format_markdown(capsys):
    assert main(["diff", "--format", "markdown", str(VERSIONS / "2022-06.yaml"), str(VERSIONS / "2024-01.yaml")]) == 0
    out = capsys.readouterr().out
    assert out.startswith("### Testshire Safeguarding Partnership")
    assert "| Resolution process | 3\\. Team \\/ Inspectors \\/ Service Manager | added |" in out


def test_guidance_diff_default_output_is_unchanged(capsys):
    assert main(["diff", str(VERSIONS / "2022-06.yaml"), str(VERSIONS / "2024-01.yaml")]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "Testshire Safeguarding Partnership (test fixture): version 2022-06 -> 2024-01"
    assert "|" not in out and "\\" not in out
