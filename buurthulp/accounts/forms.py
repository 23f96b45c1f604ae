"""Account forms. Field names are part of the contract (tests and the browser test post them)."""

import re

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    TelField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    EqualTo,
    Length,
    Optional,
    StopValidation,
    ValidationError,
)
from wtforms.widgets import PasswordInput

from buurthulp.accounts import queries
from buurthulp.accounts.models import User
from buurthulp.accounts.passwords import MAX_LENGTH as PASSWORD_MAX
from buurthulp.accounts.passwords import PasswordError, check_password_rules
from buurthulp.accounts.services import EMAIL_TAKEN
from buurthulp.forms import BaseForm
from buurthulp.geo.postcodes import PostcodeError, locate, normalise_house_number
from buurthulp.i18n import translated

LINE_BREAKS_AND_TABS = re.compile(r"[\t\n\r]+")
PHONE_SEPARATORS = re.compile(r"[\s().-]")
DUTCH_PHONE = re.compile(r"^(?:0|\+31|0031)([1-9][0-9]{8})$")
TOO_LONG = _l("Dit is te lang: gebruik hoogstens %(max)d tekens.")
LANGUAGES = [
    SelectChoice("nl", "Nederlands", render_kw={"lang": "nl"}),
    SelectChoice("en", "English", render_kw={"lang": "en"}),
]


def single_line(value):
    """Account fields are one line: tabs and line breaks become spaces."""
    return LINE_BREAKS_AND_TABS.sub(" ", value) if isinstance(value, str) else value


class AccountForm(BaseForm):
    """Every account field is a single line (BaseForm already removes control characters)."""

    def process(self, formdata=None, obj=None, data=None, extra_filters=None, **kwargs):
        extra = {name: [single_line] for name in self._fields}
        for name, filters in (extra_filters or {}).items():
            extra.setdefault(name, []).extend(filters)
        super().process(formdata, obj, data=data, extra_filters=extra, **kwargs)


class MaxLength(Length):
    """Length(max=...) that stops the chain, so a 100 KB value gets one short message."""

    def __init__(self, maximum: int):
        super().__init__(max=maximum, message=TOO_LONG)

    def __call__(self, form, field):
        try:
            super().__call__(form, field)
        except ValidationError as error:
            raise StopValidation(str(error)) from error


def add_error(field, message: str) -> None:
    """Show a message from a service next to a field after validation."""
    field.errors = [*field.errors, message]


def required(message: str):
    return DataRequired(message=message)


def normalise_phone(raw: str) -> str:
    """'06-123 456 78' and '+31 6 12345678' -> '0612345678'; ValueError if not Dutch."""
    compact = PHONE_SEPARATORS.sub("", raw)
    match = DUTCH_PHONE.match(compact)
    if not match:
        raise ValueError(compact)
    # One national format, so contact persons can read and dial every number the same way.
    return "0" + match.group(1)


