"""Forms of the registry and the yearly survey. The registry's rules live in registry.check_entry;
the form only collects the values and shows its messages next to the fields."""

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import NumberRange, Optional

from buurthulp import labels
from buurthulp.forms import BaseForm
from buurthulp.i18n import translated_msgid
from buurthulp.listings.fields import MultiCheckboxField
from buurthulp.monitor import survey
from buurthulp.monitor.registry import DEFINITION, EntryProblems


def _definition(key: str) -> LazyString:
    # The text is an N_ msgid in registry.DEFINITION; translate it when the form is shown.
    return LazyString(translated_msgid, DEFINITION[key])


class ActionForm(BaseForm):
    """A button that only carries the CSRF token."""


class RegistryForm(BaseForm):
    name = StringField(_l("Naam van het initiatief"))
    pc4 = StringField(_l("Postcode (4 cijfers) van het gebied"))
    kind = SelectField(_l("Soort initiatief"), choices=labels.choices(labels.INITIATIVE_KINDS),
                       validate_choice=False)  # fmt: skip
    domains = MultiCheckboxField(_l("Domeinen"), choices=labels.choices(labels.DOMAINS),
                                 validate_choice=False)  # fmt: skip
    legal_form = SelectField(_l("Rechtsvorm"), choices=labels.choices(labels.LEGAL_FORMS),
                             validate_choice=False)  # fmt: skip
    phase = SelectField(_l("Fase"), choices=labels.choices(labels.PHASES), validate_choice=False)
    founding_year = StringField(_l("Jaar van oprichting"))
    contact_email = StringField(_l("E-mailadres voor contact (wordt openbaar getoond)"))
    website = StringField(_l("Website"))
    description = TextAreaField(_l("Wat doet het initiatief?"))
    uses_platform = BooleanField(_l("Wij gebruiken Buurthulp voor onze burenhulp"))
    residents_own = BooleanField(_definition("residents_own"))
    local = BooleanField(_definition("local"))
    structural = BooleanField(_definition("structural"))
    accessible = BooleanField(_definition("accessible"))

    DEFINITION_FIELDS = tuple(DEFINITION)

    def raw(self) -> dict:
        """The values as check_entry reads them (checkboxes as 'ja' or '')."""
        values = {
            name: self[name].data or ""
            for name in ("name", "pc4", "kind", "legal_form", "phase", "founding_year",
                         "contact_email", "website", "description")
        }  # fmt: skip
        values["domains"] = ";".join(d for d in (self.domains.data or []) if isinstance(d, str))
        for name in ("uses_platform", *DEFINITION):
            values[name] = "ja" if self[name].data else ""
        return values

    def add_problems(self, problems: EntryProblems) -> None:
        for name, (msgid, params) in problems.problems.items():
            target = self["residents_own"] if name == "definition" else self[name]
            target.errors = [*target.errors, translated_msgid(msgid) % params if params else
                             translated_msgid(msgid)]  # fmt: skip


def _count(label):
    return IntegerField(
        label,
        validators=[
            Optional(),
            NumberRange(min=0, max=1_000_000, message=_l("Vul een aantal in.")),
        ],
    )


class SurveyForm(BaseForm):
    volunteers = _count(_l("Hoeveel vrijwilligers zijn actief?"))
    members = _count(_l("Hoeveel leden heeft het initiatief?"))
    participants = _count(_l("Hoeveel mensen doen mee aan activiteiten of krijgen hulp?"))
    target_groups = MultiCheckboxField(_l("Voor wie is het initiatief?"))
    themes = MultiCheckboxField(_l("Thema's"))
    activities = MultiCheckboxField(_l("Activiteiten"))
    funding = MultiCheckboxField(_l("Waar komt het geld vandaan?"))
    legal_form = SelectField(_l("Rechtsvorm"), choices=labels.choices(labels.LEGAL_FORMS))
    needs = TextAreaField(_l("Wat heeft het initiatief nodig?"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, options in survey.OPTIONS.items():
            self[name].choices = [(key, translated_msgid(text)) for key, text in options.items()]
