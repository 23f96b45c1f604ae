"""Static URLs carry a hash of the file's content, so a long cache never serves an old file."""

import hashlib

from flask import url_for

from buurthulp.static_urls import file_version
from tests.conftest import PROJECT_ROOT


def test_static_urls_carry_the_content_hash(app):
    expected = hashlib.sha256((PROJECT_ROOT / "static/css/site.css").read_bytes()).hexdigest()
    with app.test_request_context():
        assert (
            url_for("static", filename="css/site.css") == f"/static/css/site.css?v={expected[:10]}"
        )
        assert url_for("static", filename="bestaat-niet.css") == "/static/bestaat-niet.css"


def test_pages_link_versioned_files_that_are_served(client):
    page = client.get("/").get_data(as_text=True)
    assert "/static/css/site.css?v=" in page
    with client.get("/static/css/site.css?v=0123456789") as response:
        assert response.status_code == 200


def test_a_changed_file_gets_a_new_version(tmp_path):
    css = tmp_path / "site.css"
    css.write_text("body { color: black }")
    first = file_version(str(tmp_path), "site.css")
    css.write_text("body { color: navy }")
    assert file_version(str(tmp_path), "site.css") not in (None, first)


def test_no_version_outside_the_static_folder(tmp_path):
    (tmp_path / "static").mkdir()
    (tmp_path / "secret.txt").write_text("x")
    assert file_version(str(tmp_path / "static"), "../secret.txt") is None
    assert file_version(str(tmp_path / "static"), "missing.js") is None
