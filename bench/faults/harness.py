"""Private servers for fault scripts: a PostgreSQL cluster, a redis-server and gunicorn
processes of our own, on free ports, stopped afterwards. The machine's shared PostgreSQL
(5432) and Redis (6379) are never touched.
"""

import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from glob import glob
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listens on port {port}")


def _pg_bin(name: str) -> str:
    found = sorted(glob(f"/usr/lib/postgresql/*/bin/{name}")) or [shutil.which(name) or ""]
    if not found[-1]:
        raise RuntimeError(f"{name} not found: install PostgreSQL's server binaries")
    return found[-1]


def _as_postgres(args: list[str]) -> list[str]:
    # initdb refuses to run as root; the cluster's files then belong to postgres.
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


class PrivatePostgres:
    """A throw-away cluster: initdb in a temp dir, its own port and socket directory."""

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="buurthulp-pg-"))
        self.data = self.dir / "data"
        self.port = free_port()
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres")

    def _ctl(self, *args: str) -> None:
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1"
        command = [_pg_bin("pg_ctl"), "-D", str(self.data), "-l", str(self.dir / "log")]
        subprocess.run(
            _as_postgres([*command, "-w", "-o", options, *args]),
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def start(self) -> "PrivatePostgres":
        init = [_pg_bin("initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust"]
        subprocess.run(_as_postgres([*init, "-E", "UTF8", "--no-sync"]), check=True,
                       stdout=subprocess.DEVNULL)  # fmt: skip
        self._ctl("start")
        return self

    def restart(self) -> None:
        """What an operator's `systemctl restart postgresql` does: fast shutdown, start."""
        self._ctl("restart", "-m", "fast")

    def stop(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self._ctl("stop", "-m", "immediate")
        shutil.rmtree(self.dir, ignore_errors=True)


class PrivateRedis:
    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> "PrivateRedis":
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--daemonize", "no"],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        wait_for_port(self.port)
        return self

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None

    def start_on_same_port(self) -> None:
        """Redis back after an outage, where the processes expect it (empty: no saves)."""
        self.start()


def app_env(database_url: str, redis_url: str | None = None, **extra: str) -> dict[str, str]:
    """The environment of a production process of ours: generated secret, private servers."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "REDIS_"))}
    env.update(
        BUURTHULP_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(48),
        DATABASE_URL=database_url,
        PYTHONPATH=str(ROOT),
        SOCKETIO_CHANNEL=f"faults-{secrets.token_hex(4)}",
        **extra,
    )
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


class Gunicorn:
    """One gunicorn process with one gthread worker, as production runs it."""

    def __init__(self, env: dict[str, str], threads: int = 4) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = env
        self.threads = threads
        self.process: subprocess.Popen | None = None
        handle, name = tempfile.mkstemp(prefix="gunicorn-", suffix=".log")
        os.close(handle)
        self.log_path = Path(name)

    def start(self) -> "Gunicorn":
        command = [str(VENV_BIN / "gunicorn"), "-w", "1", "-k", "gthread", "--threads",
                   str(self.threads), "-b", f"127.0.0.1:{self.port}", "--timeout", "60",
                   "wsgi:app"]  # fmt: skip
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT
            )
        wait_for_port(self.port)
        return self

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
        self.log_path.unlink(missing_ok=True)


@contextlib.contextmanager
def running(*servers) -> Iterator[None]:
    """Start servers in order; stop them in reverse order, whatever happens."""
    started = []
    try:
        for server in servers:
            started.append(server)  # stop() copes with a half-started server
            server.start()
        yield
    finally:
        for server in reversed(started):
            server.stop()
