"""Forms of the residents' panel pages."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, PasswordField, RadioField, StringField, TelField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional, ValidationError

from buurthulp.accounts.forms import MaxLength, check_email, normalise_phone, required
from buurthulp.accounts.passwords import MAX_LENGTH as PASSWORD_MAX
from buurthulp.forms import BaseForm
from buurthulp.listings.forms import RequestForm
from buurthulp.residents.intake import ResidentFields
from buurthulp.residents.notes import NOTE_MAX


class ProxyRequestForm(RequestForm):
    """A request for a phone-intake resident: the request fields, no choice of initiative
    (the panel page is of one initiative)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self["initiative_id"]


class IntakeForm(ProxyRequestForm):
    """Phone intake: who the resident is, their consent, and what they need."""

    first_name = StringField(
        _l("Voornaam van de bewoner"),
        validators=[required(_l("Vul de voornaam in.")), MaxLength(60)],
    )
    last_name = StringField(
        _l("Achternaam van de bewoner"),
        validators=[required(_l("Vul de achternaam in.")), MaxLength(80)],
    )
    phone = TelField(
        _l("Telefoonnummer van de bewoner"),
        validators=[required(_l("Vul het telefoonnummer in.")), MaxLength(30)],
    )
    postcode = StringField(
        _l("Postcode"), validators=[required(_l("Vul de postcode in.")), MaxLength(12)]
    )
    house_number = StringField(
        _l("Huisnummer"), validators=[required(_l("Vul het huisnummer in.")), MaxLength(16)]
    )
    street_name = StringField(
        _l("Straat"), validators=[required(_l("Vul de straatnaam in.")), MaxLength(120)]
    )
    consent = BooleanField(
        _l(
            "De bewoner vindt het goed dat wij deze gegevens bewaren en namens hem of haar "
            "hulp vragen"
        )
    )

    def validate_phone(self, field) -> None:
        if field.errors:
            return
        try:
            field.data = normalise_phone(field.data)
        except ValueError as error:
            raise ValidationError(
                _l("Vul een Nederlands telefoonnummer in, bijvoorbeeld 06 12345678 of 038 4211234.")
            ) from error

    def resident_fields(self) -> ResidentFields:
        return ResidentFields(
            first_name=self.first_name.data or "",
            last_name=self.last_name.data or "",
            phone=self.phone.data or "",
            postcode=self.postcode.data or "",
            house_number=self.house_number.data or "",
            street_name=self.street_name.data or "",
        )


class NoteForm(BaseForm):
    body = TextAreaField(
        _l("Notitie"),
        validators=[Optional(), MaxLength(NOTE_MAX)],
        render_kw={"rows": 6},
    )


class AccountForm(BaseForm):
    """Give a phone-intake resident an account: by email link, or a password chosen now."""

    email = StringField(
        _l("E-mailadres van de bewoner"),
        validators=[required(_l("Vul het e-mailadres in.")), MaxLength(254), check_email],
    )
    password = PasswordField(
        _l("Wachtwoord (alleen als de bewoner het nu samen met u kiest)"),
        validators=[Optional(), MaxLength(PASSWORD_MAX)],
    )


class SettingForm(BaseForm):
    unverified_may_accept = RadioField(
        _l("Mogen leden die nog niet geverifieerd zijn hulpvragen aannemen?"),
        choices=[
            SelectChoice("yes", _l("Ja, iedereen die lid is")),
            SelectChoice("no", _l("Nee, alleen geverifieerde buren")),
        ],
        invalid_choice_message=_l("Kies ja of nee."),
    )
