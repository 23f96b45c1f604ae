"""The register page's initiative step: suggest initiatives from the postcode, without JavaScript.

The first post with a valid postcode and no choice is answered with the
suggestions as radio buttons (nothing typed is lost). When exactly one
initiative serves the 4-digit area, it is chosen without asking.
"""

from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from buurthulp.accounts.forms import RegisterForm, add_error
from buurthulp.geo.distance import distance_band
from buurthulp.i18n import translated_msgid
from buurthulp.initiatives.suggestions import RADIUS_KM, Suggestion, suggestions_for_postcode


def suggestion_label(suggestion: Suggestion) -> str:
    initiative = suggestion.initiative
    if suggestion.serves:
        return _("%(name)s (werkt in uw buurt)", name=initiative.name)
    return _(
        "%(name)s in %(municipality)s (%(band)s van uw buurt)",
        name=initiative.name,
        municipality=initiative.municipality,
        band=translated_msgid(distance_band(suggestion.distance_km)),
    )


def choose_initiative(form: RegisterForm) -> bool:
    """Fill the initiative choices from the postcode; True while the person still has to pick.

    Errors (no initiative near, no choice after being asked) go on the fields.
    """
    if form.located is None:
        form.shown_for.data = ""
        return False
    pc4 = form.located[1].pc4
    suggestions = suggestions_for_postcode(pc4)
    if not suggestions:
        add_error(
            form.postcode,
            _(
                "Er is nog geen bewonersinitiatief binnen %(km)s km van postcode %(pc4)s, dus "
                "aanmelden kan hier nog niet. Wilt u er een beginnen? Vraag uw gemeente naar "
                "bewonersinitiatieven.",
                km=int(RADIUS_KM),
                pc4=pc4,
            ),
        )
        return False
    form.initiative.choices = [
        SelectChoice(str(s.initiative.id), suggestion_label(s)) for s in suggestions
    ]
    asked_before = form.shown_for.data == pc4
    form.shown_for.data = pc4
    if form.initiative.data in {choice.value for choice in form.initiative.choices}:
        return False
    form.initiative.data = None
    serving = [s for s in suggestions if s.serves]
    if len(serving) == 1:
        form.initiative.data = str(serving[0].initiative.id)
        return False
    if asked_before:
        add_error(form.initiative, _("Kies het bewonersinitiatief waar u bij wilt horen."))
        return False
    return True


def register_values(form: RegisterForm, *, locale: str) -> dict:
    """The keyword arguments of services.user_register from a valid form."""
    return {
        "first_name": form.first_name.data,
        "last_name": form.last_name.data,
        "email": form.email.data,
        "phone": form.phone.data or None,
        "postcode": form.postcode.data,
        "house_number": form.house_number.data,
        "street_name": form.street_name.data,
        "password": form.password.data,
        "initiative_id": int(form.initiative.data),
        "locale": locale,
    }
