"""Dutch postcodes: normalising, and locating them offline by their 4 digits.

The table (`data/nl_pc4.csv`, MIT, see `data/nl_pc4.LICENSE`) gives one
centroid per 4-digit area. That is the finest location we have; it is also the
only one we store, so a resident's exact address never becomes coordinates.
"""

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from buurthulp.translatable import N_, UserMessageError

TABLE = Path(__file__).parent / "data" / "nl_pc4.csv"
POSTCODE_RE = re.compile(r"^\s*([1-9][0-9]{3})\s*([A-Za-z]{2})\s*$")
# A number, then optionally an addition: separated ("7-2", "7 II") or a letter right after ("7a").
HOUSE_NUMBER_RE = re.compile(
    r"^\s*([1-9][0-9]{0,4})(?:\s*[-/ ]\s*([A-Za-z0-9]{1,6})|\s*([A-Za-z][A-Za-z0-9]{0,5}))?\s*$"
)
# Letter pairs PostNL does not issue (for historical reasons); a postcode with them is a typo.
UNUSED_LETTERS = {"SA", "SD", "SS"}
PROVINCE_SPELLING = {"Friesland": "Fryslân"}


class PostcodeError(UserMessageError):
    """A postcode that is malformed, unknown or not residential; the message is for the user."""


@dataclass(frozen=True, slots=True)
class PostcodeArea:
    pc4: str
    place: str
    municipality: str
    province: str
    latitude: float
    longitude: float


@cache
def _table() -> dict[str, tuple[PostcodeArea, str]]:
    rows: dict[str, tuple[PostcodeArea, str]] = {}
    with TABLE.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            province = PROVINCE_SPELLING.get(row["provincie"], row["provincie"])
            area = PostcodeArea(
                pc4=row["postcode"],
                place=row["woonplaats"],
                municipality=row["gemeente"],
                province=province,
                latitude=float(row["latitude"]),
                longitude=float(row["longitude"]),
            )
            rows[row["postcode"]] = (area, row["soort"])
    return rows


def normalise_postcode(raw: str) -> str:
    """'1234 ab' -> '1234AB'; raises PostcodeError for anything that is not a postcode."""
    match = POSTCODE_RE.match(raw or "")
    if not match:
        raise PostcodeError(
            N_("Vul een postcode in met 4 cijfers en 2 letters, bijvoorbeeld 8011 AB.")
        )
    digits, letters = match.group(1), match.group(2).upper()
    if letters in UNUSED_LETTERS:
        raise PostcodeError(
            N_("Postcodes met de letters %(letters)s bestaan niet. Kijk de postcode na."),
            letters=letters,
        )
    return digits + letters


def normalise_house_number(raw: str) -> str:
    """'12 a' -> '12a', '7-II' -> '7-II'; raises PostcodeError when there is no number."""
    match = HOUSE_NUMBER_RE.match(raw or "")
    if not match:
        raise PostcodeError(N_("Vul een huisnummer in, bijvoorbeeld 12 of 12a."))
    number, separated, attached = match.groups()
    addition = separated or attached
    if not addition:
        return number
    return (
        f"{number}{addition.lower()}"
        if addition.isalpha() and len(addition) == 1
        else (f"{number}-{addition.upper()}")
    )


def lookup_pc4(pc4: str) -> PostcodeArea:
    """The residential area of a 4-digit postcode; PostcodeError if unknown or PO-box only."""
    found = _table().get(pc4)
    if found is None or found[1] == "Onbekend":
        raise PostcodeError(
            N_(
                "Postcode %(pc4)s kennen we niet. Kijk de postcode na; klopt hij, neem dan "
                "contact op met uw bewonersinitiatief."
            ),
            pc4=pc4,
        )
    area, kind = found
    if kind == "Postbus":
        raise PostcodeError(
            N_("Postcode %(pc4)s is alleen voor postbussen. Vul de postcode van uw woonadres in."),
            pc4=pc4,
        )
    return area


def locate(raw_postcode: str) -> tuple[str, PostcodeArea]:
    """Normalise a full postcode and find its area: ('8011AB', PostcodeArea(...))."""
    postcode = normalise_postcode(raw_postcode)
    return postcode, lookup_pc4(postcode[:4])


def known_pc4(pc4: str) -> bool:
    try:
        lookup_pc4(pc4)
    except PostcodeError:
        return False
    return True
