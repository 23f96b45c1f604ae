"""The weekly digest: new requests nearby, once a week, for those who asked, no addresses."""

import re
from datetime import timedelta

from buurthulp.extensions import db
from buurthulp.listings.models import Category
from buurthulp.scheduler.digest_preferences import digest_preference_set, digest_subscribed
from buurthulp.scheduler.jobs import digest
from tests.scheduler.conftest import (
    ANNA_HOUSE,
    ANNA_PHONE,
    ANNA_POSTCODE,
    ANNA_STREET,
    NOW,
    at,
    body_of,
    wait_for_mail,
)


def post(make, people, title, created_at, requester=None, **fields):
    return make.help_request(
        requester=requester or people.anna,
        initiative=people.initiative,
        title=title,
        flexible_days=7,
        created_at=created_at,
        **fields,
    )


def test_digest_lists_new_nearby_requests_once_a_week(app, ctx, make, people, smtp_server):
    digest_preference_set(user_id=people.bert.id, wanted=True, now=NOW)
    new = post(make, people, "Hulp in de tuin", at(-2), category=Category.GARDEN)
    post(make, people, "Van vorige maand", at(-8))
    post(make, people, "Al gekoppeld", at(-1), status="matched")
    post(make, people, "Van Bert zelf", at(-1), requester=people.bert)
    far = make.user(initiative=people.initiative, postcode="8043AA", email="ver@example.nl")
    post(make, people, "Te ver weg", at(-1), requester=far)
    # Carla is in another initiative; Anna did not ask for the digest.
    digest_preference_set(user_id=people.carla.id, wanted=True, now=NOW)
    assert digest.job(NOW) == {"digests": 1, "week": "2026-W48"}
    assert digest.job(at(hours=2)) == {"digests": 0, "week": "2026-W48"}
    (mail,) = wait_for_mail(smtp_server, 1)
    assert mail["To"] == "bert@example.nl"
    assert mail["Subject"] == "Nieuwe hulpvragen bij u in de buurt"
    text = body_of(mail)
    assert "Hulp in de tuin (tuin, minder dan 500 m)" in text
    assert f"/hulpvragen/{new.id}" in text
    for absent in ("Van vorige maand", "Al gekoppeld", "Van Bert zelf", "Te ver weg"):
        assert absent not in text
    for private in (ANNA_STREET, ANNA_HOUSE, ANNA_POSTCODE, ANNA_PHONE, "Verhoeven"):
        assert private not in text
    assert "/mijn-gegevens" in text  # how to stop it


def test_next_week_brings_a_new_digest_and_an_empty_week_none(app, ctx, make, people, smtp_server):
    digest_preference_set(user_id=people.bert.id, wanted=True, now=NOW)
    post(make, people, "Boodschappen", at(-1))
    assert digest.job(NOW)["digests"] == 1
    assert digest.job(at(7)) == {"digests": 0, "week": "2026-W49"}  # nothing new that week
    post(make, people, "Hond uitlaten", at(8))
    assert digest.job(at(14)) == {"digests": 1, "week": "2026-W50"}
    mails = wait_for_mail(smtp_server, 2)
    assert len(mails) == 2 and "Hond uitlaten" in body_of(mails[1])


def test_reach_is_the_volunteers_own_maximum_distance(ctx, make, people, smtp_server):
    digest_preference_set(user_id=people.bert.id, wanted=True, now=NOW)
    far = make.user(initiative=people.initiative, postcode="8043AA", email="ver@example.nl")
    post(make, people, "Op 3,7 km", at(-1), requester=far)
    assert digest.job(NOW)["digests"] == 0  # the default reach is 2 km
    make.help_offer(volunteer=people.bert, initiative=people.initiative, max_distance_km=5.0)
    assert digest.job(NOW)["digests"] == 1
    (mail,) = wait_for_mail(smtp_server, 1)
    assert "Op 3,7 km (boodschappen, 2-5 km)" in body_of(mail)


def test_unsubscribed_gets_nothing(ctx, make, people, smtp_server):
    digest_preference_set(user_id=people.bert.id, wanted=True, now=NOW)
    digest_preference_set(user_id=people.bert.id, wanted=False, now=NOW)
    post(make, people, "Boodschappen", at(-1))
    assert digest.job(NOW)["digests"] == 0


def digest_box(client) -> str:
    page = client.get("/mijn-gegevens").get_data(as_text=True)
    (box,) = re.findall(r"<input[^>]*name=\"weekly_digest\"[^>]*>", page)
    return box


def test_profile_form_sets_the_preference(app, client, auth, people):
    auth.login_as(people.bert)
    assert "checked" not in digest_box(client)
    form = {
        "first_name": "Bert",
        "last_name": "Jansen",
        "email": "bert@example.nl",
        "phone": "0687654321",
        "postcode": "8011AB",
        "house_number": "5",
        "street_name": "Diezerstraat",
        "locale": "nl",
    }
    assert client.post("/mijn-gegevens", data={**form, "weekly_digest": "y"}).status_code == 302
    with app.app_context():
        assert digest_subscribed(people.bert.id)
    assert "checked" in digest_box(client)
    assert client.post("/mijn-gegevens", data=form).status_code == 302
    with app.app_context():
        assert not digest_subscribed(people.bert.id)
        db.session.remove()


def test_digest_week_is_dutch_iso_week():
    sunday_night_utc = NOW + timedelta(days=6, hours=14)  # Sunday 23:00 UTC = Monday 00:00 NL
    assert digest.iso_week(sunday_night_utc) == "2026-W49"
