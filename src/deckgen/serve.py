"""The live page: the previews' state and pictures in, a page on 127.0.0.1 that updates itself out.

``deckgen watch --serve`` runs this server (starlette for the routes, uvicorn for HTTP) in a
thread beside its watch loop. The page receives every new state as a server-sent event: the
updates only go one way, as text, and the browser's ``EventSource`` reconnects by itself, which
is all a preview needs; a websocket would add a protocol on both sides for nothing. The state is
a few kilobytes of JSON; pictures are fetched by digest, so the page loads only the ones that
changed and the browser may keep the others for good.

The server listens on 127.0.0.1 only and answers only requests addressed to ``127.0.0.1`` or
``localhost`` (another site's page, resolving its own name to this machine, gets 400), since the
previews show an assessment that may be classified. The page puts outline text into the document
as text, never as markup.
"""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from collections.abc import AsyncIterator, Mapping
from importlib import resources
from typing import Any

from deckgen.diagnostics import UsageError

HOST = "127.0.0.1"
DEFAULT_PORT = 8000
LARGE_KEPT = 64  # pages drawn large that are kept (each about 0.2 MB)
KEEP_ALIVE = 15.0  # seconds between comments on an idle event stream, so proxies keep it open
PAGE_FILES = {"/": ("page.html", "text/html"), "/page.js": ("page.js", "text/javascript")}
PAGE_FILES["/page.css"] = ("page.css", "text/css")
# What the page may load: its own files and pictures, nothing inline, nothing from elsewhere.
POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'"
)


class Hub:
    """The latest state and pictures, and the event streams of the pages open on them.

    :meth:`publish` is called from the watch loop's thread; the streams live in the server's
    event loop, so new states reach them through ``call_soon_threadsafe``.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._state = json.dumps({"version": 0, "building": True, "outlines": []})
        self._pictures: Mapping[str, bytes] = {}
        self._briefs: Mapping[str, bytes] = {}
        self._large: dict[tuple[str, int], bytes] = {}  # pages drawn large, the last few
        self._queues: set[asyncio.Queue[str | None]] = set()
        self._loop: asyncio.AbstractEventLoop | None = None

    def publish(
        self,
        state: dict[str, Any],
        pictures: Mapping[str, bytes],
        briefs: Mapping[str, bytes] | None = None,
    ) -> None:
        """A new state, with the pictures and the briefs' PDFs (by SHA-256) it names."""
        text = json.dumps(state, ensure_ascii=False)
        with self._lock:
            self._state = text
            self._pictures = dict(pictures)
            self._briefs = dict(briefs or {})
            loop = self._loop
        if loop is not None:
            loop.call_soon_threadsafe(self._fan_out, text)

    def close(self) -> None:
        """End every open event stream (the server is stopping)."""
        with self._lock:
            loop = self._loop
        if loop is not None:
            loop.call_soon_threadsafe(self._fan_out, None)

    def state(self) -> str:
        with self._lock:
            return self._state

    def picture(self, digest: str) -> bytes | None:
        with self._lock:
            return self._pictures.get(digest)

    def large_page(self, brief: str, number: int) -> bytes | None:
        """Page ``number`` of the brief whose PDF has SHA-256 ``brief``, drawn large (kept)."""
        from deckgen.render.pdf_pages import page_png

        with self._lock:
            data = self._briefs.get(brief)
            kept = self._large.get((brief, number))
        if data is None or kept is not None:
            return kept
        png = page_png(data, number)
        if png is not None:
            with self._lock:
                if len(self._large) >= LARGE_KEPT:
                    self._large.clear()
                self._large[brief, number] = png
        return png

    def _fan_out(self, text: str | None) -> None:
        for queue in self._queues:
            queue.put_nowait(text)

    async def stream(self) -> AsyncIterator[str]:
        """Server-sent events: the current state at once, then each new one."""
        queue: asyncio.Queue[str | None] = asyncio.Queue()
        with self._lock:
            self._loop = asyncio.get_running_loop()
            current = self._state
        self._queues.add(queue)
        try:
            yield f"retry: 1000\ndata: {current}\n\n"
            while True:
                try:
                    text = await asyncio.wait_for(queue.get(), KEEP_ALIVE)
                except TimeoutError:
                    yield ": still here\n\n"
                    continue
                if text is None:
                    return
                yield f"data: {text}\n\n"
        finally:
            self._queues.discard(queue)


