"""Each person's event stream: the one way other packages tell someone something live.

`push` stores the event first and emits it after the commit, to the person's room
`user:<id>`. A page that was closed or lost its connection asks for `events_after` its
last id when it reconnects, so nothing is lost. With REDIS_URL set the emit goes through
Redis and reaches the person on whichever server process they are connected to; the
scheduler process emits the same way (write-only).
"""

import logging
from datetime import datetime

from sqlalchemy import String, and_, cast, delete, func, select, update

from buurthulp.accounts import viewer_facts
from buurthulp.accounts.models import User
from buurthulp.extensions import db, socketio
from buurthulp.initiatives.models import Membership, Role
from buurthulp.ops import metrics
from buurthulp.realtime.models import Event

log = logging.getLogger(__name__)

EVENT = "event"  # the Socket.IO event name every stream event travels under
REPLAY_LIMIT = 500  # per reconnect; a page that missed more shows a reload hint
MODERATORS = (Role.CONNECTOR, Role.COORDINATOR)

metrics.socket_event_names(emitted=[EVENT])


def room_of(user_id: int) -> str:
    return f"user:{user_id}"


def as_payload(event: Event) -> dict:
    """What a client receives; the same shape live and on replay."""
    return {
        "id": event.id,
        "kind": event.kind,
        "title": event.title,
        "body": event.body,
        "data": event.data or {},
        "created_at": event.created_at.isoformat(),
    }


def push(
    user_id: int, kind: str, data: dict | None = None, *, title: str = "", body: str = ""
) -> Event:
    """Store an event for `user_id`, commit, and emit it to their open pages.

    Call it after the change it reports has been committed: it commits its own row.
    """
    event = Event(user_id=user_id, kind=kind, title=title, body=body, data=data or {})
    db.session.add(event)
    db.session.commit()
    emit_stored(event)
    return event


def emit_stored(event: Event) -> None:
    """Emit a stored event; a broken queue is logged, the stored event stays for replay."""
    try:
        socketio.emit(EVENT, as_payload(event), to=room_of(event.user_id))
        metrics.socket_event_emitted(EVENT)
    except Exception:  # noqa: BLE001 - Redis or socket errors alike
        log.exception("emitting event %s failed; it waits for the next reconnect", event.id)


def events_after(user_id: int, last_id: int, limit: int = REPLAY_LIMIT) -> list[Event]:
    """The person's events with an id above `last_id`, oldest first."""
    query = (
        select(Event)
        .where(Event.user_id == user_id, Event.id > last_id)
        .order_by(Event.id)
        .limit(limit)
    )
    return list(db.session.execute(query).scalars())


def notifications(user_id: int, limit: int = 50) -> list[Event]:
    """The person's notifications (events with a title), newest first."""
    query = (
        select(Event)
        .where(Event.user_id == user_id, Event.title != "")
        .order_by(Event.id.desc())
        .limit(limit)
    )
    return list(db.session.execute(query).scalars())


def _unread():
    return and_(Event.title != "", Event.read_at.is_(None))


def _counters_of_viewer():
    # "latest,unread" as one string: one scalar subquery in the login query.
    latest = func.coalesce(func.max(Event.id), 0)
    unread = func.count(Event.id).filter(_unread())
    return (
        select(cast(latest, String) + "," + cast(unread, String))
        .where(Event.user_id == User.id)
        .scalar_subquery()
    )


viewer_facts.register("event_counters", _counters_of_viewer)


def _parse_counters(value: str) -> tuple[int, int]:
    latest, unread = value.split(",")
    return int(latest), int(unread)


def counters(user_id: int) -> tuple[int, int]:
    """(latest_id, unread_count): every page's menu shows both. Read with the login
    (viewer_facts) on a page's first use, else in one round trip of its own."""

    def read() -> tuple[int, int]:
        query = select(func.max(Event.id), func.count(Event.id).filter(_unread())).where(
            Event.user_id == user_id
        )
        latest, count = db.session.execute(query).one()
        return latest or 0, count or 0

    return viewer_facts.fact(user_id, "event_counters", read, _parse_counters)


def notifications_mark_read(*, user_id: int, up_to_id: int, now: datetime) -> None:
    """Mark the person's notifications up to `up_to_id` as read (what they have seen)."""
    db.session.execute(
        update(Event)
        .where(Event.user_id == user_id, Event.id <= up_to_id, Event.read_at.is_(None))
        .values(read_at=now)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def events_prune(*, older_than: datetime) -> int:
    """Delete events created before `older_than` (the retention job calls this); returns
    how many. Pages that were closed that long replay nothing older."""
    deleted = db.session.execute(
        delete(Event)
        .where(Event.created_at < older_than)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return deleted.rowcount


def moderation_queue_changed(*, initiative_id: int, pending: int) -> None:
    """Tell the initiative's connectors and coordinators that their queue changed.

    The moderation package calls this after a post enters or leaves the queue; the panel
    updates its count live. No notification: the panel is where they look.
    """
    query = select(Membership.user_id).where(
        Membership.initiative_id == initiative_id, Membership.role.in_(MODERATORS)
    )
    data = {"initiative_id": initiative_id, "pending": pending}
    user_ids = sorted(set(db.session.execute(query).scalars()))
    events = [Event(user_id=uid, kind="moderation_queue", data=data) for uid in user_ids]
    db.session.add_all(events)
    db.session.commit()
    for event in events:
        emit_stored(event)
