"""A bounded least-recently-used cache for plain data, cheap for the garbage collector.

functools.lru_cache keeps whatever it is given, and the per-process caches of the pages
(cards, Dichtbij's lists) held some hundred thousand small objects the collector had to
walk on every full collection: pauses of 80-170 ms on the load benchmark, the p99 of
Dichtbij. Keys and values here are kept to tuples of str, int, float, bool, None, date and
time, which CPython stops tracking, inside one OrderedDict (a single tracked object).
"""

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class PlainCache(Generic[V]):
    def __init__(self, max_entries: int):
        self.max_entries = max_entries
        self._entries: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, make: Callable[[], V]) -> V:
        """The value for `key`, made with `make()` (outside the lock) when missing."""
        with self._lock:
            value = self._entries.get(key)
            if value is not None:
                self._entries.move_to_end(key)
                return value
        value = make()
        with self._lock:
            self._entries[key] = value
            if len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
        return value

    def __len__(self) -> int:
        return len(self._entries)
