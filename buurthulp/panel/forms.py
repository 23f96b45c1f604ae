"""Forms of the panel pages (and the residents' report form)."""

from flask_babel import lazy_gettext as _l
from wtforms import DateField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional, Regexp

from buurthulp import labels
from buurthulp.accounts.forms import email_field
from buurthulp.forms import BaseForm
from buurthulp.initiatives.models import Role
from buurthulp.listings.fields import DATE_FORMATS, plain_text
from buurthulp.moderation.models import FlagResolution, ModerationMode, SuspensionKind
from buurthulp.moderation.rules import REASON_MAX

PANEL_ROLE_CHOICES = [
    SelectChoice(role.value, labels.ROLES[role])
    for role in (Role.STREET_CONTACT, Role.CONNECTOR, Role.COORDINATOR)
]
MODE_LABELS = {
    ModerationMode.PRE: _l("Vooraf: elk bericht wacht op goedkeuring"),
    ModerationMode.FIRST_POST: _l(
        "Eerste bericht: alleen het eerste bericht van een nieuw lid wacht"
    ),
    ModerationMode.POST: _l("Achteraf: berichten staan er meteen en worden daarna bekeken"),
    ModerationMode.PEER: _l("Geen: alleen meldingen van bewoners worden bekeken"),
}
TOO_LONG = _l("Maak de tekst korter: hoogstens %(max)d tekens.")


def reason_field(label, required: bool = True):
    validators = [Length(max=REASON_MAX, message=TOO_LONG), plain_text]
    validators.insert(0, DataRequired(_l("Schrijf kort op waarom.")) if required else Optional())
    return TextAreaField(label, validators=validators)


class ActionForm(BaseForm):
    """A button that changes something: only the CSRF token."""


class RejectForm(BaseForm):
    reason = reason_field(_l("Waarom wordt het niet geplaatst? (de schrijver krijgt dit te lezen)"))


class ResolveForm(BaseForm):
    resolution = RadioField(
        _l("Wat doet u ermee?"),
        choices=[
            SelectChoice(FlagResolution.KEPT.value, _l("Laten staan")),
            SelectChoice(FlagResolution.REMOVED.value, _l("Weghalen")),
        ],
        validators=[InputRequired(_l("Kies laten staan of weghalen."))],
        invalid_choice_message=_l("Kies laten staan of weghalen."),
    )
    reason = reason_field(_l("Toelichting (voor het auditlog)"), required=False)


class ModeForm(BaseForm):
    mode = RadioField(
        _l("Hoe worden berichten bekeken?"),
        choices=labels.choices(MODE_LABELS),
        validators=[InputRequired(_l("Kies een manier van modereren."))],
        invalid_choice_message=_l("Kies een manier van modereren."),
    )


class SuspendForm(BaseForm):
    user_id = SelectField(
        _l("Wie"),
        coerce=str,
        validators=[DataRequired(_l("Kies een lid."))],
        validate_choice=False,  # the service checks membership, with a clear message
    )
    kind = RadioField(
        _l("Soort"),
        choices=[
            SelectChoice(SuspensionKind.SUSPEND.value, _l("Schorsen")),
            SelectChoice(SuspensionKind.BLOCK.value, _l("Blokkeren")),
        ],
        default=SuspensionKind.SUSPEND.value,
        validators=[InputRequired(_l("Kies schorsen of blokkeren."))],
        invalid_choice_message=_l("Kies schorsen of blokkeren."),
    )
    reason = reason_field(_l("Reden"))
    ends_on = DateField(
        _l("Tot en met"),
        format=DATE_FORMATS,
        validators=[InputRequired(_l("Vul een einddatum in, bijvoorbeeld 14-03-2026."))],
        invalid_value_message=_l("Vul een einddatum in, bijvoorbeeld 14-03-2026."),
    )


class LiftForm(BaseForm):
    reason = reason_field(_l("Toelichting"), required=False)


class StreetForm(BaseForm):
    name = StringField(
        _l("Naam van de straat of buurt"),
        validators=[
            DataRequired(_l("Vul een naam in.")),
            Length(max=120, message=TOO_LONG),
            plain_text,
        ],
    )
    pc4 = StringField(
        _l("Postcode (4 cijfers)"),
        validators=[
            Optional(),
            Regexp(r"^[1-9][0-9]{3}$", message=_l("Vul vier cijfers in, bijvoorbeeld 8011.")),
        ],
    )


class AssignForm(BaseForm):
    user_id = SelectField(
        _l("Straatcontactpersoon"),
        coerce=str,
        validators=[DataRequired(_l("Kies een straatcontactpersoon."))],
        validate_choice=False,
    )


class RoleForm(BaseForm):
    role = SelectField(
        _l("Rol"),
        choices=labels.choices(labels.ROLES),
        validators=[DataRequired(_l("Kies een rol."))],
        invalid_choice_message=_l("Kies een rol."),
    )


class InviteForm(BaseForm):
    email = email_field()
    role = SelectField(
        _l("Rol"),
        choices=PANEL_ROLE_CHOICES,
        validators=[DataRequired(_l("Kies een rol."))],
        invalid_choice_message=_l("Kies een rol."),
    )
    street_id = SelectField(
        _l("Straat (alleen voor een straatcontactpersoon)"),
        coerce=str,
        validators=[Optional()],
        validate_choice=False,
    )


class FlagForm(BaseForm):
    about = RadioField(
        _l("Wat wilt u melden?"),
        choices=[
            SelectChoice("post", _l("Dit bericht")),
            SelectChoice("person", _l("De persoon die het plaatste")),
        ],
        default="post",
        validators=[InputRequired(_l("Kies het bericht of de persoon."))],
        invalid_choice_message=_l("Kies het bericht of de persoon."),
    )
    reason = reason_field(_l("Wat is er aan de hand?"))


def form_int(value) -> int | None:
    """An id from a select field: a positive 32-bit integer, or None for anything else."""
    text = str(value or "").strip()
    if not text.isdigit() or len(text) > 10:
        return None
    number = int(text)
    return number if 0 < number < 2**31 else None
