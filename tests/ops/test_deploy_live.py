"""The deploy/ set-up for real, minus systemd: nginx with the rendered config in front of two
gunicorn processes started with deploy/gunicorn.conf.py, in the production profile.

It proves what the config is for: HTTPS with a redirect from HTTP, static files from nginx
with a long cache, the app behind the proxy, a websocket upgrade through /socket.io/, and
sticky sessions (a Socket.IO session lives in one process only, and nginx keeps sending its
requests there).
"""

import json
import re
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
import websocket

from buurthulp.app import create_app
from buurthulp.extensions import db
from tests.factories import free_port
from tests.ops.test_deploy_files import (
    nginx,
    nginx_main_config,
    render,
    self_signed_certificate,
)
from tests.realtime import live_servers

UNVERIFIED = ssl._create_unverified_context()  # noqa: S323 - our own self-signed certificate


def _two_free_ports() -> int:
    for _ in range(50):
        port = free_port()
        try:
            with socket.create_server(("127.0.0.1", port + 1)):
                return port
        except OSError:
            continue
    raise RuntimeError("no two free ports in a row")


def _wait_for_port(port: int, process: subprocess.Popen, log) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"nginx exited:\n{log.read_text()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("nginx did not listen")


def _site_config(tmp_path, base_port: int, http: int, https: int):
    cert, key = self_signed_certificate(tmp_path)
    options = ["--processes", "2", "--base-port", str(base_port), "--server-name", "127.0.0.1"]
    out = render(tmp_path / "out", *options, "--tls-cert", str(cert), "--tls-key", str(key))
    lines = []
    for line in (out / "buurthulp.conf").read_text().splitlines():
        if "listen [::]" in line:
            continue
        line = line.replace("listen 80;", f"listen 127.0.0.1:{http};")
        lines.append(line.replace("listen 443 ssl", f"listen 127.0.0.1:{https} ssl"))
    site = tmp_path / "site.conf"
    site.write_text("\n".join(lines))
    return nginx_main_config(tmp_path, site, extra="user root root;")


@pytest.fixture(scope="module")
def deployed(tmp_path_factory):
    binary = nginx()
    tmp_path = tmp_path_factory.mktemp("deployed")
    base, http, https = _two_free_ports(), free_port(), free_port()
    config = _site_config(tmp_path, base, http, https)
    database = f"sqlite:///{tmp_path / 'site.sqlite'}"
    schema_app = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": database})
    with schema_app.app_context():
        db.create_all()
        db.engine.dispose()
    env = live_servers.server_env(database)
    del env["REDIS_URL"]
    env.update(
        BUURTHULP_ENV="production",
        SECRET_KEY="p" * 48,
        SERVER_BASE_URL=f"https://127.0.0.1:{https}",
        TRUSTED_PROXIES="1",
        GUNICORN_THREADS="8",
    )
    servers = []
    try:
        for port in (base, base + 1):
            command = [sys.executable, "-m", "gunicorn", "--config", "deploy/gunicorn.conf.py"]
            command += ["--bind", f"127.0.0.1:{port}"]
            log = tmp_path / f"gunicorn-{port}.log"
            servers.append(live_servers._start(command, port, env, log))
        log = tmp_path / "nginx.out"
        with log.open("w") as out:
            command = [binary, "-p", str(tmp_path), "-c", str(config), "-g", "daemon off;"]
            servers.append(subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT))  # noqa: S603
        _wait_for_port(https, servers[-1], log)
        yield {"http": http, "https": https, "backends": (base, base + 1)}
    finally:
        live_servers._stop(servers)


def _get(url: str, method: str = "GET", data: bytes | None = None, origin: str | None = None):
    request = urllib.request.Request(url, data=data, method=method)  # noqa: S310 - localhost
    if origin:
        request.add_header("Origin", origin)
    try:
        with urllib.request.urlopen(request, context=UNVERIFIED, timeout=10) as response:  # noqa: S310
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.headers, error.read().decode()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_nginx_serves_the_app_over_https_and_static_files_itself(deployed):
    site = f"https://127.0.0.1:{deployed['https']}"
    status, headers, body = _get(f"{site}/healthz")
    assert status == 200 and json.loads(body) == {"status": "ok"}
    assert "max-age=" in headers["Strict-Transport-Security"]  # the production app answered

    status, headers, _ = _get(f"{site}/readyz")
    assert status == 200

    status, _, page = _get(f"{site}/")
    css = re.search(r'href="(/static/css/site\.css\?v=[0-9a-f]+)"', page).group(1)
    status, headers, body = _get(site + css)
    assert status == 200 and body
    assert headers.get_all("Cache-Control") == ["max-age=31536000", "public, immutable"]
    assert "Content-Security-Policy" not in headers  # nginx, not the app, answered
    assert headers["X-Content-Type-Options"] == "nosniff"
    status, headers, _ = _get(f"{site}/static/css/site.css")
    assert headers.get_all("Cache-Control") == ["max-age=3600", "public"]

    opener = urllib.request.build_opener(NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as redirect:
        opener.open(f"http://127.0.0.1:{deployed['http']}/hulpvragen?x=1", timeout=10)
    with redirect.value:
        assert redirect.value.code == 301
        assert redirect.value.headers["Location"] == "https://127.0.0.1/hulpvragen?x=1"


def test_socketio_sessions_stick_to_one_process_and_upgrade_to_websocket(deployed):
    site = f"https://127.0.0.1:{deployed['https']}"
    polling = f"{site}/socket.io/?EIO=4&transport=polling"
    status, _, body = _get(polling, origin=site)
    assert status == 200 and body.startswith("0{"), body
    sid = json.loads(body[1:])["sid"]

    # The session lives in one of the two processes only ...
    answers = []
    for port in deployed["backends"]:
        url = f"http://127.0.0.1:{port}/socket.io/?EIO=4&transport=polling&sid={sid}"
        answers.append(_get(url, "POST", b"40", origin=site)[0])  # a namespace connect
    assert sorted(answers) == [200, 400]
    # ... and nginx sends every one of its requests there.
    for _ in range(8):
        status, _, body = _get(f"{polling}&sid={sid}", "POST", b"40", origin=site)
        assert (status, body) == (200, "OK")

    ws = websocket.create_connection(
        f"wss://127.0.0.1:{deployed['https']}/socket.io/?EIO=4&transport=websocket",
        origin=site,
        sslopt={"cert_reqs": ssl.CERT_NONE},
        timeout=10,
    )
    try:
        assert ws.recv().startswith("0{")  # the Engine.IO open packet, over the websocket
    finally:
        ws.close()
