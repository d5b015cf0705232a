"""Flowcharts of a protocol's routes: one drawing per route, in one visual language.

The same DOT text feeds the page (inline SVG), the downloads (A4 landscape PDF, PNG) and the
trainer's pack, so what a trainer hands out is what the website shows. Every meaning is carried by
words, shapes and line styles, never by colour alone, so the charts survive a black-and-white printer.

Layout: stages read left to right in rows (like text), each with its "Resolved" exit just below it;
the immediate-danger box sits alone across the top; caps over several stages sit in note boxes at the
bottom. The number of boxes per row is chosen per route so that the drawing prints on A4 landscape
as large as possible, and never with text below `MIN_PRINT_PT`.

On screen the page is a column, not a landscape sheet: the inline SVG is a second arrangement of the
same boxes and words (`layout="screen"`), one stage under another with its exit beside it, drawn at the
width of a phone's column so that it is shown at its natural size, never scaled down below
`MIN_SCREEN_PX`. Only the arrangement differs; every label comes from the same functions.
"""

from __future__ import annotations

import dataclasses
import functools
import html
import math
import pathlib
import re
import textwrap
from collections.abc import Generator
from typing import NamedTuple

import graphviz

from generator.core import messages, model
from generator.core.engine import GENERAL_999, names_999
from generator.core.model import Cap, Protocol, Route, Stage, Timescale
from generator.views import bilingual

FONT = "DejaVu Sans"
BODY_SIZES_PT = (12, 11, 10)  # body text sizes to try; titles are 1 pt larger, the page title 3 pt
MIN_PRINT_PT = 10  # the smallest text size allowed on the printed page

# A4 landscape, in points, and the white border kept on every side when printed.
A4_WIDTH_PT = 841.89
A4_HEIGHT_PT = 595.28
PRINT_MARGIN_PT = 17.0  # 6 mm: inside most printers' reach
PNG_DPI = 150

# Characters per line (labels are wrapped here, not by Graphviz, so the DOT text shows the lines).
WRAP_STAGE = (24, 28, 32, 36, 40)  # the narrowest that keeps a stage box within STAGE_MAX_LINES
STAGE_MAX_LINES = 8
MAX_PER_ROW = 4
WRAP_DANGER = 72
WRAP_OUTCOME = 30
WRAP_RESOLVED = 22
WRAP_EDGE = 22
WRAP_NOTE = 30
WRAP_TITLE = 90

RESOLVED_TEXT = messages.t("resolved")
DANGER_HEADING = messages.t("chart.danger_heading")

# On screen: SVG points are CSS pixels x 4/3 at natural size. The drawing is as wide as a 390 px phone's
# column (about 340 px) allows, and the page shows it at that size (wider columns leave it unscaled).
MIN_SCREEN_PX = 12  # the smallest text on screen, in CSS pixels
SCREEN_BODY_PT = 10  # 13.3 CSS px (Graphviz takes whole points in labels)
SCREEN_WRAP_STAGE = 19
SCREEN_WRAP_DANGER = 32
SCREEN_WRAP_RESOLVED = 10
SCREEN_WRAP_EDGE = 24
SCREEN_WRAP_OUTCOME = 32
SCREEN_WRAP_NOTE = 32
SCREEN_WRAP_TITLE = 26


class FlowchartError(Exception):
    """A route that cannot be drawn as the guide requires; `str()` is the message for the user."""


# ---------------------------------------------------------------------------------------------
# Wording shared by the drawing and its text alternative
#
# Every word of ours comes from the catalogue in the drawing's `language`. A drawing in another language
# than English is drawn from `bilingual.localise(protocol, language, marked=True)`: the partnership's own
# text in that language where the spec has it, else its English between two marker characters, which the
# labels turn into runs Graphviz draws as separate <text> elements and `inline_svg` marks lang="en".


def _in_language(protocol: Protocol, route: Route, language: str) -> tuple[Protocol, Route]:
    """The protocol and route whose text a drawing in `language` shows (English: as they are)."""
    if language == messages.DEFAULT_LANGUAGE:
        return protocol, route
    localised = _localised(protocol, language)
    return localised, localised.routes[protocol.routes.index(route)]


@functools.lru_cache(maxsize=16)
def _localised(protocol: Protocol, language: str) -> Protocol:
    messages.catalogue(language)  # an unknown language is refused here, with the catalogue's message
    localised = bilingual.localise(protocol, language, marked=True)
    # Contacts are shown as printed in every language (never given in Welsh): their words are English.
    contacts = tuple(dataclasses.replace(c, name=bilingual.marked_english(c.name), hours=bilingual.marked_english(c.hours))
                     for c in localised.contacts)
    return dataclasses.replace(localised, contacts=contacts)


def timescale_short(timescale: Timescale, *, stage_number: int | None = None,
                    language: str = messages.DEFAULT_LANGUAGE) -> str:
    """The few words an arrow has room for: the catalogue's one wording (messages.timescale_short)."""
    if timescale.kind not in model.TIMESCALE_KINDS:
        raise FlowchartError(f"unknown timescale kind {timescale.kind!r}")
    try:
        return messages.timescale_short(timescale, stage_number=stage_number, language=language)
    except ValueError as exc:
        raise FlowchartError(str(exc)) from None


def stage_timescale_short(route: Route, stage: Stage, language: str = messages.DEFAULT_LANGUAGE) -> str:
    """A stage's words on its arrow, or on a pocket card (messages.stage_timescale_short)."""
    if stage.timescale.kind not in model.TIMESCALE_KINDS:
        raise FlowchartError(f"unknown timescale kind {stage.timescale.kind!r}")
    try:
        return messages.stage_timescale_short(stage, route.caps, language)
    except ValueError as exc:
        raise FlowchartError(str(exc)) from None


def cap_text(cap: Cap, language: str = messages.DEFAULT_LANGUAGE) -> str:
    """'Stages 1 to 5: within 5 working days in total' (a limit over several stages)."""
    return messages.cap_text(cap, language)


def _counterpart(stage: Stage, language: str) -> str:
    if not stage.counterpart:
        return ""
    if stage.similar_seniority:
        return messages.t("chart.similar_seniority", language, counterpart=stage.counterpart)
    return stage.counterpart


def _route_title(protocol: Protocol, route_id: str) -> str:
    try:
        return protocol.route(route_id).title
    except KeyError:
        raise FlowchartError(
            f"route {route_id!r} is named as the next route but {protocol.id} {protocol.version.id} "
            "has no route with that id"
        ) from None


def outcome_lines(protocol: Protocol, route: Route, language: str = messages.DEFAULT_LANGUAGE) -> list[str]:
    """What happens when the last stage fails: the text's own words, then any route to continue with."""
    protocol, route = _in_language(protocol, route, language)
    return _outcome_lines(protocol, route, language)


