"""A static server for a built site on 127.0.0.1, on a free port, in a background thread.

Used by the browser tests and the wizard benchmark (which must not import test helpers): it serves
Pyodide's `.mjs`, `.wasm` and the engine's `.whl` with the types browsers require.
"""

from __future__ import annotations

import functools
import http.server
import sys
import threading
from pathlib import Path


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".mjs": "text/javascript", ".wasm": "application/wasm", ".whl": "application/zip"}

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass

    def copyfile(self, source, outputfile):
        """Sends the file and notes its path and size: tests and benchmarks weigh what a page fetched."""
        data = source.read()
        outputfile.write(data)
        self.server.sent.append((self.path.split("?", 1)[0].lstrip("/"), len(data)))


class _QuietServer(http.server.ThreadingHTTPServer):
    sent: list[tuple[str, int]]  # (site-relative path, bytes) of every file served, in order

    def handle_error(self, request, client_address):
        """A browser closing a page mid-download is routine in tests and benchmarks, not a failure."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class Server:
    def __init__(self, directory: Path, port: int = 0):
        handler = functools.partial(_QuietHandler, directory=str(directory))
        self.httpd = _QuietServer(("127.0.0.1", port), handler)
        self.httpd.sent = []
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def sent(self) -> list[tuple[str, int]]:
        return self.httpd.sent

    def __enter__(self) -> Server:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
