"""Plain-text rules shared by forms and services (no Flask here)."""

import re

# Control characters other than tab and line breaks: PostgreSQL refuses NUL in text,
# and none of them belongs in what a person types.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