def _outcome_lines(protocol: Protocol, route: Route, language: str) -> list[str]:
    lines = []
    if route.after_last_stage:
        lines.append(route.after_last_stage.strip())
    if route.continues_with:
        lines.append(messages.t("outcome.continue_with", language,
                                route=_route_title(protocol, route.continues_with)))
    return lines or [messages.t("outcome.nothing_said", language)]


def _contact_line(protocol: Protocol, contact_id: str, language: str) -> str:
    try:
        contact = protocol.contact(contact_id)
    except KeyError:
        raise FlowchartError(f"risk.immediate_danger_contacts names unknown contact {contact_id!r}") from None
    return messages.contact_line(contact, language)


def danger_lines(protocol: Protocol, route: Route | None = None,
                 language: str = messages.DEFAULT_LANGUAGE) -> list[str]:
    """The immediate-danger lane: 999, the protocol's emergency contacts, the route for when time is short.

    The protocol's own words about immediate danger are on the guidance page; the chart keeps to what
    someone must do at once, so that it stays legible on one printed page.
    """
    if route is not None:
        protocol, route = _in_language(protocol, route, language)
    elif language != messages.DEFAULT_LANGUAGE:
        protocol = _localised(protocol, language)
    return _danger_lines(protocol, route, language)


def _danger_lines(protocol: Protocol, route: Route | None, language: str) -> list[str]:
    def say(message_id: str, **values) -> str:
        return messages.t(message_id, language, **values)

    risk = protocol.risk
    lines = []
    if route is not None and route.urgent:
        lines.append(f'{say("danger.act_today")} {say("danger.formal_step_only")}')
    if risk.out_of_hours:
        lines.append(say("chart.out_of_hours", services="; ".join(risk.out_of_hours)))
    else:
        lines.append(say("page.no_out_of_hours"))
    if not names_999(protocol):
        lines.append(GENERAL_999 if language == messages.DEFAULT_LANGUAGE else say("danger.general_999"))
    contacts = [_contact_line(protocol, c, language) for c in risk.immediate_danger_contacts]
    if contacts:
        lines.append(say("chart.emergency_contacts", contacts="; ".join(contacts)))
    if risk.urgent_route and (route is None or route.id != risk.urgent_route):
        lines.append(say("chart.urgent_route", route=_route_title(protocol, risk.urgent_route)))
    return lines


def text_alternative(protocol: Protocol, route: Route, language: str = messages.DEFAULT_LANGUAGE) -> list[str]:
    """The chart as sentences, in reading order, for screen readers and for anyone who prefers a list.

    In another language than English, the partnership's English in them is marked (`bilingual.runs`)."""
    protocol, route = _in_language(protocol, route, language)
    return _text_alternative(protocol, route, language)


def _text_alternative(protocol: Protocol, route: Route, language: str) -> list[str]:
    def say(message_id: str, **values) -> str:
        return messages.t(message_id, language, **values)

    sentences = [say("chart.alt.danger", lines=" ".join(_danger_lines(protocol, route, language)))]
    for stage in route.stages:
        who = stage.role
        if stage.counterpart:
            who = say("chart.alt.with", role=stage.role, counterpart=_counterpart(stage, language))
        if stage is route.stages[-1]:
            then = say("chart.alt.then_final")
        else:
            then = say("chart.alt.then_stage", stage=_next_number(route, stage))
        sentences.append(say("chart.alt.stage", number=stage.number, title=stage.title, who=who,
                             timescale=stage_timescale_short(route, stage, language), then=then))
    sentences.extend(say("chart.alt.cap", text=cap_text(cap, language)) for cap in route.caps)
    sentences.append(say("chart.alt.after_last", stage=route.stages[-1].number,
                         outcome=" ".join(_outcome_lines(protocol, route, language))))
    return sentences


def _next_number(route: Route, stage: Stage) -> int:
    return route.stages[route.stages.index(stage) + 1].number


# ---------------------------------------------------------------------------------------------
# DOT


_UNITS = re.compile(r"(\d+) (working days?|calendar months?|diwrnod gwaith|mis calendr)")


def _wrapped(text: str, width: int) -> list[str]:
    return list(_wrapped_once(text, width))


@functools.lru_cache(maxsize=8192)
def _wrapped_once(text: str, width: int) -> tuple[str, ...]:
    """Remembered: the layout search wraps the same texts at the same widths for every candidate shape."""
    # "5 working days" stays on one line: a number and its unit read as one thing.
    glued = _UNITS.sub(lambda m: (m.group(1) + " " + m.group(2)).replace(" ", "\u00a0"), text)
    lines = textwrap.wrap(glued, width, break_on_hyphens=False) or [""]
    return tuple(line.replace("\u00a0", " ") for line in lines)


# The partnership's English in a drawing in another language: a run of its own, drawn in a black that no
# other text uses, which `_english_marked` finds in the SVG and turns into lang="en" (#000001 prints as black).
ENGLISH_INK = "#000001"


def label_text(text: str) -> str:
    """Text for Graphviz's HTML-like labels: HTML-escaped, and each backslash doubled, because Graphviz
    reads `\\N`, `\\G`, `\\E`, `\\n` and `\\l` in a label's text as the node's, graph's and edge's names and as line
    breaks (even written as the entity &#92;): a role written 'S:\\Networks' was drawn 'S:standard-stage-1etworks'."""
    return html.escape(text, quote=True).replace("\\", "\\\\")


def _escaped(line: str, language: str) -> str:
    """One line of a label as Graphviz's HTML-like markup: escaped; in a drawing in another language than
    English, each piece of the partnership's English a run of its own in ENGLISH_INK."""
    if language == messages.DEFAULT_LANGUAGE:
        return label_text(line)

    def text(piece: str) -> str:
        # A space at either end of a run would be dropped by the browser (each run is its own <text>), so
        # the words either side of it would touch: a no-break space is kept.
        lead, trail = len(piece) - len(piece.lstrip(" ")), len(piece) - len(piece.rstrip(" "))
        kept = "\u00a0" * lead + piece.strip(" ") + "\u00a0" * trail if piece.strip(" ") else "\u00a0" * len(piece)
        return label_text(kept)

    return "".join(f'<FONT COLOR="{ENGLISH_INK}">{text(piece)}</FONT>' if english else text(piece)
                   for piece, english in bilingual.runs(line))


def _fits_words(text: str, width: int) -> int:
    """`width`, or the longest word's length if longer: a narrow box is not to split a word (Welsh words
    are longer than the English the widths were chosen for)."""
    return max(width, *(len(word) for word in text.split()))


