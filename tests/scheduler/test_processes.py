"""Jobs started in several processes at once (a second scheduler, a manual run-job) on the
same database: every mail goes out once and the end state is the same. Runs on a file
SQLite database and, with TEST_DATABASE_URL, on PostgreSQL."""

import multiprocessing

from sqlalchemy import select

from buurthulp.extensions import db
from buurthulp.listings.models import HelpRequest, RequestStatus
from buurthulp.scheduler.models import Delivery
from tests.conftest import make_test_app
from tests.scheduler.conftest import NOW, at, wait_for_mail

PROCESSES = 3


def run_in_process(database_url, mail_settings, locked, barrier, out):
    """A spawned process: its own app and connections; runs the expiry job once."""
    from buurthulp.scheduler.jobs import expiry
    from buurthulp.scheduler.runner import run_job

    app = make_test_app(database_url, **mail_settings)
    try:
        with app.app_context():
            db.session.execute(select(1))
            db.session.remove()
            barrier.wait(timeout=120)
            result = run_job(expiry.JOB_ID, now=NOW) if locked else expiry.job(NOW)
            out.put(result)
    except BaseException as error:  # noqa: BLE001 - the parent asserts on what comes back
        out.put(f"error: {error!r}")
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def test_processes_expire_and_mail_each_request_once(
    app, make, people, database_url, mail_settings, smtp_server
):
    ids = [
        make.help_request(
            requester=people.anna,
            initiative=people.initiative,
            title=f"Vraag {n}",
            flexible_days=7,
            created_at=at(-40),
        ).id
        for n in range(6)
    ]
    with app.app_context():
        db.engine.dispose()
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(PROCESSES * 2)
    out = context.Queue()
    processes = [
        context.Process(
            target=run_in_process, args=(database_url, mail_settings, n % 2 == 0, barrier, out)
        )
        for n in range(PROCESSES * 2)
    ]
    for process in processes:
        process.start()
    results = [out.get(timeout=180) for _ in processes]
    for process in processes:
        process.join(timeout=60)
        assert process.exitcode == 0
    assert not [r for r in results if isinstance(r, str)], results
    assert sum(r["expired"] for r in results if r) == 6
    assert sum(r["mailed"] for r in results if r) == 6
    mails = wait_for_mail(smtp_server, 6)
    assert sorted(m["Subject"] for m in mails) == sorted(
        f"Staat uw hulpvraag nog? Vraag {n}" for n in range(6)
    )
    with app.app_context():
        states = db.session.execute(
            select(HelpRequest.status).where(HelpRequest.id.in_(ids))
        ).scalars()
        assert set(states) == {RequestStatus.EXPIRED}
        assert len(db.session.execute(select(Delivery)).scalars().all()) == 6
