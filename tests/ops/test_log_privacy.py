"""No personal or health data in the log: several real flows, the JSON log they write, and
not one line with the person's email, name, postcode, street, care need or IP address."""

import json
import re

import pytest
from aiosmtpd.controller import Controller

from buurthulp.accounts.models import User
from buurthulp.extensions import db
from buurthulp.listings.models import HelpRequest
from tests.accounts.helpers import register_data
from tests.factories import free_port

EMAIL = "geertruida.bosschaert@example.nl"
FIRST_NAME, LAST_NAME = "Geertruida", "Bosschaert"
POSTCODE, STREET = "8011 PB", "Diezerstraat"
HEALTH = "Ik heb suikerziekte en kan na mijn heupoperatie niet lopen"
VOLUNTEER_EMAIL = "wilhelmina.vrijwilliger@example.nl"
VISITOR_IP = "198.51.100.23"
NEVER_LOGGED = [
    EMAIL,
    "geertruida",
    "bosschaert",
    "8011pb",
    "8011 pb",
    STREET.lower(),
    "suikerziekte",
    "heupoperatie",
    VOLUNTEER_EMAIL,
    "wilhelmina",
    VISITOR_IP,
]


@pytest.fixture
def refusing_smtp():
    """An SMTP server on localhost that refuses every recipient: smtplib's error then
    names the address, which must not reach the log."""

    class Refuse:
        async def handle_RCPT(self, server, session, envelope, address, options):  # noqa: N802
            return f"550 5.1.1 <{address}>: no such mailbox"

    port = free_port()
    controller = Controller(Refuse(), hostname="127.0.0.1", port=port)
    controller.start()
    yield port
    controller.stop()


@pytest.fixture
def app_settings(refusing_smtp):
    return {
        "LOG_FORMAT": "json",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": refusing_smtp,
        "MAIL_USE_TLS": False,
        "LOGIN_RATE_LIMIT": "3 per minute",
    }


def json_lines(err: str) -> list[dict]:
    lines = [json.loads(line) for line in err.splitlines() if line.strip()]  # each one object
    # The test's own SMTP server (aiosmtpd, "mail.log") runs in this process: not the app.
    return [line for line in lines if line["logger"] != "mail.log"]


def test_flows_leave_no_personal_data_in_the_log(app, client, make, capsys):
    @app.get("/kapot")
    def broken():
        raise RuntimeError(f"kon {EMAIL} in de {STREET} niet opslaan: {HEALTH}")

    initiative = make.initiative(pc4s=("8011", "8012"))
    volunteer = make.user(initiative=initiative, email=VOLUNTEER_EMAIL, first_name="Wilhelmina")
    make.help_offer(volunteer=volunteer, initiative=initiative, availability=(1 << 21) - 1)
    client.environ_base["REMOTE_ADDR"] = VISITOR_IP
    capsys.readouterr()
    ids = []

    def call(method, url, expected, **kwargs):
        response = client.open(url, method=method, **kwargs)
        assert response.status_code == expected, (url, response.status_code)
        ids.append(response.headers["X-Request-ID"])
        return response

    data = register_data(
        first_name=FIRST_NAME, last_name=LAST_NAME, email=EMAIL, postcode=POSTCODE.lower()
    )
    call("POST", f"/aanmelden?email={EMAIL}", 302, data=data)
    call("GET", f"/dichtbij?q={STREET}&postcode={POSTCODE}", 200)
    request_form = {
        "title": "Hulp na heupoperatie",
        "description": HEALTH,
        "category": "groceries",
        "when": "flexible",
        "flexible_days": "7",
        "urgency": "normal",
        "recurrence": "once",
    }
    call("POST", "/hulpvragen/nieuw", 303, data=request_form)
    call("POST", "/uitloggen", 302)
    for _ in range(3):
        call("POST", "/inloggen", 422, data={"email": EMAIL, "password": "fout-wachtwoord"})
    call("POST", "/inloggen", 429, data={"email": EMAIL, "password": "fout-wachtwoord"})
    call("POST", "/wachtwoord-vergeten", 302, data={"email": EMAIL})
    error_id = call("GET", f"/kapot?email={EMAIL}", 500).headers["X-Request-ID"]

    with app.app_context():  # the flows really ran
        user = db.session.execute(db.select(User).filter_by(email=EMAIL)).scalar_one()
        posted = db.session.execute(db.select(HelpRequest).filter_by(requester_id=user.id))
        assert [r.description for r in posted.scalars()] == [HEALTH]

    lines = json_lines(capsys.readouterr().err)
    everything = "\n".join(json.dumps(line, ensure_ascii=False) for line in lines).lower()
    assert [w for w in NEVER_LOGGED if w.lower() in everything] == []
    # ...while the log still says what happened, with the requests' ids.
    logged_ids = {line["request_id"] for line in lines}
    assert set(ids) <= logged_ids
    assert any("notification to user" in line["message"] for line in lines)
    assert any("password reset mail to user" in line["message"] for line in lines)
    [error] = [line for line in lines if line["message"].startswith("unhandled error")]
    assert error["request_id"] == error_id
    assert error["message"] == "unhandled error on GET /kapot"
    assert error["exc_type"] == "builtins.RuntimeError"
    assert "withheld" in error["traceback"]
    refused = [line for line in lines if "SMTPRecipientsRefused" in line.get("exc_type", "")]
    assert refused, "the refused mail was logged, by its type"
    assert any("ratelimit" in line["message"] for line in lines)
    access = [line for line in lines if line["logger"] == "buurthulp.access"]
    assert {line["path"] for line in access} >= {"/aanmelden", "/dichtbij", "/kapot"}
    assert not any(re.search(r"\?", line["path"]) for line in access)
