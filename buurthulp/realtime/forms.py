"""The conversation's message form."""

import secrets

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, TextAreaField
from wtforms.validators import InputRequired, Length

from buurthulp.forms import BaseForm
from buurthulp.listings.fields import plain_text
from buurthulp.realtime.conversations import BODY_MAX


def new_client_key() -> str:
    return secrets.token_urlsafe(24)


class MessageForm(BaseForm):
    body = TextAreaField(
        _l("Uw bericht"),
        validators=[
            InputRequired(_l("Schrijf eerst een bericht.")),
            Length(max=BODY_MAX, message=_l("Maak het bericht korter: hoogstens %(max)d tekens.")),
            plain_text,
        ],
        render_kw={"maxlength": BODY_MAX, "rows": 4},
    )
    # Chosen when the form is shown: sending the same form twice stores one message.
    client_key = HiddenField(default=new_client_key)
