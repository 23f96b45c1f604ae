"""The generated residents: the same every time, at real postcodes."""

from buurthulp.demo.accounts import DEMO_ACCOUNTS, demo_residents
from buurthulp.demo.initiatives import SPECS
from buurthulp.demo.people import ascii_slug, generate_residents
from buurthulp.geo.postcodes import locate


def test_the_same_seed_gives_the_same_residents():
    assert generate_residents(7) == generate_residents(7)
    assert generate_residents(7) != generate_residents(8)


def test_about_two_hundred_with_unique_emails():
    everyone = demo_residents() + generate_residents()
    assert len(everyone) == 200
    assert len({r.email for r in everyone}) == len(everyone)
    assert len(DEMO_ACCOUNTS) == 5


def test_every_postcode_is_a_residential_area_the_initiative_serves():
    served = {spec.slug: set(spec.pc4s) for spec in SPECS}
    for resident in demo_residents() + generate_residents():
        postcode, _area = locate(resident.postcode)  # raises for an unknown area
        assert postcode[:4] in served[resident.initiative_slug]


def test_ascii_slug_for_email_addresses():
    assert ascii_slug("van 't Hof") == "vanthof"
    assert ascii_slug("Ayşe") == "ayse"
    assert ascii_slug("Zoë") == "zoe"
