"""What the browser's decision aid needs, written into the docs tree by generator.build.

The wizard runs our own engine in Pyodide, so the site must carry everything that run needs and
nothing it would otherwise fetch from elsewhere: the Pyodide runtime copied from the npm package
(never a CDN), the engine packaged as a pure-Python wheel, the current version of each protocol as
JSON and each nation's bank holidays over a fixed span of years.

The wheel is assembled with `zipfile` rather than `pip wheel`: the three modules need no build
step, and writing the archive directly makes it byte-identical from one build to the next (fixed
timestamps and order), takes milliseconds, and needs neither network nor `setuptools`/`wheel` at
build time. It is still a standard wheel (PEP 427: `*.dist-info` with METADATA, WHEEL and a RECORD
of sha256 hashes), which `pip install` accepts and `pyodide.unpackArchive(..., 'wheel')` unpacks.
`pyodide-build` is for compiled packages and is not needed for pure Python.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import json
import shutil
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from generator import resources
from generator.core import calendar as calendar_module
from generator.core import messages, questions
from generator.core.engine import GENERAL_999, names_999
from generator.core.model import Protocol
from generator.core.model import current_versions as model_current_versions
from generator.views.data import protocol_data

CORE_DIR = Path(__file__).resolve().parents[1] / "core"

# What `loadPyodide` fetches with its default options (checked by the browser tests, which record
# every request): the loader module, the Emscripten module, the WebAssembly, the standard library
# and the lock file it reads at start-up.
PYODIDE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json")
# The core imports nothing else from the package; the wheel carries exactly its modules and the
# message catalogues they read (core/catalogue/<language>.json).
ENGINE_MODULES = tuple(sorted(p.name for p in CORE_DIR.glob("*.py")))
ENGINE_DATA = tuple(sorted(p.relative_to(CORE_DIR).as_posix() for p in CORE_DIR.glob("catalogue/*.json")))

PYODIDE_DIR = "assets/pyodide"
WIZARD_DIR = "assets/wizard"
BUNDLE_NAME = "bundle.json"
CHECKSUMS_NAME = "checksums.json"  # sha256 of the bundle and the wheel, which the worker checks before use
DIST_NAME = "escalation_guide_engine"
WHEEL_VERSION = "1.0"
YEARS_BEFORE, YEARS_AFTER = calendar_module.YEARS_BEFORE, calendar_module.YEARS_AFTER  # one rule: calendar.py
_ZIP_TIME = (2020, 1, 1, 0, 0, 0)


class BundleError(RuntimeError):
    """The bundle cannot be written; the message says what to do."""


@dataclass(frozen=True)
class Bundle:
    """Where things were written, for callers and tests."""

    directory: Path
    bundle_json: Path
    wheel: Path
    pyodide_dir: Path
    first_year: int
    last_year: int


def bundle_files(protocols: list[Protocol], *, today: dt.date | None = None) -> dict[str, bytes]:
    """The wizard's own files (the engine wheel, bundle.json and their checksums), by path in the site;
    identical bytes for identical inputs, so a rebuild can tell that nothing changed."""
    wheel_name, wheel_bytes = engine_wheel()
    first_year, last_year = calendar_module.holiday_years(_build_day(today))
    data = bundle_data(current_versions(protocols), first_year, last_year, wheel_name, wheel_bytes)
    bundle_bytes = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
    # A file damaged on its way (a partial upload, a proxy, a disk) must be refused with a message, not
    # half-read into a Python traceback: the worker compares both files with these sums.
    sums = {BUNDLE_NAME: hashlib.sha256(bundle_bytes).hexdigest(), wheel_name: hashlib.sha256(wheel_bytes).hexdigest()}
    return {f"{WIZARD_DIR}/{wheel_name}": wheel_bytes, f"{WIZARD_DIR}/{BUNDLE_NAME}": bundle_bytes,
            f"{WIZARD_DIR}/{CHECKSUMS_NAME}": json.dumps(sums, sort_keys=True).encode("utf-8")}


def _build_day(today: dt.date | None) -> dt.date:
    if today is None:
        from generator import load  # the one clock (honours ESCALATION_TODAY)

        today = load.today()
    return today


def write_bundle(protocols: list[Protocol], site_dir: Path, *, node_modules: Path | None = None,
                 today: dt.date | None = None, project: Path | None = None) -> Bundle:
    """Everything the wizard needs, written into `site_dir` (a docs tree or a built site)."""
    site_dir = Path(site_dir)
    pyodide_dir = copy_pyodide(find_pyodide(node_modules, project), site_dir / PYODIDE_DIR)
    today = _build_day(today)
    wheel = None
    for rel, data in bundle_files(protocols, today=today).items():
        path = site_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        wheel = path if path.suffix == ".whl" else wheel
    first_year, last_year = calendar_module.holiday_years(today)
    return Bundle(site_dir / WIZARD_DIR, site_dir / WIZARD_DIR / BUNDLE_NAME, wheel, pyodide_dir, first_year, last_year)


def pyodide_version() -> str:
    """The pinned npm version (package.json ships with the tool), for the message that says what to install."""
    try:
        return json.loads(resources.path("package.json").read_text(encoding="utf-8"))["dependencies"]["pyodide"]
    except (OSError, ValueError, KeyError):
        return "<the version in the guide's package.json>"


def find_pyodide(node_modules: Path | None = None, project: Path | None = None) -> Path:
    """The first folder holding a whole Pyodide runtime: an explicit node_modules, else resources' order."""
    if node_modules is not None:
        candidates = [Path(node_modules) / "pyodide"]
    else:
        candidates = resources.pyodide_candidates(project)
    for folder in candidates:
        if all((folder / name).is_file() for name in PYODIDE_FILES):
            return folder
    looked = ", ".join(str(c) for c in candidates)
    raise BundleError(
        f"The Pyodide runtime for the decision aid was not found (looked in {looked}; it needs "
        f"{', '.join(PYODIDE_FILES)}). In the folder you build from, run `npm install pyodide@{pyodide_version()}`"
        f" (or set {resources.PYODIDE_ENV} to a folder holding those files), then build again."
    )


