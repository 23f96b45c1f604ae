"""Static file URLs carry a hash of the file's content (`/static/css/site.css?v=3f2a9c01d2`).

nginx (deploy/nginx) then caches a versioned URL for a year, and a release that changes a
file changes its URL, so no browser keeps an old stylesheet or script. Each process hashes a
file once, the first time a page links it (a release restarts the processes); after that a
link costs a dictionary lookup, not a file system call.
"""

import hashlib
from functools import lru_cache
from pathlib import Path

from flask import Flask, current_app


def file_version(static_folder: str, filename: str) -> str | None:
    """A short hash of the file's content now; None when the file is not there."""
    root = Path(static_folder).resolve()
    path = (root / filename).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        return None
    return hashlib.sha256(path.read_bytes()).hexdigest()[:10]


@lru_cache(maxsize=1024)
def _cached_version(static_folder: str, filename: str) -> str | None:
    return file_version(static_folder, filename)


def _add_version(endpoint: str, values: dict) -> None:
    if endpoint != "static" or "v" in values or not values.get("filename"):
        return
    version = _cached_version(current_app.static_folder, values["filename"])
    if version:
        values["v"] = version


def init_static_urls(app: Flask) -> None:
    app.url_defaults(_add_version)
