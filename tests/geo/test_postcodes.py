import pytest

from buurthulp.geo.postcodes import (
    PostcodeError,
    known_pc4,
    locate,
    lookup_pc4,
    normalise_house_number,
    normalise_postcode,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1234 ab", "1234AB"), ("8011AB", "8011AB"), (" 8011  ab ", "8011AB"), ("3811xz", "3811XZ")],
)
def test_postcode_is_normalised(raw, expected):
    assert normalise_postcode(raw) == expected


@pytest.mark.parametrize(
    "raw", ["", "1234", "0123AB", "12345AB", "ABCD12", "1234 A", "1234SS", None]
)
def test_malformed_postcode_is_refused_in_dutch(raw):
    with pytest.raises(PostcodeError) as error:
        normalise_postcode(raw)
    assert "postcode" in str(error.value).lower() or "bestaan niet" in str(error.value)


def test_known_residential_postcode_is_located():
    postcode, area = locate("8011 ab")
    assert postcode == "8011AB"
    assert area.place == "Zwolle"
    assert area.province == "Overijssel"
    assert 52.4 < area.latitude < 52.6 and 6.0 < area.longitude < 6.2


def test_po_box_only_postcode_gets_a_clear_error():
    with pytest.raises(PostcodeError, match="postbus"):
        lookup_pc4("1000")


def test_unknown_postcode_is_not_guessed():
    with pytest.raises(PostcodeError, match="kennen we niet"):
        lookup_pc4("1002")  # 'Onbekend' in the table
    assert not known_pc4("0999")


def test_friesland_uses_the_official_province_name():
    _, area = locate("8911AA")  # Leeuwarden
    assert area.province == "Fryslân"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("12", "12"), ("12 a", "12a"), ("12A", "12a"), ("7-II", "7-II"), ("101 bis", "101-BIS")],
)
def test_house_number_is_normalised(raw, expected):
    assert normalise_house_number(raw) == expected


@pytest.mark.parametrize("raw", ["", "a", "0", "abc12", "123456"])
def test_house_number_without_a_number_is_refused(raw):
    with pytest.raises(PostcodeError):
        normalise_house_number(raw)
