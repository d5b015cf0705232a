"""YAML spec -> validated `Protocol`.

Partnership staff edit these files by hand, so every message names the file, line and column, the field's
path and what was expected, and all the problems of a file are reported together: a build that stops at
the first typo makes fixing a spec a slow loop. Nothing here prints or exits; callers show `str(SpecError)`.
"""

from __future__ import annotations

import datetime as dt
import difflib
import itertools
import json
import os
import re
import unicodedata
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

import jsonschema
import yaml

from . import resources
from .core import model

_DATE = re.compile(r"\d{4}-\d{2}(-\d{2})?")
MIN_YEAR, MAX_YEAR = 1900, 2199  # issue and review dates of a protocol; keeps every date arithmetic in range
SCHEMA_PATH = resources.schema_path()


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    column: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.column}"
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


class SpecError(Exception):
    """Every problem found in one or more specs; `str()` is the whole message for the user."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


MAX_DEPTH = 12  # the deepest a real spec nests is 7 (routes[].stages[].timescale...)
MAX_TEXT = 4000  # characters in one text field: a long paragraph, never a pasted document
MAX_ID = 40  # characters in an id: ids become folder names and URLs
# Bytes in one spec file. The largest real spec is about 35 kB (70 kB with a Welsh `cy:` mapping); a file
# of megabytes is a mistake (a pasted document, a generated list) and would take the loader many seconds
# and hundreds of megabytes before any field's own limit could name it.
MAX_FILE_BYTES = 512 * 1024
RESERVED_PARTNERSHIP_IDS = frozenset((
    # every top-level path the site uses or may use, so a partnership cannot replace one of its pages
    "404", "about", "api", "assets", "changes", "compare", "cy", "data", "decisions", "developers", "en",
    "feeds", "flowcharts", "help", "index", "javascripts", "next", "offline", "partnerships", "print",
    "protocols", "publishing", "search", "site", "sitemap", "static", "stylesheets", "wizard",
    # and every folder of data/v1/, where each partnership has its own folder beside them
    "holidays",
))
# A route's drawings are saved as <route id>.pdf and .png beside these, in the version's flowcharts folder.
RESERVED_ROUTE_IDS = frozenset(("pocket-card", "trainers-pack"))
RESERVED_VERSION_IDS = frozenset(("changes", "flowcharts", "index", "current", "latest"))
LINK_SCHEMES = ("https://", "http://", "mailto:", "tel:")
# A web address written without its scheme (www.example.org/page): the only kind worth "did you mean
# https://...?"; anything with a colon or a leading slash is another scheme or a path, not a host.
_BARE_HOST = re.compile(r"^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(/[^\s:]*)?$")

# Characters that have no business in a spec: C0 controls but tab and line feed (a carriage return is
# normalised away before parsing), DEL, C1 controls (what PDF copying produces: form feeds, NULs,
# escapes), the bidirectional overrides that make text display other than it reads, and the invisible
# separators (zero-width space, word joiner, Unicode line and paragraph separators) that make two equal-
# looking words differ and break lines where no reader sees a break.
# Also what is not a character at all and that no XML file (the feeds, the drawings' Graphviz labels) can
# hold: surrogates and noncharacters, which a double-quoted "\\uFFFF" or "\\uD800" escape in YAML makes.
_NONCHARACTERS = "\ud800-\udfff\ufdd0-\ufdef" + "".join(chr(plane * 0x10000 + low) for plane in range(17)
                                                       for low in (0xFFFE, 0xFFFF))
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b\u200e\u200f\u2028\u2029\u202a-\u202e"
                      "\u2060\u2066-\u2069\ufeff" + _NONCHARACTERS + "]")
_CONTROL_NAMES = {"\x00": "NUL", "\x0c": "form feed", "\x1b": "escape", "\x0b": "vertical tab",
                  "\x07": "bell", "\x08": "backspace", "\x7f": "delete", "\ufeff": "byte order mark",
                  "\u200b": "zero-width space", "\u2060": "word joiner", "\u2028": "line separator",
                  "\u2029": "paragraph separator", "\u061c": "bidirectional control"}


# Characters that draw nothing although Unicode files them as letters or symbols (Hangul fillers, the blank
# Braille cell): with spaces, joiners and combining marks, a text made only of these shows as an empty box.
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def _shows_nothing(text: str) -> bool:
    """True when no character of the text is one a reader would see (a letter, digit, punctuation or
    symbol): only spaces, zero-width joiners, combining marks or fillers, which `str.strip` keeps."""
    return not any(unicodedata.category(char)[0] in "LNPS" and char not in _BLANK_LETTERS for char in text)


def _control_name(char: str) -> str:
    if 0xD800 <= ord(char) <= 0xDFFF or 0xFDD0 <= ord(char) <= 0xFDEF or ord(char) & 0xFFFE == 0xFFFE:
        return f"U+{ord(char):04X} (not a character: a surrogate or noncharacter)"
    name = _CONTROL_NAMES.get(char, "bidirectional control" if ord(char) > 0x2000 else "control character")
    return f"U+{ord(char):04X} ({name})"


# YAML 1.2 core schema: the only implicit types are null, true/false, base-10 (or 0o/0x) integers and
# floats. `yes`, `no`, `on`, `off` stay text, `010` is 10, dates stay text (the loader checks them
# itself, with line numbers) and `<<` merge keys are not special.
_CORE_RESOLVERS = (
    ("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")),
    ("tag:yaml.org,2002:int", re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"),
     list("-+0123456789")),
    ("tag:yaml.org,2002:float", re.compile(
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"),
     list("-+.0123456789")),
    ("tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]),
)
_PLAIN_TAGS = {"tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
               "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null", "tag:yaml.org,2002:seq",
               "tag:yaml.org,2002:map"}


class _Loader(yaml.SafeLoader):
    """Plain YAML 1.2 data only: no anchors or aliases, no tags, nesting no deeper than MAX_DEPTH.

    An alias can make a 1 KB file expand to gigabytes ("billion laughs") and a deep nest exhausts
    Python's stack, so both are refused while composing, before anything is built from them.
    """

    yaml_implicit_resolvers: dict = {}
    _depth = 0

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise yaml.composer.ComposerError(
                None, None, "anchors and aliases (&name, *name) are not allowed in a spec: write each value out "
                "in full", event.start_mark)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise yaml.composer.ComposerError(
                    None, None, f"nested more than {MAX_DEPTH} levels deep; a protocol spec is never this deep",
                    event.start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_yaml_int(self, node):
        value = self.construct_scalar(node)
        text = value.replace("_", "")
        if text.startswith("0o"):
            return int(text[2:], 8)
        if text.startswith("0x"):
            return int(text[2:], 16)
        return int(text, 10)


for _first in list("tTfF-+.0123456789~nN") + [""]:
    _Loader.yaml_implicit_resolvers[_first] = []
for _tag, _regexp, _firsts in _CORE_RESOLVERS:
    for _first in _firsts:
        _Loader.yaml_implicit_resolvers.setdefault(_first, []).append((_tag, _regexp))
_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_yaml_int)


@cache
def schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def load_protocol(path: str | Path, *, in_tree: bool | None = None) -> model.Protocol:
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise SpecError([_too_large(str(path), size)])
        raw = path.read_bytes()
    except OSError as exc:
        raise SpecError([Problem(str(path), 1, 1, "", f"cannot read the file: {exc.strerror or exc}")]) from None
    return load_text(decode(raw, str(path)), str(path), in_tree=in_tree)


def _too_large(path: str, size: int) -> Problem:
    return Problem(path, 1, 1, "", f"the file is {size:,} bytes; expected a protocol spec of at most "
                                   f"{MAX_FILE_BYTES:,} bytes (the largest real spec is about 35,000): is "
                                   "something pasted or generated into it?")


_WIDE_BOMS = {b"\xff\xfe": "UTF-16", b"\xfe\xff": "UTF-16"}


def decode(raw: bytes, path: str) -> str:
    """A spec's bytes as text: UTF-8, or a problem at the line and column of the first byte that is not.

    Editors on Windows may save as UTF-16 or in a legacy code page (café as the single byte 0xE9); the
    message names where, and what to do, rather than Python's byte offset.
    """
    for bom, name in _WIDE_BOMS.items():
        if raw.startswith(bom):
            raise SpecError([Problem(path, 1, 1, "", f"the file is saved as {name}; expected UTF-8 text "
                                                     "(save it again with the encoding UTF-8)")])
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[:exc.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1:].decode("utf-8", errors="replace")) + 1
        byte = raw[exc.start]
        raise SpecError([Problem(path, line, column, "", f"expected UTF-8 text; the byte 0x{byte:02X} here is not "
                                                         "UTF-8 (the file was probably saved in another encoding, "
                                                         "such as Windows-1252: save it again as UTF-8)")]) from None


_IGNORED_PREFIXES = (".", "#", "~")  # editors' lock, swap and backup files (.#x.yaml, .x.yaml.swp, #x.yaml#)


def _is_editor_file(path: Path) -> bool:
    return path.name.startswith(_IGNORED_PREFIXES) or path.name.endswith(("~", "#", ".swp", ".bak", ".orig"))


def load_tree(root: str | Path = "protocols", *, read=None) -> list[model.Protocol]:
    """Every version of every partnership under root, reporting the problems of all files at once.

    `read` (default `load_protocol`) lets the build substitute a cached reader for files it has checked.
    """
    read = read or load_protocol
    root = Path(root)
    if root.is_file():
        return [load_protocol(root)]
    problems = []
    candidates = sorted(p for p in root.glob("*/*") if not _is_editor_file(p) and not _is_editor_file(p.parent))
    if not any(p.suffix == ".yaml" for p in candidates):
        # One partnership's folder (`guidance check protocols/swindon`): its versions are right here.
        candidates = sorted(p for p in root.glob("*.y*ml") if not _is_editor_file(p)) or candidates
    else:  # a tree of partnerships' folders: a spec beside them would be left out of the site unsaid
        problems += [Problem(str(p), 1, 1, "", "a spec here is not published: save it as <partnership id>/"
                             f"{p.stem}.yaml in its partnership's folder") for p in sorted(root.glob("*.y*ml"))
                     if not _is_editor_file(p) and p.suffix.lower() in (".yml", ".yaml")]
    files = [p for p in candidates if p.suffix == ".yaml" and p.is_file()]
    for path in candidates:
        if path.suffix.lower() in (".yml", ".yaml") and path.suffix != ".yaml":
            problems.append(Problem(str(path), 1, 1, "", f"a spec must be saved with the extension .yaml (rename it "
                                                         f"to {path.stem}.yaml), or it would not be published"))
        elif path.suffix == ".yaml" and not path.is_file():
            problems.append(Problem(str(path), 1, 1, "", _not_a_file(path)))
    if not files and not problems:
        raise SpecError([Problem(str(root), 1, 1, "", "no protocol specs found (expected <partnership>/<version>.yaml)")])
    protocols = []
    for file in files:
        try:
            protocols.append(read(file))
        except SpecError as exc:
            problems.extend(exc.problems)
    seen: dict[tuple, str] = {}
    for protocol in protocols:
        key = (protocol.id, model.version_order(protocol))
        if key in seen:
            problems.append(Problem(protocol.source_path, 1, 1, "version.id",
                                    f"version '{protocol.version.id}' of '{protocol.id}' is also defined in "
                                    f"{seen[key]} (the two ids are the same version)"))
        seen[key] = protocol.source_path
    problems += _version_order_problems(protocols)
    if problems:
        raise SpecError(problems)
    return protocols


def _not_a_file(path: Path) -> str:
    """Why a name that looks like a spec cannot be read as one (it was skipped without a word before)."""
    if path.is_dir():
        return "expected a spec file; this is a folder"
    if path.is_symlink():
        return ("expected a spec file; this is a link to something that does not exist or links back to itself "
                f"({os.readlink(path)!r}): replace it with the file")
    return "expected a spec file; this is not a regular file"


def _version_shape(version_id: str) -> str:
    """'dated' for YYYY-MM(-DD); otherwise the id with each number as '#' ('v#' for v1, v2)."""
    return "dated" if _DATED_ID.fullmatch(version_id) else re.sub(r"[0-9]+", "#", version_id)


_DATED_ID = re.compile(r"[0-9]{4}-[0-9]{2}(?:-[0-9]{2})?")


def _version_order_problems(protocols: list[model.Protocol]) -> list[Problem]:
    """The highest version id is the text in force, so the ids of one partnership must order one way.

    `undated` beside a new `2026-04` sorted above it (a word after a number), so the old text stayed current;
    two words (`undated`, `revised`) order only alphabetically. Ids of one shape order by their numbers:
    all dated, or all one word and a number (v1, v2).
    """
    by_partnership: dict[str, list[model.Protocol]] = {}
    for protocol in protocols:
        by_partnership.setdefault(protocol.id, []).append(protocol)
    problems = []
    for partnership, versions in by_partnership.items():
        if len(versions) < 2:
            continue
        shapes = {_version_shape(p.version.id) for p in versions}
        if len(shapes) == 1 and (shapes == {"dated"} or "#" in next(iter(shapes))):
            continue
        ids = ", ".join(sorted(p.version.id for p in versions))
        for protocol in versions:
            problems.append(problem_in_file(
                protocol.source_path, ["version", "id"],
                f"the versions of '{partnership}' ({ids}) do not order one way, so which text is in force would "
                "be a guess (the highest id is current, compared number by number): name every version by its "
                "date (YYYY-MM or YYYY-MM-DD), or every one by a word and a number (v1, v2), renaming the files "
                "to match"))
    return problems


def load_text(text: str, path: str = "<spec>", *, in_tree: bool | None = None) -> model.Protocol:
    """`in_tree`: check that the file sits at protocols/<partnership id>/<version id>.yaml (default: when its
    path has that shape); a draft compared with `guidance diff` may live anywhere."""
    if len(text) > MAX_FILE_BYTES:
        raise SpecError([_too_large(path, len(text.encode("utf-8", errors="replace")))])
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    problems = _control_characters(text, path)
    if problems:
        raise SpecError(problems)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise SpecError([Problem(path, 1, 1, "", "the file is empty; expected a protocol spec (a mapping)")])
        problems = list(_plain_data(node, path, ""))
        if problems:
            raise SpecError(problems)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = " ".join(str(x) for x in (exc.context, exc.problem) if x)
        if "\t" in text and "tab" in what.lower() or "found character '\\t'" in what:
            what += " (YAML does not allow tabs for indentation: use spaces)"
        raise SpecError([Problem(path, line, column, "", f"not valid YAML: {what}")]) from None
    except (yaml.YAMLError, ValueError, OverflowError, RecursionError) as exc:
        raise SpecError([Problem(path, 1, 1, "", f"not valid YAML: {exc}")]) from None
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        kind = type(data).__name__ if data is not None else "nothing"
        raise SpecError([Problem(path, node.start_mark.line + 1, node.start_mark.column + 1, "",
                                 f"expected a mapping with keys partnership, version, risk and routes; got a {kind}")])
    problems = _schema_problems(data, node, path)
    placeholders = list(_placeholders(data, node, path, []))
    if placeholders:  # one message per unfilled field: its placeholder, not also the schema's complaint
        lines = {p.line for p in placeholders}
        problems = [p for p in problems if p.line not in lines] + placeholders
    try:
        problems += _cross_check(data, node, path, in_tree)
    except (KeyError, TypeError, AttributeError, IndexError):
        if not problems:  # pragma: no cover - the schema guarantees the shape the checks read
            raise
    if problems:
        raise SpecError(sorted(set(problems)))
    return replace(model.from_dict(data), source_path=path)


def _control_characters(text: str, path: str) -> list[Problem]:
    """Control characters anywhere in the file, each with its line and column (the first 20)."""
    problems = []
    for match in itertools.islice(_CONTROL.finditer(text), 20):
        line = text.count("\n", 0, match.start()) + 1
        column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
        problems.append(Problem(path, line, column, "", f"the text holds the control character "
                                f"{_control_name(match.group())}, which copying from PDF or Word can leave behind: "
                                "delete it (or retype the line)"))
    return problems


# --- YAML structure ----------------------------------------------------------------------------------


def _plain_data(node: yaml.Node, path: str, field: str):
    """Duplicate keys, keys that are not text, explicit tags, and text that is too long or holds control
    characters (written as escapes such as "\\f" inside double quotes), each at its own line."""
    def at(n: yaml.Node, here: str, message: str) -> Problem:
        return Problem(path, n.start_mark.line + 1, n.start_mark.column + 1, here, message)

    if node.tag not in _PLAIN_TAGS:
        yield at(node, field, f"the tag {node.tag!r} is not allowed: a spec holds plain text, numbers, "
                              "true/false, lists and mappings")
        return
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key, value in node.value:
            if not isinstance(key, yaml.ScalarNode) or key.tag != "tag:yaml.org,2002:str":
                shown = key.value if isinstance(key, yaml.ScalarNode) else "a list or mapping"
                yield at(key, field, f"expected a key that is text (a field name); got {shown!r}"
                                     + (" (write the key in quotes if it is meant as text)"
                                        if isinstance(key, yaml.ScalarNode) else ""))
                continue
            name = key.value
            here = f"{field}.{name}" if field else name
            if name in seen:
                yield at(key, here, f"duplicate key '{name}' (first given on line {seen[name]})")
            else:
                seen[name] = key.start_mark.line + 1
            yield from _plain_data(value, path, here)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            yield from _plain_data(item, path, f"{field}[{index}]")
    elif node.tag == "tag:yaml.org,2002:str":
        control = _CONTROL.search(node.value)
        if control:
            yield at(node, field, f"the text holds the control character {_control_name(control.group())}: "
                                  "delete it")
        if node.value and not node.value.strip():
            yield at(node, field, "expected some text; got only spaces (delete the value, or write the text)")
        elif node.value and _shows_nothing(node.value):
            yield at(node, field, "expected some text; got only characters that show nothing (joiners, combining "
                                  f"marks or fillers: {', '.join(f'U+{ord(c):04X}' for c in node.value[:5])}); "
                                  "delete the value, or write the text")
        if len(node.value) > MAX_TEXT:
            yield at(node, field, f"expected text of at most {MAX_TEXT} characters; got {len(node.value)}")
    elif node.tag == "tag:yaml.org,2002:int" and len(node.value) > 6:
        # Refused before it is built (a number of thousands of digits is slow to build). Which field wants
        # what is the schema's to say; here, both readings: a count is short, and text needs quotes.
        yield at(node, field, f"got the number {node.value}, longer than any number a spec holds (a count of "
                              "days, hours or months, or a stage number); if it is meant as text, such as a "
                              "telephone number, put it in quotes")


def _node_at(root: yaml.Node, parts) -> tuple[yaml.Node, yaml.Node | None]:
    """The node at a data path, and the key node that names it (None for list items)."""
    node, key_node = root, None
    for part in parts:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if key.value == part:
                    node, key_node = value, key
                    break
            else:
                return node, key_node
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node, key_node = node.value[part], None
        else:
            return node, key_node
    return node, key_node


def problem_in_file(path: str | Path, parts: list, message: str) -> Problem:
    """A problem found after loading (e.g. a flowchart that cannot be drawn), at the line of `parts`."""
    try:
        root = _Loader(Path(path).read_text(encoding="utf-8")).get_single_node()
        return _problem_at(root, parts, str(path), message)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return Problem(str(path), 1, 1, _field(parts), message)


def _field(parts) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _problem_at(root, parts, path, message, at_key=False) -> Problem:
    node, key_node = _node_at(root, parts)
    mark = (key_node if at_key and key_node is not None else node).start_mark
    return Problem(path, mark.line + 1, mark.column + 1, _one_line(_field(parts)), _one_line(message))


def _one_line(text: str) -> str:
    """A spec's value quoted in a message stays on its file:line:column line: a newline or another control
    character in it is shown escaped, as Python writes it ('0\\n'), never as a line break of the output."""
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)


def _listed(value) -> list:
    """A list the checks beyond the schema walk; anything else is the schema's to report (a text walked as a
    list would report each of its letters)."""
    return value if isinstance(value, list) else []


# --- schema ------------------------------------------------------------------------------------------

_TYPE_WORDS = {"string": "text", "integer": "a whole number", "boolean": "true or false", "array": "a list",
               "object": "a mapping of keys to values", "null": "nothing (null)"}


def _describe(value) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return repr(value)


def _is_whole_number(checker, instance) -> bool:
    return isinstance(instance, int) and not isinstance(instance, bool)


@cache
def _ecma_pattern(pattern: str) -> re.Pattern:
    """A schema pattern as JSON Schema means it (ECMA 262), not as Python's `re.search` reads it. In Python a
    final `$` also matches before a trailing newline, so an id written "standard" plus an escaped newline in
    double quotes passed the id pattern and became a file name and an address; and a digit class matched
    any script's digits. Here `$` is the end of the text and digits are 0 to 9."""
    return re.compile(re.sub(r"(?<!\\)\$", r"\\Z", pattern.replace("\\d", "[0-9]")))


