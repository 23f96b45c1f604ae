"""Dichtbij's ranked listings and their cards, kept per process.

Residents' places are 4-digit-area centroids, so many viewers share an origin, and the
ranked list for an origin, the viewer's initiatives, the filters and the day is the same
for all of them: only their own listings differ, and those are left out per viewer. An
entry is keyed by the sum of the initiatives' listings versions too (listings.versions,
read with the login), which rises in the same transaction as any change Dichtbij could
show: a cached list is never older than the data its key names. Entries also expire after
MAX_AGE as a backstop, and the least recently used ones are dropped beyond MAX_ENTRIES.

Each entry keeps the cards it rendered, per language, so a page of an entry that was seen
before needs no database round trip for its listings at all.
"""

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field

from flask import current_app

MAX_ENTRIES = 2_000  # about 20 kB each (the cards are shared with fragments' cache)
MAX_AGE = 600.0  # seconds
_EXTENSION = "buurthulp.nearby_cache"


@dataclass(slots=True)
class Ranked:
    candidates: list[tuple]  # (is a request, id, km, owner id), nearest first
    made_at: float
    cards: dict[tuple[str, bool, int], str] = field(default_factory=dict)  # escaped HTML


class NearbyCache:
    """One per app (so per process, and per test app on its own database)."""

    def __init__(self, max_entries: int = MAX_ENTRIES, max_age: float = MAX_AGE):
        self.max_entries = max_entries
        self.max_age = max_age
        self._entries: OrderedDict[Hashable, Ranked] = OrderedDict()
        self._lock = threading.Lock()

    def ranked(self, key: Hashable, compute: Callable[[], list[tuple]]) -> Ranked:
        """The entry for `key`, made with `compute()` when there is none (or it is too old).
        Two threads missing the same key at once both compute; the later one is kept."""
        now = time.monotonic()
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and now - entry.made_at < self.max_age:
                self._entries.move_to_end(key)
                return entry
        entry = Ranked(compute(), now)
        with self._lock:
            self._entries[key] = entry
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
        return entry

    def __len__(self) -> int:
        return len(self._entries)


def of_app() -> NearbyCache:
    extensions = current_app.extensions
    cache = extensions.get(_EXTENSION)
    if cache is None:
        cache = extensions.setdefault(_EXTENSION, NearbyCache())
    return cache
