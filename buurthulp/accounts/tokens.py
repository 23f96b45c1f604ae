"""Password-reset tokens: signed, timed, and single-use.

A token carries the user id and a fingerprint of the current password hash.
Setting a new password changes the hash, so the token (and every other reset
token of that user) stops working: no table of used tokens is needed.
"""

import hashlib
import hmac

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

from buurthulp.accounts.models import User
from buurthulp.extensions import db

SALT = "buurthulp.password-reset"
MAX_TOKEN_LENGTH = 500


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def password_fingerprint(password_hash: str) -> str:
    """A short digest of the hash: it changes with the password and reveals nothing of it."""
    return hashlib.sha256(password_hash.encode()).hexdigest()[:32]


def reset_token_make(*, user: User) -> str:
    return _serializer().dumps({"user": user.id, "pw": password_fingerprint(user.password_hash)})


def reset_token_user(token: str, *, max_age: int) -> User | None:
    """The user a valid, unexpired and unused token belongs to; otherwise None."""
    if len(token) > MAX_TOKEN_LENGTH:
        return None
    try:
        payload = _serializer().loads(token, max_age=max_age)
    except BadSignature:  # also SignatureExpired
        return None
    if not isinstance(payload, dict):
        return None
    user_id, fingerprint = payload.get("user"), payload.get("pw")
    if not isinstance(user_id, int) or not isinstance(fingerprint, str):
        return None
    user = db.session.get(User, user_id)
    if user is None:
        return None
    if not hmac.compare_digest(password_fingerprint(user.password_hash), fingerprint):
        return None
    return user
