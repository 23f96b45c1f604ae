"""Language choice: Dutch unless the person picked English."""

from flask import current_app, has_request_context, session
from flask_login import current_user


def select_locale() -> str:
    supported = current_app.config["LANGUAGES"]
    if not has_request_context():
        # CLI commands and scheduled jobs: Dutch, unless they force a locale themselves.
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.locale in supported:
        return current_user.locale
    chosen = session.get("locale")
    if chosen in supported:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]