def check_email(form, field) -> None:
    """A plain ASCII address (so every mail server accepts it), domain lowercased."""
    if not field.data:
        return
    try:
        info = validate_email(field.data, check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError as error:
        raise StopValidation(
            _l("Vul een geldig e-mailadres in, bijvoorbeeld naam@voorbeeld.nl.")
        ) from error
    field.data = info.ascii_email


def email_field():
    return EmailField(
        _l("E-mailadres"),
        validators=[required(_l("Vul uw e-mailadres in.")), MaxLength(254), check_email],
    )


def new_password_fields(label=None):
    password = PasswordField(
        label or _l("Nieuw wachtwoord"),
        validators=[required(_l("Kies een wachtwoord.")), MaxLength(PASSWORD_MAX)],
    )
    repeat = PasswordField(
        _l("Herhaal het wachtwoord"),
        validators=[
            required(_l("Vul het wachtwoord nog een keer in.")),
            MaxLength(PASSWORD_MAX),
            EqualTo("password", message=_l("De twee wachtwoorden zijn niet hetzelfde.")),
        ],
    )
    return password, repeat


def check_new_password(field, personal: tuple[str, ...]) -> None:
    if field.errors or not field.data:
        return
    try:
        check_password_rules(field.data, personal=personal)
    except PasswordError as error:
        raise ValidationError(translated(error)) from error


class PersonFields(AccountForm):
    """Name, contact details and address: shared by registering and the profile."""

    first_name = StringField(
        _l("Voornaam"), validators=[required(_l("Vul uw voornaam in.")), MaxLength(60)]
    )
    last_name = StringField(
        _l("Achternaam"), validators=[required(_l("Vul uw achternaam in.")), MaxLength(80)]
    )
    email = email_field()
    phone = TelField(_l("Telefoonnummer"), validators=[Optional(), MaxLength(30)])
    postcode = StringField(
        _l("Postcode"), validators=[required(_l("Vul uw postcode in.")), MaxLength(12)]
    )
    house_number = StringField(
        _l("Huisnummer"), validators=[required(_l("Vul uw huisnummer in.")), MaxLength(16)]
    )
    street_name = StringField(
        _l("Straat"), validators=[required(_l("Vul uw straatnaam in.")), MaxLength(120)]
    )

    def __init__(self, *args, own_user_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # The account being edited (None when registering), left out of the duplicate check.
        self.own_user_id = own_user_id
        self.located = None

    def validate_email(self, field) -> None:
        if field.errors:
            return
        if queries.email_taken(field.data, except_user_id=self.own_user_id):
            raise ValidationError(EMAIL_TAKEN)

    def validate_phone(self, field) -> None:
        if field.errors or not field.data:
            return
        try:
            field.data = normalise_phone(field.data)
        except ValueError as error:
            raise ValidationError(
                _l("Vul een Nederlands telefoonnummer in, bijvoorbeeld 06 12345678 of 038 4211234.")
            ) from error

    def validate_postcode(self, field) -> None:
        if field.errors:
            return
        try:
            self.located = locate(field.data)
        except PostcodeError as error:
            raise ValidationError(translated(error)) from error
        field.data = self.located[0]

    def validate_house_number(self, field) -> None:
        if field.errors:
            return
        try:
            field.data = normalise_house_number(field.data)
        except PostcodeError as error:
            raise ValidationError(translated(error)) from error


class RegisterForm(PersonFields):
    password, password_repeat = new_password_fields(_l("Wachtwoord"))
    # Filled from the postcode's suggestions by the view; checked there, not here.
    initiative = RadioField(
        _l("Uw bewonersinitiatief"), choices=[], validators=[Optional()], validate_choice=False
    )
    # The 4-digit area the suggestions were last shown for: a second post without a
    # choice for the same area is a mistake, the first one is just the question.
    shown_for = HiddenField(validators=[Optional()])

    def keep_passwords(self) -> None:
        """Fill in the typed passwords again: for the step that only asks for the initiative,
        where nothing was wrong with them and retyping would be a needless hurdle."""
        for field in (self.password, self.password_repeat):
            field.widget = PasswordInput(hide_value=False)

    def validate_password(self, field) -> None:
        personal = (self.email.data or "", self.first_name.data or "", self.last_name.data or "")
        check_new_password(field, personal)


class LoginForm(AccountForm):
    email = EmailField(
        _l("E-mailadres"), validators=[required(_l("Vul uw e-mailadres in.")), MaxLength(254)]
    )
    password = PasswordField(
        _l("Wachtwoord"),
        validators=[required(_l("Vul uw wachtwoord in.")), MaxLength(PASSWORD_MAX)],
    )
    remember = BooleanField(_l("Ingelogd blijven op dit apparaat (30 dagen)"))


class PasswordForgotForm(AccountForm):
    email = email_field()


class NewPasswordForm(AccountForm):
    """A new password for a known user, checked against the rules and their own name."""

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def validate_password(self, field) -> None:
        user = self.user
        check_new_password(field, (user.email, user.first_name, user.last_name))


class PasswordResetForm(NewPasswordForm):
    password, password_repeat = new_password_fields()


class PasswordChangeForm(NewPasswordForm):
    current_password = PasswordField(
        _l("Huidig wachtwoord"),
        validators=[required(_l("Vul uw huidige wachtwoord in.")), MaxLength(PASSWORD_MAX)],
    )
    password, password_repeat = new_password_fields()


class ProfileForm(PersonFields):
    locale = SelectField(
        _l("Taal"),
        choices=LANGUAGES,
        validators=[required(_l("Kies een taal."))],
        validate_choice=True,
    )
    weekly_digest = BooleanField(
        _l("Stuur mij elke week een mail met nieuwe hulpvragen bij mij in de buurt")
    )


class DeleteAccountForm(AccountForm):
    password = PasswordField(
        _l("Uw wachtwoord"),
        validators=[required(_l("Vul uw wachtwoord in.")), MaxLength(PASSWORD_MAX)],
    )
