"""The base of every form: CSRF, Dutch built-in messages, trimmed input."""

from flask_babel import get_locale
from flask_wtf import FlaskForm


def strip_text(value):
    return value.strip() if isinstance(value, str) else value


class BaseForm(FlaskForm):
    class Meta:
        def bind_field(self, form, unbound_field, options):
            # Trim whitespace from every text field, so "  " counts as empty.
            filters = list(unbound_field.kwargs.get("filters", []))
            if strip_text not in filters:
                filters.append(strip_text)
            return unbound_field.bind(form=form, filters=filters, **options)

        def get_translations(self, form):
            from wtforms.i18n import get_translations

            return get_translations([str(get_locale() or "nl"), "nl"])
