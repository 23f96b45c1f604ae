"""Error pages in Dutch, never a stack trace."""

import logging

import psycopg
from flask import Flask, current_app, render_template, request, session
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy import exc as sa_exc
from werkzeug.exceptions import HTTPException

from buurthulp.extensions import db
from buurthulp.ops.request_hooks import route_template
from buurthulp.translatable import N_

log = logging.getLogger(__name__)

MESSAGES = {
    400: N_("Het verzoek klopt niet. Ga terug en probeer het opnieuw."),
    403: N_("U heeft geen toegang tot deze pagina."),
    404: N_("Deze pagina bestaat niet (meer)."),
    405: N_("Dit kan op deze manier niet."),
    413: N_("Wat u stuurde is te groot. Maak het korter en probeer het opnieuw."),
    429: N_("U heeft het te vaak geprobeerd. Wacht een paar minuten en probeer het dan opnieuw."),
    500: N_("Er ging iets mis aan onze kant. Probeer het zo opnieuw."),
    503: N_(
        "Buurthulp kan even niet bij zijn gegevens. Er is niets kapot gegaan. "
        "Probeer het zo opnieuw, over een minuutje."
    ),
}
TITLES = {
    400: N_("Verzoek niet begrepen"),
    403: N_("Geen toegang"),
    404: N_("Pagina niet gevonden"),
    405: N_("Niet toegestaan"),
    413: N_("Te groot"),
    429: N_("Even wachten"),
    500: N_("Er ging iets mis"),
    503: N_("Even niet bereikbaar"),
}
RETRY_AFTER_SECONDS = 10
# Fields never echoed back into the retry form (every password field, and its repeat).
SECRET_FIELDS = ("repeat",)


def render_error(code: int, message: str | None = None):
    title = _(TITLES.get(code, TITLES[500]))
    text = message or _(MESSAGES.get(code, MESSAGES[500]))
    try:
        return render_template("errors/error.html", code=code, title=title, message=text), code
    except Exception:
        # The error page itself failed (e.g. the database is down): plain text, still Dutch.
        log.exception("error page %s could not be rendered", code)
        return f"{title}. {text}", code, {"Content-Type": "text/plain; charset=utf-8"}


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_error(
            400,
            _(
                "Het formulier was verlopen of kwam niet van deze site. "
                "Ga terug, laad de pagina opnieuw en probeer het nog eens."
            ),
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        code = error.code or 500
        if code not in MESSAGES:
            return error
        return render_error(code)

    app.teardown_appcontext(close_session_quietly)

    @app.errorhandler(sa_exc.DBAPIError)
    @app.errorhandler(sa_exc.TimeoutError)
    @app.errorhandler(sa_exc.PendingRollbackError)
    @app.errorhandler(psycopg.OperationalError)
    def database_error(error: Exception):
        if not is_database_unavailable(error):
            return unexpected_error(error)
        log.warning(
            "database unavailable on %s %s: %s",
            request.method,
            route_template(),
            type(error).__name__,
        )
        return render_unavailable()

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        # The route's template, not the path: a path can hold a token or an id.
        log.exception("unhandled error on %s %s", request.method, route_template())
        return render_error(500)


def is_database_unavailable(error: Exception) -> bool:
    """A lost or refused database connection (a restart, a failover, a full pool), as
    opposed to a bug such as a constraint violation, which stays a 500."""
    if isinstance(error, sa_exc.DBAPIError):
        return error.connection_invalidated or isinstance(
            error, sa_exc.OperationalError | sa_exc.InterfaceError
        )
    return isinstance(
        error, sa_exc.TimeoutError | sa_exc.PendingRollbackError | psycopg.OperationalError
    )


def _safe_locale() -> str:
    # Not get_locale(): for a logged-in person it loads the user, from the database that is down.
    chosen = session.get("locale")
    return chosen if chosen in current_app.config["LANGUAGES"] else "nl"


def render_unavailable():
    """503 with Retry-After. The failed transaction is rolled back, so this worker's next
    request starts clean. After a POST the page offers to send the same form again:
    nothing the person typed is lost, even where the browser would not keep it on Back."""
    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001 - the connection may be gone already
        log.warning("rollback after a database error failed", exc_info=True)
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
    locale = _safe_locale()
    with force_locale(locale):
        title = _(TITLES[503])
        text = _(MESSAGES[503])
        fields = _resend_fields()
        try:
            # Straight from Jinja: the context processors would load the logged-in user.
            page = current_app.jinja_env.get_template("errors/unavailable.html").render(
                request=request, lang=locale, title=title, message=text, fields=fields
            )
            return page, 503, headers
        except Exception:  # noqa: BLE001
            log.exception("the 503 page could not be rendered")
            headers["Content-Type"] = "text/plain; charset=utf-8"
            return f"{title}. {text}", 503, headers


def _resend_fields() -> list[tuple[str, str]] | None:
    """The posted form fields (not passwords, not files) for a "send again" button."""
    if request.method != "POST" or request.files:
        return None
    try:
        items = request.form.items(multi=True)
        return [(name, value) for name, value in items if not _secret(name)]
    except Exception:  # noqa: BLE001 - an unreadable body: no resend form
        return None


def _secret(name: str) -> bool:
    return "password" in name or name in SECRET_FIELDS


def close_session_quietly(error: BaseException | None) -> None:
    """End the request's session before Flask-SQLAlchemy does (teardowns run newest
    first). Its rollback fails when the database went away after the view finished; that
    must not turn an answer that is already made into a 500."""
    try:
        db.session.remove()
    except sa_exc.DBAPIError:
        log.warning("closing the session after a lost connection failed", exc_info=False)
        db.session.registry.clear()
