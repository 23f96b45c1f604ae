"""Forms of the matcher's pages: one-button actions, inviting, completing and ending a match."""

import math

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from buurthulp.forms import BaseForm, DecimalCommaField
from buurthulp.listings.fields import plain_text
from buurthulp.matching.lifecycle import FEEDBACK_MAX, HOURS_MAX, HOURS_MIN, REASON_MAX
from buurthulp.matching.models import MatchStatus

MAX_ID = 2**31 - 1


class ActionForm(BaseForm):
    """A button that changes something: only the CSRF token."""


class InviteForm(BaseForm):
    volunteer_id = IntegerField(
        _l("Buur"),
        validators=[
            InputRequired(_l("Kies een buur uit de lijst.")),
            NumberRange(min=1, max=MAX_ID, message=_l("Kies een buur uit de lijst.")),
        ],
    )


class HoursField(DecimalCommaField):
    """Hours as people write them: "1,5" as well as "1.5"."""

    not_a_number = _l("Vul een aantal uren in, bijvoorbeeld 1,5.")


def _finite_hours(form, field) -> None:
    # float() accepts "nan" and "1e309"; neither is a number of hours.
    if field.data is not None and (
        not math.isfinite(field.data) or not HOURS_MIN <= field.data <= HOURS_MAX
    ):
        raise ValidationError(_l("Vul een aantal uren in tussen 0,25 en 24."))


class CompleteForm(BaseForm):
    hours = HoursField(
        _l("Hoeveel uur heeft het geduurd?"),
        validators=[InputRequired(_l("Vul een aantal uren in tussen 0,25 en 24.")), _finite_hours],
        render_kw={"inputmode": "decimal"},
    )
    feedback = TextAreaField(
        _l("Hoe ging het? (mag leeg blijven)"),
        validators=[
            Optional(),
            Length(max=FEEDBACK_MAX, message=_l("Maak de tekst korter: hoogstens %(max)d tekens.")),
            plain_text,
        ],
        render_kw={"maxlength": FEEDBACK_MAX, "rows": 3},
    )


class EndForm(BaseForm):
    kind = RadioField(
        _l("Wat is er aan de hand?"),
        choices=[
            SelectChoice(MatchStatus.CANCELLED.value, _l("Het gaat niet door")),
            SelectChoice(MatchStatus.NO_SHOW.value, _l("De ander is niet gekomen")),
        ],
        validators=[InputRequired(_l("Kies wat er aan de hand is."))],
        validate_choice=False,  # validate_kind says it in our words
    )
    reason = TextAreaField(
        _l("Waarom?"),
        validators=[
            InputRequired(_l("Schrijf kort op waarom.")),
            Length(max=REASON_MAX, message=_l("Maak de tekst korter: hoogstens %(max)d tekens.")),
            plain_text,
        ],
        render_kw={"maxlength": REASON_MAX, "rows": 3},
    )

    def validate_kind(self, field) -> None:
        if field.data not in {MatchStatus.CANCELLED.value, MatchStatus.NO_SHOW.value}:
            raise ValidationError(_l("Kies wat er aan de hand is."))
