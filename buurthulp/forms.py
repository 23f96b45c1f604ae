"""The base of every form: CSRF, Dutch built-in messages, clean and trimmed input."""

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.datastructures import FileStorage
from wtforms import FloatField

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


class DecimalCommaField(FloatField):
    """A number as Dutch people write it: "1,5" as well as "1.5". Subclasses set the Dutch
    message for text that is not a number; ranges are for validators or the rules."""

    not_a_number = _l("Vul een getal in.")

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        text = str(valuelist[0]).strip().replace(",", ".")
        try:
            self.data = float(text) if text else None
        except ValueError:
            self.data = None
            raise ValueError(self.not_a_number) from None
