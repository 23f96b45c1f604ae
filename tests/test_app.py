import pytest

from buurthulp.app import create_app
from buurthulp.config import ConfigError


def test_home_page_is_dutch_with_security_headers(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<html lang="nl">' in html
    assert "Direct naar de inhoud" in html
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in response.headers


def test_unknown_page_is_a_dutch_404(client):
    response = client.get("/bestaat-niet")
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.get_data(as_text=True)


def test_production_refuses_to_start_without_secret_key(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("BUURTHULP_ENV", "production")
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app()
    monkeypatch.setenv("SECRET_KEY", "short")
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app()


def test_production_with_secret_has_no_debug_and_secure_cookies(monkeypatch, tmp_path):
    monkeypatch.setenv("BUURTHULP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 48)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'p.sqlite'}")
    app = create_app()
    assert app.debug is False
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["REMEMBER_COOKIE_SECURE"] is True
    response = app.test_client().get("/")
    assert "max-age=" in response.headers["Strict-Transport-Security"]


def test_debug_refused_in_production(monkeypatch):
    monkeypatch.setenv("BUURTHULP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 48)
    with pytest.raises(ConfigError, match="DEBUG"):
        create_app({"DEBUG": True})


def test_language_switch_to_english_and_back(client):
    response = client.post("/taal", data={"locale": "en", "next": "/"})
    assert response.status_code == 302
    response = client.post("/taal", data={"locale": "nl", "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"


def test_unexpected_error_is_a_dutch_500_without_traceback(app, client):
    def broken():
        raise RuntimeError("secret internals")

    app.add_url_rule("/kapot", "broken", broken)
    response = client.get("/kapot")
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert "Er ging iets mis" in html
    assert "secret internals" not in html and "Traceback" not in html


def test_too_large_upload_is_a_dutch_413(client):
    response = client.post("/taal", data={"locale": "x" * (3 * 1024 * 1024)})
    assert response.status_code == 413
    assert "te groot" in response.get_data(as_text=True)


def test_rate_limiting_is_not_left_off_by_a_previous_app(database_url, make_app):
    from buurthulp.extensions import limiter

    make_app(database_url, RATELIMIT_ENABLED=False)
    assert limiter.enabled is False
    make_app(database_url)
    assert limiter.enabled is True
