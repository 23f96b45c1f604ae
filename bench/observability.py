"""What the request id, the access line and the request metrics cost per request, in CPU time.

Drives the Flask test client (no network) through N requests per round in three set-ups,
interleaved: hooks off; hooks on without the access line (request id and metrics only);
everything on, the JSON access line written to /dev/null. Prints the process CPU time
(time.process_time: other processes do not count, though on a busy machine their cache
traffic still slows this one) per request, the minimum and the median over the rounds.

    .venv/bin/python bench/observability.py
    .venv/bin/python bench/observability.py --requests 2000 --rounds 7

CPU time is noisy while other processes share the cores. Instruction counts are not: run one
set-up under callgrind, which counts only the timed loop (`--callgrind` switches the
instrumentation on and off around it), and compare the set-ups' "I refs":

    PYTHONHASHSEED=0 valgrind --tool=callgrind --instr-atstart=no \
        .venv/bin/python bench/observability.py --callgrind "all on" /inloggen --requests 200
"""

import argparse
import contextlib
import logging
import os
import statistics
import subprocess
import sys
import time

from buurthulp.app import create_app
from buurthulp.ops import request_hooks


def build_app():
    app = create_app(
        {"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": "sqlite://", "LOG_FORMAT": "json"}
    )

    @app.get("/bench-ping")
    def ping():
        return "ok"

    return app


def set_hooks(app, on: bool) -> None:
    before = app.before_request_funcs[None]
    after = app.after_request_funcs[None]
    for hooks, hook in (
        (before, request_hooks.start_request),
        (after, request_hooks.finish_request),
    ):
        if hook in hooks:
            hooks.remove(hook)
    if on:
        before.insert(0, request_hooks.start_request)
        after.insert(0, request_hooks.finish_request)


def cpu_per_request(client, path: str, count: int) -> float:
    start = time.process_time()
    for _ in range(count):
        client.get(path)
    return (time.process_time() - start) / count * 1e6  # microseconds


SETUPS = ("off", "no access line", "all on")


def use(app, setup: str) -> None:
    set_hooks(app, setup != "off")
    quiet = setup == "no access line"
    request_hooks.access_log.setLevel(logging.WARNING if quiet else logging.NOTSET)


def measure(app, path: str, count: int, rounds: int) -> dict[str, list[float]]:
    client = app.test_client()
    for _ in range(50):  # warm up: templates, metric children, babel
        client.get(path)
    runs: dict[str, list[float]] = {setup: [] for setup in SETUPS}
    for _ in range(rounds):
        for setup in SETUPS:
            use(app, setup)
            runs[setup].append(cpu_per_request(client, path, count))
    use(app, "all on")
    return runs


def callgrind_window(app, setup: str, path: str, count: int) -> None:
    """Only the loop is counted: the instrumentation is switched on around it."""
    client = app.test_client()
    use(app, setup)
    for _ in range(50):
        client.get(path)
    toggle = ["callgrind_control", "-i"]
    subprocess.run([*toggle, "on", str(os.getpid())], check=True, capture_output=True)
    for _ in range(count):
        client.get(path)
    subprocess.run([*toggle, "off", str(os.getpid())], check=True, capture_output=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--callgrind", nargs=2, metavar=("SETUP", "PATH"))
    args = parser.parse_args()
    app = build_app()
    if args.callgrind:
        setup, path = args.callgrind
        with open(os.devnull, "w") as devnull, contextlib.redirect_stderr(devnull):
            callgrind_window(app, setup, path, args.requests)
        return
    print(f"{args.requests} requests per round, {args.rounds} rounds; CPU us per request")
    with open(os.devnull, "w") as devnull, contextlib.redirect_stderr(devnull):
        results = {path: measure(app, path, args.requests, args.rounds) for path in PATHS}
    print(f"{'path':<14}{'statistic':<10}" + "".join(f"{s:>16}" for s in SETUPS) + f"{'added':>10}")
    for path, runs in results.items():
        for name, statistic in (("min", min), ("median", statistics.median)):
            values = [statistic(runs[setup]) for setup in SETUPS]
            added = values[-1] - values[0]
            cells = "".join(f"{v:>16.1f}" for v in values)
            print(f"{path:<14}{name:<10}{cells}{added:>10.1f}", file=sys.stdout)


PATHS = ("/bench-ping", "/inloggen")

if __name__ == "__main__":
    main()