def _html(lines: list[str], size: float, *, bold_first: bool = False, align: str = "LEFT",
          language: str = messages.DEFAULT_LANGUAGE) -> str:
    """An HTML-like label: every piece of protocol text escaped, lines broken where we chose."""
    parts = []
    for i, line in enumerate(bilingual.balanced(lines) if language != messages.DEFAULT_LANGUAGE else lines):
        text = _escaped(line, language)
        if bold_first and i == 0:
            text = f"<B>{text}</B>"
        parts.append(f'{text}<BR ALIGN="{align}"/>')
    return f'<<FONT POINT-SIZE="{size:g}">{"".join(parts)}</FONT>>'


_ASIDE = re.compile(r"\s*\([^()]*\)")


def _stage_lines(stage: Stage, width: int, brief: bool,
                 language: str = messages.DEFAULT_LANGUAGE) -> tuple[list[str], list[str]]:
    """Title lines and role lines; `brief` leaves out asides in brackets (the text alternative keeps them)."""
    role, counterpart = stage.role, stage.counterpart
    if brief:
        role, counterpart = _ASIDE.sub("", role), _ASIDE.sub("", counterpart)
    title = _wrapped(messages.t("chart.stage_title", language, number=stage.number, title=stage.title), width)
    lines = _wrapped(role, width)
    if counterpart:
        if stage.similar_seniority:
            counterpart = messages.t("chart.similar_seniority", language, counterpart=counterpart)
        lines += _wrapped("\u2192 " + counterpart, width)
    if language != messages.DEFAULT_LANGUAGE:
        return bilingual.balanced(title), bilingual.balanced(lines)
    return title, lines


def _stage_width(stage: Stage, max_lines: int, brief: bool, language: str = messages.DEFAULT_LANGUAGE) -> int:
    """A box with much to say is made wider rather than taller, so that rows stay short on the page."""
    for width in WRAP_STAGE:
        title, lines = _stage_lines(stage, width, brief, language)
        if len(title) + len(lines) <= max_lines:
            return width
    return WRAP_STAGE[-1]


def _stage_label(stage: Stage, body: float, width: int, brief: bool,
                 language: str = messages.DEFAULT_LANGUAGE) -> str:
    """Number and title in bold, then who acts and (after an arrow) with whom."""
    title, lines = _stage_lines(stage, width, brief, language)
    head = "".join(f'<B>{_escaped(t, language)}</B><BR ALIGN="LEFT"/>' for t in title)
    rest = "".join(f'{_escaped(t, language)}<BR ALIGN="LEFT"/>' for t in lines)
    return f'<<FONT POINT-SIZE="{body + 1:g}">{head}</FONT><FONT POINT-SIZE="{body:g}">{rest}</FONT>>'


def _graph_title(protocol: Protocol, route: Route, body: float, wrap: int = WRAP_TITLE,
                 language: str = messages.DEFAULT_LANGUAGE) -> str:
    """Title, version and date: on every page, so a printed chart can always be traced to its source."""
    version = protocol.version
    label = version.label_in(language)
    lines = _wrapped(messages.t("chart.title", language, partnership=protocol.partnership.name, route=route.title),
                     wrap)
    if language != messages.DEFAULT_LANGUAGE:
        lines = bilingual.balanced(lines)
    head = "<BR/>".join(_escaped(line, language) for line in lines)
    sub = "<BR/>".join(label_text(line) for line in _wrapped(
        f"{label[0].upper()}{label[1:]}" if version.issued else messages.t("chart.undated", language), wrap))
    return (f'<<FONT POINT-SIZE="{body + 3:g}"><B>{head}</B></FONT><BR/>'
            f'<FONT POINT-SIZE="{body + 1:g}">{sub}</FONT>>')


def _rows(stages: list[str], extras: list[str], per_row: int, own_row: bool) -> list[list[str]]:
    """Stages in rows of `per_row`; the final outcome (and any notes) close the last row or make their own."""
    rows = [stages[i:i + per_row] for i in range(0, len(stages), per_row)]
    if own_row:
        return rows + [extras]
    rows[-1] = rows[-1] + extras
    return rows


class _Shape(NamedTuple):
    """One way to arrange a chart; `_layout` picks the one that prints largest."""

    body: float  # body text size in points
    per_row: int  # boxes in each row but the last
    start_on_top: bool  # "Disagreement arises" above stage 1 (beside the danger box) or first in row 1
    caps_on_top: bool  # notes of caps beside the danger box, or closing the last row
    stage_lines: int  # a stage box is widened until its text takes at most this many lines
    danger_width: int  # characters per line in the danger box
    outcome_own_row: bool  # the final outcome in a row of its own, or closing the last row of stages
    brief: bool = False  # stage boxes without asides in brackets: only when nothing else fits


