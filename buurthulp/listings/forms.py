"""Forms for help requests, help offers and "Ik wil helpen".

The rules behind "when" and the offer fields live in listings.rules; the forms
run them too, so every problem shows at once, next to its field.
"""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    RadioField,
    SelectField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from buurthulp import labels
from buurthulp.forms import BaseForm
from buurthulp.listings import availability as slots
from buurthulp.listings.clock import local_today
from buurthulp.listings.fields import (
    DATE_FORMATS,
    DAY_LABELS,
    FIXED,
    FLEXIBLE,
    PART_LABELS,
    SLOT_KEYS,
    SLOT_KEYS_IN_ORDER,
    TIME_FORMATS,
    Chosen,
    MultiCheckboxField,
    SubmissionTokenField,
    description_field,
    distance_choices,
    initiative_field,
    km_label,
    plain_text,
    title_field,
)
from buurthulp.listings.models import Category, Recurrence, Urgency
from buurthulp.listings.queries import DEFAULT_RADIUS_KM
from buurthulp.listings.rules import (
    DISTANCES_KM,
    FLEXIBLE_DAYS_MAX,
    MESSAGE_MAX,
    OfferFields,
    RequestFields,
    offer_errors,
    request_when_errors,
)


class RuleForm(BaseForm):
    """A form that can show the messages of a broken service rule next to its fields."""

    def add_errors(self, errors: dict) -> list:
        """Put each message next to its field; return those that belong to no field."""
        leftover = []
        for name, message in errors.items():
            if name and name in self:
                if not self[name].errors:
                    self[name].errors = [message]
            else:
                leftover.append(message)
        return leftover


class ListingForm(RuleForm):
    """Shared by the request and offer forms: the choice of initiative, and the one-time
    token that makes posting a new listing idempotent (edit pages delete it)."""

    submission_token = SubmissionTokenField()

    def set_initiatives(self, initiatives) -> None:
        """Offer a choice only when there is one to make; default the first."""
        if len(initiatives) < 2:
            del self["initiative_id"]
            return
        self.initiative_id.choices = [SelectChoice(i.id, i.name) for i in initiatives]
        if not self.is_submitted():
            self.initiative_id.data = initiatives[0].id

    def chosen_initiative_id(self, initiatives) -> int:
        if "initiative_id" in self:
            return self.initiative_id.data
        return initiatives[0].id


class RequestForm(ListingForm):
    initiative_id = initiative_field()
    title = title_field(_l("Waar heeft u hulp bij nodig?"))
    description = description_field(_l("Vertel er iets meer over"))
    category = RadioField(
        _l("Soort hulp"),
        choices=labels.choices(labels.CATEGORIES),
        validators=[Chosen()],
        invalid_choice_message=_l("Kies een soort hulp."),
    )
    when = RadioField(
        _l("Wanneer"),
        choices=[
            SelectChoice(FIXED, _l("Op een vaste dag")),
            SelectChoice(FLEXIBLE, _l("Flexibel")),
        ],
        default=FIXED,
        validators=[Chosen()],
        invalid_choice_message=_l("Kies een vaste dag of flexibel."),
    )
    on_date = DateField(
        _l("Datum"),
        format=DATE_FORMATS,
        validators=[Optional()],
        invalid_value_message=_l("Vul een datum in, bijvoorbeeld 14-03-2026."),
    )
    time_from = TimeField(
        _l("Van"),
        format=TIME_FORMATS,
        validators=[Optional()],
        invalid_value_message=_l("Vul een tijd in, bijvoorbeeld 10:00."),
    )
    time_until = TimeField(
        _l("Tot"),
        format=TIME_FORMATS,
        validators=[Optional()],
        invalid_value_message=_l("Vul een tijd in, bijvoorbeeld 12:00."),
    )
    flexible_days = IntegerField(
        _l("Binnen hoeveel dagen?"),
        validators=[Optional()],
        invalid_value_message=_l("Vul een aantal dagen in, bijvoorbeeld 7."),
        render_kw={"min": 1, "max": FLEXIBLE_DAYS_MAX, "inputmode": "numeric"},
    )
    urgency = RadioField(
        _l("Hoe dringend is het?"),
        choices=labels.choices(labels.URGENCIES),
        default=Urgency.NORMAL.value,
        validators=[Chosen()],
        invalid_choice_message=_l("Kies hoe dringend het is."),
    )
    recurrence = RadioField(
        _l("Hoe vaak?"),
        choices=labels.choices(labels.RECURRENCES),
        default=Recurrence.ONCE.value,
        validators=[Chosen()],
        invalid_choice_message=_l("Kies eenmalig of elke week."),
    )
    needs_car = BooleanField(_l("Er is een auto nodig"))

    previous_date = None  # an edit may keep a date that has passed

    def validate(self, extra_validators=None) -> bool:
        super().validate(extra_validators)
        if self.when.data in (FIXED, FLEXIBLE):
            flexible = self.when.data == FLEXIBLE
            # Whatever is in the fields of the other choice does not count.
            unused = (
                (self.on_date, self.time_from, self.time_until)
                if flexible
                else (self.flexible_days,)
            )
            for field in unused:
                field.errors = []
            errors = request_when_errors(
                on_date=None if flexible else self.on_date.data,
                time_from=None if flexible else self.time_from.data,
                time_until=None if flexible else self.time_until.data,
                flexible_days=(self.flexible_days.data or 0) if flexible else None,
                today=local_today(),
                previous_date=self.previous_date,
            )
            self.add_errors(errors)
        return not self.errors

    def request_fields(self) -> RequestFields:
        flexible = self.when.data == FLEXIBLE
        return RequestFields(
            title=self.title.data or "",
            description=self.description.data or "",
            category=Category(self.category.data),
            on_date=None if flexible else self.on_date.data,
            time_from=None if flexible else self.time_from.data,
            time_until=None if flexible else self.time_until.data,
            flexible_days=self.flexible_days.data if flexible else None,
            urgency=Urgency(self.urgency.data),
            recurrence=Recurrence(self.recurrence.data),
            needs_car=bool(self.needs_car.data),
        )


