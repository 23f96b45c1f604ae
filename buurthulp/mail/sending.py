"""Sending mail: SMTP when MAIL_SERVER is set, otherwise a local outbox.

The outbox (MAIL_OUTBOX_DIR, one .eml file per message) lets a developer read
what would have been sent, such as a password-reset link, without a mail server.
"""

import hashlib
import logging
import os
import smtplib
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

from flask import current_app

from buurthulp.db_types import utcnow

log = logging.getLogger(__name__)

# Set while a scheduled job sends one delivery: the same key gives the same message.
_idempotency_key: ContextVar[str | None] = ContextVar("mail_idempotency_key", default=None)


@contextmanager
def idempotency_key(key: str) -> Iterator[None]:
    """Mails sent inside get a Message-ID and outbox file name derived from `key`, so
    sending the same delivery again (after a crash) yields the same message, not a new one."""
    token = _idempotency_key.set(key)
    try:
        yield
    finally:
        _idempotency_key.reset(token)


def _stable_id() -> str | None:
    key = _idempotency_key.get()
    return hashlib.sha256(key.encode()).hexdigest()[:32] if key else None


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file sent along, e.g. an agreed appointment as text/calendar."""

    filename: str
    content_type: str  # "text/calendar", ...
    data: bytes


def build_message(
    *, to: str, subject: str, body: str, sender: str, attachments: Sequence[Attachment] = ()
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    stable = _stable_id()
    message["Message-ID"] = f"<{stable}@buurthulp>" if stable else make_msgid(domain="buurthulp")
    message.set_content(body)
    for attachment in attachments:
        maintype, subtype = attachment.content_type.split("/", 1)
        message.add_attachment(
            attachment.data, maintype=maintype, subtype=subtype, filename=attachment.filename
        )
    return message


def send_mail(*, to: str, subject: str, body: str, attachments: Sequence[Attachment] = ()) -> None:
    """Send one plain-text mail, with optional attachments, with the app's settings."""
    config = current_app.config
    message = build_message(
        to=to,
        subject=subject,
        body=body,
        sender=config["MAIL_DEFAULT_SENDER"],
        attachments=attachments,
    )
    if config.get("MAIL_SERVER"):
        _send_smtp(message, config)
        return
    # Never the address, subject or text in the log: they name people and their needs.
    if config.get("MAIL_OUTBOX_DIR"):
        path = _write_outbox(message, Path(config["MAIL_OUTBOX_DIR"]))
        log.info("mail not sent (no MAIL_SERVER); written to the outbox as %s", path.name)
    else:
        log.info("mail not sent (no MAIL_SERVER, no outbox)")


def _send_smtp(message: EmailMessage, config) -> None:
    smtp_class = smtplib.SMTP_SSL if config["MAIL_USE_SSL"] else smtplib.SMTP
    with smtp_class(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=20) as smtp:
        if config["MAIL_USE_TLS"] and not config["MAIL_USE_SSL"]:
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        smtp.send_message(message)


def _write_outbox(message: EmailMessage, outbox: Path) -> Path:
    """One file per message, written whole (temp file, then rename): a process killed
    while writing leaves no half message. A delivery's file has a fixed name, so writing
    it again replaces it."""
    outbox.mkdir(parents=True, exist_ok=True)
    stamp = utcnow().strftime("%Y%m%dT%H%M%S%f")
    name = f"delivery-{_stable_id()}" if _stable_id() else f"{stamp}-{uuid.uuid4().hex[:8]}"
    temporary = outbox / f".{name}.{os.getpid()}.tmp"
    temporary.write_bytes(bytes(message))
    path = outbox / f"{name}.eml"
    temporary.replace(path)
    return path


def outbox_messages(outbox: Path, limit: int = 50) -> list[EmailMessage]:
    """The newest messages in the development outbox, newest first."""
    from email import message_from_bytes, policy

    if not outbox.is_dir():
        return []
    files = sorted(outbox.glob("*.eml"), key=lambda f: f.stat().st_mtime, reverse=True)[:limit]
    return [message_from_bytes(f.read_bytes(), policy=policy.default) for f in files]