def _pattern(validator, pattern, instance, schema):
    if validator.is_type(instance, "string") and not _ecma_pattern(pattern).search(instance):
        yield jsonschema.ValidationError(f"{instance!r} does not match {pattern!r}")


# JSON Schema counts 2.0 as an integer; a spec must not ("Stage 2.0", "2.0 working days").
_Validator = jsonschema.validators.extend(
    jsonschema.Draft202012Validator, validators={"pattern": _pattern},
    type_checker=jsonschema.Draft202012Validator.TYPE_CHECKER.redefine("integer", _is_whole_number))


def _schema_problems(data, root, path) -> list[Problem]:
    validator = _Validator(schema())
    problems = []
    for error in validator.iter_errors(data):
        problems.extend(_explain(error, data, root, path))
    return sorted(set(problems))


def _explain(error, data, root, path) -> list[Problem]:
    parts = list(error.absolute_path)
    kind = error.validator
    if kind in ("allOf", "anyOf", "oneOf") and error.context:
        return [p for sub in error.context for p in _explain(sub, data, root, path)]
    if kind == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        extra = [k for k in error.instance if k not in allowed]
        found = []
        for key in extra:
            hint = difflib.get_close_matches(key, allowed, n=1)
            suggestion = f" (did you mean '{hint[0]}'?)" if hint else ""
            found.append(_problem_at(root, parts + [key], path,
                                     f"unknown key '{key}'{suggestion}; expected one of: {', '.join(allowed)}",
                                     at_key=True))
        return found
    if kind == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        reason = ""
        instance = error.instance if isinstance(error.instance, dict) else {}
        if "kind" in instance and missing in ("days", "months"):
            reason = f" (needed when kind is {instance['kind']})"
        if missing == "anchor_stage":
            reason = " (needed when anchor is stage_end)"
        return [_problem_at(root, parts, path, f"missing required field '{missing}'{reason}")]
    if kind == "enum":
        choices = ", ".join(str(c) for c in error.validator_value)
        return [_problem_at(root, parts, path, f"expected one of: {choices}; got {_describe(error.instance)}")]
    if kind == "type":
        wanted = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        words = " or ".join(_TYPE_WORDS.get(w, w) for w in wanted)
        hint = ""
        if "string" in wanted and isinstance(error.instance, (int, float)):
            # YAML reads 999, 1.5 and true (unquoted) as a number or true/false, not as text.
            hint = " (YAML reads it as a number or true/false: put it in quotes if it is meant as text)"
        return [_problem_at(root, parts, path, f"expected {words}; got {_describe(error.instance)}{hint}")]
    if kind == "pattern":
        desc = error.schema.get("description")
        if parts and parts[-1] in ("issued", "review_due"):
            desc = "a date as YYYY-MM-DD, or YYYY-MM when the text gives only a month, or 'unknown'"
        elif not desc and "a-z0-9" in error.validator_value:
            desc = "a short id of lower-case letters, digits and hyphens"
        else:
            desc = desc or f"text matching {error.validator_value}"
        hint = ""
        if parts and parts[-1] == "website" and isinstance(error.instance, str) \
                and _BARE_HOST.match(error.instance.strip()):
            hint = f" (did you mean 'https://{error.instance.strip()}'?)"
        return [_problem_at(root, parts, path, f"expected {desc}; got {_describe(error.instance)}{hint}")]
    if kind == "minItems":
        n = error.validator_value
        return [_problem_at(root, parts, path, f"expected at least {n} item{'s' if n != 1 else ''}")]
    if kind == "minLength":
        return [_problem_at(root, parts, path, "expected some text; got an empty string")]
    if kind == "minimum":
        return [_problem_at(root, parts, path, f"expected a number of at least {error.validator_value}; "
                                               f"got {_describe(error.instance)}")]
    if kind == "maxLength":
        return [_problem_at(root, parts, path, f"expected at most {error.validator_value} characters; "
                                               f"got {len(error.instance)}")]
    if kind == "maximum":
        return [_problem_at(root, parts, path, f"expected a number of at most {error.validator_value}; "
                                               f"got {_describe(error.instance)}")]
    if kind == "uniqueItems":
        return [_problem_at(root, parts, path, "expected each item once; got a repeated item")]
    return [_problem_at(root, parts, path, error.message)]


