"""Security headers on every response: Flask's, and Socket.IO's long-polling answers."""

from collections.abc import Callable, Iterable

from flask import current_app, request
from flask.wrappers import Response

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
HSTS = ("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
# Pages about a person must not linger in shared caches or the back-button cache.
NO_STORE = ("Cache-Control", "no-store")


def headers_for_every_response() -> list[tuple[str, str]]:
    return [
        ("Content-Security-Policy", CSP),
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        ("Referrer-Policy", "same-origin"),
        ("Permissions-Policy", "geolocation=(), camera=(), microphone=()"),
        # Cross-origin isolation: no other site may open us in a shared window or load our
        # files, and we load nothing from other origins (the CSP already allows only 'self').
        ("Cross-Origin-Opener-Policy", "same-origin"),
        ("Cross-Origin-Resource-Policy", "same-origin"),
        ("Cross-Origin-Embedder-Policy", "require-corp"),
    ]


def add_security_headers(response: Response) -> Response:
    extra = headers_for_every_response()
    if current_app.config.get("HSTS"):
        extra.append(HSTS)
    if not request.path.startswith("/static/"):
        extra.append(NO_STORE)
    for name, value in extra:
        response.headers.setdefault(name, value)
    return response


class SocketIOHeaders:
    """WSGI middleware: Socket.IO's long-polling answers (a conversation's messages among them)
    come from engine.io before Flask, so `add_security_headers` never sees them."""

    def __init__(self, wsgi_app: Callable, *, hsts: bool, path: str = "/socket.io/"):
        self.wsgi_app = wsgi_app
        self.path = path
        self.headers = headers_for_every_response() + [NO_STORE] + ([HSTS] if hsts else [])

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        if not environ.get("PATH_INFO", "").startswith(self.path):
            return self.wsgi_app(environ, start_response)

        def start(status: str, headers: list, exc_info=None):
            present = {name.lower() for name, _ in headers}
            headers = list(headers) + [h for h in self.headers if h[0].lower() not in present]
            return start_response(status, headers, exc_info)

        return self.wsgi_app(environ, start)