def copy_pyodide(source: Path, target: Path) -> Path:
    """Copy the runtime's files, skipping any already there with the same size (a rebuild of the tree)."""
    missing = [name for name in PYODIDE_FILES if not (source / name).is_file()]
    if missing:
        raise BundleError(f"The Pyodide runtime is missing from {source} ({', '.join(missing)} not found). "
                          f"Run `npm install pyodide@{pyodide_version()}` there, then build again.")
    target.mkdir(parents=True, exist_ok=True)
    for name in PYODIDE_FILES:
        there = target / name
        if not there.is_file() or there.stat().st_size != (source / name).stat().st_size:
            shutil.copyfile(source / name, there)
    return target


def current_versions(protocols: Iterable[Protocol]) -> list[Protocol]:
    """The wizard answers from each partnership's current version; older ones stay as pages only."""
    return sorted(model_current_versions(protocols).values(), key=lambda p: p.partnership.name.lower())


def bundle_data(protocols: list[Protocol], first_year: int, last_year: int, wheel_name: str,
                wheel_bytes: bytes = b"") -> dict:
    """The one JSON file the page fetches: questions to draw at once, and the engine's inputs."""
    nations = sorted({p.partnership.nation for p in protocols})
    holidays = {
        nation: {day.isoformat(): name
                 for day, name in calendar_module.uk_holidays(nation, first_year, last_year).items()}
        for nation in nations
    }
    return {
        "format": 1,
        "first_year": first_year,
        "last_year": last_year,
        "wheel": wheel_name,
        "wheel_sha256": hashlib.sha256(wheel_bytes).hexdigest(),
        "holidays": holidays,
        "protocols": {p.id: protocol_data(p) for p in protocols},  # the same data as /data/v1/
        "questions": [_questions(p) for p in protocols],
        "flow": _flow(protocols),
    }


def _flow(protocols: list[Protocol]) -> dict:
    """The question flow's first screens, decided by core/questions.py at build time, so the page can ask
    them before Python has started; every later screen comes from the same module in the worker."""
    by_id = {p.id: p for p in protocols}
    keys = questions.flow_keys(by_id)
    return {"keys": keys, "resets": {k: list(v) for k, v in questions.RESETS.items()},
            "screens": {language: questions.first_screens_packed(by_id, keys, language)
                        for language in messages.languages()}}


