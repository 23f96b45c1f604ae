"""Language choice: Dutch unless the person picked English; translating marked messages."""

from functools import cached_property

from flask import Flask, current_app, g, has_request_context, session
from flask.globals import _cv_app
from flask_babel import (
    Babel,
    Domain,
    LazyString,
    get_locale,
    get_translations,
    gettext,
    lazy_gettext,
)
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

    def init_app(self, app: Flask, *args, **kwargs) -> None:
        super().init_app(app, *args, **kwargs)
        app.jinja_env.install_gettext_callables(
            gettext=lambda s: _template_translations().ugettext(s),
            ngettext=lambda s, p, n: _template_translations().ungettext(s, p, n),
            pgettext=lambda c, s: _template_translations().upgettext(c, s),
            npgettext=lambda c, s, p, n: _template_translations().unpgettext(c, s, p, n),
            newstyle=True,
        )


def _template_translations():
    """The catalog RequestCachedDomain kept for this request, read straight from the app
    context's `g`. Flask-Babel's own path goes through about eight context-local proxies
    per message, and a page translates thirty or more. Anything unusual (no context yet,
    a forced or changed locale) takes that path."""
    app_context = _cv_app.get(None)
    if app_context is not None:
        kept_in = app_context.g.__dict__
        kept = kept_in.get("_translations_for_locale")
        babel_context = kept_in.get("_flask_babel")
        if kept is not None and kept[0] is getattr(babel_context, "babel_locale", None):
            return kept[1]
    return get_translations()
