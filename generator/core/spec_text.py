"""Which words on a decision-aid screen are the partnership's own, and in which language they are shown.

The screens (core/questions.py, core/display.py) word everything in the page's language from the
catalogue, but the partnership's text (route titles, stage titles, roles, actions, contacts' names,
quotations, the wording of its timescales) reaches them through the engine in English, sometimes inside a
catalogue sentence. On a page in another language this module finds those pieces: where the spec carries
the partnership's own text in that language (its `cy:` mapping) the piece is replaced by it; where it does
not, the piece stays English and is marked `{"text", "lang": "en"}` so the page sets `lang="en"` on it and
screen readers switch voice. Protocol text is never translated here: this only chooses between the words
the partnership printed, as the Welsh pages do (views/welsh.py).

A text that holds no such piece stays a plain string; one that does becomes a list of runs, each a string
(in the page's language) or a {"text", "lang"} dict. English pages are never touched.

Standard library only: CPython and Pyodide run this very file.
"""

from __future__ import annotations

import dataclasses
import re

from . import model
from .messages import DEFAULT_LANGUAGE

# Keys whose strings are words the page shows (a list under one of them: each of its strings).
TEXT_KEYS = frozenset({"text", "items", "name", "note", "label", "shown", "heading", "hint", "rows", "head",
                       "divider", "error"})
# Fields that are ids, codes or numbers, not words: never looked for in a screen's text.
_NOT_WORDS = frozenset({"id", "phone", "email", "website", "issued", "review_due", "source_file", "source_path",
                        "nation", "kind", "anchor", "continues_with", "urgent_route", "applies_to",
                        "immediate_danger_contacts", "cy"})
# A stage's `contacts` are ids; the protocol's `contacts` are the cards whose names, hours and notes are words.
_ID_LISTS = frozenset({("Stage", "contacts")})
_HAS_LETTERS = re.compile(r"[^\W\d_]{2}")


def field_texts(protocol: model.Protocol) -> dict[str, str]:
    """Every text field of the spec by the path its `cy:` mapping uses ("routes[0].stages[1].title")."""
    out: dict[str, str] = {}

    def walk(value, path: str = "") -> None:
        if isinstance(value, str):
            out[path] = value
        elif isinstance(value, tuple):
            for i, item in enumerate(value):
                walk(item, f"{path}[{i}]")
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            for f in dataclasses.fields(value):
                if f.name not in _NOT_WORDS and (type(value).__name__, f.name) not in _ID_LISTS:
                    walk(getattr(value, f.name), f"{path}.{f.name}" if path else f.name)

    walk(protocol)
    return out


class Marker:
    """Finds the spec's English in a screen's text, for one or more protocols and one page language."""

    def __init__(self, protocols, language: str):
        self.own: dict[str, str] = {}  # English -> the partnership's own text in `language`
        english: set[str] = set()
        for protocol in protocols:
            for path, text in field_texts(protocol).items():
                text = text.strip()
                if not _HAS_LETTERS.search(text):
                    continue  # a number or a mark: the same in every language
                english.add(text)
                published = protocol.published_in(path, language)
                if published is not None:
                    self.own.setdefault(text, published)
        # Longest first, so a title inside a longer sentence of the spec is not split out of it.
        pieces = sorted(english, key=lambda s: (-len(s), s))
        self._pattern = re.compile("|".join(re.escape(p) for p in pieces)) if pieces else None

    def runs(self, text: str):
        """`text` as a plain string where it holds no English of the spec, else as a list of runs."""
        if self._pattern is None:
            return text
        out: list = []
        at, marked = 0, False
        for found in self._pattern.finditer(text):
            piece = found.group(0)
            if found.start() > at:
                out.append(text[at:found.start()])
            if piece in self.own:
                out.append(self.own[piece])
            else:
                out.append({"text": piece, "lang": DEFAULT_LANGUAGE})
                marked = True
            at = found.end()
        if at < len(text):
            out.append(text[at:])
        if not marked:
            return "".join(out)  # all of it in the page's language (or no piece found): one plain string
        return _joined(out)

    def mark(self, value, key: str | None = None):
        """A screen (or any part of one) with each shown text in runs; ids, values and links untouched."""
        if isinstance(value, dict):
            if "lang" in value and "text" in value:
                return value  # a run already marked
            return {k: self.mark(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [self.mark(v, key) for v in value]
        if isinstance(value, str) and key in TEXT_KEYS:
            return self.runs(value)
        return value


def _joined(runs: list) -> list:
    """Neighbouring plain strings as one (the page draws a text node each)."""
    out: list = []
    for run in runs:
        if isinstance(run, str) and out and isinstance(out[-1], str):
            out[-1] += run
        else:
            out.append(run)
    return out


# By the protocols' identities (the cache holds them, so an identity is never reused while its entry
# lives): the page asks for many screens of the same protocol, and the pattern is built once.
_MARKERS: dict[tuple, tuple[tuple, Marker]] = {}
_KEPT = 64


def marker(protocols, language: str) -> Marker | None:
    """The marker for these protocols on a page in `language`; None on an English page (nothing to mark)."""
    if language == DEFAULT_LANGUAGE:
        return None
    protocols = tuple(protocols)
    key = (language, tuple(id(p) for p in protocols))
    if key not in _MARKERS:
        if len(_MARKERS) >= _KEPT:
            _MARKERS.clear()
        _MARKERS[key] = (protocols, Marker(protocols, language))
    return _MARKERS[key][1]


def mark(value, protocols, language: str):
    """`value` (a screen, blocks, a question) marked for `language`; unchanged on an English page."""
    found = marker(protocols, language)
    return value if found is None else found.mark(value)
