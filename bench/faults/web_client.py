"""A small browser-like client for fault scripts: residents who log in through the form,
read pages and post help requests with the form's CSRF and submission tokens, press
"Opnieuw versturen" on a 503 page as a person would, and a ledger of what the site
acknowledged, to check afterwards against the database."""

import html
import re
import threading
import time
from dataclasses import dataclass, field

import requests

PASSWORD = "Lange-wandeling-42"
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
SUBMISSION = re.compile(r'name="submission_token"[^>]*value="([^"]+)"')
HIDDEN = re.compile(r'<input type="hidden" name="([^"]*)" value="([^"]*)">')
RESENDS = 3  # "Opnieuw versturen" presses after a 503, a second apart
DETAIL = re.compile(r"^/hulpvragen/(\d+)$")
UNAVAILABLE_TEXT = "probeer het zo opnieuw"
ALREADY_POSTED_TEXT = "Uw hulpvraag was al geplaatst."


def seed(database_url: str, residents: int) -> list[str]:
    """The schema and `residents` members of one initiative; returns their e-mails."""
    from buurthulp.app import create_app
    from buurthulp.extensions import db
    from tests.factories import Factories

    app = create_app(
        {
            "ENV_NAME": "testing",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "PASSWORD_HASH_METHOD": "scrypt",
        }
    )
    make = Factories(app)
    with app.app_context():
        db.create_all()
    initiative = make.initiative(name="Burenhulp Storing", pc4s=("8011", "8012"))
    emails = [
        make.user(email=f"storing{n}@example.nl", initiative=initiative).email
        for n in range(residents)
    ]
    with app.app_context():
        db.engine.dispose()
    return emails


@dataclass
class Tally:
    """What every client saw, shared between threads."""

    sent: int = 0
    successes: int = 0
    clean_503: int = 0
    resent: int = 0  # posts sent again from the 503 page
    already_posted: int = 0  # ... answered "was al geplaatst": the cut-off COMMIT had stored it
    other_errors: list[str] = field(default_factory=list)
    acknowledged: dict[int, str] = field(default_factory=dict)  # request id -> title
    success_times: list[float] = field(default_factory=list)
    failure_times: list[float] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, outcome: str, detail: str = "") -> None:
        with self.lock:
            self.sent += 1
            now = time.monotonic()
            if outcome == "ok":
                self.successes += 1
                self.success_times.append(now)
            elif outcome == "503":
                self.clean_503 += 1
                self.failure_times.append(now)
            else:
                self.other_errors.append(detail)
                self.failure_times.append(now)


class Resident:
    def __init__(self, base: str, email: str, tally: Tally, name: str) -> None:
        self.base = base
        self.email = email
        self.tally = tally
        self.name = name
        self.http = requests.Session()
        self.posted = 0
        self.logged_in = False

    def _call(self, method: str, path: str, **kwargs) -> requests.Response | None:
        try:
            response = self.http.request(
                method, self.base + path, allow_redirects=False, timeout=30, **kwargs
            )
        except requests.RequestException as error:
            self.tally.record("error", f"{method} {path}: {type(error).__name__}")
            return None
        for cookie in self.http.cookies:
            cookie.secure = False  # production cookies are Secure; this is plain HTTP locally
        return response

    def _judge(self, method: str, path: str, response: requests.Response, ok: set[int]) -> bool:
        if response.status_code in ok:
            self.tally.record("ok")
            return True
        text = response.text.lower()
        if (
            response.status_code == 503
            and UNAVAILABLE_TEXT in text
            and response.headers.get("Retry-After")
        ):
            self.tally.record("503")
        else:
            self.tally.record("error", f"{method} {path}: {response.status_code}")
        return False

    def _form_page(self, path: str) -> str | None:
        response = self._call("GET", path)
        if response is None or not self._judge("GET", path, response, {200}):
            return None
        return response.text

    def _form_token(self, path: str) -> str | None:
        page = self._form_page(path)
        found = CSRF.search(page) if page else None
        return found.group(1) if found else None

    def log_in(self) -> bool:
        if self.logged_in:
            return True
        token = self._form_token("/inloggen")
        if token is None:
            return False
        data = {"csrf_token": token, "email": self.email, "password": PASSWORD}
        response = self._call("POST", "/inloggen", data=data)
        self.logged_in = response is not None and self._judge(
            "POST", "/inloggen", response, {302, 303}
        )
        return self.logged_in

    def read(self, path: str = "/dichtbij") -> None:
        response = self._call("GET", path)
        if response is not None:
            self._judge("GET", path, response, {200})

    def post_request(self) -> None:
        page = self._form_page("/hulpvragen/nieuw")
        token = CSRF.search(page) if page else None
        if token is None:
            return
        submission = SUBMISSION.search(page)
        self.posted += 1
        title = f"Storingstest {self.name}-{self.posted}"
        data = {
            "csrf_token": token.group(1),
            "submission_token": submission.group(1) if submission else "",
            "title": title,
            "description": "Melk en brood halen",
            "category": "groceries",
            "when": "flexible",
            "flexible_days": "5",
            "urgency": "normal",
            "recurrence": "once",
        }
        response = self._call("POST", "/hulpvragen/nieuw", data=data)
        resends = 0
        while response is not None and not self._judge(
            "POST", "/hulpvragen/nieuw", response, {303}
        ):
            # The COMMIT may have gone through: what a person does next is press the button.
            fields = HIDDEN.findall(response.text) if response.status_code == 503 else []
            if not fields or resends == RESENDS:
                return
            resends += 1
            time.sleep(1)
            with self.tally.lock:
                self.tally.resent += 1
            fields = [(html.unescape(k), html.unescape(v)) for k, v in fields]
            response = self._call("POST", "/hulpvragen/nieuw", data=fields)
        if response is None:
            return
        found = DETAIL.match(response.headers.get("Location", ""))
        if not found:
            self.tally.record("error", f"POST acknowledged without a request id: {response}")
            return
        if resends:
            self._note_already_posted(response.headers["Location"])
        with self.tally.lock:
            self.tally.acknowledged[int(found.group(1))] = title

    def _note_already_posted(self, path: str) -> None:
        response = self._call("GET", path)
        if response is None or not self._judge("GET", path, response, {200}):
            return
        if ALREADY_POSTED_TEXT in response.text:
            with self.tally.lock:
                self.tally.already_posted += 1


def drive(residents: list[Resident], stop: threading.Event, pause: float = 0.02) -> list:
    """Each resident in a thread of its own: read Dichtbij, post a request, until `stop`."""

    def loop(resident: Resident) -> None:
        while not stop.is_set() and not resident.log_in():
            time.sleep(0.5)
        while not stop.is_set():
            resident.read()
            resident.post_request()
            time.sleep(pause)

    threads = [threading.Thread(target=loop, args=(r,), daemon=True) for r in residents]
    for thread in threads:
        thread.start()
    return threads


def missing_requests(database_url: str, acknowledged: dict[int, str]) -> list[int]:
    """Acknowledged request ids that are not in the database with their title."""
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT id, title FROM help_requests")).all()
    finally:
        engine.dispose()
    stored = {row.id: row.title for row in rows}
    return sorted(i for i, title in acknowledged.items() if stored.get(i) != title)


def duplicate_requests(database_url: str) -> int:
    """Rows beyond the first of each title the residents posted (each title is posted once)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            return conn.execute(
                text(
                    "SELECT coalesce(sum(n - 1), 0) FROM (SELECT count(*) AS n FROM help_requests"
                    " WHERE title LIKE 'Storingstest %' GROUP BY title) AS per_title"
                )
            ).scalar_one()
    finally:
        engine.dispose()
