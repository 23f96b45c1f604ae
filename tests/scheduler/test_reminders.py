"""The day-before reminder: both sides, once, without anyone's address."""

import threading
from datetime import time, timedelta

from buurthulp.extensions import db
from buurthulp.listings.models import RequestStatus
from buurthulp.matching.models import Match, MatchStatus
from buurthulp.scheduler.jobs import reminders
from buurthulp.scheduler.runner import run_job
from tests.scheduler.conftest import (
    ANNA_HOUSE,
    ANNA_PHONE,
    ANNA_POSTCODE,
    ANNA_STREET,
    NOW,
    TODAY,
    body_of,
    mails_to,
    wait_for_mail,
)


def matched_on(app, make, people, day, status=MatchStatus.ACCEPTED):
    request = make.help_request(
        requester=people.anna,
        initiative=people.initiative,
        on_date=day,
        time_from=time(14, 0),
        time_until=time(15, 30),
        title="Naar de huisarts",
        status=RequestStatus.MATCHED,
    )
    with app.app_context():
        match = Match(request_id=request.id, volunteer_id=people.bert.id, status=status)
        db.session.add(match)
        db.session.commit()
        return request.id, match.id


def test_both_sides_reminded_once(app, ctx, make, people, smtp_server):
    _, match_id = matched_on(app, make, people, TODAY + timedelta(days=1))
    matched_on(app, make, people, TODAY + timedelta(days=2))  # the day after: not yet
    assert reminders.job(NOW) == {"reminders": 2}
    assert reminders.job(NOW + timedelta(hours=3)) == {"reminders": 0}
    wait_for_mail(smtp_server, 2)
    assert len(smtp_server.messages) == 2
    to_anna, to_bert = (
        mails_to(smtp_server, "anna@example.nl"),
        mails_to(smtp_server, "bert@example.nl"),
    )
    assert len(to_anna) == len(to_bert) == 1
    assert to_anna[0]["Subject"] == "Morgen: Naar de huisarts"
    anna_text, bert_text = body_of(to_anna[0]), body_of(to_bert[0])
    assert "dinsdag 24 november tussen 14:00 en 15:30" in anna_text
    assert "Bert J." in anna_text and "Anna V." in bert_text
    assert f"/koppelingen/{match_id}" in bert_text
    for text in (anna_text, bert_text):
        for private in (ANNA_STREET, ANNA_HOUSE, ANNA_POSTCODE, ANNA_PHONE, "Diezerstraat"):
            assert private not in text


def test_no_reminder_for_ended_or_flexible_help(app, ctx, make, people, smtp_server):
    tomorrow = TODAY + timedelta(days=1)
    matched_on(app, make, people, tomorrow, status=MatchStatus.CANCELLED)
    flexible = make.help_request(
        requester=people.anna,
        initiative=people.initiative,
        flexible_days=3,
        status=RequestStatus.MATCHED,
    )
    db.session.add(Match(request_id=flexible.id, volunteer_id=people.bert.id))
    db.session.commit()
    assert reminders.job(NOW) == {"reminders": 0}


def test_concurrent_runs_of_the_job_body_send_each_reminder_once(app, make, people, smtp_server):
    """Without the run lock too: the delivery keys alone keep it to one mail each."""
    for _ in range(3):
        matched_on(app, make, people, TODAY + timedelta(days=1))
    barrier = threading.Barrier(6)
    results, errors = [], []

    def run():
        try:
            with app.app_context():
                barrier.wait(timeout=30)
                results.append(reminders.job(NOW)["reminders"])
                db.session.remove()
        except BaseException as error:  # noqa: BLE001 - asserted below
            errors.append(error)

    threads = [threading.Thread(target=run) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sum(results) == 6
    wait_for_mail(smtp_server, 6)
    assert len(smtp_server.messages) == 6
    with app.app_context():
        assert run_job("remind_day_before", now=NOW) == {"reminders": 0}
