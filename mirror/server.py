"""Serve the offline outlet mirror on 127.0.0.1: one ThreadingHTTPServer per outlet, each on a free port.

    with MirrorServer() as mirror:
        mirror.base_urls["itchosun"]  # -> "http://127.0.0.1:PORT"

Outlet JSON is read at request time (re-parsed only when the file's mtime or size changes), so a test can edit
a copied data dir and the next request sees the change. Command line:
`python -m mirror.server [--data-dir D] [--port-file F] [--outlets a,b]` prints "outlet url" per outlet and
serves until SIGTERM/SIGINT.

An outlet whose RSS lives on another host (etnews: rss.etnews.com) gets a second server on another port for it
(`feed_urls`); the outlet's pages link their feed there, as the real pages link the other host.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType

from mirror.catalog import (
    DEFAULT_DATA_DIR,
    FEED_HOST_OUTLETS,
    OUTLETS,
    Outlet,
    available_outlets,
    load_outlet,
    outlet_file,
)
from mirror.render import layout_for
from mirror.site import Response, conditional_status, http_date, respond, respond_feed_host

BIND_HOST = "127.0.0.1"


@dataclass(frozen=True, slots=True)
class LoggedRequest:
    outlet: str
    method: str
    target: str
    status: int


class _OutletData:
    """The outlet's parsed JSON, reloaded whenever the file changes on disk."""

    def __init__(self, outlet: str, data_dir: Path) -> None:
        self.outlet = outlet
        self.path = outlet_file(outlet, data_dir)
        self.data_dir = data_dir
        self._lock = threading.Lock()
        self._stamp: tuple[int, int] | None = None
        self._loaded: Outlet | None = None

    def current(self) -> Outlet:
        stat = self.path.stat()  # FileNotFoundError when the data has not landed
        stamp = (stat.st_mtime_ns, stat.st_size)
        with self._lock:
            if stamp != self._stamp or self._loaded is None:
                self._loaded = load_outlet(self.outlet, self.data_dir)
                self._stamp = stamp
            return self._loaded


class _MirrorHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: crawlers reuse connections
    server_version = "NewsMirror/1.0"
    sys_version = ""
    timeout = 30  # seconds an idle keep-alive connection may hold its thread
    # Set per outlet by MirrorServer through a subclass.
    data: _OutletData
    mirror: MirrorServer
    feed_host: bool = False  # True: this server is the outlet's RSS host, not its site

    def do_GET(self) -> None:
        self._serve(send_body=True)

    def do_HEAD(self) -> None:
        self._serve(send_body=False)

    def _serve(self, send_body: bool) -> None:
        outlet = self.data.outlet
        try:
            if self.feed_host:
                response = respond_feed_host(self.data.current(), self.mirror.base_urls[outlet], self.path)
            else:
                feed_base = self.mirror.feed_urls.get(outlet, "")
                response = respond(self.data.current(), self.mirror.base_urls[outlet], self.path, feed_base)
        except FileNotFoundError:
            response = Response(503, "text/plain; charset=utf-8", b"outlet data missing\n")
        except Exception as error:  # a broken data file must show up as a 500, not a dropped connection
            response = Response(500, "text/plain; charset=utf-8", f"mirror error: {error!r}\n".encode())
        status = conditional_status(response, self.headers.get("If-None-Match"), self.headers.get("If-Modified-Since"))
        self.mirror.log(LoggedRequest(self.data.outlet, self.command, self.path, status))
        self.send_response(status)
        self.send_header("Content-Type", response.content_type)
        if response.validators:
            self.send_header("ETag", response.etag)
            if response.last_modified is not None:
                self.send_header("Last-Modified", http_date(response.last_modified))
        for name, value in response.headers:
            self.send_header(name, value)
        body = b"" if status == 304 else response.body
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send_body and body:
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        """Quiet: the request log on MirrorServer replaces stderr lines."""


