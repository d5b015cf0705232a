"""Build the whole site with MkDocs into a fresh folder, then swap it into place.

MkDocs cleans and rewrites its site folder as it goes, so a build that fails half-way through would
leave a half-written site behind. Building into a sibling temporary folder and renaming it over the old
one means a failed build leaves the previous site exactly as it was.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "mkdocs.yml"


class BuildError(Exception):
    """The build failed; `str()` is the message for the user (the loader's file:line lines, for a bad spec)."""


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def _environment(values: dict[str, str | None]):
    saved = {key: os.environ.get(key) for key in values}
    try:
        for key, value in values.items():
            if value is not None:
                os.environ[key] = value
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def build_site(dest: Path | None = None, strict: bool = True, *, protocols: Path | None = None,
               today: str | None = None, config_file: Path | None = None) -> Path:
    """Build into `dest` (default: site/ next to mkdocs.yml); on failure raise BuildError, `dest` untouched.

    `protocols` and `today` (YYYY-MM-DD) select another spec tree and the date review warnings compare
    with, for tests and benchmarks; by default the hook reads protocols/ and the real date.
    """
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    config_file = Path(config_file or CONFIG).resolve()
    dest = Path(dest or config_file.parent / "site").resolve()
    dest.parent.mkdir(parents=True, exist_ok=True)
    staging = staging_dir(dest)
    collect = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(collect)
    env = {"ESCALATION_PROTOCOLS": str(Path(protocols).resolve()) if protocols else None,
           "ESCALATION_TODAY": today, "NO_MKDOCS_2_WARNING": "1"}
    try:
        with _environment(env):
            config = load_config(str(config_file), site_dir=str(staging), strict=strict)
            build(config)
    except (MkDocsException, SystemExit) as exc:
        shutil.rmtree(staging, ignore_errors=True)
        detail = "\n".join(m for m in collect.messages if not m.startswith("Aborted")) or str(exc)
        raise BuildError(detail) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        logger.removeHandler(collect)
    swap(staging, dest)
    return dest


def _prefix(dest: Path, kind: str) -> str:
    return f".{dest.name}-{kind}-{os.getpid()}-"


def staging_dir(dest: Path) -> Path:
    """A fresh folder beside `dest` to build into, named with this process's id; stale ones (left by a
    build that was killed) are removed first, while those of builds still running are left alone."""
    clean_stale(dest.parent, f".{dest.name}-")
    return Path(tempfile.mkdtemp(prefix=_prefix(dest, "building"), dir=dest.parent))


def clean_stale(folder: Path, prefix: str, max_age_s: float = 3600) -> None:
    """Remove `<prefix>building-<pid>-*` and `<prefix>old-<pid>-*` folders (and scratch folders named
    `<prefix><pid>-*`) whose process has ended; folders without a process id once they are an hour old."""
    import time

    for path in Path(folder).glob(f"{prefix}*"):
        if not path.is_dir() or path.is_symlink():
            continue
        pid = next((int(part) for part in path.name[len(prefix):].split("-") if part.isdigit()), None)
        if pid is not None and _alive(pid) and pid != os.getpid():
            continue
        if pid is None and time.time() - path.stat().st_mtime < max_age_s:
            continue
        if pid == os.getpid():
            continue
        shutil.rmtree(path, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def swap(staging: Path, dest: Path) -> None:
    """Put the new site in place with two renames, so there is never a moment with no site at all."""
    staging.chmod(0o755)  # mkdtemp makes it private; a web server must be able to read it
    if dest.exists():
        old = Path(tempfile.mkdtemp(prefix=_prefix(dest, "old"), dir=dest.parent))
        old.rmdir()
        dest.rename(old)
        staging.rename(dest)
        shutil.rmtree(old, ignore_errors=True)
    else:
        staging.rename(dest)
