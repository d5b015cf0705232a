"""A standing fuzz test: random mutations of the real specs through `check`, the page renderer and the
flowchart's DOT. Whatever the mutation (a field deleted, duplicated, retyped, garbage, control characters,
markup, huge values; lines of the file deleted, duplicated or cut), the outcome is either a loaded spec
or a SpecError whose every line names the file and line, never a traceback; and a spec that loads renders
to pages and charts with no markup from its text left active.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path

import markdown
import pytest
import yaml
from hostile import PAYLOADS, unsafe_markup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mkdocs.utils.meta import get_data

from generator import load
from generator.views import flowchart, pages

ROOT = Path(__file__).resolve().parent.parent
SPECS = sorted((ROOT / "protocols").glob("*/*.yaml"))
BASES = {path: (path.read_text(encoding="utf-8"), yaml.safe_load(path.read_text(encoding="utf-8"))) for path in SPECS}
EXTENSIONS = ["admonition", "attr_list", "def_list", "md_in_html", "tables", "pymdownx.details",
              "pymdownx.superfences", "pymdownx.tabbed"]
LOCATED = r"^\S+\.yaml:\d+:\d+: "

garbage = st.one_of(
    st.sampled_from(PAYLOADS),
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8", categories=["Cc", "Cf", "Zl", "Zp"]), min_size=1, max_size=5),
    st.just("x" * 20_000),
    st.integers(min_value=-10**30, max_value=10**30),
    st.floats(allow_nan=True),
    st.booleans(),
    st.none(),
    st.just([]),
    st.just({}),
    st.just({"<script>": 1}),
)


def paths(node, here=()):
    yield here
    if isinstance(node, dict):
        for key, value in node.items():
            yield from paths(value, here + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from paths(value, here + (index,))


def mutate(data, path, how, value):
    data = copy.deepcopy(data)
    if not path:
        return value if how == "retype" else data
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    last = path[-1]
    if how == "delete":
        del parent[last]
    elif how == "duplicate" and isinstance(parent, list):
        parent.insert(last, copy.deepcopy(parent[last]))
    elif how == "append" and isinstance(parent[last], str) and isinstance(value, str):
        parent[last] = parent[last] + value
    else:
        parent[last] = value
    return data


def check_outcome(text: str, name: str) -> None:
    try:
        protocol = load.load_text(text, name)
    except load.SpecError as exc:
        lines = str(exc).splitlines()
        assert lines, "an empty error"
        for line in lines:
            assert re.match(LOCATED, line), line
        return
    page = pages.protocol_page(pages.ProtocolPage(
        series=pages.Series((protocol,)), protocol=protocol, review=pages.review_status(protocol, load.today()),
        links=pages.Links(root="../", partnership="", version=f"{protocol.version.id}/"), has_next=True,
        flowcharts={r.id: pages.Flowchart(figure="FLOWCHART", text=tuple(flowchart.text_alternative(protocol, r)))
                    for r in protocol.routes}))
    body, meta = get_data(page)  # as MkDocs reads a page: front matter apart
    assert unsafe_markup(meta.get("title", ""), set()) == []
    html = markdown.markdown(body, extensions=EXTENSIONS)
    assert unsafe_markup(html, set()) == []
    for route in protocol.routes:
        shape = flowchart._Shape(12, 3, True, False, 8, 72, False)
        dot = flowchart._graph(protocol, route, "r", shape).source
        for tag in ("<script", "<img", "<iframe", "<svg", "<style"):
            assert tag not in dot.lower()


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_fields(data):
    path = data.draw(st.sampled_from(SPECS))
    _, base = BASES[path]
    where = data.draw(st.sampled_from(list(paths(base))))
    how = data.draw(st.sampled_from(["delete", "duplicate", "retype", "append"]))
    value = data.draw(garbage)
    mutated = mutate(base, where, how, value)
    text = yaml.safe_dump(mutated, allow_unicode=True, sort_keys=False, width=100)
    check_outcome(text, f"protocols/{path.parent.name}/{path.name}")


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_text(data):
    path = data.draw(st.sampled_from(SPECS))
    text, _ = BASES[path]
    lines = text.splitlines(keepends=True)
    how = data.draw(st.sampled_from(["delete line", "duplicate line", "insert", "cut"]))
    at = data.draw(st.integers(min_value=0, max_value=len(lines) - 1))
    if how == "delete line":
        del lines[at]
    elif how == "duplicate line":
        lines.insert(at, lines[at])
    elif how == "insert":
        column = data.draw(st.integers(min_value=0, max_value=len(lines[at])))
        tricks = PAYLOADS + ("&a", "*a", "!!binary", "? ", "- ", "{", "[", "\t", "\x0c", "\x00", "\x1b[31m", "yes",
                             "010", "2.0")
        piece = data.draw(st.one_of(st.sampled_from(tricks), st.text(max_size=8)))
        lines[at] = lines[at][:column] + piece + lines[at][column:]
    else:
        lines = lines[:at]
    check_outcome("".join(lines), f"protocols/{path.parent.name}/{path.name}")


@pytest.mark.parametrize("payload", PAYLOADS)
def test_every_payload_in_every_text_field_stays_text(payload):
    """Not random: each payload in every text field of one real spec at once."""
    path = SPECS[0]
    _, base = BASES[path]

    def fill(node, key=None):
        if isinstance(node, dict):
            return {k: fill(v, k) for k, v in node.items()}
        if isinstance(node, list):
            return [fill(v, key) for v in node]
        if isinstance(node, str) and key not in {"id", "nation", "covers", "kind", "anchor", "issued", "review_due",
                                                 "stages", "contacts", "immediate_danger_contacts", "urgent_route",
                                                 "continues_with", "website", "email", "phone", "applies_to",
                                                 "reading", "anchor_event"}:
            return f"{node} {payload}"
        return node

    check_outcome(yaml.safe_dump(fill(base), allow_unicode=True, sort_keys=False),
                  f"protocols/{path.parent.name}/{path.name}")
