"""Serving a fake on 127.0.0.1 from a daemon thread: the life shared by every fake server."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def serve(handler: type[BaseHTTPRequestHandler], port: int = 0) -> ThreadingHTTPServer:
    """Start serving `handler` on 127.0.0.1 (`port` 0: any free port; else the same one again)."""
    httpd = ThreadingHTTPServer(("127.0.0.1", port), handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


def shut(httpd: ThreadingHTTPServer | None) -> None:
    """Stop serving and free the port: connections are refused from now on."""
    if httpd is not None:
        httpd.shutdown()
        httpd.server_close()