PLACEHOLDER = "FILL IN"


def _placeholders(data, root, path, parts):
    """Values still holding a `guidance new` placeholder, wherever they are."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _placeholders(value, root, path, parts + [key])
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _placeholders(value, root, path, parts + [index])
    elif isinstance(data, str) and data.startswith(PLACEHOLDER):
        what = data[len(PLACEHOLDER):].lstrip(": ")
        yield _problem_at(root, parts, path, f"placeholder not yet filled in: replace it with {what}")


# --- checks beyond the schema ------------------------------------------------------------------------


def _cross_check(data: dict, root, path: str, in_tree: bool | None = None) -> list[Problem]:
    problems: list[Problem] = []

    def report(parts, message, at_key=False):
        problems.append(_problem_at(root, parts, path, message, at_key))

    dates = {}
    for key in ("issued", "review_due"):
        value = data["version"][key]
        if value == "unknown" or not isinstance(value, str) or not _DATE.fullmatch(value):
            continue  # the schema has already said what is wrong with it
        problem = _date_problem(value)
        if problem:
            report(["version", key], problem)
        else:
            dates[key] = model.PartialDate.parse(value)
    if "issued" in dates and "review_due" in dates:
        if dates["review_due"].last_day() < dates["issued"].first_day():
            report(["version", "review_due"],
                   f"review date {dates['review_due'].iso()} is before the issue date {dates['issued'].iso()}")

    partnership_id, version_id = data["partnership"]["id"], data["version"]["id"]
    if isinstance(partnership_id, str) and partnership_id in RESERVED_PARTNERSHIP_IDS:
        report(["partnership", "id"], f"'{partnership_id}' is the name of a page or folder of the site; choose "
                                      "another partnership id (for example the area's name)")
    if isinstance(version_id, str):
        version_problem = version_id_problem(version_id)
        if version_problem:
            report(["version", "id"], version_problem)

    file = Path(path)
    if in_tree is None:
        in_tree = file.suffix == ".yaml" and bool(file.parent.name) and bool(file.parent.parent.name)
    if in_tree:
        if isinstance(partnership_id, str) and file.parent.name != partnership_id:
            report(["partnership", "id"],
                   f"'{partnership_id}' does not match its folder '{file.parent.name}' "
                   "(each partnership's versions live in protocols/<partnership id>/)")
        if isinstance(version_id, str) and file.stem != version_id:
            report(["version", "id"], f"'{version_id}' does not match the file's name '{file.name}' (each version "
                                      f"is saved as protocols/<partnership id>/<version id>.yaml)")

    contact_ids = _unique(_listed(data.get("contacts", [])), ["contacts"], "contact", report)
    route_ids = _unique(_listed(data["routes"]), ["routes"], "route", report)
    _check_route_names(_listed(data["routes"]), report)

    for i, cid in enumerate(_listed(data["risk"].get("immediate_danger_contacts", []))):
        if cid not in contact_ids:
            report(["risk", "immediate_danger_contacts", i], _unknown("contact", cid, contact_ids))
    urgent = data["risk"].get("urgent_route")
    if urgent is not None and urgent not in route_ids:
        report(["risk", "urgent_route"], _unknown("route", urgent, route_ids))
    elif urgent is not None and not any(r["id"] == urgent and r.get("urgent") is True for r in data["routes"]):
        # Danger switches every answer to this route; unmarked, its answers would not lead with what to do
        # today, and a same-working-day date would read as a plain deadline (time to wait over a weekend).
        report(["risk", "urgent_route"], f"the route '{urgent}' is named as the urgent route but is not marked "
                                         "'urgent: true'; expected the route about immediate risk, marked urgent")

    for r, route in enumerate(_listed(data["routes"])):
        here = ["routes", r]
        if route.get("continues_with") is not None and route["continues_with"] not in route_ids:
            report(here + ["continues_with"], _unknown("route", route["continues_with"], route_ids))
        if route.get("continues_with") == route["id"]:
            report(here + ["continues_with"], "a route cannot continue with itself")
        numbers = [s["number"] for s in _listed(route["stages"])]
        for s, stage in enumerate(_listed(route["stages"])):
            if stage["number"] != s + 1:
                report(here + ["stages", s, "number"],
                       f"expected stage {s + 1} (stages are numbered 1, 2, 3 ... in order); got {stage['number']}")
            for c, cid in enumerate(_listed(stage.get("contacts", []))):
                if cid not in contact_ids:
                    report(here + ["stages", s, "contacts", c], _unknown("contact", cid, contact_ids))
            _check_anchor(stage["timescale"], numbers, here + ["stages", s, "timescale"], report,
                          before=stage["number"])
        _unique(_listed(route.get("caps", [])), here + ["caps"], "cap", report)
        for c, cap in enumerate(_listed(route.get("caps", []))):
            for k, number in enumerate(_listed(cap["stages"])):
                if number not in numbers:
                    report(here + ["caps", c, "stages", k],
                           f"stage {number} does not exist in route '{route['id']}' (it has stages "
                           f"{', '.join(map(str, numbers))})")
            if cap["timescale"]["kind"] not in model.DATED_KINDS:
                report(here + ["caps", c, "timescale", "kind"],
                       "a cap over several stages must be dated: expected working_days, same_working_day, "
                       "calendar_months or clock_hours")
            _check_anchor(cap["timescale"], numbers, here + ["caps", c, "timescale"], report,
                          before=min(cap["stages"], default=1))
        for s, stage in enumerate(_listed(route["stages"])):
            for d, duty in enumerate(_listed(stage.get("duties", []))):
                _check_anchor(duty["timescale"], numbers, here + ["stages", s, "duties", d, "timescale"], report,
                              before=stage["number"] + 1)
    _check_readings(data, report)
    _check_welsh(data, report)
    return problems


# Fields shown exactly as printed in every language: ids, numbers, addresses, links and dates.
AS_PRINTED = {"id", "phone", "email", "website", "issued", "review_due", "source_file", "nation", "covers",
              "kind", "anchor", "continues_with", "urgent_route", "applies_to", "immediate_danger_contacts",
              "contacts"}
_PATH_PART = re.compile(r"([A-Za-z_]+)|\[(\d+)\]|(\.)")


def field_path_parts(field_path: str) -> list | None:
    """'routes[0].stages[1].title' -> ['routes', 0, 'stages', 1, 'title'] (the checker's own notation), or None."""
    parts, position, expect_name = [], 0, True
    for match in _PATH_PART.finditer(field_path):
        if match.start() != position:
            return None
        name, index, dot = match.groups()
        if name is not None:
            if not expect_name:
                return None
            parts.append(name)
            expect_name = False
        elif index is not None:
            if expect_name:
                return None
            parts.append(int(index))
        else:
            if expect_name:
                return None
            expect_name = True
        position = match.end()
    return parts if parts and position == len(field_path) and not expect_name else None


def _check_welsh(data: dict, report) -> None:
    """Each Welsh entry names an English text field that exists and may be worded in Welsh."""
    for field_path in (data.get("cy") or {}):
        parts = field_path_parts(field_path)
        if parts is None:
            report(["cy", field_path], f"'{field_path}' is not a field path: write it as the checker names fields, "
                                       "for example routes[0].stages[1].title", at_key=True)
            continue
        value = data
        for part in parts:
            if isinstance(part, int) and isinstance(value, list) and part < len(value):
                value = value[part]
            elif isinstance(part, str) and isinstance(value, dict) and part in value:
                value = value[part]
            else:
                report(["cy", field_path], f"'{field_path}' names no field of this spec: expected the path of "
                                           "an English text field, for example partnership.name", at_key=True)
                break
        else:
            named = [p for p in parts if isinstance(p, str)][-1]
            if named in AS_PRINTED:
                report(["cy", field_path], f"'{named}' is shown exactly as printed in both languages and takes "
                                           "no Welsh text", at_key=True)
            elif not isinstance(value, str):
                report(["cy", field_path], f"'{field_path}' is not a text field: expected the path of one piece "
                                           "of text (for a list, one item, such as actions[0])", at_key=True)


def _check_readings(data: dict, report) -> None:
    """Every reading names what it decides, and that thing exists: a reading nobody can find is no record."""
    stages = {route["id"]: {s["number"] for s in _listed(route["stages"])} for route in _listed(data["routes"])}
    targets = {"risk"} | set(stages) | {f"{r}.{n}" for r, numbers in stages.items() for n in numbers}
    _unique(_listed(data.get("readings", [])), ["readings"], "reading", report)
    for i, reading in enumerate(_listed(data.get("readings", []))):
        for k, target in enumerate(_listed(reading.get("applies_to", []))):
            if target not in targets:
                report(["readings", i, "applies_to", k],
                       f"'{target}' is not 'risk', a route id or 'route.N' for a stage of this spec "
                       f"(routes: {', '.join(sorted(stages))})")


def _date_problem(value: str) -> str:
    """Why a YYYY-MM or YYYY-MM-DD date cannot be used, or "" (the schema has checked its shape)."""
    year, month = int(value[:4]), int(value[5:7])
    if not 1 <= month <= 12:
        return f"'{value}' is not a real date (there is no month {month})"
    if not MIN_YEAR <= year <= MAX_YEAR:
        return f"'{value}' is not a plausible date for a protocol (expected a year from {MIN_YEAR} to {MAX_YEAR})"
    try:
        model.PartialDate.parse(value)
    except ValueError:
        return f"'{value}' is not a real date"
    return ""


def version_id_problem(version_id: str) -> str:
    """Version ids name files and URLs and are ordered number by number, so each has one spelling:
    "2024-1" would sort equal to "2024-01" and the pages and the wizard could disagree on which is current."""
    if version_id in RESERVED_VERSION_IDS:
        return f"'{version_id}' is reserved for a page of the site; choose another version id (e.g. YYYY-MM)"
    dated = re.fullmatch(r"(\d{4})-(\d{1,2})(?:-(\d{1,2}))?", version_id)
    if dated and (len(dated.group(2)) != 2 or (dated.group(3) is not None and len(dated.group(3)) != 2)):
        return f"expected a dated version id as YYYY-MM or YYYY-MM-DD with two-digit months and days; got '{version_id}'"
    if dated and _date_problem(version_id):
        return _date_problem(version_id)
    if re.search(r"(?<![0-9])0[0-9]", version_id) and not dated:
        return f"expected numbers in a version id without leading zeros (e.g. 'v2', not 'v02'); got '{version_id}'"
    return ""


def _check_anchor(timescale: dict, numbers: list[int], parts, report, before: int) -> None:
    if timescale.get("anchor") != model.STAGE_END:
        if "anchor_stage" in timescale:
            report(parts + ["anchor_stage"], "anchor_stage is only used with anchor: stage_end", at_key=True)
        return
    stage = timescale.get("anchor_stage")
    if stage not in numbers:
        report(parts + ["anchor_stage"], f"stage {stage} does not exist in this route")
    elif stage >= before:
        report(parts + ["anchor_stage"], f"expected a stage before stage {before}; got {stage}")


def _check_route_names(routes: list[dict], report) -> None:
    """A route's id names its files in the version's flowcharts folder and every part of its drawings on the
    page (`standard.pdf`, `standard-print-stage-1`): a route called `pocket-card` replaced the pocket card's
    PDF, and one called `standard-print` gave the page two of each id of the standard route's print drawing
    (its chart's title and description among them, read out for the other chart)."""
    ids = [route["id"] for route in routes if isinstance(route.get("id"), str)]
    for i, route in enumerate(routes):
        route_id = route.get("id")
        if route_id in RESERVED_ROUTE_IDS:
            report(["routes", i, "id"], f"'{route_id}' is the name of a file of the version's flowcharts folder; "
                                        "choose another route id")
            continue
        for other in ids:
            if isinstance(route_id, str) and route_id.startswith(other + "-"):
                report(["routes", i, "id"], f"'{route_id}' begins with the id of the route '{other}' and a hyphen, "
                                            "and the drawings name their parts '<route id>-...', so the two "
                                            f"routes' parts would share names on the page; choose an id that does "
                                            f"not begin '{other}-'")
                break


def _unique(items: list[dict], parts, what: str, report) -> set[str]:
    ids: set[str] = set()
    for i, item in enumerate(items):
        if item["id"] in ids:
            report(parts + [i, "id"], f"{what} id '{item['id']}' is used twice")
        ids.add(item["id"])
    return ids


def _unknown(what: str, value: str, known: set[str]) -> str:
    hint = difflib.get_close_matches(value, sorted(known), n=1)
    choices = ", ".join(sorted(known)) or "none are defined"
    suggestion = f" (did you mean '{hint[0]}'?)" if hint else ""
    return f"no {what} with id '{value}'{suggestion}; known: {choices}"


TODAY_ENV = "ESCALATION_TODAY"


class ClockError(ValueError):
    """ESCALATION_TODAY is set but is not a date."""


def today() -> dt.date:
    """The one place the real date is read, for the command line and the site build.

    ESCALATION_TODAY=YYYY-MM-DD overrides it (reproducible builds and tests): review warnings, the
    years of bank holidays shipped to the browser and `guidance next`'s default all follow it.
    """
    configured = os.environ.get(TODAY_ENV)
    if not configured:
        return dt.date.today()
    try:
        if not _DATED_ID.fullmatch(configured) or len(configured) != 10:  # 20261223 and 2026-W52-3 too
            raise ValueError(configured)
        return dt.date.fromisoformat(configured)
    except ValueError:
        raise ClockError(f"{TODAY_ENV}={configured!r} is not a date (expected YYYY-MM-DD)") from None
