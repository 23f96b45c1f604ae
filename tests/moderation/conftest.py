"""An initiative with a coordinator, a connector, residents and a volunteer nearby."""

import pytest

from buurthulp.accounts.models import User
from buurthulp.extensions import db
from buurthulp.initiatives.models import Role


@pytest.fixture
def initiative(make):
    return make.initiative()


@pytest.fixture
def people(make, initiative):
    return {
        "coordinator": make.user(initiative=initiative, role=Role.COORDINATOR),
        "connector": make.user(initiative=initiative, role=Role.CONNECTOR),
        "anna": make.user(initiative=initiative, first_name="Anna"),
        "bert": make.user(initiative=initiative, first_name="Bert", postcode="8011AC"),
        "carla": make.user(initiative=initiative, first_name="Carla", postcode="8012AB"),
        "dirk": make.user(initiative=initiative, first_name="Dirk", postcode="8012AB"),
    }


def load(user) -> User:
    return db.session.get(User, user.id)
