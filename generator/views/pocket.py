"""A pocket card per protocol version: one A4 portrait page to pin to a noticeboard or put in a pack.

Drawn by Graphviz (already needed for the flowcharts) as one HTML-like table, so the build needs no
browser and the PDF is the same bytes every time. The card says, in this order: what to do in immediate
danger, each route's stages with who -> whom and the timescale in a few words, the limits over several
stages, the contacts exactly as the text prints them, the version and review date, and where to find
the full guidance. Every phrase comes from the functions the flowcharts and their text versions use, so
the card never words a timescale differently from the chart beside it. Black on white only: the danger
box is told apart by its heavy double border and capitals, not by colour.

A card in another language than English (Welsh, for a partnership with Welsh pages) takes every word of
ours from that language's catalogue, and the partnership's own text in that language where its spec gives
it, else its English: protocol text is never translated. Contacts are always as printed.
"""

from __future__ import annotations

import html
import pathlib
import re
import textwrap

from generator.core import messages
from generator.core.model import Contact, Protocol, Route, Stage

from . import bilingual, flowchart

FONT = flowchart.FONT
BODY_SIZES_PT = (11, 10, 9, 8)  # the largest that fits the page at its natural size wins
MIN_PRINT_PT = 8  # never smaller on paper: a card that needs less must be shortened in the spec
A4_WIDTH_PT = 595.28
A4_HEIGHT_PT = 841.89
MARGIN_PT = 22.68  # 8 mm: inside most printers' reach
FILE_NAME = "pocket-card.pdf"

# DejaVu Sans averages about 0.64 em a character in these texts: lines are wrapped to the printable width at each size.
CHAR_EM = 0.64
WHEN_SHARE = 0.3  # of a stage row's characters, for the timescale column


def _widths(size: int) -> tuple[int, int, int]:
    """Characters per line at `size` points: (whole width, stage column, timescale column)."""
    full = int((A4_WIDTH_PT - 2 * MARGIN_PT) / (size * CHAR_EM)) - 4
    when = int(full * WHEN_SHARE)
    return full, full - when - 3, when


class PocketCardError(Exception):
    """A card that cannot be made as the guide requires; `str()` is the message for the user."""


def _wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(" ".join(text.split()), width, break_on_hyphens=False, break_long_words=False) or [""]


_WELSH_UNITS = re.compile(r"(\d+) (diwrnod gwaith|mis calendr)")


def _wrap_when(text: str, width: int, language: str) -> list[str]:
    """A timescale in the narrow column. In Welsh "2 diwrnod gwaith" stays on one line, as it does on the
    chart's arrows ("diwrnod / gwaith" on two lines misreads); the English card wraps as it always has."""
    if language == messages.DEFAULT_LANGUAGE:
        return _wrap(text, width)
    glued = _WELSH_UNITS.sub(lambda m: f"{m.group(1)} {m.group(2)}".replace(" ", "\u00a0"), " ".join(text.split()))
    lines = textwrap.wrap(glued, width, break_on_hyphens=False, break_long_words=False) or [""]
    return [line.replace("\u00a0", " ") for line in lines]


def _lines(lines: list[str], *, bold: bool = False) -> str:
    """Escaped lines joined by left-aligned breaks (spec text is always text, never markup)."""
    parts = [flowchart.label_text(line) for line in lines]
    if bold:
        parts = [f"<B>{p}</B>" for p in parts]
    return "<BR/>".join(parts)


def _cell(content: str, size: int, **attrs: str) -> str:
    extra = "".join(f' {k.upper()}="{v}"' for k, v in attrs.items())
    return f'<TD ALIGN="LEFT" BALIGN="LEFT" VALIGN="TOP"{extra}><FONT POINT-SIZE="{size}">{content}</FONT></TD>'


def who_to_whom(stage: Stage, language: str = messages.DEFAULT_LANGUAGE) -> str:
    """Who acts -> with whom, without the asides in brackets (the full wording is on the page)."""
    aside = re.compile(r"\s*\([^()]*\)")
    who = aside.sub("", stage.role).strip()
    if not stage.counterpart:
        return who
    whom = aside.sub("", stage.counterpart).strip()
    if stage.similar_seniority:
        whom = messages.t("chart.similar_seniority", language, counterpart=whom)
    return f"{who} \u2192 {whom}"


