"""Protocol data at stable addresses, for case-management systems and other partnerships.

Another system must be able to compute the very deadlines the decision aid gives, so what is published
is the model the engine reads (`Protocol.to_dict()`, read back by `model.from_dict`), not a second
export format that could drift from it, together with the bank holidays the engine counted with. The
same `protocol_data` feeds the browser bundle. Empty and unset fields are left out, which makes every
published protocol a valid spec under `protocols/schema.json`, published beside the data as its schema.

Layout under the site (`v1` changes only when a published key changes meaning or goes away; new keys
may be added within v1):

    data/v1/index.json                          every partnership and version, with issue and review dates
    data/v1/<partnership>/<version>.json        one protocol version
    data/v1/<partnership>/current.json          the version in force (the same rule as the pages and wizard)
    data/v1/holidays/<nation>.json              the bank holidays the engine counts with
    data/v1/*.schema.json                       JSON Schemas of all of the above, and of `guidance next --json`
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from generator import resources
from generator.core import calendar as calendar_module
from generator.core.model import Protocol, current_versions, version_order

DATA_DIR = "data/v1"
FORMAT = 1
SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"
SPEC_SCHEMA = resources.schema_path()  # the checkout's protocols/schema.json, or the installed copy
# name in the site -> the schema file shipped in the package (protocol: the spec schema itself)
SCHEMAS = {
    "protocol.schema.json": SPEC_SCHEMA,
    "index.schema.json": SCHEMA_DIR / "index.schema.json",
    "holidays.schema.json": SCHEMA_DIR / "holidays.schema.json",
    "next.schema.json": SCHEMA_DIR / "next.schema.json",
}
# The same span of years as the wizard's bundle: deadlines computed from the data agree with it.
YEARS_BEFORE = 2
YEARS_AFTER = 4


@dataclass(frozen=True)
class Published:
    """What was written, for the build's log and for tests."""

    directory: Path
    files: tuple[Path, ...]


def protocol_data(protocol: Protocol) -> dict:
    """The one serialisation of a protocol version: the model's own `to_dict`, without empty fields.

    `source_path` (where the YAML sat on the build machine) says nothing about the protocol and is
    dropped; `model.from_dict` restores every left-out field to its default, and reads the spec's
    "unknown" for an issue or review date the source text does not give.
    """
    data = protocol.to_dict()
    data.pop("source_path", None)
    data = _prune(data)
    for key in ("issued", "review_due"):  # the spec's own word for a date the text does not give
        data["version"].setdefault(key, "unknown")
    return data


def _prune(value):
    if isinstance(value, dict):
        pruned = {key: _prune(item) for key, item in value.items()}
        return {key: item for key, item in pruned.items() if item not in (None, "", [], {})}
    if isinstance(value, list | tuple):
        return [_prune(item) for item in value]
    return value


def holiday_years(today: dt.date) -> tuple[int, int]:
    return today.year - YEARS_BEFORE, today.year + YEARS_AFTER


def write_data(protocols: list[Protocol], site_dir: Path, *, today: dt.date | None = None) -> Published:
    """Write data/v1/ into a built site: every version, each partnership's current one, index, schemas."""
    out = Path(site_dir) / DATA_DIR
    written: list[Path] = []

    def put(relative: str, data) -> None:
        path = out / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        written.append(path)

    current = current_versions(protocols)
    for protocol in protocols:
        put(f"{protocol.id}/{protocol.version.id}.json", protocol_data(protocol))
    for partnership_id, protocol in current.items():
        put(f"{partnership_id}/current.json", protocol_data(protocol))

    first_year, last_year = holiday_years(today or dt.date.today())
    nations = sorted({p.partnership.nation for p in protocols})
    for nation in nations:
        days = calendar_module.uk_holidays(nation, first_year, last_year)
        put(f"holidays/{nation}.json", {
            "format": FORMAT, "nation": nation, "first_year": first_year, "last_year": last_year,
            "holidays": {day.isoformat(): name for day, name in sorted(days.items())},
        })
    put("index.json", index_data(protocols, first_year, last_year))
    for name, source in SCHEMAS.items():
        path = out / name
        path.write_bytes(source.read_bytes())
        written.append(path)
    return Published(out, tuple(written))


def index_data(protocols: list[Protocol], first_year: int, last_year: int) -> dict:
    current = current_versions(protocols)
    partnerships = []
    for partnership_id in sorted(current, key=lambda pid: current[pid].partnership.name.lower()):
        in_force = current[partnership_id]
        versions = sorted((p for p in protocols if p.id == partnership_id), key=version_order)
        partnerships.append({
            "id": partnership_id,
            "name": in_force.partnership.name,
            "short_name": in_force.partnership.short_name,
            "nation": in_force.partnership.nation,
            "covers": list(in_force.partnership.covers),
            "current": in_force.version.id,
            "current_url": f"{partnership_id}/current.json",
            "holidays_url": f"holidays/{in_force.partnership.nation}.json",
            "versions": [{
                "id": p.version.id,
                "issued": p.version.issued.iso() if p.version.issued else None,
                "review_due": p.version.review_due.iso() if p.version.review_due else None,
                "source_title": p.version.source_title,
                "url": f"{partnership_id}/{p.version.id}.json",
            } for p in versions],
        })
    return {"format": FORMAT, "holiday_years": [first_year, last_year], "partnerships": partnerships}
