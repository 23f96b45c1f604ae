"""PlainCache: bounded, least recently used first out, and what Dichtbij keeps in its caches
is plain data the garbage collector stops tracking (full collections walked hundreds of
thousands of cached objects before: pauses of 80-170 ms under load)."""

import gc

from buurthulp.listings import fragments, nearby_cache
from buurthulp.plain_cache import PlainCache


def test_the_least_recently_used_entry_goes_first():
    cache: PlainCache[str] = PlainCache(2)
    made = []

    def make(value):
        return lambda: made.append(value) or value

    assert cache.get("a", make("A")) == "A"
    assert cache.get("b", make("B")) == "B"
    assert cache.get("a", make("A2")) == "A"  # a hit, and now the most recent
    cache.get("c", make("C"))  # drops b
    assert cache.get("a", make("A3")) == "A"
    assert cache.get("b", make("B2")) == "B2"
    assert made == ["A", "B", "C", "B2"] and len(cache) == 2


def test_dichtbijs_cached_cards_and_lists_are_untracked(
    app, client, auth, make, anna, bert, initiative
):
    make.help_request(requester=bert, initiative=initiative, title="Boodschappen")
    make.help_offer(volunteer=bert, initiative=initiative, title="Klussen")
    auth.login_direct(anna)
    assert "Boodschappen" in client.get("/dichtbij").get_data(as_text=True)
    gc.collect()
    with app.app_context():
        [entry] = nearby_cache.of_app()._entries.values()
    assert len(entry.candidates) == 2
    assert not any(gc.is_tracked(c) for c in entry.candidates)
    assert not any(gc.is_tracked(k) or gc.is_tracked(v) for k, v in entry.cards.items())
    keys = list(fragments._cards._entries)
    assert keys and not any(gc.is_tracked(k) for k in keys)
