import pytest

from buurthulp.geo.postcodes import PostcodeError
from buurthulp.initiatives.suggestions import initiatives_for_postcode, suggestions_for_postcode


def names(initiatives) -> list[str]:
    return [i.name for i in initiatives]


def test_serving_initiatives_first_then_nearby_by_distance(ctx, make):
    make.initiative(name="Zorgcoöperatie Deventer", pc4s=("7411",))  # about 29 km: too far
    make.initiative(name="Noaberzorg Raalte", pc4s=("8101",))  # about 17 km
    make.initiative(name="Burenhulp Holtenbroek", pc4s=("8031", "8032"))  # about 2.5 km
    make.initiative(name="Stadsdorp Assendorp", pc4s=("8012", "8011"))
    make.initiative(name="Burenhulp Binnenstad", pc4s=("8011",))
    make.initiative(name="Zorgzaam Stitswerd", pc4s=("9999",))
    assert names(initiatives_for_postcode("8011")) == [
        "Burenhulp Binnenstad",
        "Stadsdorp Assendorp",
        "Burenhulp Holtenbroek",
        "Noaberzorg Raalte",
    ]


def test_suggestions_say_whether_they_serve_and_how_far(ctx, make):
    make.initiative(name="Noaberzorg Raalte", pc4s=("8101",))
    make.initiative(name="Burenhulp Binnenstad", pc4s=("8011",))
    serving, nearby = suggestions_for_postcode("8011")
    assert (serving.initiative.name, serving.serves, serving.distance_km) == (
        "Burenhulp Binnenstad",
        True,
        0.0,
    )
    assert nearby.serves is False
    assert nearby.distance_km == pytest.approx(17.3, abs=1.0)


def test_distance_is_to_the_nearest_area_an_initiative_serves(ctx, make):
    make.initiative(name="Wijdverspreid", pc4s=("7411", "8012"))  # Deventer and Zwolle-Zuid
    [suggestion] = suggestions_for_postcode("8011")
    assert suggestion.serves is False
    assert suggestion.distance_km < 2


def test_radius_is_a_parameter(ctx, make):
    make.initiative(name="Noaberzorg Raalte", pc4s=("8101",))
    assert names(initiatives_for_postcode("8011", radius_km=10)) == []
    assert names(initiatives_for_postcode("8011", radius_km=20)) == ["Noaberzorg Raalte"]


def test_nothing_near_gives_an_empty_list(ctx, make):
    make.initiative(name="Burenhulp Amersfoort", pc4s=("3811",))
    assert initiatives_for_postcode("8011") == []


@pytest.mark.parametrize("pc4", ["1234", "1000"])
def test_unknown_or_po_box_area_raises(ctx, pc4):
    with pytest.raises(PostcodeError):
        initiatives_for_postcode(pc4)