def _graph(protocol: Protocol, route: Route, prefix: str, shape: _Shape,
           language: str = messages.DEFAULT_LANGUAGE) -> graphviz.Digraph:
    """The chart for one route, arranged as `shape` says (`protocol` and `route` already in `language`)."""
    body, per_row = shape.body, shape.per_row
    if not route.stages:
        raise FlowchartError(f"route {route.id!r} has no stages to draw")

    def label(lines: list[str], **style) -> str:
        return _html(lines, body, language=language, **style)

    g = graphviz.Digraph(name=prefix)
    g.attr("graph", id=f"{prefix}-graph", label=_graph_title(protocol, route, body, language=language),
           labelloc="t",
           fontname=FONT, fontsize=f"{body:g}", nodesep="0.15", ranksep="0.15", newrank="true")
    g.attr("node", fontname=FONT, fontsize=f"{body:g}", shape="box", margin="0.1,0.05")
    g.attr("edge", fontname=FONT, fontsize=f"{body:g}")

    start, danger, outcome = f"{prefix}-start", f"{prefix}-danger", f"{prefix}-outcome"
    notes = [f"{prefix}-cap-{n}" for n in range(1, len(route.caps) + 1)]
    for note, cap in zip(notes, route.caps, strict=True):  # limits over several stages
        g.node(note, label(_wrapped(cap_text(cap, language), WRAP_NOTE)), id=note, shape="note")
    g.node(start, label([messages.t("chart.start", language)], bold_first=True, align="CENTER"), id=start,
           shape="oval")
    with g.subgraph() as top:  # the danger box across the top, set apart by a double border
        top.attr(rank="same")
        if shape.start_on_top:
            top.node(start)
        danger_text = [w for line in _danger_lines(protocol, route, language)
                       for w in _wrapped("\u25a0 " + line, shape.danger_width)]
        heading = _wrapped(messages.t("chart.danger_heading", language), shape.danger_width)
        top.node(danger, _danger_heading_label(heading, danger_text, body, language),
                 id=danger, style="bold,filled", fillcolor="gray92", peripheries="2")
        if shape.start_on_top:
            top.edge(start, danger, style="invis")
        if shape.caps_on_top:
            for left, right in zip([danger] + notes, notes, strict=False):
                top.node(right)
                top.edge(left, right, style="invis")

    last = route.stages[-1].number
    outcome_text = [w for line in _outcome_lines(protocol, route, language) for w in _wrapped(line, WRAP_OUTCOME)]
    g.node(outcome, label([messages.t("chart.still_not_resolved", language, stage=last)] + outcome_text,
                          bold_first=True), id=outcome, style="rounded,bold", peripheries="2")

    for stage in route.stages:
        node = f"{prefix}-stage-{stage.number}"
        width = _stage_width(stage, shape.stage_lines, shape.brief, language)
        g.node(node, _stage_label(stage, body, width, shape.brief, language), id=node, style="bold", group=node)
        exit_node = f"{node}-resolved"
        resolved = _wrapped(messages.t("resolved", language), _fits_words(messages.t("resolved", language),
                                                                          WRAP_RESOLVED))
        g.node(exit_node, label(resolved, align="CENTER"), id=exit_node,
               style="rounded,dashed", group=node)
        g.edge(node, exit_node, id=f"{exit_node}-edge", style="dashed", arrowhead="empty")

    # The escalation sequence, read like text: rows of boxes, each row starting flush left.
    sequence = [start] + [f"{prefix}-stage-{s.number}" for s in route.stages] + [outcome]
    in_rows = sequence[1:-1] if shape.start_on_top else sequence[:-1]
    rows = _rows(in_rows, [outcome] + ([] if shape.caps_on_top else notes), per_row, shape.outcome_own_row)
    if not shape.start_on_top:
        g.edge(danger, start, style="invis", weight="0")
    for row in rows:
        with g.subgraph() as same:
            same.attr(rank="same")
            for name in row:
                same.node(name)
    row_of = {name: r for r, row in enumerate(rows) for name in row}
    row_of.setdefault(start, -1)
    for text, tail, head in zip(_edge_texts(route, WRAP_EDGE, language), sequence[:-1], sequence[1:], strict=True):
        wraps = row_of[tail] != row_of[head] and row_of[tail] >= 0
        g.edge(tail, head, label=label(text, align="CENTER"), id=f"{head}-in", style="bold",
               minlen="2" if wraps else "1", weight="0" if wraps else "1")
    for upper, lower in zip(rows, rows[1:], strict=False):
        g.edge(upper[0], lower[0], style="invis", weight="100", minlen="2")
    if not shape.caps_on_top:
        for left, right in zip([outcome] + notes, notes, strict=False):
            g.edge(left, right, style="invis")
    return g


def _edge_texts(route: Route, wrap: int, language: str = messages.DEFAULT_LANGUAGE) -> list[list[str]]:
    """The words on each arrow of a route, from "Disagreement arises" to the outcome, for both drawings:
    the first arrow gives stage 1's timescale, later ones "not resolved:" and the next stage's, the last
    "not resolved"."""
    texts = []
    for i, stage in enumerate(route.stages):
        short = _wrapped(stage_timescale_short(route, stage, language), wrap)
        texts.append(short if i == 0 else [messages.t("chart.not_resolved_then", language)] + short)
    return texts + [[messages.t("chart.not_resolved", language)]]


def _screen_graph(protocol: Protocol, route: Route, prefix: str,
                  language: str = messages.DEFAULT_LANGUAGE) -> graphviz.Digraph:
    """The chart for a page: one column read top to bottom, each stage's "Resolved" exit beside it.

    The same nodes, ids and words as `_graph`, so the text alternative, the tests and the print agree;
    the danger box comes first, then the stages in order, the outcome, and the caps last.
    """
    body = SCREEN_BODY_PT
    if not route.stages:
        raise FlowchartError(f"route {route.id!r} has no stages to draw")

    def label(lines: list[str], **style) -> str:
        return _html(lines, body, language=language, **style)

    g = graphviz.Digraph(name=prefix)
    g.attr("graph", id=f"{prefix}-graph", label=_graph_title(protocol, route, body, SCREEN_WRAP_TITLE, language),
           labelloc="t", fontname=FONT, fontsize=f"{body:g}", nodesep="0.1", ranksep="0.2", newrank="true", pad="0.03",
           rankdir="TB")
    g.attr("node", fontname=FONT, fontsize=f"{body:g}", shape="box", margin="0.06,0.04")
    g.attr("edge", fontname=FONT, fontsize=f"{body:g}")

    start, danger, outcome = f"{prefix}-start", f"{prefix}-danger", f"{prefix}-outcome"
    danger_text = [w for line in _danger_lines(protocol, route, language)
                   for w in _wrapped("\u25a0 " + line, SCREEN_WRAP_DANGER)]
    heading = _wrapped(messages.t("chart.danger_heading", language), SCREEN_WRAP_DANGER)
    g.node(danger, _danger_heading_label(heading, danger_text, body, language),
        id=danger, style="bold,filled", fillcolor="gray92", peripheries="2")
    g.node(start, label([messages.t("chart.start", language)], bold_first=True, align="CENTER"), id=start,
           shape="oval", group="spine")
    g.edge(danger, start, style="invis")

    stages = [f"{prefix}-stage-{s.number}" for s in route.stages]
    for stage, node in zip(route.stages, stages, strict=True):
        g.node(node, _stage_label(stage, body, SCREEN_WRAP_STAGE, False, language), id=node, style="bold",
               group="spine")
        exit_node = f"{node}-resolved"
        with g.subgraph() as same:
            same.attr(rank="same")
            same.node(node)
            resolved = messages.t("resolved", language)
            same.node(exit_node, label(_wrapped(resolved, _fits_words(resolved, SCREEN_WRAP_RESOLVED)),
                                       align="CENTER"),
                      id=exit_node, style="rounded,dashed")
        g.edge(node, exit_node, id=f"{exit_node}-edge", style="dashed", arrowhead="empty")

    last = route.stages[-1].number
    outcome_text = [w for line in _outcome_lines(protocol, route, language)
                    for w in _wrapped(line, SCREEN_WRAP_OUTCOME)]
    g.node(outcome, label([messages.t("chart.still_not_resolved", language, stage=last)] + outcome_text,
                          bold_first=True), id=outcome, style="rounded,bold", peripheries="2", group="spine")

    sequence = [start] + stages + [outcome]
    for text, tail, head in zip(_edge_texts(route, SCREEN_WRAP_EDGE, language), sequence[:-1], sequence[1:],
                                strict=True):
        g.edge(tail, head, label=_edge_label(text, body, language), id=f"{head}-in", style="bold", weight="10")

    below = outcome
    for n, cap in enumerate(route.caps, start=1):  # limits over several stages, stacked under the outcome
        note = f"{prefix}-cap-{n}"
        g.node(note, label(_wrapped(cap_text(cap, language), SCREEN_WRAP_NOTE)), id=note, shape="note")
        g.edge(below, note, style="invis")
        below = note
    return g


