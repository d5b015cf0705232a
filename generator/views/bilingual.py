"""A spec's text in the reader's language: the partnership's own Welsh where it published some, else its
English, marked `lang="en"` and followed by a line in Welsh saying that part was not published in Welsh.

Protocol text is never translated by us: this only chooses between the words the partnership printed.
"""

from __future__ import annotations

import dataclasses
import re

from markupsafe import Markup, escape

from ..core import messages, model
from ..load import AS_PRINTED


def text_html(protocol: model.Protocol, field_path: str, english: str, language: str) -> Markup:
    """One text field as HTML for a page in `language` (escaped: spec text is always text)."""
    if language == "en":
        return Markup(escape(english))
    published = protocol.published_in(field_path, language)
    if published is not None:
        return Markup(escape(published))
    return Markup('<span lang="en">{}</span> <small class="eg-not-published" lang="{}">{}</small>').format(
        english, language, messages.t("cy.not_published", language))


def welsh_pages(protocol: model.Protocol) -> bool:
    """Whether a protocol gets pages in Welsh: every Welsh partnership, and any spec that supplies Welsh text."""
    return protocol.partnership.nation == "wales" or bool(protocol.cy)


# Fields shown exactly as printed in both languages (the loader refuses Welsh for them) and the model's own.
_NOT_TEXT = AS_PRINTED | {"cy", "source_path"}


class English(str):
    """A piece of the partnership's English shown on a Welsh page: the filters mark it `lang="en"`."""

    __slots__ = ()


class Welsh(str):
    """A piece of the partnership's own Welsh text."""

    __slots__ = ()


def localise(protocol: model.Protocol, language: str = "cy", *, marked: bool = False) -> model.Protocol:
    """The protocol with every text field replaced by the partnership's own text in `language` (a `Welsh`
    string) or its English (an `English` string), by the field paths `guidance check` writes.

    `marked`: each English piece is also wrapped in `ENGLISH_START`/`ENGLISH_END`, so that it can still be
    found once a sentence of ours has been built around it (a flowchart label, its text version)."""

    def text(path: str, value: str) -> str:
        published = protocol.published_in(path, language)
        if published is not None:
            return Welsh(unmarked(published) if marked else published)
        return marked_english(value) if marked else English(value)

    def walk(value, path: str):
        if isinstance(value, str):
            return text(path, value)
        if isinstance(value, tuple):
            return tuple(walk(item, f"{path}[{i}]") for i, item in enumerate(value))
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            changes = {}
            for f in dataclasses.fields(value):
                if f.name in _NOT_TEXT or not f.init:
                    continue
                item = getattr(value, f.name)
                if isinstance(item, str | tuple) or dataclasses.is_dataclass(item):
                    changes[f.name] = walk(item, f"{path}.{f.name}" if path else f.name)
            return dataclasses.replace(value, **changes) if changes else value
        return value

    return walk(protocol, "")




# Two private-use characters around the partnership's English inside a longer text in another language.
# They survive str.format, joins and wrapping, so the words of ours around them need no bookkeeping; a
# spec's own text never carries them (`unmarked` removes them before marking).
ENGLISH_START, ENGLISH_END = "\ue000", "\ue001"


def marked_english(text: str) -> English:
    """The partnership's English between the markers (nothing to mark in an empty or blank text)."""
    return English(f"{ENGLISH_START}{unmarked(text)}{ENGLISH_END}" if text.strip() else text)


def unmarked(text: str) -> str:
    return text.replace(ENGLISH_START, "").replace(ENGLISH_END, "")


def runs(text: str) -> list[tuple[str, bool]]:
    """A marked text as (piece, is the partnership's English) runs, in order, empty pieces left out."""
    out, english = [], False
    for piece in re.split(f"([{ENGLISH_START}{ENGLISH_END}])", text):
        if piece == ENGLISH_START:
            english = True
        elif piece == ENGLISH_END:
            english = False
        elif piece:
            out.append((piece, english))
    return out


def balanced(lines: list[str]) -> list[str]:
    """Wrapped lines of a marked text, each closing the English it opens and reopening what the line
    before left open, so that every line can be drawn (or marked up) on its own."""
    out, open_ = [], False
    for line in lines:
        text = (ENGLISH_START if open_ else "") + line
        for char in line:
            if char == ENGLISH_START:
                open_ = True
            elif char == ENGLISH_END:
                open_ = False
        out.append(text + (ENGLISH_END if open_ else ""))
    return out


def marked_html(text: str, escape_piece) -> str:
    """A marked text as markup: each piece through `escape_piece`, the English ones inside `lang="en"`."""
    return "".join(f'<span lang="en">{escape_piece(piece)}</span>' if english else escape_piece(piece)
                   for piece, english in runs(text))
