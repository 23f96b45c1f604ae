"""The moderation tests' initiative and people, for the panel page tests too."""

from tests.moderation.conftest import initiative, people  # noqa: F401