def _edge_label(lines: list[str], body: float, language: str = messages.DEFAULT_LANGUAGE) -> str:
    """An arrow's words, kept a few points clear of the arrow they sit beside."""
    if language != messages.DEFAULT_LANGUAGE:
        lines = bilingual.balanced(lines)
    text = "<BR/>".join(_escaped(line, language) for line in lines)
    return (f'<<TABLE BORDER="0" CELLBORDER="0" CELLPADDING="0" CELLSPACING="0"><TR><TD WIDTH="5"></TD>'
            f'<TD BALIGN="LEFT"><FONT POINT-SIZE="{body:g}">{text}</FONT></TD></TR></TABLE>>')


def _danger_heading_label(heading: list[str], lines: list[str], body: float,
                          language: str = messages.DEFAULT_LANGUAGE) -> str:
    """The danger box's label with its (wrapped) heading in bold."""
    if language != messages.DEFAULT_LANGUAGE:
        lines = bilingual.balanced(lines)
    bold = "".join(f'<B>{label_text(t)}</B><BR ALIGN="LEFT"/>' for t in heading)
    rest = "".join(f'{_escaped(t, language)}<BR ALIGN="LEFT"/>' for t in lines)
    return f'<<FONT POINT-SIZE="{body:g}">{bold}{rest}</FONT>>'


def screen_dot_source(protocol: Protocol, route: Route, *, id_prefix: str | None = None,
                      language: str = messages.DEFAULT_LANGUAGE) -> str:
    """The DOT text for a route's chart on a page (one column, top to bottom); deterministic."""
    prefix = _prefix(route, id_prefix)
    return _screen_dot(*_in_language(protocol, route, language), prefix, language)


@functools.lru_cache(maxsize=64)
def _screen_dot(protocol: Protocol, route: Route, prefix: str, language: str) -> str:
    """`protocol` and `route` already in `language` (`_in_language`)."""
    return _screen_graph(protocol, route, prefix, language).source


def _prefix(route: Route, id_prefix: str | None) -> str:
    prefix = id_prefix if id_prefix is not None else route.id
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]*", prefix):
        raise FlowchartError(f"id prefix {prefix!r} must start with a letter and hold only letters, digits, - and _")
    return prefix


@functools.lru_cache(maxsize=64)
def _layout(protocol: Protocol, route: Route, prefix: str,
            language: str = messages.DEFAULT_LANGUAGE) -> tuple[str, float, float]:
    """The variant whose body text prints largest on A4 landscape: (DOT text, body pt, print scale).

    The search runs once per route (`_best_shape`): ids name the boxes but do not move them, so the page's
    print drawing (ids prefixed `<route>-print`) and the downloads share one search, not one each.
    """
    shape, source, body, scale = _best_shape(protocol, route, language)
    if prefix != _search_prefix(route):
        searched = source
        source = _graph(protocol, route, prefix, shape, language).source
        if searched in _MEASURED:  # the same boxes under other ids: the size measured in the search stands
            _MEASURED[source] = _MEASURED[searched]
    return source, body, scale


def _search_prefix(route: Route) -> str:
    """The prefix the search draws with: the page's print drawing's (`<route>-print`), so that the search's
    own Graphviz run also draws that SVG for the page, and the downloads need only their PDF and PNG runs."""
    own = route.id if re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]*", route.id) else "route"
    return f"{own}{PRINT_SUFFIX}"


def _screen_source(protocol: Protocol, route: Route, language: str) -> list[str]:
    """The page's screen drawing (default ids), laid out in the search's first Graphviz run: none if the
    route's id cannot be an id prefix (inline_svg then gives its own message). `protocol` and `route`
    already in `language`."""
    try:
        return [_screen_dot(protocol, route, _prefix(route, None), language)]
    except FlowchartError:
        return []


@functools.lru_cache(maxsize=64)
def _best_shape(protocol: Protocol, route: Route,
                language: str = messages.DEFAULT_LANGUAGE) -> tuple[_Shape, str, float, float]:
    """(shape, DOT text, body pt, print scale) of the arrangement that prints largest: found by `prepare`
    with the version's other routes, or searched now."""
    found = _FOUND.pop((protocol, route, language), None) or _searched([_search(protocol, route, language)])[0]
    if isinstance(found, FlowchartError):
        raise found
    return found


# Searches finished by `prepare`, until `_best_shape` asks for them.
_FOUND: dict[tuple[Protocol, Route, str], tuple[_Shape, str, float, float]] = {}
_FOUND_MAX = 256

_Search = Generator[tuple[list[str], list[str]], dict[str, tuple[float, float]], tuple[_Shape, str, float, float]]


def _search(protocol: Protocol, route: Route, language: str) -> _Search:
    """The layout search, as a generator: it yields (DOT texts to measure, DOT texts to draw in the same run)
    and is sent their sizes, so that the searches of all of a version's routes share their Graphviz runs
    (`_searched`); it returns `_best_shape`'s answer.

    Tries a few text sizes and row lengths (deterministic order; the first best wins), because a
    route of two stages and one of six with long role names need different shapes to fit a page.
    """
    prefix = _search_prefix(route)
    screen = _screen_source(protocol, route, language)  # drawn by the first batch too: one `dot` run fewer

    def measure_all(shapes: list[_Shape]) -> Generator[tuple[list[str], list[str]], dict, list]:
        """Every candidate laid out in one Graphviz run: starting `dot` costs far more than a layout."""
        sources = [_graph(protocol, route, prefix, shape, language).source for shape in shapes]
        # Shapes that differ only where the route has nothing to arrange (a row longer than the route) are
        # the same graph: laid out once.
        sizes = yield list(dict.fromkeys(sources)), list(screen)
        screen.clear()
        scales = [_fit_scale(sizes[source]) for source in sources]
        return [(shape.body * scale, source, shape.body, scale)
                for shape, source, scale in zip(shapes, sources, scales, strict=True)]

    # Arrangements are compared at the largest text size; the best one is then tried with smaller text,
    # which helps only where Graphviz's fixed spacing is not what fills the page. Candidates are measured
    # in batches, then chosen in the same order as one by one (the first best wins).
    body = BODY_SIZES_PT[0]
    shapes = [_Shape(body, per_row, start_on_top, caps_on_top, STAGE_MAX_LINES, WRAP_DANGER, own_row)
              for per_row in range(2, min(len(route.stages) + 2, MAX_PER_ROW + 1))
              for start_on_top in (True, False)
              for caps_on_top in ((False, True) if route.caps else (False,))
              for own_row in (False, True)]
    results = yield from measure_all(shapes)
    best_shape, best = shapes[0], results[0]
    for shape, result in zip(shapes[1:], results[1:], strict=True):
        if result[0] > best[0] + 0.01:
            best_shape, best = shape, result
    if best[0] < MIN_PRINT_PT:  # only when the full wording cannot print large enough: try it shortened
        briefs = [shape._replace(brief=True) for shape in shapes]
        for shape, result in zip(briefs, (yield from measure_all(briefs)), strict=True):
            if result[0] > best[0] + 0.01:
                best_shape, best = shape, result
            if best[0] >= MIN_PRINT_PT:
                break
    if best[3] != 1.0:  # printed below its natural size: smaller text may print larger
        smaller = [best_shape._replace(body=size) for size in BODY_SIZES_PT[1:]]
        for shape, result in zip(smaller, (yield from measure_all(smaller)), strict=True):
            if best[3] == 1.0:
                break
            if result[0] > best[0] + 0.01:
                best_shape, best = shape, result
    return best_shape, best[1], best[2], best[3]


