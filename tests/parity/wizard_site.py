"""Build the site and serve it on 127.0.0.1, for the wizard's browser tests and benchmark.

The real build (`generator.build`, as `guidance build` runs it) is used whenever it succeeds. While
other parts of the site are unfinished it may fail for reasons unrelated to the wizard; then a
minimal MkDocs project (the wizard page, the theme overrides, and a hook that writes the bundle) is
built instead, so the wizard can still be tested on its own. `SiteBuild.fallback` says which.
"""

from __future__ import annotations

import functools
import http.server
import subprocess
import sys
import textwrap
import threading
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MKDOCS = [sys.executable, "-m", "mkdocs"]


@dataclass
class SiteBuild:
    directory: Path
    fallback: bool
    log: str


def build_site(dest: Path, *, allow_fallback: bool = True) -> SiteBuild:
    dest = Path(dest)
    code = ("import sys; from pathlib import Path; from generator import build; "
            "dest = Path(sys.argv[1]); build.build_site(build.project(Path(sys.argv[2]), site_dir=dest, "
            "build_dir=dest.parent / (dest.name + '-build')))")
    real = subprocess.run([sys.executable, "-c", code, str(dest), str(ROOT)], cwd=ROOT, capture_output=True,
                          text=True)
    if real.returncode == 0 and (dest / "next" / "index.html").is_file():
        return SiteBuild(dest, False, real.stderr)
    if not allow_fallback:
        raise RuntimeError(f"the site build failed:\n{real.stderr}")
    work = dest.parent / f"{dest.name}-project"
    docs = work / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    (docs / "next.md").write_text((ROOT / "docs" / "next.md").read_text(encoding="utf-8"), encoding="utf-8")
    (docs / "index.md").write_text("# Escalation Guide\n\n[What do I do next?](next.md)\n", encoding="utf-8")
    (work / "hook.py").write_text(textwrap.dedent(f"""
        import sys
        from pathlib import Path
        sys.path.insert(0, {str(ROOT)!r})
        from generator import load
        from generator.views import bundle

        def on_post_build(config):
            bundle.write_bundle(load.load_tree({str(ROOT / "protocols")!r}), Path(config.site_dir))
    """), encoding="utf-8")
    (work / "mkdocs.yml").write_text(textwrap.dedent(f"""
        site_name: Escalation Guide
        docs_dir: docs
        site_dir: {dest}
        theme:
          name: material
          custom_dir: {ROOT / "site_overrides"}
          font: false
        plugins: [search]
        hooks: [hook.py]
        nav:
          - Home: index.md
          - What do I do next?: next.md
    """), encoding="utf-8")
    result = subprocess.run([*MKDOCS, "build", "-q", "-f", str(work / "mkdocs.yml")], cwd=work,
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"Neither the real nor the minimal site built:\n{real.stderr}\n{result.stderr}")
    return SiteBuild(dest, True, real.stderr)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".mjs": "text/javascript", ".wasm": "application/wasm", ".whl": "application/zip"}

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


class _QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        """A browser closing a page mid-download is routine in tests and benchmarks, not a failure."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class Server:
    """A static server for the built site on 127.0.0.1, on a free port, in a background thread."""

    def __init__(self, directory: Path):
        handler = functools.partial(_QuietHandler, directory=str(directory))
        self.httpd = _QuietServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> Server:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