def contact_text(contact: Contact) -> str:
    """A contact as the text prints it: name, then telephone, e-mail, website and hours, each verbatim."""
    details = [d for d in (contact.phone, contact.email, contact.website, contact.hours) if d]
    return contact.name + (": " + ", ".join(details) if details else "")


def version_text(protocol: Protocol, language: str = messages.DEFAULT_LANGUAGE) -> str:
    """Which text this is, by its date (the version id is our file name, not a number the text prints)."""
    version = protocol.version
    issued = (messages.t("pocket.issued", language, date=version.issued.human(language)) if version.issued
              else messages.t("pocket.undated", language))
    review = (messages.t("pocket.review_due", language, date=version.review_due.human(language))
              if version.review_due else messages.t("pocket.no_review", language))
    return messages.t("pocket.version", language, issued=issued, review=review)


def where_to_find(protocol: Protocol, guide_url: str, language: str = messages.DEFAULT_LANGUAGE) -> str:
    """Where the full guidance is: the pages in the card's own language (the Welsh ones are under /cy/)."""
    folder = "" if language == messages.DEFAULT_LANGUAGE else f"/{language}"
    place = guide_url.rstrip("/") + f"{folder}/{protocol.id}/" if guide_url else (
        messages.t("pocket.where_site", language, partnership=protocol.partnership.short_name))
    return messages.t("pocket.where", language, place=place, source=protocol.version.source_title,
                      partnership=protocol.partnership.name)


def in_language(protocol: Protocol, language: str) -> Protocol:
    """The protocol whose text a card in `language` shows: the partnership's own text in that language
    where the spec has it, else its English (never a translation of ours)."""
    if language == messages.DEFAULT_LANGUAGE:
        return protocol
    messages.catalogue(language)  # an unknown language is refused here, with the catalogue's message
    return bilingual.localise(protocol, language)


def _route_rows(protocol: Protocol, route: Route, size: int, language: str) -> list[str]:
    full, stage_width, when_width = _widths(size)
    heading = messages.t("pocket.route_urgent" if route.urgent else "pocket.route", language, title=route.title)
    rows = [f'<TR>{_cell(_lines(_wrap(heading, full), bold=True), size, colspan="2")}</TR>']
    for stage in route.stages:
        stage_words = _wrap(f"{stage.number}. {stage.title}: {who_to_whom(stage, language)}", stage_width)
        when = _wrap_when(flowchart.stage_timescale_short(route, stage, language), when_width, language)
        rows.append("<TR>" + _cell(_lines(stage_words), size) + _cell(_lines(when), size) + "</TR>")
    for cap in route.caps:
        limit = _wrap(messages.t("pocket.limit", language, text=flowchart.cap_text(cap, language)), full)
        rows.append(f'<TR>{_cell(_lines(limit), size, colspan="2")}</TR>')
    return rows


