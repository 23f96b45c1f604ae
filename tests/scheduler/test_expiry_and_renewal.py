"""Stale open requests expire once, the requester gets one renew mail, and can renew."""

import re
from datetime import date, time, timedelta

import pytest

from buurthulp.extensions import db
from buurthulp.listings.models import HelpRequest, Recurrence, RequestStatus
from buurthulp.matching.models import Invitation, InvitationStatus
from buurthulp.scheduler.jobs import expiry
from buurthulp.scheduler.models import RequestExpiry
from buurthulp.scheduler.renewal import RenewalError, request_renew
from tests.scheduler.conftest import NOW, TODAY, at, body_of, mails_to, wait_for_mail


def status_of(request_id: int) -> RequestStatus:
    db.session.expire_all()
    return db.session.get(HelpRequest, request_id).status


@pytest.fixture
def requests(make, people):
    def post(**fields):
        fields.setdefault("flexible_days", 7)
        return make.help_request(requester=people.anna, initiative=people.initiative, **fields)

    return {
        "old": post(title="Lang geleden", created_at=at(-31)),
        "fresh": post(title="Net gevraagd", created_at=at(-29)),
        "day_passed": post(
            title="Gisteren",
            flexible_days=None,
            on_date=TODAY - timedelta(days=1),
            created_at=at(-3),
        ),
        "weekly_day_passed": post(
            title="Elke week",
            flexible_days=None,
            on_date=TODAY - timedelta(days=1),
            recurrence=Recurrence.WEEKLY,
            created_at=at(-3),
        ),
        "old_matched": post(title="Al geholpen", created_at=at(-60), status=RequestStatus.MATCHED),
    }


def test_stale_requests_expire_and_requester_is_asked_once(
    app, ctx, make, people, requests, smtp_server
):
    invitation = Invitation(request_id=requests["old"].id, volunteer_id=people.bert.id)
    db.session.add(invitation)
    db.session.commit()
    assert expiry.job(NOW) == {"expired": 2, "mailed": 2}
    assert expiry.job(NOW) == {"expired": 0, "mailed": 0}
    assert expiry.job(at(hours=5)) == {"expired": 0, "mailed": 0}
    states = {name: status_of(r.id) for name, r in requests.items()}
    assert states == {
        "old": RequestStatus.EXPIRED,
        "fresh": RequestStatus.OPEN,
        "day_passed": RequestStatus.EXPIRED,
        "weekly_day_passed": RequestStatus.OPEN,
        "old_matched": RequestStatus.MATCHED,
    }
    assert db.session.get(Invitation, invitation.id).status == InvitationStatus.CLOSED
    mails = wait_for_mail(smtp_server, 2)
    assert len(mails) == 2 == len(mails_to(smtp_server, "anna@example.nl"))
    subjects = sorted(m["Subject"] for m in mails)
    assert subjects == ["Staat uw hulpvraag nog? Gisteren", "Staat uw hulpvraag nog? Lang geleden"]
    links = sorted(re.findall(r"/hulpvragen/(\d+)/vernieuwen", " ".join(map(body_of, mails))))
    assert links == sorted(str(requests[n].id) for n in ("old", "day_passed"))


def test_renewed_request_is_fresh_and_can_expire_again_with_a_new_mail(
    app, ctx, make, people, requests, smtp_server
):
    expiry.job(NOW)
    anna = db.session.get(type(people.anna), people.anna.id)
    request = db.session.get(HelpRequest, requests["old"].id)
    request_renew(help_request=request, by_user=anna, now=at(1), today=TODAY)
    assert status_of(request.id) == RequestStatus.OPEN
    assert expiry.job(at(2)) == {"expired": 1, "mailed": 1}  # "fresh" is 31 days old now
    assert status_of(request.id) == RequestStatus.OPEN  # fresh since renewing
    # A month after renewing it expires again (and so does the weekly one, by age).
    assert expiry.job(at(31)) == {"expired": 2, "mailed": 2}
    assert status_of(request.id) == RequestStatus.EXPIRED
    assert db.session.get(RequestExpiry, request.id).times == 2
    mails = wait_for_mail(smtp_server, 5)
    assert [m["Subject"] for m in mails].count("Staat uw hulpvraag nog? Lang geleden") == 2
    assert len(mails) == 5  # 2 + 1 + 2


def test_renewing_a_passed_day_needs_a_new_date(app, ctx, make, people, requests):
    expiry.job(NOW)
    anna = db.session.get(type(people.anna), people.anna.id)
    request = db.session.get(HelpRequest, requests["day_passed"].id)
    with pytest.raises(RenewalError) as missing:
        request_renew(help_request=request, by_user=anna, now=NOW, today=TODAY)
    assert "on_date" in missing.value.errors
    request_renew(
        help_request=request, by_user=anna, now=NOW, today=TODAY, new_date=date(2026, 11, 30)
    )
    db.session.expire_all()
    renewed = db.session.get(HelpRequest, request.id)
    assert (renewed.status, renewed.on_date, renewed.time_from) == (
        RequestStatus.OPEN,
        date(2026, 11, 30),
        time(10),
    )
    with pytest.raises(RenewalError):  # twice: nothing more
        request_renew(help_request=renewed, by_user=anna, now=NOW, today=TODAY)


def test_only_the_requester_or_a_moderator_may_renew(ctx, people, requests):
    expiry.job(NOW)
    bert = db.session.get(type(people.bert), people.bert.id)
    request = db.session.get(HelpRequest, requests["old"].id)
    with pytest.raises(RenewalError):
        request_renew(help_request=request, by_user=bert, now=NOW, today=TODAY)
    assert status_of(request.id) == RequestStatus.EXPIRED


def test_renew_page(app, client, auth, make, people, requests):
    with app.app_context():
        expiry.job(NOW)
    url = f"/hulpvragen/{requests['old'].id}/vernieuwen"
    auth.login_as(people.bert)
    assert client.get(url).status_code == 403
    auth.logout()
    auth.login_as(people.carla)
    assert client.get(url).status_code == 404
    auth.logout()
    auth.login_as(people.anna)
    detail = client.get(f"/hulpvragen/{requests['old'].id}").get_data(as_text=True)
    assert "verlopen" in detail and url in detail
    page = client.get(url)
    assert page.status_code == 200 and "Zet opnieuw open" in page.get_data(as_text=True)
    done = client.post(url)
    assert done.status_code == 303
    assert client.get(url, follow_redirects=True).status_code == 200  # not expired: a note
    with app.app_context():
        assert status_of(requests["old"].id) == RequestStatus.OPEN


def test_renew_page_keeps_a_bad_date_and_says_why(app, client, auth, people, requests):
    with app.app_context():
        expiry.job(NOW)
    auth.login_as(people.anna)
    url = f"/hulpvragen/{requests['day_passed'].id}/vernieuwen"
    missing = client.post(url, data={"on_date": ""})
    assert missing.status_code == 422
    assert "Kies de datum waarop u hulp nodig heeft." in missing.get_data(as_text=True)
    wrong = client.post(url, data={"on_date": "31-02-2027"})
    assert wrong.status_code == 422
    text = wrong.get_data(as_text=True)
    assert "Vul een datum in" in text and 'value="31-02-2027"' in text
