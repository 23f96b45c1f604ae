"""Translatable messages from modules that do not import Flask (geo, passwords, ...).

Such a module marks its Dutch text with `N_` so that extraction finds it
(`pybabel extract -k N_`, see `make messages`), and keeps it untranslated:
the page that shows it translates it (`buurthulp.i18n.translated`).
"""


def N_(message: str) -> str:  # noqa: N802 - the name extraction looks for
    """Mark a Dutch msgid for extraction; it is translated where it is shown."""
    return message


class UserMessageError(ValueError):
    """An error whose message is for the user: a Dutch msgid and its %(name)s values.

    str(error) is the Dutch text; `buurthulp.i18n.translated(error)` is the
    same text in the person's language.
    """

    def __init__(self, msgid: str, **params):
        super().__init__(msgid % params if params else msgid)
        self.msgid = msgid
        self.params = params