def _searched(searches: list[_Search], also: tuple[str, ...] = ()) -> list[tuple[_Shape, str, float, float] | FlowchartError]:
    """Run searches side by side: each round's candidates of every search are laid out by one `dot` run,
    the first with the graphs `also` (drawn for `render_svgs`). A search that fails gives its FlowchartError
    in its place; a Graphviz run that fails is raised."""
    results: list = [None] * len(searches)
    asked: dict[int, tuple[list[str], list[str]]] = {-1: ([], list(also))} if also else {}

    def step(i: int, sizes: dict | None) -> None:
        try:
            asked[i] = searches[i].send(sizes)
        except StopIteration as done:
            results[i] = done.value
        except FlowchartError as error:
            results[i] = error

    for i in range(len(searches)):
        step(i, None)
    while asked:
        sources = list(dict.fromkeys(source for wanted, _ in asked.values() for source in wanted))
        also = [s for s in dict.fromkeys(s for _, drawn in asked.values() for s in drawn) if s not in sources]
        sizes = dict(zip(sources, _natural_sizes(sources, also=also), strict=True))
        waiting, asked = [i for i in asked if i >= 0], {}
        for i in waiting:
            step(i, sizes)
    return results


def prepare(protocol: Protocol, languages: tuple[str, ...] = (messages.DEFAULT_LANGUAGE,), *,
            also: tuple[str, ...] = ()) -> None:
    """Search the layouts of every route of `protocol`, in each of `languages`, together: a version costs
    two or three `dot` runs for its search instead of as many per route (the build's cold time is mostly
    starting Graphviz). The drawings are those each route's own search would make; a route that cannot be
    drawn is left to give its own message when it is drawn. The graphs `also` (the pocket card's text
    sizes) are drawn in the first run, for `render_svgs`."""
    pairs = [_in_language(protocol, route, language) + (language,)
             for language in languages for route in protocol.routes]
    pairs = [pair for pair in pairs if pair not in _FOUND]
    try:
        found = _searched([_search(*pair) for pair in pairs], also)
    except FlowchartError:
        return
    if len(_FOUND) > _FOUND_MAX:
        _FOUND.clear()
    _FOUND.update((pair, result) for pair, result in zip(pairs, found, strict=True)
                  if not isinstance(result, FlowchartError))


def dot_source(protocol: Protocol, route: Route, *, id_prefix: str | None = None,
               language: str = messages.DEFAULT_LANGUAGE) -> str:
    """The DOT text for a route's chart, at its natural size; deterministic for a given model."""
    prefix = _prefix(route, id_prefix)
    return _layout(*_in_language(protocol, route, language), prefix, language)[0]


def smallest_print_pt(protocol: Protocol, route: Route, language: str = messages.DEFAULT_LANGUAGE) -> float:
    """The size of the smallest text once the chart is printed on A4 landscape."""
    _, body, scale = _layout(*_in_language(protocol, route, language), route.id, language)
    return body * scale


# ---------------------------------------------------------------------------------------------
# Rendering


def render(source: str, fmt: str) -> bytes:
    """DOT text -> bytes in `fmt` (svg, pdf, png) through Graphviz's `dot`, with a clear error if it fails."""
    return _run(source, fmt)


def render_svgs(sources: list[str]) -> list[bytes]:
    """Several DOT texts -> their SVGs from one `dot` run (starting `dot` costs more than a small layout), or
    from the run that drew them already (`prepare`'s `also`)."""
    if all(source in _BATCHED for source in sources):
        return [_BATCHED[source] for source in sources]
    return _run_batch(sources)


@functools.lru_cache(maxsize=48)
def _run(source: str, fmt: str) -> bytes:
    """Graphviz's output, remembered for the last few drawings: a version's downloads and its trainer's pack
    draw the same A4 page, and the page size is measured for both. An SVG already drawn in a batch (the
    layout search's) is taken from there."""
    if fmt == "svg" and source in _BATCHED:
        return _BATCHED[source]
    return _pipe(source, fmt)


def _pipe(source: str, fmt: str) -> bytes:
    try:
        return graphviz.pipe("dot", fmt, source.encode("utf-8"))
    except graphviz.ExecutableNotFound:
        raise FlowchartError("Graphviz's `dot` program was not found: install Graphviz (Debian: apt-get install "
                             "graphviz) to build the flowcharts") from None
    except graphviz.CalledProcessError as error:
        detail = (error.stderr or b"").decode("utf-8", "replace").strip()
        raise FlowchartError(f"Graphviz could not draw a flowchart: {detail}") from None


_SIZE = re.compile(r'<svg width="([\d.]+)pt" height="([\d.]+)pt"')


# Sizes measured in a batch, so the chosen layout's page is not laid out again just to be measured.
_MEASURED: dict[str, tuple[float, float]] = {}
# The SVGs of the last few batches, by source: the page's drawings come from the search's own run.
_BATCHED: dict[str, bytes] = {}
_BATCHED_MAX = 480  # a version's whole search (prepare) with its page drawings, in two languages
PRINT_SUFFIX = "-print"  # the ids of a page's print drawing: `<route>-print-...`
# Graphviz names the top group of every graph after the first in one run `page0,1_<id>`; one run per graph
# would name it `<id>`. Undone, so a batched drawing is byte for byte the drawing of its own run.
_BATCH_PAGE_ID = re.compile(r'<g id="page\d+,\d+_')


def _natural_size(source: str) -> tuple[float, float]:
    if source in _MEASURED:
        return _MEASURED[source]
    match = _SIZE.search(_run(source, "svg").decode("utf-8"))
    if not match:
        raise FlowchartError("Graphviz produced an SVG without a size")
    return float(match.group(1)), float(match.group(2))