def app(hub: Hub) -> Any:
    """The ASGI application serving the page, its event stream, state and pictures."""
    from starlette.applications import Starlette
    from starlette.concurrency import run_in_threadpool
    from starlette.middleware import Middleware
    from starlette.middleware.trustedhost import TrustedHostMiddleware
    from starlette.requests import Request
    from starlette.responses import Response, StreamingResponse
    from starlette.routing import Route

    files = resources.files("deckgen") / "assets" / "live"
    pages = {
        path: (files.joinpath(name).read_bytes(), kind) for path, (name, kind) in PAGE_FILES.items()
    }

    async def page(request: Request) -> Response:
        body, kind = pages[request.url.path]
        headers = {"Cache-Control": "no-store", "Content-Security-Policy": POLICY}
        return Response(body, media_type=kind, headers=headers)

    async def events(request: Request) -> Response:
        headers = {"Cache-Control": "no-store", "X-Accel-Buffering": "no"}
        return StreamingResponse(hub.stream(), media_type="text/event-stream", headers=headers)

    async def state(request: Request) -> Response:
        return Response(
            hub.state(), media_type="application/json", headers={"Cache-Control": "no-store"}
        )

    async def large_page(request: Request) -> Response:
        brief, number = request.path_params["brief"], request.path_params["n"]
        data = await run_in_threadpool(hub.large_page, brief, number)
        if data is None:
            return Response(b"no such page", status_code=404, media_type="text/plain")
        headers = {"Cache-Control": "public, max-age=31536000, immutable"}
        return Response(data, media_type="image/png", headers=headers)

    async def picture(request: Request) -> Response:
        data = hub.picture(request.path_params["digest"])
        if data is None:
            return Response(b"no such picture", status_code=404, media_type="text/plain")
        # Named by the digest of what it shows: the same name never shows anything else.
        headers = {"Cache-Control": "public, max-age=31536000, immutable"}
        return Response(data, media_type="image/png", headers=headers)

    routes = [Route(path, page) for path in PAGE_FILES]
    routes += [
        Route("/events", events),
        Route("/state", state),
        Route("/img/{digest:str}.png", picture),
        Route("/brief/{brief:str}/{n:int}.png", large_page),
    ]
    hosts = Middleware(TrustedHostMiddleware, allowed_hosts=[HOST, "localhost"])
    return Starlette(routes=routes, middleware=[hosts])


class Server:
    """The page's HTTP server, in a thread of its own."""

    def __init__(self, hub: Hub, port: int = DEFAULT_PORT) -> None:
        import uvicorn

        self.hub = hub
        self._socket = _listen(port)
        self.port: int = self._socket.getsockname()[1]
        config = uvicorn.Config(
            app(hub),
            log_level="warning",
            access_log=False,
            lifespan="off",
            timeout_graceful_shutdown=2,
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._socket]}, daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}/"

    def start(self, timeout: float = 10.0) -> None:
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started and self._thread.is_alive():
            if time.monotonic() > deadline:
                raise RuntimeError("the preview server did not start")
            time.sleep(0.01)

    def stop(self) -> None:
        self.hub.close()
        self._server.should_exit = True
        self._thread.join(timeout=5)
        self._socket.close()


def _listen(port: int) -> socket.socket:
    """A socket bound to 127.0.0.1:``port`` (0: any free port), or a usage error saying why not."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((HOST, port))
    except OSError as exc:
        sock.close()
        raise UsageError(
            f"--port {port}: cannot listen on {HOST}:{port} ({exc.strerror}); "
            "choose another port, or --port 0 for any free one"
        ) from None
    sock.listen(64)
    return sock
