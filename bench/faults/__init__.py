"""Fault scripts: PostgreSQL restarted, Redis stopped, the scheduler killed (docs/faults.md)."""