def _natural_sizes(sources: list[str], also: list[str] = ()) -> list[tuple[float, float]]:
    """The sizes of several graphs from one `dot` run (it lays out each graph of its input in turn); their
    SVGs, and those of the graphs `also` (drawn in the same run), are kept for `_run`."""
    drawn = _run_batch([*sources, *also])
    sizes = []
    for svg in drawn[:len(sources)]:
        match = _SIZE.search(svg.decode("utf-8"))
        if not match:
            raise FlowchartError("Graphviz produced an SVG without a size")
        sizes.append((float(match.group(1)), float(match.group(2))))
    if len(_MEASURED) > 512:
        _MEASURED.clear()
    _MEASURED.update(zip(sources, sizes, strict=True))
    return sizes


def _run_batch(sources: list[str]) -> list[bytes]:
    """Several graphs as SVG from one `dot` run, one document each, as each graph's own run would draw it."""
    out = _pipe("\n".join(sources), "svg").decode("utf-8")
    documents = [part for part in re.split(r"(?=<\?xml )", out) if part]
    if len(documents) != len(sources):
        raise FlowchartError("Graphviz did not draw every graph it was given")
    drawn = [documents[0].encode("utf-8")] + [_BATCH_PAGE_ID.sub('<g id="', doc, count=1).encode("utf-8")
                                              for doc in documents[1:]]
    for source, svg in zip(sources, drawn, strict=True):
        _BATCHED.pop(source, None)
        _BATCHED[source] = svg
    while len(_BATCHED) > _BATCHED_MAX:  # the oldest first: a route's drawings are asked for just after its search
        del _BATCHED[next(iter(_BATCHED))]
    return drawn


def _fit_scale(size: tuple[float, float]) -> float:
    width, height = size
    return min(1.0, (A4_WIDTH_PT - 2 * PRINT_MARGIN_PT) / width, (A4_HEIGHT_PT - 2 * PRINT_MARGIN_PT) / height)


def print_size(points: float) -> str:
    """A text size below a limit, in words: rounded down, so that 9.96 pt never reads as the 10 pt it fails
    ("at least 10 pt (it would print at 10.0 pt)")."""
    return f"{math.floor(points * 10) / 10:.1f}"


def check_printable(protocol: Protocol, route: Route, language: str = messages.DEFAULT_LANGUAGE) -> None:
    """Raise FlowchartError if the route's chart would print with text below MIN_PRINT_PT on A4."""
    _, body, scale = _layout(*_in_language(protocol, route, language), route.id, language)
    if body * scale < MIN_PRINT_PT:
        raise FlowchartError(
            f"{protocol.id} {protocol.version.id}: the flowchart of route {route.id!r} is too large to print "
            f"on A4 landscape with text of at least {MIN_PRINT_PT} pt (it would print at {print_size(body * scale)} pt)"
            + ("" if language == messages.DEFAULT_LANGUAGE else f" in its {language!r} drawing") + "; "
            "shorten its longest texts (the partnership's name and the route's title, which head the chart; stage "
            "roles, the danger actions, what happens after the last stage)"
        )


def _page_source(protocol: Protocol, route: Route, language: str = messages.DEFAULT_LANGUAGE) -> str:
    """The DOT text padded (and if need be scaled) so that the PDF page is exactly A4 landscape."""
    check_printable(protocol, route, language)
    source, body, scale = _layout(*_in_language(protocol, route, language), route.id, language)
    width, height = _natural_size(source)
    # The SVG size includes Graphviz's default 4 pt pad on each side; ours replaces it.
    pad_x = (A4_WIDTH_PT / scale - (width - 8)) / 2 / 72
    pad_y = (A4_HEIGHT_PT / scale - (height - 8)) / 2 / 72
    page = f'\tpad="{pad_x:.4f},{pad_y:.4f}" margin=0 size="{A4_WIDTH_PT / 72:.4f},{A4_HEIGHT_PT / 72:.4f}"\n'
    head, _, rest = source.partition("\n")
    return f"{head}\n{page}{rest}"


def _png_source(source: str) -> str:
    head, _, rest = source.partition("\n")
    return f'{head}\n\tdpi={PNG_DPI} pad="0.2"\n{rest}'


_PROLOG = re.compile(r"\A.*?(?=<svg\b)", re.S)


_VIEWBOX = re.compile(r'viewBox="[\d.]+ [\d.]+ ([\d.]+) ([\d.]+)"')


def _exact_size(svg: str) -> str:
    match = _VIEWBOX.search(svg)
    if not match:
        raise FlowchartError("Graphviz produced an SVG without a viewBox")
    width, height = (float(v) for v in match.groups())
    return _SIZE.sub(f'<svg width="{width:g}pt" height="{height:g}pt"', svg, count=1)


# Every text of a drawing names the same font and the default anchor: said once, on the <svg> (where its
# texts inherit it), the page is about a sixth lighter. Graphviz's comments name each box a second time.
_ONE_FONT = f' font-family="{FONT}"'
_COMMENT = re.compile(r"<!--.*?-->\n?", re.S)


def _slimmed(svg: str) -> str:
    """The same drawing in fewer bytes: no comments, no attribute that only restates the default."""
    return _COMMENT.sub("", svg).replace(' text-anchor="start"', "")


def _english_marked(svg: str) -> str:
    """The runs of the partnership's English (drawn in ENGLISH_INK) as plain black text marked lang="en", so
    that a screen reader reading the drawing's words switches voice for them."""
    return svg.replace(f' fill="{ENGLISH_INK}"', ' lang="en" xml:lang="en"')


def inline_svg(protocol: Protocol, route: Route, *, id_prefix: str | None = None, layout: str = "screen",
               language: str = messages.DEFAULT_LANGUAGE) -> str:
    """`<svg>` markup for a page: named for screen readers, ids unique per route.

    `layout="screen"` (the page) is the one-column drawing, sized in CSS pixels so the browser shows it at
    its natural size; `layout="print"` is the A4 landscape drawing of the downloads, scalable to a width.
    """
    prefix = _prefix(route, id_prefix)
    if layout == "screen":
        source = screen_dot_source(protocol, route, id_prefix=prefix, language=language)
    elif layout == "print":
        source = dot_source(protocol, route, id_prefix=prefix, language=language)
    else:
        raise ValueError(f"layout must be 'screen' or 'print', not {layout!r}")
    svg = _PROLOG.sub("", _run(source, "svg").decode("utf-8"))
    if layout == "screen":  # Graphviz rounds the size to whole points: take the exact one, so 1 pt = 4/3 px
        svg = _exact_size(svg)
    svg = svg.replace("&#45;", "-")  # Graphviz writes every hyphen as an entity; ids read better plain
    svg = _slimmed(svg)
    if language != messages.DEFAULT_LANGUAGE:
        svg = _english_marked(svg)
    title_id, desc_id = f"{prefix}-chart-title", f"{prefix}-chart-desc"
    shown, shown_route = _in_language(protocol, route, language)
    name = messages.t("chart.svg_title", language, partnership=shown.partnership.name, route=shown_route.title,
                      version=protocol.version.label_in(language))
    desc = " ".join(_text_alternative(shown, shown_route, language))
    if language == messages.DEFAULT_LANGUAGE:
        name, desc = html.escape(name), html.escape(desc)
    else:  # <title> and <desc> take HTML inside a page: the partnership's English in <span lang="en">
        name, desc = (bilingual.marked_html(text, html.escape) for text in (name, desc))
    # Sized by guide.css (the CSP allows no inline style): the screen drawing at its natural size.
    classes = f"flowchart flowchart--{layout}"
    font = _ONE_FONT if _ONE_FONT in svg else ""
    svg = _SIZE.sub(lambda m: f'<svg role="img" aria-labelledby="{title_id}" aria-describedby="{desc_id}" '
                              f'width="{m.group(1)}pt" height="{m.group(2)}pt" class="{classes}"{font}',
                    svg.replace(_ONE_FONT, ""), count=1)
    named = f'\n<title id="{title_id}">{name}</title>\n<desc id="{desc_id}">{desc}</desc>'
    svg = re.sub(r"(<svg\b[^>]*>)", lambda m: m.group(1) + named, svg, count=1)  # text is never a template
    return svg.strip() + "\n"