def card_label(protocol: Protocol, size: int, guide_url: str = "",
               language: str = messages.DEFAULT_LANGUAGE) -> str:
    """The whole card as one Graphviz HTML-like label, body text at `size` points, in `language`."""
    english = protocol
    protocol = in_language(protocol, language)
    full = _widths(size)[0]
    head = _lines(_wrap(messages.t("page.protocol_title", language, name=protocol.partnership.name),
                        int(full * 0.66)), bold=True)
    # From the unlocalised protocol: danger_lines puts it in `language` itself (contacts as printed).
    danger_text = [bilingual.unmarked(line) for line in flowchart.danger_lines(english, None, language)]
    danger = _lines(_wrap(messages.t("chart.danger_heading", language), full - 4), bold=True) + "<BR/>" + _lines(
        [w for line in danger_text for w in _wrap("\u25a0 " + line, full - 4)])
    danger_box = (f'<TABLE BORDER="3" CELLBORDER="0" CELLPADDING="3" CELLSPACING="2"><TR><TD BORDER="1" '
                  f'ALIGN="LEFT" BALIGN="LEFT"><FONT POINT-SIZE="{size}">{danger}</FONT></TD></TR></TABLE>')
    routes = [row for route in protocol.routes for row in _route_rows(protocol, route, size, language)]
    # Contacts as printed in every language: from the unlocalised spec (a contact is never given in Welsh).
    contacts = ([f"\u25a0 {contact_text(c)}" for c in english.contacts]
                or [messages.t("pocket.no_contacts", language)])
    contact_lines = [w for c in contacts for w in _wrap(c, full)]
    heading = messages.t("pocket.heading", language, version=version_text(protocol, language))
    contacts_heading = html.escape(messages.t("pocket.contacts_heading", language), quote=True)
    rows = [
        f'<TR><TD ALIGN="LEFT" BALIGN="LEFT"><FONT POINT-SIZE="{size + 5}">{head}</FONT><BR/>'
        f'<FONT POINT-SIZE="{size}">{_lines(_wrap(heading, full))}</FONT></TD></TR>',
        f"<TR><TD>{danger_box}</TD></TR>",
        f'<TR><TD><TABLE BORDER="0" CELLBORDER="1" CELLPADDING="2" CELLSPACING="0">{"".join(routes)}</TABLE></TD></TR>',
        f'<TR>{_cell(f"<B>{contacts_heading}</B><BR/>" + _lines(contact_lines), size)}</TR>',
        f'<TR>{_cell(_lines(_wrap(where_to_find(protocol, guide_url, language), full)), size)}</TR>',
    ]
    return f'<<TABLE BORDER="0" CELLBORDER="0" CELLPADDING="0" CELLSPACING="6">{"".join(rows)}</TABLE>>'


def _dot(protocol: Protocol, size: int, guide_url: str, page: str = "",
         language: str = messages.DEFAULT_LANGUAGE) -> str:
    """The card as one plaintext node; `page` adds the lines that set the page size and padding."""
    label = card_label(protocol, size, guide_url, language)
    return (f'digraph "pocket-card" {{\n\tgraph [fontname="{FONT}" pad=0 margin=0 ranksep=0.02 nodesep=0]\n'
            f'\tnode [fontname="{FONT}" shape=plaintext margin=0]\n\tcard [label={label}]\n{page}}}\n')


_SIZE = re.compile(r'<svg width="([\d.]+)pt" height="([\d.]+)pt"')


def _natural_size(source: str) -> tuple[float, float]:
    return _natural_sizes([source])[0]


def _natural_sizes(sources: list[str]) -> list[tuple[float, float]]:
    """The sizes of several drawings, laid out by one Graphviz run."""
    sizes = []
    for svg in flowchart.render_svgs(sources):
        match = _SIZE.search(svg.decode("utf-8"))
        if not match:
            raise PocketCardError("Graphviz produced an SVG without a size")
        sizes.append((float(match.group(1)), float(match.group(2))))
    return sizes


def size_sources(protocol: Protocol, guide_url: str = "", language: str = messages.DEFAULT_LANGUAGE) -> list[str]:
    """The card at each text size, as `layout` measures them: the build has them laid out by the run of the
    flowcharts' layout search (`flowchart.prepare`), so they cost no Graphviz run of their own."""
    return [_dot(protocol, size, guide_url, language=language) for size in BODY_SIZES_PT]


