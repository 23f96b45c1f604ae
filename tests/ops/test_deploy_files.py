"""deploy/: the files install.sh writes are valid for the tools that read them.

Without systemd as PID 1 nothing can be started here; what can be checked is: nginx accepts
the rendered config (`nginx -t`), systemd-analyze accepts the units, shellcheck the scripts,
gunicorn's config keeps one worker, and --dry-run changes nothing.
"""

import re
import runpy
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PROJECT_ROOT

DEPLOY = PROJECT_ROOT / "deploy"
SCRIPTS = ["install.sh", "backup.sh", "restore.sh"]


def render(target: Path, *args: str) -> Path:
    command = [str(DEPLOY / "install.sh"), "--render", str(target), *args]
    subprocess.run(command, check=True, capture_output=True, text=True)
    return target


def self_signed_certificate(directory: Path) -> tuple[Path, Path]:
    cert, key = directory / "cert.pem", directory / "key.pem"
    command = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
    command += ["-subj", "/CN=localhost", "-keyout", str(key), "-out", str(cert)]
    subprocess.run(command, check=True, capture_output=True)
    return cert, key


def nginx_main_config(directory: Path, site: Path, extra: str = "") -> Path:
    """A minimal nginx.conf with everything under `directory`, including the site config."""
    mime = "include /etc/nginx/mime.types;" if Path("/etc/nginx/mime.types").exists() else ""
    config = directory / "nginx.conf"
    config.write_text(
        f"""
        pid {directory}/nginx.pid;
        error_log {directory}/error.log;
        {extra}
        events {{}}
        http {{
            {mime}
            access_log {directory}/access.log;
            client_body_temp_path {directory}/body;
            proxy_temp_path {directory}/proxy;
            fastcgi_temp_path {directory}/fastcgi;
            uwsgi_temp_path {directory}/uwsgi;
            scgi_temp_path {directory}/scgi;
            include {site};
        }}
        """
    )
    return config


def nginx() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else "")
    if not found or not shutil.which("openssl"):
        pytest.skip("nginx and openssl are needed to check the nginx config")
    return found


def test_gunicorn_runs_one_threaded_worker_per_process(monkeypatch):
    monkeypatch.setenv("GUNICORN_THREADS", "42")
    settings = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    assert settings["workers"] == 1 and settings["worker_class"] == "gthread"
    assert settings["threads"] == 42 and settings["wsgi_app"] == "wsgi:app"


def test_rendered_nginx_config_is_valid_and_sticky(tmp_path):
    binary = nginx()
    cert, key = self_signed_certificate(tmp_path)
    options = ["--processes", "3", "--server-name", "hulp.example.nl"]
    site = render(tmp_path / "out", *options, "--tls-cert", str(cert), "--tls-key", str(key))
    text = (site / "buurthulp.conf").read_text()
    assert "@" not in re.sub(r"#.*", "", text)  # every placeholder filled in
    assert re.findall(r"server 127\.0\.0\.1:(\d+)", text) == ["8001", "8002", "8003"]
    assert "hash $remote_addr consistent;" in text
    assert f"alias {PROJECT_ROOT}/static/;" in text
    config = nginx_main_config(tmp_path, site / "buurthulp.conf")
    result = subprocess.run(
        [binary, "-t", "-p", str(tmp_path), "-c", str(config)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


def test_rendered_units_pass_systemd_analyze_verify(tmp_path):
    if not shutil.which("systemd-analyze"):
        pytest.skip("systemd-analyze is not installed")
    # verify wants the executables to exist: a checkout whose .venv is this one.
    venv_bin = Path(sys.executable).parent
    if not (venv_bin / "gunicorn").exists() or not (venv_bin / "flask").exists():
        pytest.skip("gunicorn and flask are not installed next to this Python")
    app_dir = tmp_path / "srv"
    (app_dir / "deploy").mkdir(parents=True)
    (app_dir / ".venv").symlink_to(venv_bin.parent)
    for script in SCRIPTS:
        shutil.copy(DEPLOY / script, app_dir / "deploy" / script)
    units = render(tmp_path / "units", "--processes", "2")
    for unit in units.glob("*"):
        unit.write_text(unit.read_text().replace(str(PROJECT_ROOT), str(app_dir)))
    names = ["buurthulp.target", "buurthulp-scheduler.service", "buurthulp-backup.service"]
    names += ["buurthulp-backup.timer", "buurthulp-web@8001.service"]
    result = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", *[f"./{n}" for n in names]],
        cwd=units,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == ""  # not even a warning (an unknown key, say)
    web = (units / "buurthulp-web@.service").read_text()
    assert "--bind 127.0.0.1:%i" in web and "EnvironmentFile=/etc/buurthulp/env" in web
    for option in ["NoNewPrivileges=yes", "ProtectSystem=strict", "PrivateTmp=yes"]:
        assert option in web
    assert f"ReadWritePaths={app_dir}/instance" in web


@pytest.mark.parametrize("script", SCRIPTS)
def test_scripts_are_shellcheck_clean(script):
    if not shutil.which("shellcheck"):
        pytest.skip("shellcheck is not installed (apt install shellcheck)")
    result = subprocess.run(["shellcheck", str(DEPLOY / script)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_dry_run_prints_every_step_and_changes_nothing(tmp_path):
    before = Path("/etc/buurthulp/env").exists(), Path("/etc/systemd/system/buurthulp.target")
    command = [str(DEPLOY / "install.sh"), "--dry-run", "--processes", "2", "--no-nginx"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    steps = [
        "install -d -m 0750 -o root -g buurthulp /etc/buurthulp",
        "pip install --quiet -e",
        "/etc/buurthulp/env",
        "check-config --allow-pending-migrations --processes 2",
        "flask --app wsgi db upgrade",
        "systemctl enable buurthulp-web@8002.service",
        "systemctl restart buurthulp.target",
    ]
    positions = [out.find(step) for step in steps]
    assert -1 not in positions and positions == sorted(positions), out
    assert "SECRET_KEY=" not in out
    after = Path("/etc/buurthulp/env").exists(), Path("/etc/systemd/system/buurthulp.target")
    assert before[0] == after[0] and before[1].exists() == after[1].exists()
