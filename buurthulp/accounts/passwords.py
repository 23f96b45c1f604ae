"""Password rules and hashing (scrypt, through Werkzeug)."""

from functools import cache
from pathlib import Path

from werkzeug.security import check_password_hash, generate_password_hash

from buurthulp.translatable import N_, UserMessageError

MIN_LENGTH = 8
MAX_LENGTH = 200
COMMON_PASSWORDS = Path(__file__).parent / "common_passwords.txt"
DEFAULT_METHOD = "scrypt"


class PasswordError(UserMessageError):
    """A password that breaks the rules; the message is for the user."""


@cache
def _common() -> frozenset[str]:
    lines = COMMON_PASSWORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(
        line.strip().lower() for line in lines if line.strip() and not line.startswith("#")
    )


def check_password_rules(password: str, *, personal: tuple[str, ...] = ()) -> None:
    """Raise PasswordError when `password` is too short, too long, common or personal."""
    if len(password) < MIN_LENGTH:
        raise PasswordError(N_("Kies een wachtwoord van minstens %(min)s tekens."), min=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        raise PasswordError(N_("Kies een wachtwoord van hoogstens %(max)s tekens."), max=MAX_LENGTH)
    lowered = password.lower()
    if lowered in _common() or len(set(lowered)) < 3:
        raise PasswordError(
            N_("Dit wachtwoord wordt te vaak gebruikt en is makkelijk te raden. Kies een ander.")
        )
    for word in personal:
        if word and len(word) >= 3 and lowered == word.lower():
            raise PasswordError(N_("Gebruik niet uw naam of e-mailadres als wachtwoord."))


def hash_password(password: str, method: str = DEFAULT_METHOD) -> str:
    return generate_password_hash(password, method=method)


def verify_password(password_hash: str, password: str) -> bool:
    return check_password_hash(password_hash, password)
