"""Language choice: Dutch unless the person picked English; translating marked messages."""

from functools import cached_property

from flask import current_app, g, has_request_context, session
from flask_babel import Babel, Domain, LazyString, get_locale, gettext, lazy_gettext
from flask_login import current_user

from buurthulp.translatable import UserMessageError


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


def translated(error: UserMessageError) -> LazyString:
    """The message of an error from a Flask-free module, in the person's language when shown."""
    return lazy_gettext(error.msgid, **error.params)


def translated_msgid(msgid: str | None) -> str:
    """A msgid marked with N_ (a distance band, say) in the person's language; '' for none."""
    # Never gettext(""): that is the catalog's header, not an empty string.
    return gettext(msgid) if msgid else ""


class RequestCachedDomain(Domain):
    """Flask-Babel's domain, with the request's catalog looked up once, not per message.

    Flask-Babel finds the catalog anew for every translated string (a page has hundreds);
    this keeps it on `g` next to the locale it is for, so force_locale (mails in the
    recipient's language) and a refreshed locale still get their own catalog.
    """

    def get_translations(self):
        if not g:
            return super().get_translations()
        locale = get_locale()
        kept = g.get("_translations_for_locale")
        if kept is not None and kept[0] is locale:
            return kept[1]
        translations = super().get_translations()
        g._translations_for_locale = (locale, translations)
        return translations


class RequestCachedBabel(Babel):
    @cached_property
    def domain_instance(self):
        return RequestCachedDomain(domain=self.domain)
