"""First accept wins, exactly once, when many accept at the same moment.

50 threads (each with its own app context, so its own session and connection), and
separately 4 processes (spawned, each building its own app on the same database URL),
accept the same request at once, through invitations and through the direct path.
Exactly one gets the match; everyone else gets "Deze hulpvraag is al vergeven."; no
other error. Runs on a file SQLite database and, with TEST_DATABASE_URL, on PostgreSQL.
"""

import multiprocessing
import threading

import pytest
from sqlalchemy import func, select

from buurthulp.accounts.models import User
from buurthulp.extensions import db
from buurthulp.listings.models import HelpRequest, RequestStatus
from buurthulp.matching import services
from buurthulp.matching.models import Invitation, InvitationStatus, Match
from tests.conftest import make_test_app
from tests.matching.flow_support import NOW

THREADS = 50
PROCESSES = 4
ALREADY_TAKEN = "Deze hulpvraag is al vergeven."
WON = "won"


@pytest.fixture(autouse=True)
def quiet_mail(monkeypatch):
    monkeypatch.setattr("buurthulp.matching.notify.send_mail", lambda **_: None)


def attempt(path: str, request_id: int, invitation_id: int, volunteer_id: int) -> str:
    """One accept, inside an app context; WON or the Dutch message it was refused with."""
    try:
        if path == "invitation":
            services.invitation_accept(
                invitation_id=invitation_id, volunteer_id=volunteer_id, now=NOW
            )
        else:
            volunteer = db.session.get(User, volunteer_id)
            services.request_accept(request_id=request_id, volunteer=volunteer, now=NOW)
    except services.MatchingError as error:
        return str(error)
    finally:
        db.session.remove()
    return WON


def world(make, app, count: int) -> tuple[int, list[tuple[int, int]]]:
    """A request and `count` invited volunteers: (request id, [(invitation id, volunteer id)])."""
    initiative = make.initiative()
    requester = make.user(initiative=initiative, email="vraag@example.nl")
    request = make.help_request(requester=requester, initiative=initiative, flexible_days=7)
    volunteers = [
        make.user(initiative=initiative, email=f"helper{n}@example.nl") for n in range(count)
    ]
    with app.app_context():
        invitations = [
            Invitation(request_id=request.id, volunteer_id=v.id, rank=n + 1, distance_km=0.1)
            for n, v in enumerate(volunteers)
        ]
        db.session.add_all(invitations)
        db.session.commit()
        pairs = [(i.id, i.volunteer_id) for i in invitations]
    return request.id, pairs


def assert_exactly_one_winner(app, results: list[str], request_id: int, path: str) -> None:
    assert results.count(WON) == 1, results
    assert [r for r in results if r != WON] == [ALREADY_TAKEN] * (len(results) - 1)
    with app.app_context():
        matches = db.session.execute(select(Match)).scalars().all()
        assert len(matches) == 1 and matches[0].request_id == request_id
        assert db.session.get(HelpRequest, request_id).status == RequestStatus.MATCHED
        states = dict(
            db.session.execute(
                select(Invitation.status, func.count()).group_by(Invitation.status)
            ).all()
        )
        assert states == {InvitationStatus.ACCEPTED: 1, InvitationStatus.CLOSED: len(results) - 1}
        winner = db.session.execute(
            select(Invitation).where(Invitation.status == InvitationStatus.ACCEPTED)
        ).scalar_one()
        assert winner.volunteer_id == matches[0].volunteer_id
        if path == "invitation":
            assert matches[0].invitation_id == winner.id


@pytest.mark.parametrize("path", ["invitation", "direct"])
def test_fifty_threads_accept_at_once(app, make, path):
    request_id, pairs = world(make, app, THREADS)
    barrier = threading.Barrier(THREADS)
    results: list[str] = []
    errors: list[BaseException] = []

    def run(invitation_id: int, volunteer_id: int) -> None:
        try:
            with app.app_context():
                barrier.wait(timeout=60)
                results.append(attempt(path, request_id, invitation_id, volunteer_id))
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=run, args=pair) for pair in pairs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert len(results) == THREADS
    assert_exactly_one_winner(app, results, request_id, path)


def accept_in_process(database_url, path, request_id, invitation_id, volunteer_id, barrier, out):
    """A spawned process: its own app, engine and session on the shared database."""
    app = make_test_app(database_url)
    try:
        with app.app_context():
            db.session.execute(select(1))  # connect before the start line
            db.session.remove()
            barrier.wait(timeout=120)
            out.put(attempt(path, request_id, invitation_id, volunteer_id))
    except BaseException as error:  # noqa: BLE001 - the parent asserts on what comes back
        out.put(f"error: {error!r}")
    finally:
        with app.app_context():
            db.engine.dispose()


@pytest.mark.parametrize("path", ["invitation", "direct"])
def test_four_processes_accept_at_once(app, make, database_url, path):
    request_id, pairs = world(make, app, PROCESSES)
    with app.app_context():
        db.engine.dispose()  # the children must not inherit anything; spawn starts clean anyway
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(PROCESSES)
    out = context.Queue()
    processes = [
        context.Process(
            target=accept_in_process,
            args=(database_url, path, request_id, invitation_id, volunteer_id, barrier, out),
        )
        for invitation_id, volunteer_id in pairs
    ]
    for process in processes:
        process.start()
    results = [out.get(timeout=180) for _ in processes]
    for process in processes:
        process.join(timeout=60)
        assert process.exitcode == 0
    assert_exactly_one_winner(app, results, request_id, path)
