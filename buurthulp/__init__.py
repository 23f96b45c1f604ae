"""Buurthulp: neighbour help for Dutch resident initiatives."""
