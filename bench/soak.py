"""Soak: the app at a steady rate for a long time; zero 5xx and flat memory per process.

Same data set, servers and wrk script as bench/web.py (seed with it first, or let this
seed). wrk runs in one-minute rounds at --rate requests/second (half the Dichtbij target by
default) on one endpoint: wrk has no rate option, so every connection waits between its
requests (web_load.lua's delay) and the wait is corrected after each round from the rate
that round reached. Between rounds it reads the resident set size (VmRSS) of every gunicorn
process, master and worker, and of the scheduler when --scheduler starts it.

    .venv/bin/python bench/soak.py --minutes 15 --json
    .venv/bin/python bench/soak.py --minutes 3 --rate 200
"""

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import web  # noqa: E402
import web_servers  # noqa: E402

FLASK = Path(sys.executable).with_name("flask")


def rss_snapshot(servers, scheduler) -> dict[str, int | None]:
    found = {}
    for port, proc in zip(servers.ports, servers.processes, strict=True):
        found[f"master:{port}"] = web_servers.rss_kib(proc.pid)
        workers = [p for p in servers.worker_pids() if _parent(p) == proc.pid]
        for pid in workers:
            found[f"worker:{port}"] = web_servers.rss_kib(pid)
    if scheduler is not None:
        found["scheduler"] = web_servers.rss_kib(scheduler.pid)
    return found


def _parent(pid: int) -> int | None:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return None


def start_scheduler(env: dict, logs: Path) -> subprocess.Popen:
    log = (logs / "scheduler.log").open("ab")
    return subprocess.Popen(  # noqa: S603 - our own command line
        [str(FLASK), "--app", "web_wsgi:app", "scheduler", "run"],
        cwd=web_servers.ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip


def soak(args, servers, targets: Path, scheduler) -> dict:
    delay_ms = args.connections * 1000 / args.rate
    rounds, rss = [], {"start": rss_snapshot(servers, scheduler)}
    for minute in range(1, args.minutes + 1):
        args.delay_ms = int(max(0, delay_ms))
        raw = web.run_wrk(args, servers, args.endpoint, targets, 60)
        achieved = raw["requests"] / (raw["duration_us"] / 1e6)
        # Each connection's cycle is its wait plus the answer's time: keep the wait's share.
        latency_ms = max(0.0, args.connections * 1000 / max(achieved, 0.1) - args.delay_ms)
        delay_ms = args.connections * 1000 / args.rate - latency_ms
        row = {
            "minute": minute,
            "rps": round(achieved, 1),
            "p99_ms": round(raw["p99_us"] / 1000, 1),
            "errors_5xx": raw["status_5xx"],
            "non_2xx_3xx": raw["status_4xx"] + raw["status_5xx"],
            "socket_errors": raw["connect_errors"] + raw["read_errors"] + raw["write_errors"],
            "timeouts": raw["timeouts"],
            "rss_kib": rss_snapshot(servers, scheduler),
        }
        rounds.append(row)
        web.log(args, json.dumps(row))
    rss["end"] = rounds[-1]["rss_kib"] if rounds else rss["start"]
    return {"rounds": rounds, "rss_kib": rss}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=int, default=15)
    parser.add_argument("--rate", type=float, default=200, help="requests per second")
    parser.add_argument("--endpoint", default="nearby", choices=["nearby", "detail"])
    parser.add_argument("--scheduler", action="store_true", help="also run flask scheduler run")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--users", type=int, default=5000)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--server", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--database", default="buurthulp_bench")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/7")
    parser.add_argument("--port", type=int, default=8750)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    args.reseed = False
    sizes = web.web_seed.SIZES
    args.residents, args.offers, args.requests = (sizes[k] for k in sizes)
    return args


def main() -> None:
    args = parse_args()
    url = web.ensure_seeded(args)
    with tempfile.TemporaryDirectory(prefix="buurthulp-soak-") as tmp:
        tmp = Path(tmp)
        env = web_servers.bench_env(url, args.redis, args.threads, tmp / "outbox")
        targets = web.prepare_targets(args, url, env, tmp, invitations=0)[args.endpoint]
        scheduler = start_scheduler(env, tmp) if args.scheduler else None
        try:
            with web_servers.running(
                processes=args.processes, first_port=args.port, env=env, logs=tmp
            ) as servers:
                result = soak(args, servers, targets, scheduler)
        finally:
            if scheduler is not None:
                scheduler.terminate()
                scheduler.wait(timeout=15)
    rounds = result["rounds"]
    summary = {
        "minutes": args.minutes,
        "endpoint": args.endpoint,
        "target_rps": args.rate,
        "mean_rps": round(sum(r["rps"] for r in rounds) / max(1, len(rounds)), 1),
        "errors_5xx": sum(r["errors_5xx"] for r in rounds),
        "zero_5xx": all(r["errors_5xx"] == 0 for r in rounds),
        "max_p99_ms": max((r["p99_ms"] for r in rounds), default=None),
        "rss_kib": result["rss_kib"],
        "rounds": rounds,
        "settings": {k: getattr(args, k) for k in ("connections", "processes", "threads")},
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
