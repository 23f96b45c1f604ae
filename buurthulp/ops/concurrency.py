"""At most WEB_ACTIVE_REQUESTS page requests of a process run at once; the rest wait their
turn in arrival order.

A web process has many threads because every open page's websocket holds one
(deploy/gunicorn.conf.py). Page requests, though, are mostly CPU work under Python's GIL:
when eight run at once they take turns in slices, each finishes later, and the switching
costs CPU of its own. Letting a few run and queueing the rest gave more requests per second
at a lower p99 on the Dichtbij benchmark (docs/performance.md). Socket.IO's requests (long
polls waiting for news, websockets that stay open) never wait here.
"""

import threading
from collections import deque
from collections.abc import Callable, Iterable


class FairSlots:
    """A counting semaphore that hands a freed slot to the longest waiting thread.
    threading.Semaphore lets a newcomer take it first, which showed as a longer tail."""

    def __init__(self, slots: int):
        self._free = slots
        self._lock = threading.Lock()
        self._waiting: deque[threading.Lock] = deque()

    def __enter__(self) -> None:
        with self._lock:
            if self._free and not self._waiting:
                self._free -= 1
                return
            turn = threading.Lock()
            turn.acquire()
            self._waiting.append(turn)
        turn.acquire()  # released by __exit__ of the request whose slot this is

    def __exit__(self, *_exc) -> None:
        with self._lock:
            if self._waiting:
                self._waiting.popleft().release()  # the slot passes on, still taken
            else:
                self._free += 1


class ActiveRequestLimit:
    """WSGI middleware. `limit` 0 means no limit."""

    def __init__(self, wsgi_app: Callable, *, limit: int, path: str = "/socket.io/"):
        self.wsgi_app = wsgi_app
        self.path = path
        self.slots = FairSlots(limit) if limit > 0 else None

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        if self.slots is None or environ.get("PATH_INFO", "").startswith(self.path):
            return self.wsgi_app(environ, start_response)
        with self.slots:
            return self.wsgi_app(environ, start_response)
