"""Retention: personal data of long-closed requests goes, anonymous counts stay."""

import threading
from datetime import UTC, datetime

from sqlalchemy import func, select

from buurthulp.extensions import db
from buurthulp.listings.models import Category, HelpRequest, HelpResponse, RequestStatus
from buurthulp.matching.models import Invitation, Match, MatchStatus
from buurthulp.scheduler.jobs import retention
from buurthulp.scheduler.models import Delivery, RequestAnonymisation
from buurthulp.scheduler.runner import run_job
from tests.scheduler.conftest import NOW, at


def closed_request(app, make, people, *, status, closed_at, title="Steunkousen aantrekken"):
    request = make.help_request(
        requester=people.anna,
        initiative=people.initiative,
        title=title,
        description="Ik heb last van mijn benen na de operatie.",
        category=Category.COMPANY,
        flexible_days=7,
        status=status,
        created_at=closed_at,
        updated_at=closed_at,
    )
    with app.app_context():
        db.session.add_all(
            [
                Match(
                    request_id=request.id,
                    volunteer_id=people.bert.id,
                    status=MatchStatus.DONE,
                    hours=1.5,
                    requester_feedback="Bert was heel lief voor mijn moeder.",
                    volunteer_feedback="Mevrouw woont op driehoog.",
                    created_at=closed_at,
                    closed_at=closed_at,
                ),
                HelpResponse(
                    request_id=request.id, volunteer_id=people.bert.id, message="Ik bel even aan"
                ),
                Invitation(request_id=request.id, volunteer_id=people.bert.id),
            ]
        )
        db.session.commit()
    return request.id


def snapshot(request_id: int) -> dict:
    db.session.expire_all()
    r = db.session.get(HelpRequest, request_id)
    m = db.session.execute(select(Match).where(Match.request_id == request_id)).scalar_one()
    response = db.session.execute(
        select(HelpResponse).where(HelpResponse.request_id == request_id)
    ).scalar_one()
    return {
        "request": (r.title, r.description, r.street_name, r.requester_id),
        "kept": (r.initiative_id, r.category, r.status, r.place, r.created_at, r.updated_at),
        "match": (m.requester_feedback, m.volunteer_feedback, m.close_reason, m.volunteer_id),
        "match_kept": (m.status, m.hours, m.closed_at),
        "response": (response.message, response.volunteer_id),
    }


def test_long_closed_requests_lose_personal_data_and_keep_counts(app, ctx, make, people):
    old_closed = at(-19 * 31)
    done = closed_request(app, make, people, status=RequestStatus.DONE, closed_at=old_closed)
    withdrawn = closed_request(
        app, make, people, status=RequestStatus.WITHDRAWN, closed_at=old_closed
    )
    recent = closed_request(app, make, people, status=RequestStatus.DONE, closed_at=at(-30))
    still_open = closed_request(app, make, people, status=RequestStatus.OPEN, closed_at=old_closed)
    before = {i: snapshot(i) for i in (recent, still_open)}
    assert retention.job(NOW) == {
        "anonymised": 2,
        "deliveries_removed": 0,
        "cutoff": "2025-05-23T09:00:00+00:00",
    }
    for request_id, status in ((done, RequestStatus.DONE), (withdrawn, RequestStatus.WITHDRAWN)):
        after = snapshot(request_id)
        assert after["request"] == ("", "", "", None)
        assert after["match"] == ("", "", "", None)
        assert after["response"] == ("", None)
        assert after["kept"][:4] == (
            people.initiative.id,
            Category.COMPANY,
            status,
            "Zwolle",
        )
        assert after["kept"][4:] == (old_closed, old_closed)
        assert after["match_kept"] == (MatchStatus.DONE, 1.5, old_closed)
    assert {i: snapshot(i) for i in (recent, still_open)} == before
    # Counts per initiative, category, status and month are still there.
    counts = db.session.execute(
        select(HelpRequest.category, HelpRequest.status, func.count())
        .group_by(HelpRequest.category, HelpRequest.status)
        .order_by(HelpRequest.status)
    ).all()
    assert [(c, s, n) for c, s, n in counts] == [
        (Category.COMPANY, RequestStatus.DONE, 2),
        (Category.COMPANY, RequestStatus.OPEN, 1),
        (Category.COMPANY, RequestStatus.WITHDRAWN, 1),
    ]
    # Idempotent: nothing more the second time, and the same end state.
    end_state = snapshot(done)
    assert retention.job(NOW) == {
        "anonymised": 0,
        "deliveries_removed": 0,
        "cutoff": "2025-05-23T09:00:00+00:00",
    }
    assert snapshot(done) == end_state


def test_old_delivery_records_go_too(ctx, people):
    db.session.add_all(
        [
            Delivery(
                job_id="weekly_digest", key="old", user_id=people.bert.id, created_at=at(-600)
            ),
            Delivery(job_id="weekly_digest", key="new", user_id=people.bert.id, created_at=at(-7)),
        ]
    )
    db.session.commit()
    assert retention.job(NOW)["deliveries_removed"] == 1
    assert db.session.execute(select(Delivery.key)).scalars().all() == ["new"]


def test_retention_months_are_configurable(app, ctx, make, people):
    request_id = closed_request(app, make, people, status=RequestStatus.DONE, closed_at=at(-100))
    app.config["RETENTION_MONTHS"] = 3
    assert retention.job(NOW)["anonymised"] == 1
    assert snapshot(request_id)["request"] == ("", "", "", None)


def test_months_before_clamps_to_the_end_of_a_month():
    moment = datetime(2026, 5, 31, 12, tzinfo=UTC)
    assert retention.months_before(moment, 3) == datetime(2026, 2, 28, 12, tzinfo=UTC)
    assert retention.months_before(moment, 17) == datetime(2024, 12, 31, 12, tzinfo=UTC)


def test_concurrent_retention_runs_anonymise_each_request_once(app, make, people):
    ids = [
        closed_request(app, make, people, status=RequestStatus.DONE, closed_at=at(-600))
        for _ in range(5)
    ]
    barrier = threading.Barrier(4)
    results, errors = [], []

    def run(locked: bool):
        try:
            with app.app_context():
                barrier.wait(timeout=30)
                results.append(run_job("retention", now=NOW) if locked else retention.job(NOW))
                db.session.remove()
        except BaseException as error:  # noqa: BLE001 - asserted below
            errors.append(error)

    threads = [threading.Thread(target=run, args=(n % 2 == 0,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    # Each request counted by exactly one run; a locked run that lost the lock got None.
    assert sum(r["anonymised"] for r in results if r) == 5
    with app.app_context():
        rows = db.session.execute(select(RequestAnonymisation.request_id)).scalars().all()
        assert sorted(rows) == sorted(ids)
        assert all(snapshot(i)["request"] == ("", "", "", None) for i in ids)