def _questions(protocol: Protocol) -> dict:
    """What the page needs to ask its questions before Python has loaded: words only, no rules.

    Immediate-danger actions come straight from the protocol's risk section so they can be shown the
    moment "yes" is chosen; the engine repeats them first in the full answer.
    """
    risk = protocol.risk
    return {
        "id": protocol.id,
        "name": protocol.partnership.name,
        "short_name": protocol.partnership.short_name,
        "version": protocol.version.id,
        "version_label": protocol.version.label[0].upper() + protocol.version.label[1:],
        "general_999": "" if names_999(protocol) else GENERAL_999,
        "person": _person(protocol.partnership.covers),
        "urgent_route": risk.urgent_route,
        "route_choices": [r.id for r in protocol.routes if not (risk.urgent_route and r.urgent)],
        "timescale_unsafe": list(risk.timescale_unsafe),
        "immediate_danger": list(risk.immediate_danger),
        "immediate_contacts": [_contact(protocol, cid) for cid in risk.immediate_danger_contacts],
        "routes": [
            {
                "id": route.id,
                "title": route.title,
                "question": route.question,
                "urgent": route.urgent,
                "stages": [{"number": s.number, "title": s.title, "role": s.role} for s in route.stages],
                "asks_started": _asks_started(route),
            }
            for route in protocol.routes
        ],
    }


def _person(covers: tuple[str, ...]) -> str:
    return messages.person(covers)


def _contact(protocol: Protocol, contact_id: str) -> dict:
    contact = protocol.contact(contact_id)
    return {key: getattr(contact, key) for key in ("name", "phone", "email", "website", "hours", "notes")}


def _asks_started(route) -> list[int]:
    """Stages after whose end the wizard asks when the disagreement first arose (question 7).

    Only a limit counted from the disagreement arising needs that date, and only once a stage has
    ended (before that, the answer's own date is the day it arose).
    """
    anchored = [cap.stages for cap in route.caps if cap.timescale.anchor == "disagreement_arose"]
    anchored += [(stage.number,) for stage in route.stages if stage.timescale.anchor == "disagreement_arose"]
    asks = set()
    for stage in route.stages:
        later = {s.number for s in route.stages if s.number > stage.number}
        if any(later & set(numbers) for numbers in anchored):
            asks.add(stage.number)
    return sorted(asks)


def engine_wheel() -> tuple[str, bytes]:
    """A pure-Python wheel of the engine, identical bytes for identical sources."""
    tag = "py3-none-any"
    dist_info = f"{DIST_NAME}-{WHEEL_VERSION}.dist-info"
    files: list[tuple[str, bytes]] = [
        ("generator/__init__.py",
         b'"""The escalation engine as run in the browser: the standard-library core only."""\n'),
    ]
    for name in ENGINE_MODULES + ENGINE_DATA:
        path = CORE_DIR / name
        if not path.is_file():
            raise BundleError(f"The engine module {path} is missing, so the wizard's wheel cannot be built.")
        files.append((f"generator/core/{name}", path.read_bytes()))
    files.append((f"{dist_info}/METADATA", (
        "Metadata-Version: 2.1\n"
        f"Name: {DIST_NAME}\n"
        f"Version: {WHEEL_VERSION}\n"
        "Summary: The escalation guide's decision engine (standard library only), for Pyodide\n"
        "Requires-Python: >=3.11\n"
    ).encode()))
    files.append((f"{dist_info}/WHEEL", (
        "Wheel-Version: 1.0\n"
        "Generator: generator.bundle\n"
        "Root-Is-Purelib: true\n"
        f"Tag: {tag}\n"
    ).encode()))
    files.append((f"{dist_info}/top_level.txt", b"generator\n"))
    record = "".join(f"{name},sha256={_digest(data)},{len(data)}\n" for name, data in files)
    record += f"{dist_info}/RECORD,,\n"
    files.append((f"{dist_info}/RECORD", record.encode()))

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in files:
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return f"{DIST_NAME}-{WHEEL_VERSION}-{tag}.whl", buffer.getvalue()


def _digest(data: bytes) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