def write_downloads(protocol: Protocol, out_dir: pathlib.Path,
                    language: str = messages.DEFAULT_LANGUAGE) -> dict[str, dict[str, pathlib.Path]]:
    """Per route: an A4 landscape PDF and a 150 dpi PNG, named after the route id."""
    return {route.id: write_route_downloads(protocol, route, out_dir, language) for route in protocol.routes}


def write_route_downloads(protocol: Protocol, route: Route, out_dir: pathlib.Path,
                          language: str = messages.DEFAULT_LANGUAGE, *, png: bool = True) -> dict[str, pathlib.Path]:
    """One route's A4 landscape PDF and 150 dpi PNG (a unit of work the build spreads over processes).

    `png=False`: the PDF only; the PNG is drawn later from `png_source` (the build draws PNGs, a third of
    Graphviz's work, while the site engine runs)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    pdf = out_dir / f"{route.id}.pdf"
    pdf.write_bytes(_run(_page_source(protocol, route, language), "pdf"))
    if not png:
        return {"pdf": pdf}
    return {"pdf": pdf, "png": write_png(png_source(protocol, route, language), out_dir / f"{route.id}.png")}


def png_source(protocol: Protocol, route: Route, language: str = messages.DEFAULT_LANGUAGE) -> str:
    """The DOT text of a route's PNG: the downloads' layout at PNG_DPI, with a small white border."""
    return _png_source(dot_source(protocol, route, language=language))


def write_png(source: str, path: pathlib.Path) -> pathlib.Path:
    """A PNG drawn from `png_source`'s text, written into `path` in place (a hard link to it sees it)."""
    path.write_bytes(_pipe(source, "png"))
    return path


def write_pdfs(protocol: Protocol, out_dir: pathlib.Path, language: str = messages.DEFAULT_LANGUAGE, *,
               also: tuple[str, ...] = ()) -> list[bytes]:
    """Every route's A4 landscape PDF, named after the route id, from one Graphviz run, which also draws the
    PDFs of the DOT texts `also` (the pocket card's page); their bytes, in route order (the trainer's pack is
    made of them) and then those of `also`."""
    out_dir.mkdir(parents=True, exist_ok=True)
    pages = render_many([*(_page_source(protocol, route, language) for route in protocol.routes), *also], "pdf")
    for route, page in zip(protocol.routes, pages, strict=False):
        (out_dir / f"{route.id}.pdf").write_bytes(page)
    return pages


def write_pngs(sources: list[str], paths: list[pathlib.Path]) -> None:
    """Several PNGs (`png_source`'s texts) from one Graphviz run, each written into its `path` in place."""
    for path, png in zip(paths, render_many(sources, "png"), strict=True):
        path.write_bytes(png)


def render_many(sources: list[str], fmt: str) -> list[bytes]:
    """Several DOT texts as PDF or PNG files from one `dot` run, one file each, byte for byte what each
    text's own run draws: Graphviz writes one file after another, and starting it costs more than a page.
    Output that cannot be split with certainty is drawn again one run per text."""
    if len(sources) < 2:
        return [_pipe(source, fmt) for source in sources]
    split = {"pdf": _split_pdfs, "png": _split_pngs}[fmt]
    files = split(_pipe("\n".join(sources), fmt))
    if files is None or len(files) != len(sources):
        return [_pipe(source, fmt) for source in sources]
    return files


def _split_pdfs(data: bytes) -> list[bytes] | None:
    """Concatenated PDF files, split where each begins; None if a part does not end as a PDF file does (the
    marker also occurred inside a compressed stream)."""
    starts = [match.start() for match in re.finditer(rb"%PDF-\d", data)]
    if not starts or starts[0] != 0:
        return None
    files = [data[a:b] for a, b in zip(starts, [*starts[1:], len(data)], strict=True)]
    return files if all(file.rstrip().endswith(b"%%EOF") for file in files) else None


_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _split_pngs(data: bytes) -> list[bytes] | None:
    """Concatenated PNG files, split by walking their chunks to each IEND; None if the data is not that."""
    files, start = [], 0
    while start < len(data):
        if data[start:start + 8] != _PNG_SIGNATURE:
            return None
        at, kind = start + 8, b""
        while kind != b"IEND":
            if at + 12 > len(data):
                return None
            kind = data[at + 4:at + 8]
            at += 12 + int.from_bytes(data[at:at + 4], "big")
        if at > len(data):
            return None
        files.append(data[start:at])
        start = at
    return files


def write_trainer_pack(protocol: Protocol, path: pathlib.Path, *, pages: list[bytes] | None = None,
                       language: str = messages.DEFAULT_LANGUAGE) -> pathlib.Path:
    """Every route of a protocol in one PDF, a page each (Graphviz's PDF output has one page per run).

    `pages`: the routes' A4 PDFs (write_route_downloads' files), in route order, if already drawn.
    """
    import io

    from pypdf import PdfWriter

    if pages is None:
        pages = [_run(_page_source(protocol, route, language), "pdf") for route in protocol.routes]
    writer = PdfWriter()
    for page in pages:
        writer.append(io.BytesIO(page))
    name = protocol.partnership.name
    if language != messages.DEFAULT_LANGUAGE:
        name = protocol.published_in("partnership.name", language) or name
    writer.add_metadata({"/Title": messages.t("chart.pack_title", language, partnership=name,
                                              version=protocol.version.label_in(language))})
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        writer.write(handle)
    return path
