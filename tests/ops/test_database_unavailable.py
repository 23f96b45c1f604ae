"""A lost database connection gives a Dutch 503 "probeer het zo opnieuw" page with
Retry-After, keeps what was posted, rolls the failed transaction back, and the next
request works again. On PostgreSQL the connection is really killed mid-request."""

import psycopg
import pytest
from sqlalchemy import event, func, select, text
from sqlalchemy.exc import IntegrityError, OperationalError

from buurthulp.extensions import db
from buurthulp.initiatives.models import Initiative


def _lost_connection() -> OperationalError:
    original = psycopg.OperationalError("server closed the connection unexpectedly")
    return OperationalError("SELECT 1", {}, original, connection_invalidated=True)


@pytest.fixture
def fault_app(app, make):
    """The test app with routes that fail the way a database restart makes them fail."""
    initiative = make.initiative()

    def killed():
        # Half-done work in the transaction that the failure must not leave behind.
        db.session.execute(
            Initiative.__table__.update()
            .where(Initiative.id == initiative.id)
            .values(name="Half gedaan")
        )
        if db.engine.dialect.name == "postgresql":
            db.session.execute(text("SELECT pg_terminate_backend(pg_backend_pid())"))
        raise _lost_connection()

    def bug():
        raise IntegrityError("INSERT", {}, Exception("duplicate key"))

    def count():
        return str(db.session.execute(select(func.count(Initiative.id))).scalar())

    app.add_url_rule("/_fault/killed", "fault_killed", killed, methods=["GET", "POST"])
    app.add_url_rule("/_fault/bug", "fault_bug", bug)
    app.add_url_rule("/_fault/count", "fault_count", count)
    app.config["fault_initiative_id"] = initiative.id
    return app


def test_lost_connection_gives_a_dutch_503_with_retry_after(fault_app):
    client = fault_app.test_client()
    response = client.get("/_fault/killed")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "10"
    page = response.get_data(as_text=True)
    assert "Even niet bereikbaar" in page and "Probeer het zo opnieuw" in page
    assert '<html lang="nl">' in page
    assert "server closed" not in page and "Traceback" not in page
    assert "Opnieuw versturen" not in page  # a GET has nothing to send again


def test_the_next_request_works_and_the_half_done_work_is_gone(fault_app):
    client = fault_app.test_client()
    assert client.get("/_fault/killed").status_code == 503
    response = client.get("/_fault/count")
    assert response.status_code == 200 and response.get_data(as_text=True) == "1"
    with fault_app.app_context():
        initiative = db.session.get(Initiative, fault_app.config["fault_initiative_id"])
        assert initiative.name != "Half gedaan"


def test_a_failed_post_offers_the_same_form_again_without_passwords(fault_app):
    client = fault_app.test_client()
    response = client.post(
        "/_fault/killed?stap=2",
        data={"title": 'Boodschappen & "brood"', "password": "geheim-wachtwoord", "repeat": "x"},
    )
    assert response.status_code == 503
    page = response.get_data(as_text=True)
    assert "Opnieuw versturen" in page
    assert 'action="/_fault/killed?stap=2"' in page
    assert 'name="title" value="Boodschappen &amp; &#34;brood&#34;"' in page
    assert "geheim-wachtwoord" not in page and 'name="repeat"' not in page


def test_english_when_the_person_chose_english(fault_app):
    client = fault_app.test_client()
    with client.session_transaction() as session:
        session["locale"] = "en"
    response = client.get("/_fault/killed")
    assert response.status_code == 503
    page = response.get_data(as_text=True)
    assert '<html lang="en">' in page and "<h1>Temporarily unavailable</h1>" in page


def test_a_logged_in_page_whose_user_cannot_be_loaded_gives_503(fault_app, make, auth):
    auth.login_direct(make.user())

    def refuse(*args, **kwargs):
        raise _lost_connection()

    with fault_app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", refuse)
    try:
        response = auth.client.get("/dichtbij")
    finally:
        event.remove(engine, "before_cursor_execute", refuse)
    assert response.status_code == 503
    page = response.get_data(as_text=True)
    # The HTML page, not the plain-text fallback: it must not need the user from the database.
    assert "<h1>Even niet bereikbaar</h1>" in page and "Probeer het zo opnieuw" in page
    assert auth.client.get("/dichtbij").status_code == 200


def test_other_database_errors_stay_a_500(fault_app):
    response = fault_app.test_client().get("/_fault/bug")
    assert response.status_code == 500
    assert "Er ging iets mis" in response.get_data(as_text=True)


def test_an_answer_made_before_the_connection_died_is_still_sent(fault_app):
    """The view finished, then the database went away: closing the session fails, and
    that must not turn the answer into a 500 (seen under `pg_ctl restart`)."""

    def read_then_lose_connection():
        db.session.execute(select(1))
        if db.engine.dialect.name == "postgresql":
            pid = db.session.execute(text("SELECT pg_backend_pid()")).scalar()
            with db.engine.connect() as other:
                other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        else:
            event.listen(db.engine, "rollback", refuse_rollback, once=True)
        return "gelezen"

    def refuse_rollback(conn):
        raise _lost_connection()

    fault_app.add_url_rule("/_fault/late", "fault_late", read_then_lose_connection)
    client = fault_app.test_client()
    response = client.get("/_fault/late")
    assert response.status_code == 200 and response.get_data(as_text=True) == "gelezen"
    assert client.get("/_fault/count").get_data(as_text=True) == "1"
