"""YAML spec -> validated `Protocol`.

Partnership staff edit these files by hand, so every message names the file, line and column, the field's
path and what was expected, and all the problems of a file are reported together: a build that stops at
the first typo makes fixing a spec a slow loop. Nothing here prints or exits; callers show `str(SpecError)`.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

import jsonschema
import yaml

from . import resources
from .core import model

_DATE = re.compile(r"\d{4}-\d{2}(-\d{2})?")
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


class _Loader(yaml.SafeLoader):
    """Safe YAML, except that dates stay strings: the loader checks them itself, with line numbers."""


_Loader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))


@cache
def schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def load_protocol(path: str | Path) -> model.Protocol:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SpecError([Problem(str(path), 1, 1, "", f"cannot read the file: {exc}")]) from None
    return load_text(text, str(path))


def load_tree(root: str | Path = "protocols", *, read=None) -> list[model.Protocol]:
    """Every version of every partnership under root, reporting the problems of all files at once.

    `read` (default `load_protocol`) lets the build substitute a cached reader for files it has checked.
    """
    read = read or load_protocol
    root = Path(root)
    if root.is_file():
        return [load_protocol(root)]
    files = sorted(p for p in root.glob("*/*.yaml"))
    if not files:
        raise SpecError([Problem(str(root), 1, 1, "", "no protocol specs found (expected <partnership>/<version>.yaml)")])
    protocols, problems = [], []
    for file in files:
        try:
            protocols.append(read(file))
        except SpecError as exc:
            problems.extend(exc.problems)
    seen: dict[tuple[str, str], str] = {}
    for protocol in protocols:
        key = (protocol.id, protocol.version.id)
        if key in seen:
            problems.append(Problem(protocol.source_path, 1, 1, "version.id",
                                    f"version '{key[1]}' of '{key[0]}' is also defined in {seen[key]}"))
        seen[key] = protocol.source_path
    if problems:
        raise SpecError(problems)
    return protocols


def load_text(text: str, path: str = "<spec>") -> model.Protocol:
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise SpecError([Problem(path, 1, 1, "", "the file is empty; expected a protocol spec (a mapping)")])
        problems = list(_duplicate_keys(node, path, ""))
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
    except yaml.YAMLError as exc:
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
        problems += _cross_check(data, node, path)
    except (KeyError, TypeError, AttributeError, IndexError):
        if not problems:  # pragma: no cover - the schema guarantees the shape the checks read
            raise
    if problems:
        raise SpecError(sorted(set(problems)))
    return replace(model.from_dict(data), source_path=path)


# --- YAML structure ----------------------------------------------------------------------------------


def _duplicate_keys(node: yaml.Node, path: str, field: str):
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key, value in node.value:
            name = key.value if isinstance(key, yaml.ScalarNode) else str(key)
            here = f"{field}.{name}" if field else name
            if name in seen:
                yield Problem(path, key.start_mark.line + 1, key.start_mark.column + 1, here,
                              f"duplicate key '{name}' (first given on line {seen[name]})")
            else:
                seen[name] = key.start_mark.line + 1
            yield from _duplicate_keys(value, path, here)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            yield from _duplicate_keys(item, path, f"{field}[{index}]")


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


def _field(parts) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _problem_at(root, parts, path, message, at_key=False) -> Problem:
    node, key_node = _node_at(root, parts)
    mark = (key_node if at_key and key_node is not None else node).start_mark
    return Problem(path, mark.line + 1, mark.column + 1, _field(parts), message)


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


def _schema_problems(data, root, path) -> list[Problem]:
    validator = jsonschema.Draft202012Validator(schema())
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
        return [_problem_at(root, parts, path, f"expected {words}; got {_describe(error.instance)}")]
    if kind == "pattern":
        desc = error.schema.get("description")
        if parts and parts[-1] in ("issued", "review_due"):
            desc = "a date as YYYY-MM-DD, or YYYY-MM when the text gives only a month, or 'unknown'"
        elif "a-z0-9" in error.validator_value:
            desc = "a short id of lower-case letters, digits and hyphens"
        else:
            desc = desc or f"text matching {error.validator_value}"
        return [_problem_at(root, parts, path, f"expected {desc}; got {_describe(error.instance)}")]
    if kind == "minItems":
        n = error.validator_value
        return [_problem_at(root, parts, path, f"expected at least {n} item{'s' if n != 1 else ''}")]
    if kind == "minLength":
        return [_problem_at(root, parts, path, "expected some text; got an empty string")]
    if kind == "minimum":
        return [_problem_at(root, parts, path, f"expected a number of at least {error.validator_value}; "
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


def _cross_check(data: dict, root, path: str) -> list[Problem]:
    problems: list[Problem] = []

    def report(parts, message, at_key=False):
        problems.append(_problem_at(root, parts, path, message, at_key))

    dates = {}
    for key in ("issued", "review_due"):
        value = data["version"][key]
        if value == "unknown" or not isinstance(value, str) or not _DATE.fullmatch(value):
            continue  # the schema has already said what is wrong with it
        try:
            dates[key] = model.PartialDate.parse(value)
        except ValueError:
            report(["version", key], f"'{value}' is not a real date")
    if "issued" in dates and "review_due" in dates:
        if dates["review_due"].last_day() < dates["issued"].first_day():
            report(["version", "review_due"],
                   f"review date {dates['review_due'].iso()} is before the issue date {dates['issued'].iso()}")

    folder = Path(path).parent.name
    if folder and folder != data["partnership"]["id"] and Path(path).suffix in (".yaml", ".yml") \
            and Path(path).parent.parent.name:
        report(["partnership", "id"],
               f"'{data['partnership']['id']}' does not match its folder '{folder}' "
               "(each partnership's versions live in protocols/<partnership id>/)")

    contact_ids = _unique(data.get("contacts", []), ["contacts"], "contact", report)
    route_ids = _unique(data["routes"], ["routes"], "route", report)

    for i, cid in enumerate(data["risk"].get("immediate_danger_contacts", [])):
        if cid not in contact_ids:
            report(["risk", "immediate_danger_contacts", i], _unknown("contact", cid, contact_ids))
    urgent = data["risk"].get("urgent_route")
    if urgent is not None and urgent not in route_ids:
        report(["risk", "urgent_route"], _unknown("route", urgent, route_ids))

    for r, route in enumerate(data["routes"]):
        here = ["routes", r]
        if route.get("continues_with") is not None and route["continues_with"] not in route_ids:
            report(here + ["continues_with"], _unknown("route", route["continues_with"], route_ids))
        if route.get("continues_with") == route["id"]:
            report(here + ["continues_with"], "a route cannot continue with itself")
        numbers = [s["number"] for s in route["stages"]]
        for s, stage in enumerate(route["stages"]):
            if stage["number"] != s + 1:
                report(here + ["stages", s, "number"],
                       f"expected stage {s + 1} (stages are numbered 1, 2, 3 ... in order); got {stage['number']}")
            for c, cid in enumerate(stage.get("contacts", [])):
                if cid not in contact_ids:
                    report(here + ["stages", s, "contacts", c], _unknown("contact", cid, contact_ids))
            _check_anchor(stage["timescale"], numbers, here + ["stages", s, "timescale"], report,
                          before=stage["number"])
        _unique(route.get("caps", []), here + ["caps"], "cap", report)
        for c, cap in enumerate(route.get("caps", [])):
            for k, number in enumerate(cap["stages"]):
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
        for s, stage in enumerate(route["stages"]):
            for d, duty in enumerate(stage.get("duties", [])):
                _check_anchor(duty["timescale"], numbers, here + ["stages", s, "duties", d, "timescale"], report,
                              before=stage["number"] + 1)
    _check_readings(data, report)
    return problems


def _check_readings(data: dict, report) -> None:
    """Every reading names what it decides, and that thing exists: a reading nobody can find is no record."""
    stages = {route["id"]: {s["number"] for s in route["stages"]} for route in data["routes"]}
    targets = {"risk"} | set(stages) | {f"{r}.{n}" for r, numbers in stages.items() for n in numbers}
    _unique(data.get("readings", []), ["readings"], "reading", report)
    for i, reading in enumerate(data.get("readings", [])):
        for k, target in enumerate(reading.get("applies_to", [])):
            if target not in targets:
                report(["readings", i, "applies_to", k],
                       f"'{target}' is not 'risk', a route id or 'route.N' for a stage of this spec "
                       f"(routes: {', '.join(sorted(stages))})")


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


def today() -> dt.date:
    """The one place the real date is read, for the command line and the site build."""
    return dt.date.today()
