"""The Dichtbij filters: a GET form whose unknown values fall back to the defaults."""

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectField
from wtforms.fields.choices import SelectChoice

from buurthulp import labels
from buurthulp.forms import BaseForm
from buurthulp.listings.fields import distance_choices
from buurthulp.listings.models import Category
from buurthulp.listings.queries import DEFAULT_RADIUS_KM, ListingType


class NearbyForm(BaseForm):
    """The Dichtbij filters: a GET form. A value we do not know falls back to the default."""

    class Meta:
        csrf = False

    radius = SelectField(_l("Afstand"), default=f"{DEFAULT_RADIUS_KM:g}")
    type = RadioField(
        _l("Wat wilt u zien?"),
        default=ListingType.BOTH.value,
        choices=[
            SelectChoice(ListingType.BOTH.value, _l("Beide")),
            SelectChoice(ListingType.REQUESTS.value, _l("Hulpvragen")),
            SelectChoice(ListingType.OFFERS.value, _l("Aanbod")),
        ],
    )
    category = SelectField(
        _l("Soort hulp"),
        default="",
        choices=[SelectChoice("", _l("Alle soorten")), *labels.choices(labels.CATEGORIES)],
    )

    NOTES = {
        "radius": _l("Die afstand kennen we niet; u ziet alles binnen 2 km."),
        "type": _l("Die keuze kennen we niet; u ziet hulpvragen en aanbod."),
        "category": _l("Die soort hulp kennen we niet; u ziet alle soorten."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.radius.choices = distance_choices()

    def fall_back(self) -> list:
        """Reset every unknown value to its default; return a Dutch note for each."""
        notes = []
        for name, note in self.NOTES.items():
            field = self[name]
            if field.raw_data and not field.validate(self):
                field.data = field.default
                field.errors = []
                notes.append(note)
            elif field.data is None:
                field.data = field.default
        return notes

    @property
    def radius_km(self) -> float:
        return float(self.radius.data)

    @property
    def listing_type(self) -> ListingType:
        return ListingType(self.type.data)

    @property
    def category_value(self) -> Category | None:
        return Category(self.category.data) if self.category.data else None


def parse_page(raw: str | None) -> tuple[int, bool]:
    """The page number asked for, and whether it was usable (a positive whole number)."""
    if raw is None or raw == "":
        return 1, True
    if raw.isascii() and raw.isdigit() and len(raw) <= 6 and int(raw) >= 1:
        return int(raw), True
    return 1, False
