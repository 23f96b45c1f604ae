"""Start and stop the app under gunicorn for bench/web.py and bench/soak.py.

N gunicorn processes, each one worker (Flask-SocketIO needs one worker per process; a
threaded worker, gthread), each on a port of its own on 127.0.0.1. The load generator
spreads its connections over the ports itself, so no proxy's CPU is in the figures.
Production settings come from the environment: BUURTHULP_ENV=production, a SECRET_KEY
made for the run, DATABASE_URL of the bench database, REDIS_URL with a database number of
the bench's own and a Socket.IO channel of its own.
"""

import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
GUNICORN = Path(sys.executable).with_name("gunicorn")


@dataclass
class Servers:
    ports: list[int]
    env: dict
    logs: Path
    processes: list[subprocess.Popen] = field(default_factory=list)

    def worker_pids(self) -> list[int]:
        """The worker process of each gunicorn master (the one that serves requests)."""
        pids = []
        for proc in self.processes:
            children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children")
            found = children.read_text().split() if children.exists() else []
            pids += [int(p) for p in found]
        return pids


def bench_env(database_url: str, redis_url: str, threads: int, outbox: Path) -> dict:
    env = dict(os.environ)
    env.update(
        BUURTHULP_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(48),
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        SOCKETIO_CHANNEL=f"buurthulp-bench-{secrets.token_hex(4)}",
        BENCH_THREADS=str(threads),
        BENCH_MAIL_OUTBOX=str(outbox),
        PYTHONPATH=f"{ROOT}{os.pathsep}{BENCH}",
    )
    return env


def _ready(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as reply:  # noqa: S310
            return reply.status == 200
    except OSError:
        return False


def stop(servers: Servers) -> None:
    """SIGTERM every gunicorn master we started (it stops its worker), SIGKILL stragglers."""
    for proc in servers.processes:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 15
    for proc in servers.processes:
        try:
            proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@contextmanager
def running(*, processes: int, first_port: int, env: dict, logs: Path):
    """The gunicorn processes, ready to serve; always stopped on the way out."""
    servers = Servers(ports=[first_port + n for n in range(processes)], env=env, logs=logs)
    try:
        for port in servers.ports:
            log = (logs / f"gunicorn-{port}.log").open("ab")
            servers.processes.append(
                subprocess.Popen(  # noqa: S603 - our own command line
                    [str(GUNICORN), "-c", str(BENCH / "gunicorn_bench.py"),
                     "-b", f"127.0.0.1:{port}", env.get("BENCH_WSGI", "web_wsgi:app")],
                    cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                )
            )  # fmt: skip
        deadline = time.monotonic() + 60
        for port, proc in zip(servers.ports, servers.processes, strict=True):
            while not _ready(port):
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"gunicorn on port {port} did not start; see {logs}")
                time.sleep(0.2)
        yield servers
    finally:
        stop(servers)


def rss_kib(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a process so far (/proc/<pid>/stat, clock ticks)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
