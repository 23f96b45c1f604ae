"""The coordinator's form for the matcher settings: numbers as people write them ("0,5")."""

from flask_babel import lazy_gettext as _l
from wtforms.validators import InputRequired
from wtforms.widgets import TextInput

from buurthulp.forms import BaseForm, DecimalCommaField
from buurthulp.matching.settings import SettingsFields

NOT_A_NUMBER = _l("Vul een getal in, bijvoorbeeld 2 of 0,5.")


class NumberField(DecimalCommaField):
    """The range is checked by matching.settings. A text input (with a decimal keyboard on
    phones): type="number" would not show "0,5"."""

    widget = TextInput()
    not_a_number = NOT_A_NUMBER

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        return f"{self.data:g}".replace(".", ",")


def _number(label, description=""):
    return NumberField(
        label,
        description=description,
        validators=[InputRequired(NOT_A_NUMBER)],
    )


class MatcherSettingsForm(BaseForm):
    batch_size = _number(_l("Hoeveel vrijwilligers krijgen per ronde een uitnodiging?"))
    escalate_after_hours = _number(_l("Na hoeveel uur zonder ja volgt de volgende ronde?"))
    max_rounds = _number(_l("Hoeveel rondes voordat de straatcontactpersoon het overneemt?"))
    radius_step_km = _number(_l("Hoeveel km verder zoekt elke volgende ronde?"))
    weight_distance = _number(
        _l("Gewicht van de afstand"), _l("Hoger: dichtbij wonen telt zwaarder.")
    )
    weight_overlap = _number(
        _l("Gewicht van de beschikbaarheid"), _l("Hoger: tijd hebben op het gevraagde moment.")
    )
    weight_load = _number(
        _l("Gewicht van het spreiden van het werk"),
        _l("Hoger: wie de laatste tijd weinig deed, komt eerder aan de beurt."),
    )

    def settings_fields(self) -> SettingsFields:
        return SettingsFields(**{name: self[name].data for name in SettingsFields.__annotations__})
