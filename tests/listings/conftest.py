"""Shared people and places for the listings tests.

Anna (the requester) lives in 8011 (Zwolle centre); Bert (a neighbour) in 8021,
about 1 km away. Both belong to Burenhulp Zwolle. Carla belongs to another
initiative in Amersfoort. House number and postcode are unusual on purpose, so
the privacy tests can look for them in a page.
"""

import pytest

from buurthulp.initiatives.models import Role

ANNA_HOUSE_NUMBER = "387"
ANNA_POSTCODE = "8011PX"


@pytest.fixture
def initiative(make):
    return make.initiative(name="Burenhulp Zwolle", pc4s=("8011", "8012", "8021", "8041"))


@pytest.fixture
def other_initiative(make):
    return make.initiative(name="Buurtcollectief Amersfoort", pc4s=("3811",))


@pytest.fixture
def anna(make, initiative):
    return make.user(
        first_name="Anna",
        last_name="de Vries",
        postcode=ANNA_POSTCODE,
        house_number=ANNA_HOUSE_NUMBER,
        street_name="Diezerstraat",
        initiative=initiative,
    )


@pytest.fixture
def bert(make, initiative):
    return make.user(
        first_name="Bert",
        last_name="Bakker",
        postcode="8021AB",
        house_number="5",
        street_name="Assendorperstraat",
        initiative=initiative,
    )


@pytest.fixture
def carla(make, other_initiative):
    return make.user(
        first_name="Carla",
        last_name="Smit",
        postcode="3811AA",
        house_number="9",
        street_name="Langestraat",
        initiative=other_initiative,
    )


@pytest.fixture
def connector(make, initiative):
    return make.user(
        first_name="Dirk",
        last_name="Mulder",
        postcode="8012AA",
        street_name="Thorbeckegracht",
        initiative=initiative,
        role=Role.CONNECTOR,
    )


@pytest.fixture
def rctx(app):
    """A request context, for tests that read Dutch messages (they are translated lazily)."""
    with app.test_request_context():
        yield
