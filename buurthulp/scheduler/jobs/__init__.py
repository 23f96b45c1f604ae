"""The scheduled jobs: each a plain function `job(now) -> summary`, idempotent, run inside
an app context (the scheduler's or a test's)."""