class OfferForm(ListingForm):
    initiative_id = initiative_field()
    title = title_field(_l("Wat wilt u doen voor een ander?"))
    description = description_field(_l("Vertel er iets meer over"))
    categories = MultiCheckboxField(
        _l("Waarmee kunt u helpen?"),
        choices=labels.choices(labels.CATEGORIES),
        invalid_choice_message=_l("Kies soorten hulp uit de lijst."),
    )
    availability = MultiCheckboxField(
        _l("Wanneer kunt u meestal?"),
        choices=[SelectChoice(key) for key in SLOT_KEYS_IN_ORDER],
        invalid_choice_message=_l("Kies dagdelen uit de tabel."),
    )
    max_distance_km = SelectField(
        _l("Hoe ver wilt u hoogstens gaan?"),
        coerce=float,
        default=DEFAULT_RADIUS_KM,
        validators=[Chosen()],
        invalid_value_message=_l("Kies een afstand uit de lijst."),
        invalid_choice_message=_l("Kies een afstand uit de lijst."),
    )
    has_car = BooleanField(_l("Ik heb een auto"))
    paused_until = DateField(
        _l("Op vakantie tot en met"),
        format=DATE_FORMATS,
        validators=[Optional()],
        invalid_value_message=_l("Vul een datum in, bijvoorbeeld 14-03-2026."),
    )

    previous_paused = None  # an edit may keep a date that has passed
    previous_distance = None  # ... and a distance that is no longer a choice

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_distance_km.choices = distance_choices()
        current = self.max_distance_km.data
        # An older offer may have a distance that is no longer a choice: keep it selectable.
        if isinstance(current, float) and current not in DISTANCES_KM and 0 < current <= 50:
            self.max_distance_km.choices.append(SelectChoice(f"{current:g}", km_label(current)))

    def availability_mask(self) -> int:
        keys = set(self.availability.data or []) & SLOT_KEYS
        return slots.mask_from_slots([slots.parse_slot_key(key) for key in keys])

    def availability_rows(self) -> list:
        """(day, [(key, part, checked), ...]) per day, for the checkbox table."""
        chosen = set(self.availability.data or [])
        return [
            (
                day_label,
                [
                    (slots.slot_key(day, part), part_label, slots.slot_key(day, part) in chosen)
                    for part, part_label in enumerate(PART_LABELS)
                ],
            )
            for day, day_label in enumerate(DAY_LABELS)
        ]

    def validate(self, extra_validators=None) -> bool:
        super().validate(extra_validators)
        # Fields that already have an error keep it; the rules fill in the rest.
        self.add_errors(
            offer_errors(
                fields=self.offer_fields(),
                today=local_today(),
                previous_paused=self.previous_paused,
                previous_distance=self.previous_distance,
            )
        )
        return not self.errors

    def offer_fields(self) -> OfferFields:
        """What was filled in; values that are not a choice are left out."""
        known = {c.value for c in Category}
        distance = self.max_distance_km.data
        return OfferFields(
            title=self.title.data or "",
            description=self.description.data or "",
            categories=tuple(Category(v) for v in self.categories.data or [] if v in known),
            availability=self.availability_mask(),
            max_distance_km=distance if isinstance(distance, float) else 0.0,
            has_car=bool(self.has_car.data),
            paused_until=self.paused_until.data,
        )


class HelpForm(RuleForm):
    message = TextAreaField(
        _l("Bericht aan de hulpvrager (mag leeg blijven)"),
        validators=[
            Optional(),
            Length(
                max=MESSAGE_MAX, message=_l("Maak uw bericht korter: hoogstens %(max)d tekens.")
            ),
            plain_text,
        ],
        render_kw={"maxlength": MESSAGE_MAX, "rows": 3},
    )
