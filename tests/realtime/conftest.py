"""A match between Anna (requester) and Bert (volunteer), and Carla who is neither."""

from dataclasses import dataclass

import pytest

from buurthulp.extensions import db
from buurthulp.listings.models import RequestStatus
from buurthulp.matching.models import Match, MatchStatus


@dataclass
class Pair:
    requester: object
    volunteer: object
    outsider: object
    match_id: int
    request_id: int


@pytest.fixture
def pair(app, make) -> Pair:
    initiative = make.initiative()
    anna = make.user(initiative=initiative, first_name="Anna", last_name="Verhoeven")
    bert = make.user(initiative=initiative, first_name="Bert", last_name="Jansen")
    carla = make.user(initiative=initiative, first_name="Carla", last_name="Smit")
    help_request = make.help_request(requester=anna, initiative=initiative)
    with app.app_context():
        match = Match(request_id=help_request.id, volunteer_id=bert.id, status=MatchStatus.ACCEPTED)
        db.session.add(match)
        db.session.get(type(help_request), help_request.id).status = RequestStatus.MATCHED
        db.session.commit()
        match_id = match.id
    return Pair(anna, bert, carla, match_id, help_request.id)


def socket_client(app, client, **kwargs):
    """A Flask-SocketIO test client that carries the Flask test client's login cookie."""
    return app.extensions["socketio"].test_client(app, flask_test_client=client, **kwargs)


def events_of(socket) -> list[dict]:
    return [m["args"][0] for m in socket.get_received() if m["name"] == "event"]
