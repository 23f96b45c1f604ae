"""The base of every form: CSRF, Dutch built-in messages, clean and trimmed input."""

from flask_babel import get_locale
from flask_wtf import FlaskForm
from werkzeug.datastructures import FileStorage

from buurthulp.text import CONTROL_CHARACTERS


def clean_text(value):
    """Trimmed text without control characters; a file posted where text belongs becomes ''."""
    if isinstance(value, FileStorage):
        return ""
    if isinstance(value, str):
        return CONTROL_CHARACTERS.sub("", value).strip()
    return value


class BaseForm(FlaskForm):
    class Meta:
        def bind_field(self, form, unbound_field, options):
            filters = list(unbound_field.kwargs.get("filters", []))
            if clean_text not in filters:
                filters.insert(0, clean_text)
            return unbound_field.bind(form=form, filters=filters, **options)

        def get_translations(self, form):
            from wtforms.i18n import get_translations

            return get_translations([str(get_locale() or "nl"), "nl"])
