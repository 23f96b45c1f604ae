"""Field helpers shared by the listings forms: choices, labels and Dutch validators."""

from functools import lru_cache

from babel.numbers import format_decimal
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from buurthulp.listings import availability as slots
from buurthulp.listings import submissions
from buurthulp.listings.rules import DESCRIPTION_MAX, DISTANCES_KM, TITLE_MAX
from buurthulp.text import CONTROL_CHARACTERS

DATE_FORMATS = ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"]
TIME_FORMATS = ["%H:%M", "%H.%M"]
FIXED, FLEXIBLE = "fixed", "flexible"
SLOT_KEYS_IN_ORDER = [
    slots.slot_key(day, part) for day in range(len(slots.DAYS)) for part in range(len(slots.PARTS))
]
SLOT_KEYS = frozenset(SLOT_KEYS_IN_ORDER)
DAY_LABELS = (
    _l("maandag"),
    _l("dinsdag"),
    _l("woensdag"),
    _l("donderdag"),
    _l("vrijdag"),
    _l("zaterdag"),
    _l("zondag"),
)
PART_LABELS = (_l("ochtend"), _l("middag"), _l("avond"))


class Chosen:
    """Marks a choice field as required (label and aria); the field's own check has the message."""

    field_flags = {"required": True}

    def __call__(self, form, field):
        pass


def plain_text(form, field):
    if field.data and CONTROL_CHARACTERS.search(field.data):
        raise ValidationError(_l("Deze tekst bevat tekens die we niet kunnen opslaan."))


def km_label(km: float) -> str:
    return _km_label(km, str(get_locale()))


@lru_cache(maxsize=256)
def _km_label(km: float, locale: str) -> str:
    # Babel's number formatting costs about 0.1 ms; Dichtbij shows 7 of these on a page.
    return f"{format_decimal(km, locale=locale)} km"


def distance_choices() -> list[SelectChoice]:
    return [SelectChoice(f"{km:g}", km_label(km)) for km in DISTANCES_KM]


def title_field(label):
    return StringField(
        label,
        validators=[
            DataRequired(_l("Vul een korte titel in.")),
            Length(max=TITLE_MAX, message=_l("Maak de titel korter: hoogstens %(max)d tekens.")),
            plain_text,
        ],
        render_kw={"maxlength": TITLE_MAX},
    )


def description_field(label):
    return TextAreaField(
        label,
        validators=[
            Optional(),
            Length(
                max=DESCRIPTION_MAX,
                message=_l("Maak de beschrijving korter: hoogstens %(max)d tekens."),
            ),
            plain_text,
        ],
        render_kw={"maxlength": DESCRIPTION_MAX, "rows": 5},
    )


def initiative_field():
    return SelectField(
        _l("Bewonersinitiatief"),
        coerce=int,
        validators=[Chosen()],
        invalid_value_message=_l("Kies een bewonersinitiatief uit de lijst."),
        invalid_choice_message=_l("Kies een bewonersinitiatief uit de lijst."),
    )


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class SubmissionTokenField(HiddenField):
    """The form's one-time token (listings.submissions): new when the form is first shown,
    then kept as posted, so a corrected or re-sent form carries the same one. A posted
    value of the wrong shape (or none, from an older page) is replaced by a new token."""

    def __init__(self, label=None, **kwargs):
        super().__init__(label, default=submissions.new_token, **kwargs)

    def process_formdata(self, valuelist):
        if valuelist and submissions.usable(valuelist[0]):
            self.data = valuelist[0]
