"""Forms of the activity pages: publish or propose, sign up per date, sign up by phone."""

import math

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Optional, ValidationError

from buurthulp import labels
from buurthulp.activities.fields import LIMITS, ActivityFields
from buurthulp.activities.models import ActivityKind
from buurthulp.forms import DecimalCommaField
from buurthulp.listings.fields import (
    DATE_FORMATS,
    TIME_FORMATS,
    Chosen,
    description_field,
    title_field,
)
from buurthulp.listings.forms import RuleForm
from buurthulp.panel.forms import reason_field

ONCE, WEEKLY = "once", "weekly"
DATE_HINT = _l("Vul een datum in, bijvoorbeeld 14-03-2027.")


def _text(label, max_length: int, **kwargs):
    return StringField(label, render_kw={"maxlength": max_length}, **kwargs)


class EuroField(DecimalCommaField):
    not_a_number = _l("Vul een bedrag in, bijvoorbeeld 3,50 of 0 voor gratis.")

    def _value(self):
        # What was typed comes back as typed; a stored amount as Dutch people write it.
        if self.raw_data is None and isinstance(self.data, float) and math.isfinite(self.data):
            return f"{self.data:.2f}".replace(".", ",")
        return super()._value()


def finite(form, field):
    if field.data is not None and not math.isfinite(field.data):
        raise ValidationError(EuroField.not_a_number)


class ActivityForm(RuleForm):
    title = title_field(_l("Naam van de activiteit"))
    kind = RadioField(
        _l("Soort activiteit"),
        choices=labels.choices(labels.ACTIVITY_KINDS),
        validators=[Chosen()],
        invalid_choice_message=_l("Kies een soort activiteit."),
    )
    description = description_field(_l("Wat gaan we doen?"))
    venue_name = _text(_l("Naam van de plek"), LIMITS["venue_name"])
    venue_street = _text(_l("Straat en huisnummer van de plek"), LIMITS["venue_street"])
    venue_postcode = _text(_l("Postcode van de plek"), 10)
    place = _text(_l("Plaats (mag leeg: volgt uit de postcode)"), LIMITS["place"])
    rhythm = RadioField(
        _l("Hoe vaak?"),
        choices=[SelectChoice(ONCE, _l("Eén keer")), SelectChoice(WEEKLY, _l("Elke week"))],
        default=ONCE,
        validators=[Chosen()],
        invalid_choice_message=_l("Kies één keer of elke week."),
    )
    starts_on = DateField(
        _l("Datum (bij elke week: de eerste keer)"),
        format=DATE_FORMATS,
        validators=[Optional()],
        invalid_value_message=DATE_HINT,
    )
    start_time = TimeField(
        _l("Begintijd"),
        format=TIME_FORMATS,
        validators=[Optional()],
        invalid_value_message=_l("Vul een tijd in, bijvoorbeeld 14:00."),
    )
    end_time = TimeField(
        _l("Eindtijd (mag leeg)"),
        format=TIME_FORMATS,
        validators=[Optional()],
        invalid_value_message=_l("Vul een tijd in, bijvoorbeeld 16:00."),
    )
    ends_on = DateField(
        _l("Laatste keer (alleen bij elke week; mag leeg)"),
        format=DATE_FORMATS,
        validators=[Optional()],
        invalid_value_message=DATE_HINT,
    )
    capacity = IntegerField(
        _l("Aantal plaatsen (leeg: geen grens)"),
        validators=[Optional()],
        invalid_value_message=_l("Vul een aantal plaatsen in, bijvoorbeeld 12, of laat het leeg."),
        render_kw={"inputmode": "numeric"},
    )
    cost = EuroField(
        _l("Kosten in euro (0 of leeg: gratis)"),
        validators=[Optional(), finite],
        render_kw={"inputmode": "decimal"},
    )
    wheelchair_accessible = BooleanField(_l("Toegankelijk met een rolstoel"))
    hearing_loop = BooleanField(_l("Er is een ringleiding"))
    accessibility_notes = _text(
        _l("Meer over de toegankelijkheid (mag leeg)"), LIMITS["accessibility_notes"]
    )
    transport_available = BooleanField(_l("Vervoer kan worden geregeld"))

    def fill(self, activity) -> None:
        """On GET for an edit: show the activity's values."""
        self.process(obj=activity)
        self.rhythm.data = WEEKLY if activity.weekly else ONCE
        self.cost.data = activity.cost_cents / 100 if activity.cost_cents else None

    def activity_fields(self) -> ActivityFields:
        weekly = self.rhythm.data == WEEKLY
        cost = self.cost.data or 0
        return ActivityFields(
            title=self.title.data or "",
            kind=ActivityKind(self.kind.data),
            description=self.description.data or "",
            venue_name=self.venue_name.data or "",
            venue_street=self.venue_street.data or "",
            venue_postcode=self.venue_postcode.data or "",
            place=self.place.data or "",
            starts_on=self.starts_on.data,
            start_time=self.start_time.data,
            end_time=self.end_time.data,
            weekly=weekly,
            ends_on=self.ends_on.data if weekly else None,
            capacity=self.capacity.data,
            cost_cents=round(cost * 100) if abs(cost) < 1e9 else -1,
            wheelchair_accessible=bool(self.wheelchair_accessible.data),
            hearing_loop=bool(self.hearing_loop.data),
            accessibility_notes=self.accessibility_notes.data or "",
            transport_available=bool(self.transport_available.data),
        )


class DateForm(RuleForm):
    """A button for one date: sign up, cancel, or ask a lift."""

    occurs_on = DateField(
        _l("Datum"),
        format=DATE_FORMATS,
        validators=[InputRequired(_l("Kies een datum."))],
        invalid_value_message=_l("Kies een datum uit de lijst."),
    )


class CancelActivityForm(RuleForm):
    reason = reason_field(_l("Waarom gaat het niet door? (de deelnemers lezen dit)"), False)


class PhoneSignupForm(RuleForm):
    """A contact person signs up a resident of their streets by phone."""

    participant = SelectField(
        _l("Welke bewoner?"),
        coerce=str,
        validators=[InputRequired(_l("Kies een bewoner."))],
        validate_choice=False,  # the service checks the streets, with a clear message
    )
    occurs_on = SelectField(
        _l("Welke datum?"),
        coerce=str,
        validators=[InputRequired(_l("Kies een datum."))],
        validate_choice=False,
    )


class SettingsForm(RuleForm):
    residents_may_propose = RadioField(
        _l("Mogen bewoners zelf een activiteit voorstellen?"),
        choices=[
            SelectChoice("yes", _l("Ja: een buurtverbinder keurt het voorstel eerst goed")),
            SelectChoice("no", _l("Nee: alleen buurtverbinders en coördinatoren plaatsen")),
        ],
        validators=[InputRequired(_l("Kies ja of nee."))],
        invalid_choice_message=_l("Kies ja of nee."),
    )
