"""ActiveRequestLimit: a few page requests run at once, the rest wait first come, first
served; Socket.IO's long polls and websockets never wait."""

import threading
import time

from buurthulp.ops.concurrency import ActiveRequestLimit, FairSlots


def wait_until(condition, seconds: float = 2.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.005)


def test_a_freed_slot_goes_to_the_one_who_waited_not_to_a_newcomer():
    slots = FairSlots(1)
    order: list[str] = []
    slots.__enter__()  # "first" holds the only slot

    def waiter():
        with slots:
            order.append("waited")

    thread = threading.Thread(target=waiter)
    thread.start()
    wait_until(lambda: len(slots._waiting) == 1)
    slots.__exit__(None, None, None)
    with slots:  # the same thread comes straight back: it must queue behind the waiter
        order.append("newcomer")
    thread.join(2)
    assert order == ["waited", "newcomer"]


def test_waiters_enter_in_arrival_order():
    slots = FairSlots(1)
    slots.__enter__()
    order: list[int] = []

    def waiter(n: int):
        with slots:
            order.append(n)

    threads = []
    for n in range(5):
        threads.append(threading.Thread(target=waiter, args=(n,)))
        threads[-1].start()
        wait_until(lambda n=n: len(slots._waiting) == n + 1)
    slots.__exit__(None, None, None)  # each waiter passes the slot on to the next
    for thread in threads:
        thread.join(2)
    assert order == [0, 1, 2, 3, 4]
    assert slots._free == 1  # the slot came back


def test_socketio_requests_pass_a_full_limit():
    inside = threading.Event()
    leave = threading.Event()

    def app(environ, start_response):
        if environ["PATH_INFO"] == "/trage-pagina":
            inside.set()
            leave.wait(2)
        start_response("200 OK", [])
        return [environ["PATH_INFO"].encode()]

    limited = ActiveRequestLimit(app, limit=1)
    page = threading.Thread(target=limited, args=({"PATH_INFO": "/trage-pagina"}, print))
    page.start()
    assert inside.wait(2)
    answered = []
    poll = threading.Thread(
        target=lambda: answered.append(limited({"PATH_INFO": "/socket.io/"}, lambda *a: None))
    )
    poll.start()
    poll.join(1)
    other_page = threading.Thread(
        target=lambda: answered.append(limited({"PATH_INFO": "/dichtbij"}, lambda *a: None))
    )
    other_page.start()
    other_page.join(0.2)
    assert answered == [[b"/socket.io/"]]  # the page waits for the slow one's slot
    leave.set()
    page.join(2)
    other_page.join(2)
    assert answered == [[b"/socket.io/"], [b"/dichtbij"]]
