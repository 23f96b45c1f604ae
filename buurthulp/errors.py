"""Error pages in Dutch, never a stack trace."""

import logging

from flask import Flask, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

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
}
TITLES = {
    400: N_("Verzoek niet begrepen"),
    403: N_("Geen toegang"),
    404: N_("Pagina niet gevonden"),
    405: N_("Niet toegestaan"),
    413: N_("Te groot"),
    429: N_("Even wachten"),
    500: N_("Er ging iets mis"),
}


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

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        # The route's template, not the path: a path can hold a token or an id.
        log.exception("unhandled error on %s %s", request.method, route_template())
        return render_error(500)
