"""`guidance serve`: the site on http://127.0.0.1:PORT, rebuilt when a spec or page changes.

Partnership staff edit a spec and look at the result, so the loop must be short and forgiving: the
watcher rebuilds through `generator.build` (which redraws and re-renders only what changed), the browser
reloads itself when a build finishes, and a spec that breaks prints its file:line messages in the
terminal and shows them at the top of every page while the last good site keeps being served (the build
swaps site/ only on success). Polling file times keeps this standard-library only and works the same on
every file system; the pages get a small script from this server, never inline code, so a strict
Content-Security-Policy still allows it.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import http.server
import json
import sys
import threading
from pathlib import Path

from . import build

CONTROL = "/__guidance__/"
RELOAD_SCRIPT = """\
// guidance serve: reload when a new build is ready (this file exists only under `guidance serve`).
(function () {
  var me = document.currentScript, seen = me && me.dataset.generation;
  function poll() {
    fetch("__CONTROL__status", {cache: "no-store"}).then(function (r) { return r.json(); }).then(function (s) {
      if (String(s.generation) !== seen) { location.reload(); } else { setTimeout(poll, 1000); }
    }).catch(function () { setTimeout(poll, 2000); });
  }
  setTimeout(poll, 1000);
})();
""".replace("__CONTROL__", CONTROL)


class Watcher:
    """Builds the project and rebuilds it when a watched file changes; remembers the last error."""

    def __init__(self, proj: build.Project, *, today: dt.date | None = None, engine: str = "mkdocs",
                 out=None) -> None:
        self.project = proj
        self.today = today
        self.engine = engine
        self.out = out  # None: the terminal's stderr at the time of printing
        self.generation = 0
        self.errors = ""
        self.lock = threading.Lock()
        self._stamp = self._snapshot()

    def _snapshot(self) -> tuple:
        stamp = []
        for root in self.project.watched():
            for path in sorted([root, *root.rglob("*")] if root.is_dir() else [root]):
                try:
                    info = path.stat()
                except OSError:
                    continue
                stamp.append((str(path), info.st_mtime_ns, info.st_size))
        return tuple(stamp)

    def rebuild(self) -> bool:
        """One build; True when it succeeded. A failure keeps the previous site and records the message."""
        with self.lock:
            try:
                result = build.build_site(self.project, today=self.today, engine=self.engine)
            except build.BuildError as exc:
                self.errors = str(exc)
                print(f"guidance serve: the build failed; still serving the last good site.\n{exc}",
                      file=self.out or sys.stderr, flush=True)
                ok = False
            else:
                self.errors = ""
                print(f"guidance serve: built ({len(result.generated.drawn)} drawn, "
                      f"{len(result.generated.rendered)} rendered)", file=self.out or sys.stderr, flush=True)
                ok = True
            self.generation += 1
            return ok

    def check(self) -> bool:
        """Rebuild if anything watched changed since the last look; True when a build ran."""
        stamp = self._snapshot()
        if stamp == self._stamp:
            return False
        self._stamp = stamp
        self.rebuild()
        return True

    def run(self, stop: threading.Event, interval: float = 0.5) -> None:
        while not stop.wait(interval):
            self.check()


class Handler(http.server.SimpleHTTPRequestHandler):
    """Static files from site/, plus the status the reload script polls and the build's error on pages."""

    watcher: Watcher

    def log_message(self, format, *args) -> None:  # noqa: A002 - the base class's name
        pass  # the terminal is for build messages

    def do_GET(self) -> None:  # noqa: N802 - the base class's name
        if self.path.startswith(CONTROL):
            if self.path == f"{CONTROL}status":
                self._send(json.dumps({"generation": self.watcher.generation, "errors": self.watcher.errors}),
                           "application/json")
            elif self.path == f"{CONTROL}reload.js":
                self._send(RELOAD_SCRIPT, "text/javascript")
            else:
                self.send_error(404)
            return
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                super().do_GET()  # the base class redirects a folder's URL to its slash
                return
            path = path / "index.html"
        if path.suffix == ".html" and path.is_file():
            self._send(self._decorate(path.read_text(encoding="utf-8")), "text/html")
            return
        super().do_GET()

    def _decorate(self, page: str) -> str:
        """The reload script, and the build's error messages (escaped) at the top of the body."""
        extra = f'<script src="{CONTROL}reload.js" data-generation="{self.watcher.generation}"></script>'
        if self.watcher.errors:
            lines = "".join(f"<li><code>{html.escape(line)}</code></li>" for line in self.watcher.errors.splitlines())
            extra = ('<div class="admonition failure" role="alert" id="guidance-serve-error">'
                     '<p class="admonition-title">The last build failed; this is the last good site.</p>'
                     f"<ul>{lines}</ul></div>") + extra
        body = page.find("<body")
        start = page.find(">", body) + 1 if body >= 0 else 0
        return page[:start] + extra + page[start:]

    def _send(self, text: str, kind: str) -> None:
        data = text.encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", f"{kind}; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(data)


def make_server(watcher: Watcher, port: int = 8000, host: str = "127.0.0.1") -> http.server.ThreadingHTTPServer:
    handler = type("BoundHandler", (Handler,), {"watcher": watcher})
    factory = functools.partial(handler, directory=str(watcher.project.site_dir))
    return http.server.ThreadingHTTPServer((host, port), factory)


class PortError(Exception):
    """The port cannot be listened on; found before any build, so the user waits for nothing."""


def serve(proj: build.Project, *, port: int = 8000, today: dt.date | None = None, engine: str = "mkdocs") -> int:
    watcher = Watcher(proj, today=today, engine=engine)
    try:  # the port first: a busy port is found in a moment, not after a build
        server = make_server(watcher, port)
    except OSError as exc:
        raise PortError(f"--port {port}: cannot listen on 127.0.0.1:{port} ({exc.strerror or exc}); "
                        "choose another port with --port") from None
    with server:
        if not watcher.rebuild() and not proj.site_dir.is_dir():
            return 1  # nothing good to serve yet: the messages are above
        stop = threading.Event()
        threading.Thread(target=watcher.run, args=(stop,), daemon=True).start()
        print(f"Serving {proj.site_dir} on http://127.0.0.1:{server.server_address[1]}/ "
              f"(watching {', '.join(str(p) for p in proj.watched())}; Ctrl+C to stop)", flush=True)
        try:
            server.serve_forever()
        finally:
            stop.set()
    return 0