class MirrorServer:
    """All (or the chosen) outlets' mirrors, each on its own free port on 127.0.0.1.

    With `first_port`, outlet number i of the catalog asks for port `first_port + i` first (a free port
    if that one is taken): the same URLs on every start, so a warehouse filled from the mirror before
    recognises the pages again instead of storing them anew under a new port.
    """

    def __init__(
        self, data_dir: Path | None = None, outlets: Sequence[str] | None = None, first_port: int | None = None
    ) -> None:
        self.data_dir = Path(data_dir) if data_dir is not None else DEFAULT_DATA_DIR
        chosen = list(outlets) if outlets is not None else available_outlets(self.data_dir)
        for outlet in chosen:
            layout_for(outlet)  # raises ValueError for an unknown outlet key
        self.outlets: tuple[str, ...] = tuple(chosen)
        self.first_port = first_port
        self.base_urls: dict[str, str] = {}
        self.feed_urls: dict[str, str] = {}  # outlet -> its RSS host's base URL, for outlets with one
        self._servers: list[tuple[ThreadingHTTPServer, threading.Thread]] = []
        self._log: list[LoggedRequest] = []
        self._log_lock = threading.Lock()

    def start(self) -> MirrorServer:
        if self._servers:
            return self
        try:
            for outlet in self.outlets:
                handler = type(
                    f"{outlet}Handler",
                    (_MirrorHandler,),
                    {"data": _OutletData(outlet, self.data_dir), "mirror": self},
                )
                httpd = self._bind(outlet, handler)
                self.base_urls[outlet] = f"http://{BIND_HOST}:{httpd.server_address[1]}"
                self._serve(outlet, httpd)
                if outlet in FEED_HOST_OUTLETS:
                    feed_handler = type(f"{outlet}FeedHandler", (handler,), {"feed_host": True})
                    feed_httpd = self._bind(outlet, feed_handler, feed_host=True)
                    self.feed_urls[outlet] = f"http://{BIND_HOST}:{feed_httpd.server_address[1]}"
                    self._serve(outlet + "-feeds", feed_httpd)
        except BaseException:
            self.stop()
            raise
        return self

    def _serve(self, name: str, httpd: ThreadingHTTPServer) -> None:
        httpd.daemon_threads = True
        thread = threading.Thread(target=httpd.serve_forever, name=f"mirror-{name}", daemon=True)
        thread.start()
        self._servers.append((httpd, thread))

    def _bind(self, outlet: str, handler: type[BaseHTTPRequestHandler], feed_host: bool = False) -> ThreadingHTTPServer:
        if self.first_port is not None and outlet in OUTLETS:
            # Feed hosts take the ports after the outlets' own.
            port = self.first_port + OUTLETS.index(outlet) + (len(OUTLETS) if feed_host else 0)
            try:
                return ThreadingHTTPServer((BIND_HOST, port), handler)
            except OSError:
                pass  # taken: a free port still serves, only the URLs differ from the last start
        return ThreadingHTTPServer((BIND_HOST, 0), handler)

    def stop(self) -> None:
        for httpd, thread in self._servers:
            httpd.shutdown()
            httpd.server_close()
            thread.join(timeout=5)
        self._servers.clear()

    def __enter__(self) -> MirrorServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def log(self, entry: LoggedRequest) -> None:
        with self._log_lock:
            self._log.append(entry)

    @property
    def request_log(self) -> list[LoggedRequest]:
        """Every request served so far (e.g. to check a crawler never asked for /admin/)."""
        with self._log_lock:
            return list(self._log)


def _write_port_file(path: Path, lines: list[str]) -> None:
    # Written whole then renamed, so a waiting process never reads half a file.
    partial = path.with_name(path.name + ".tmp")
    partial.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    os.replace(partial, path)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m mirror.server", description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=None, help="folder of <outlet>.json (default: bundled)")
    parser.add_argument("--port-file", type=Path, default=None, help="also write the 'outlet url' lines here")
    parser.add_argument("--outlets", default=None, help=f"comma-separated subset of {','.join(OUTLETS)}")
    args = parser.parse_args(argv)
    outlets = args.outlets.split(",") if args.outlets else None
    stop_requested = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop_requested.set())
    with MirrorServer(args.data_dir, outlets) as mirror:
        lines = [f"{outlet} {url}" for outlet, url in mirror.base_urls.items()]
        print("\n".join(lines), flush=True)
        if args.port_file:
            _write_port_file(args.port_file, lines)
        stop_requested.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
