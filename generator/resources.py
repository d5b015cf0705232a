"""Where the tool's own files are: inside the installed package, or the source checkout when editable.

An installed wheel carries copies of the schema, the published protocols, the hand-written pages,
mkdocs.yml and the theme overrides under `generator/shipped/` (copied there by setup.py when the wheel
is built), so `pip install` gives a tool that works from any folder. In an editable install that
folder does not exist and the same names resolve to the checkout, which stays the single source.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
SHIPPED_DIR = PACKAGE_DIR / "shipped"
CHECKOUT_DIR = PACKAGE_DIR.parent

# Everything the tool reads at run time besides its own modules, as paths relative to the checkout.
SHIPPED = ("protocols", "docs", "site_overrides", "mkdocs.yml", "package.json")
PYODIDE_ENV = "GUIDANCE_PYODIDE"
PYODIDE_PACKAGE = "node_modules/pyodide"


def path(name: str) -> Path:
    """The shipped copy of `name` (one of SHIPPED, or a path inside one), else the checkout's."""
    shipped = SHIPPED_DIR / name
    return shipped if shipped.exists() else CHECKOUT_DIR / name


def schema_path() -> Path:
    return path("protocols/schema.json")


def shipped_protocols() -> Path:
    return path("protocols")


def default_protocols(cwd: Path | None = None) -> Path:
    """`./protocols` when the current folder has one (a partnership's own folder), else the shipped specs."""
    local = Path(cwd or Path.cwd()) / "protocols"
    return local if local.is_dir() else shipped_protocols()


def pyodide_candidates(project: Path | None = None) -> list[Path]:
    """Where a Pyodide runtime is looked for, in order (see docs/decisions/009-pyodide-for-an-installed-tool.md)."""
    found = []
    if os.environ.get(PYODIDE_ENV):
        found.append(Path(os.environ[PYODIDE_ENV]))
    if project is not None:
        found.append(Path(project) / PYODIDE_PACKAGE)
    found.append(CHECKOUT_DIR / PYODIDE_PACKAGE)
    return list(dict.fromkeys(p.resolve() for p in found))