def layout(protocol: Protocol, guide_url: str = "",
           language: str = messages.DEFAULT_LANGUAGE) -> tuple[str, int, float]:
    """(DOT text for an A4 portrait page, body size in points, print scale): the largest text that fits.

    The card is placed at the top of the page, centred across it; where even the smallest size needs
    shrinking, it is scaled to fit, and below `MIN_PRINT_PT` the build stops with a message.
    """
    inner_w, inner_h = A4_WIDTH_PT - 2 * MARGIN_PT, A4_HEIGHT_PT - 2 * MARGIN_PT
    best = None
    # Every text size is laid out by one Graphviz run, then chosen as one by one: the largest that fits.
    measured = _natural_sizes(size_sources(protocol, guide_url, language))
    for size, (width, height) in zip(BODY_SIZES_PT, measured, strict=True):
        scale = min(1.0, inner_w / width, inner_h / height)
        if best is None or size * scale > best[0] * best[1] + 0.01:
            best = (size, scale, width, height)
        if scale == 1.0:
            break  # fits at its natural size: smaller text could only be worse
    size, scale, width, height = best
    if size * scale < MIN_PRINT_PT:
        in_words = "" if language == messages.DEFAULT_LANGUAGE else f" in {language!r}"
        raise PocketCardError(
            f"{protocol.id} {protocol.version.id}: the pocket card{in_words} does not fit one A4 page with text of at least "
            f"{MIN_PRINT_PT} pt (it would print at {flowchart.print_size(size * scale)} pt); shorten the longest stage roles, "
            "route titles or contact details")
    # Exactly A4: even padding across; down the page the margin above, and a spacer below the card. Graphviz
    # rounds node sizes, so the page is measured once with the spacer and then padded to the exact size.
    # Exactly A4, the card at the top: even padding across; down the page the margin above and a spacer
    # below. A card that (nearly) fills the page has no room for a spacer: it is centred instead.
    pad_x = (A4_WIDTH_PT / scale - width) / 2
    pad_y = MARGIN_PT / scale
    spacer: float | None = A4_HEIGHT_PT / scale - height - 2 * pad_y - 12
    if spacer < 1:
        spacer, pad_y = None, (A4_HEIGHT_PT / scale - height) / 2
    for _ in range(3):  # Graphviz rounds sizes: measure the padded page and correct what is left over
        page_w, page_h = _natural_size(_dot(protocol, size, guide_url, _page_lines(pad_x, pad_y, spacer, False),
                                            language))
        if abs(page_w - A4_WIDTH_PT / scale) < 1 and abs(page_h - A4_HEIGHT_PT / scale) < 1:
            break
        pad_x += (A4_WIDTH_PT / scale - page_w) / 2
        if spacer is None:
            pad_y += (A4_HEIGHT_PT / scale - page_h) / 2
        else:
            spacer = max(spacer + A4_HEIGHT_PT / scale - page_h, 1.0)
    return _dot(protocol, size, guide_url, _page_lines(pad_x, pad_y, spacer), language), size, scale


def _page_lines(pad_x: float, pad_y: float, spacer: float | None, fit_a4: bool = True) -> str:
    size = f' size="{A4_WIDTH_PT / 72:.4f},{A4_HEIGHT_PT / 72:.4f}"' if fit_a4 else ""
    lines = f'\tgraph [pad="{pad_x / 72:.4f},{pad_y / 72:.4f}"{size}]\n'
    if spacer is not None:
        lines += (f'\tspacer [label="" shape=none width=0.01 height={spacer / 72:.4f} fixedsize=true]\n'
                  '\tcard -> spacer [style=invis]\n')
    return lines


def write_pocket_card(protocol: Protocol, path: pathlib.Path, *, guide_url: str = "",
                      language: str = messages.DEFAULT_LANGUAGE, pdf: bytes | None = None) -> pathlib.Path:
    """The card as a one-page A4 portrait PDF at `path`, in `language` (English, or Welsh for a partnership
    with Welsh pages). `pdf`: the page already drawn from `layout`'s DOT text (the build draws it in the run
    of the routes' PDFs)."""
    if pdf is None:
        source, _, _ = layout(protocol, guide_url, language)
        try:
            pdf = flowchart.render(source, "pdf")
        except flowchart.FlowchartError as exc:
            raise PocketCardError(str(exc)) from None
    if language != messages.DEFAULT_LANGUAGE:
        pdf = _titled(pdf, messages.t("pocket.pdf_title", language, partnership=in_language(
            protocol, language).partnership.name))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pdf)
    return path


def _titled(pdf: bytes, title: str) -> bytes:
    """The PDF with a document title, which a reader shows in place of the file name. Only a card in another
    language than English gets one here: the English card's bytes are kept exactly as they have been."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.append(io.BytesIO(pdf))
    writer.add_metadata({"/Title": title})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
