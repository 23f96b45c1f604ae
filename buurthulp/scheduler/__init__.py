"""Scheduled work: the scheduler process, its locks, and the jobs it runs."""
