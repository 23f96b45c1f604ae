"""Forms of the outreach pages."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional

from buurthulp.accounts.forms import MaxLength
from buurthulp.forms import BaseForm
from buurthulp.listings.fields import DATE_FORMATS, Chosen
from buurthulp.outreach import labels
from buurthulp.outreach.directory import LIMITS, ServiceFields
from buurthulp.outreach.rules import NOTE_MAX

DATE_MESSAGE = _l("Vul een datum in, bijvoorbeeld 14-03-2026.")


def _choices(mapping) -> list[SelectChoice]:
    return [SelectChoice(key.value, label) for key, label in mapping.items()]


class CheckInForm(BaseForm):
    kind = RadioField(
        _l("Soort contact"),
        choices=_choices(labels.CHECK_IN_KINDS),
        validators=[Chosen()],
        invalid_choice_message=_l("Kies bezoek, telefoontje of aan de deur."),
    )
    on_date = DateField(
        _l("Datum"),
        format=DATE_FORMATS,
        validators=[Optional()],
        invalid_value_message=DATE_MESSAGE,
    )
    outcome = RadioField(
        _l("Hoe ging het?"),
        choices=_choices(labels.CHECK_IN_OUTCOMES),
        validators=[Chosen()],
        invalid_choice_message=_l("Kies wat het beste past."),
    )
    note = TextAreaField(
        _l("Korte notitie (geen medische details)"),
        validators=[Optional(), MaxLength(NOTE_MAX)],
        render_kw={"rows": 3, "maxlength": NOTE_MAX},
    )


class LivingForm(BaseForm):
    lives_alone = RadioField(
        _l("Woont de bewoner alleen?"),
        choices=[
            SelectChoice("yes", _l("Ja, woont alleen")),
            SelectChoice("no", _l("Nee, woont samen met iemand")),
            SelectChoice("unknown", _l("Weet ik niet / niet bewaren")),
        ],
        validators=[Chosen()],
        invalid_choice_message=_l("Kies ja, nee of weet ik niet."),
    )
    consent = BooleanField(_l("De bewoner vindt het goed dat wij dit bewaren"))


class ReferralForm(BaseForm):
    service_id = SelectField(
        _l("Dienst"),
        validators=[Chosen()],
        invalid_choice_message=_l("Kies een dienst van de sociale kaart."),
    )
    follow_up_on = DateField(
        _l("Opvolgen op"),
        format=DATE_FORMATS,
        validators=[Optional()],
        invalid_value_message=DATE_MESSAGE,
    )


class FollowUpForm(BaseForm):
    outcome = RadioField(
        _l("Hoe ging het?"),
        choices=_choices(labels.FOLLOW_UP_OUTCOMES),
        validators=[Chosen()],
        invalid_choice_message=_l("Kies wat het beste past."),
    )


class SettingForm(BaseForm):
    free_text_notes = RadioField(
        _l("Mag bij een contactmoment een korte notitie in eigen woorden?"),
        choices=[
            SelectChoice("no", _l("Nee, alleen de keuzelijst (aangeraden)")),
            SelectChoice("yes", _l("Ja, een korte notitie zonder medische details")),
        ],
        invalid_choice_message=_l("Kies ja of nee."),
    )


class ServiceForm(BaseForm):
    kind = SelectField(
        _l("Soort dienst"),
        choices=_choices(labels.SERVICE_KINDS),
        validators=[Chosen()],
        invalid_choice_message=_l("Kies een soort dienst."),
    )
    name = StringField(_l("Naam"), validators=[MaxLength(LIMITS["name"])])
    phone = StringField(_l("Telefoon"), validators=[MaxLength(LIMITS["phone"])])
    email = StringField(_l("E-mail"), validators=[MaxLength(LIMITS["email"])])
    website = StringField(_l("Website"), validators=[MaxLength(LIMITS["website"])])
    address = StringField(_l("Adres"), validators=[MaxLength(LIMITS["address"])])
    opening_hours = TextAreaField(
        _l("Openingstijden"), validators=[MaxLength(LIMITS["opening_hours"])], render_kw={"rows": 3}
    )
    notes = TextAreaField(
        _l("Notities voor het paneel"),
        validators=[MaxLength(LIMITS["notes"])],
        render_kw={"rows": 3},
    )

    def service_fields(self) -> ServiceFields:
        return ServiceFields(
            **{name: self[name].data or "" for name in ("kind", *LIMITS)},
        )
